"""Refresh the interface translations: lupdate over ``ui/**/*.py``, then lrelease.

    python installer/update_translations.py           # update ctmt_vi.ts, compile ctmt_vi.qm
    python installer/update_translations.py --check   # change nothing; exit 1 when a string
                                                      # lacks its translation

New English strings land in ``resources/translations/ctmt_<language>.ts`` marked unfinished;
translate them (Qt Linguist: ``pyside6-linguist``, or any editor) and run the script again.
Strings that left the code are dropped. Uses the ``pyside6-lupdate`` and ``pyside6-lrelease``
of the running Python's environment.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("vi",)


def tool(name: str) -> str:
    """The PySide6 tool ``name`` of this environment (``pyside6-lupdate``…)."""
    suffix = ".exe" if os.name == "nt" else ""
    beside = Path(sys.executable).parent / f"{name}{suffix}"
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 in this environment")
    return found


def sources() -> list[Path]:
    return sorted(SOURCES.rglob("*.py"))  # ui/ and its folders (ui/ministry/…)


def run_lupdate(ts_file: Path, language: str) -> None:
    files = [str(path.relative_to(ROOT)) for path in sources()]
    command = [tool("pyside6-lupdate"), *files, "-no-obsolete", "-locations", "relative",
               "-target-language", language, "-ts", str(ts_file)]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def run_lrelease(ts_file: Path, qm_file: Path) -> None:
    command = [tool("pyside6-lrelease"), "-silent", str(ts_file), "-qm", str(qm_file)]
    subprocess.run(command, cwd=ROOT, check=True)


def untranslated(ts_file: Path) -> list[str]:
    """``context: source`` of every message without a finished translation."""
    missing = []
    for context in ElementTree.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if (
                translation is None
                or translation.get("type") in ("unfinished", "vanished", "obsolete")
                or not "".join(translation.itertext()).strip()
            ):
                missing.append(f"{name}: {message.findtext('source', '')}")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; report strings that lack a translation")  # fmt: skip
    args = parser.parse_args(argv)
    failed = False
    for language in LANGUAGES:
        ts_file = TRANSLATIONS / f"ctmt_{language}.ts"
        if args.check:
            with tempfile.TemporaryDirectory() as scratch:
                copy = Path(scratch) / ts_file.name
                if ts_file.exists():
                    shutil.copyfile(ts_file, copy)
                run_lupdate(copy, language)
                missing = untranslated(copy)
        else:
            TRANSLATIONS.mkdir(parents=True, exist_ok=True)
            run_lupdate(ts_file, language)
            run_lrelease(ts_file, TRANSLATIONS / f"ctmt_{language}.qm")
            missing = untranslated(ts_file)
        for item in missing:
            print(f"{ts_file.name}: not translated: {item}", file=sys.stderr)
        failed = failed or bool(missing)
        print(f"{ts_file.name}: {len(missing)} string(s) lack a translation")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
