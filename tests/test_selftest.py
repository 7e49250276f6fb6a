"""The self-test of an installation (``ctmt-desktop --self-test``, ``ctmt self-test``), run
here in-process from the source tree: every step must pass, and a failing step is named."""

from __future__ import annotations

import io
import os
from pathlib import Path

from ctmt_desktop import selftest
from ctmt_desktop.cli import main as ctmt

CORE_STEPS = [
    "resources",
    "database",
    "demo",
    "pdf",
    "excel",
    "template",
    "backup",
    "account",
    "identity",
    "token",
    "approve",
    "package",
    "verify",
    "ministry",
    "close",
]
QT_STEPS = ["qt-platform", "fonts", "translations", "main-window", "pdf-view"]


def test_every_step_passes_from_the_source_tree(qapp, monkeypatch) -> None:
    from ui.selftest import run_self_test

    monkeypatch.setenv("CTMT_DATA_DIR", "/somewhere/else")
    sheet = qapp.styleSheet()
    out = io.StringIO()

    results = run_self_test(out)

    assert [r.step for r in results] == CORE_STEPS + QT_STEPS
    failed = {r.step: r.detail for r in results if not r.ok}
    assert failed == {}
    lines = out.getvalue().splitlines()
    assert len(lines) == len(results) and all(line.startswith("ok ") for line in lines)
    assert all(r.seconds >= 0 for r in results)
    details = {r.step: r.detail for r in results}
    assert "checks passed" in details["verify"]
    assert "ctmt_vi.qm" in details["translations"]
    assert "pages shown" in details["main-window"]
    # Nothing of the test stays behind: the data folder and the app's look are restored.
    assert os.environ["CTMT_DATA_DIR"] == "/somewhere/else"
    assert qapp.styleSheet() == sheet


def test_the_temporary_folder_is_removed() -> None:
    with selftest.temporary_home() as folder:
        (folder / "x.txt").write_text("x")
        assert os.environ["CTMT_DATA_DIR"] == str(folder / "data")
    assert not folder.exists()


def test_ctmt_self_test_runs_the_core_steps(capsys) -> None:
    assert ctmt(["self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("CTMT Desktop ") and "self-test" in lines[0]
    assert [line.split()[1] for line in lines[1:-1]] == CORE_STEPS
    assert lines[-1].startswith("self-test passed: 15 steps")


def test_a_failing_step_is_named_its_dependents_skipped_and_the_exit_code_is_1(
    qapp, monkeypatch, tmp_path: Path, capsys
) -> None:
    from ui.app import main

    def broken(self: selftest.CoreSteps) -> str:
        raise RuntimeError("no fonts in this bundle")

    monkeypatch.setattr(selftest.CoreSteps, "pdf", broken)
    report = tmp_path / "report.txt"

    assert main(["--self-test", "--self-test-report", str(report)]) == 1

    text = report.read_text(encoding="utf-8")
    assert text == capsys.readouterr().out
    lines = {line.split()[1]: line for line in text.splitlines()[1:-1]}
    assert lines["pdf"].startswith("FAILED")
    assert "RuntimeError: no fonts in this bundle" in lines["pdf"]
    assert lines["pdf-view"].startswith("skipped") and "needs pdf" in lines["pdf-view"]
    assert lines["package"].startswith("ok")  # independent steps still run
    assert text.splitlines()[-1] == "self-test FAILED (2 of 20 steps): pdf, pdf-view"


def test_run_steps_reports_where_an_error_came_from() -> None:
    def fails() -> str:
        return str(1 / 0)

    results = selftest.run_steps(
        [selftest.Step("first", fails), selftest.Step("second", lambda: "fine", ("first",))],
        io.StringIO(),
    )
    assert [(r.step, r.ok) for r in results] == [("first", False), ("second", False)]
    assert results[0].detail.startswith("ZeroDivisionError: division by zero (test_selftest.py:")
    assert results[1].detail == "skipped: needs first"
    assert selftest.summary(results).startswith("self-test FAILED (2 of 2 steps): first")
