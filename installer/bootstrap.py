"""Prepare the project's virtual environment on first use, then keep it in step.

``python3 main.py`` and ``.ci/run`` call this: it creates ``.venv`` beside the checkout,
installs the project (editable) with the pinned versions of ``installer/constraints.txt``,
and re-installs only when ``pyproject.toml`` or the constraints change. Standard library
only: it runs before anything else is installed.

    python3 installer/bootstrap.py            # app dependencies
    python3 installer/bootstrap.py --test     # plus the test extra
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
CONSTRAINTS = ROOT / "installer" / "constraints.txt"


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def _fingerprint(extras: str) -> str:
    digest = hashlib.sha256(extras.encode())
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_environment(*, test: bool = False) -> Path:
    """Create or update ``.venv``; return its Python interpreter."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs under any python3
        sys.exit(f"CTMT Desktop needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    python = venv_python()
    if not python.exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    extras = "[test]" if test else ""
    stamp = VENV / f".installed{'-test' if test else ''}"
    wanted = _fingerprint(extras)
    if not stamp.exists() or stamp.read_text() != wanted:
        print("Installing dependencies (first run or changed requirements) …", flush=True)
        command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        if CONSTRAINTS.exists():
            command += ["-c", str(CONSTRAINTS)]
        command += ["-e", f"{ROOT}{extras}"]
        subprocess.run(command, check=True)
        stamp.write_text(wanted)
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="also install the test extra")
    args = parser.parse_args()
    print(ensure_environment(test=args.test))
    return 0


if __name__ == "__main__":
    sys.exit(main())
