"""The core package never imports Qt: the command line and a future server can run on a
machine without PySide6 loaded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    import ctmt_desktop
    from ctmt_desktop.cli import main

    imported, failed = [], {}
    for module in pkgutil.walk_packages(ctmt_desktop.__path__, "ctmt_desktop."):
        try:
            importlib.import_module(module.name)
            imported.append(module.name)
        except Exception as exc:
            failed[module.name] = repr(exc)
    codes = [main(["catalog", "show"]), main(["schema", "training"])]
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    print("\\n@@" + json.dumps({"imported": imported, "failed": failed, "codes": codes,
                               "qt": qt}))
    """
)


def test_core_and_command_line_load_no_qt_module(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=root,
        env={
            **os.environ,
            "CTMT_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(root),
            "PYTHONIOENCODING": "utf-8",
        },
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.rsplit("@@", 1)[1])
    assert report["failed"] == {}
    assert {
        "ctmt_desktop.cli",
        "ctmt_desktop.db",
        "ctmt_desktop.services.records",
        "ctmt_desktop.validation",
        "ctmt_desktop.catalog",
    } <= set(report["imported"])
    assert report["codes"] == [0, 0]
    assert report["qt"] == []
