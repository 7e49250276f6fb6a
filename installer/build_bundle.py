"""Build the one-folder bundle in a clean virtual environment, then run its self-test.

    python3 installer/build_bundle.py [--runs N] [--compare [MANIFEST]] [--reuse-venv]

On Linux and on Windows alike (``build_windows.ps1`` calls it before Inno Setup):

1. creates ``build/bundle-venv`` afresh and installs the project with the ``build`` extra
   and the pinned versions of ``installer/constraints.txt``;
2. runs PyInstaller with ``installer/ctmt.spec`` into ``dist/ctmt-desktop`` (``--runs N``
   builds N times and reports the median; every build must list the same files);
3. reports the bundle's size and file count, and refuses a bundle of 200 MB or more;
4. runs ``dist/ctmt-desktop/ctmt-desktop --self-test`` on the offscreen platform (its lines
   are also written to ``dist/self-test.txt``), then the console executable beside it,
   ``ctmt --version`` and ``ctmt self-test`` (the core's steps; ``dist/self-test-ctmt.txt``),
   and fails when either self-test fails.

``--compare`` compares the file list (``MANIFEST.txt`` inside the bundle) with the one of the
bundle already in ``dist`` (or with the MANIFEST file given). Exit codes: 0 built and
passed, 1 the build, the size, the file list or the self-test failed, 3 the environment could
not be prepared (pip could not install the build dependencies), 2 usage error. Standard
library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "ctmt-desktop"
CLI_NAME = "ctmt"  # the console executable in the same folder
SPEC = ROOT / "installer" / "ctmt.spec"
CONSTRAINTS = ROOT / "installer" / "constraints.txt"
MAX_MB = 200.0
WINDOWS = os.name == "nt"
EXIT_FAILED, EXIT_ENVIRONMENT = 1, 3


def version() -> str:
    text = (ROOT / "ctmt_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    assert match is not None
    return match.group(1)


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if WINDOWS else "bin/python")


def prepare_environment(folder: Path, *, reuse: bool) -> Path:
    """A virtual environment with the project, its build extra and the pinned versions."""
    python = venv_python(folder)
    if reuse and python.exists():
        print(f"Reusing {folder}", flush=True)
        return python
    if folder.exists():
        shutil.rmtree(folder)
    print(f"Creating a clean virtual environment in {folder} …", flush=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    command += ["-c", str(CONSTRAINTS), "-e", f"{ROOT}[build]"]
    subprocess.run(command, check=True, cwd=ROOT)
    return python


def bundle_size(bundle: Path) -> tuple[int, int]:
    """(files, bytes) of the bundle; a symbolic link (Linux) counts as a file, not its size."""
    files = [path for path in bundle.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files if not path.is_symlink())


def read_manifest(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def compare(before: list[str], after: list[str], what: str) -> bool:
    """Print the differences of two file lists; True when they are the same."""
    gone, new = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    if not gone and not new:
        print(f"File list identical to {what} ({len(after)} files)")
        return True
    print(f"File list differs from {what}: {len(gone)} gone, {len(new)} new")
    for line in gone[:20]:
        print(f"  - {line}")
    for line in new[:20]:
        print(f"  + {line}")
    return False


def run_pyinstaller(python: Path, dist: Path, work: Path) -> float:
    command = [str(python), "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT)
    return time.perf_counter() - started


def self_test(bundle: Path, report: Path) -> tuple[bool, float]:
    """Run the bundle's ``--self-test`` offscreen; True when it passed."""
    executable = bundle / (f"{NAME}.exe" if WINDOWS else NAME)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    env.pop("CTMT_DATA_DIR", None)
    command = [str(executable), "--self-test", "--self-test-report", str(report)]
    print(f"Running {' '.join(command)}", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, timeout=600, check=False)
    seconds = time.perf_counter() - started
    if WINDOWS and report.exists():  # a windowed .exe has no console: show the report
        print(report.read_text(encoding="utf-8"), end="")
    print(f"Self-test exit code {result.returncode} after {seconds:.1f} s")
    return result.returncode == 0, seconds


def cli_self_test(bundle: Path, report: Path) -> bool:
    """Run the console ``ctmt --version``, then ``ctmt self-test``; True when both passed."""
    executable = bundle / (f"{CLI_NAME}.exe" if WINDOWS else CLI_NAME)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("CTMT_DATA_DIR", None)
    expected = f"{CLI_NAME} {version()}"
    for argument in ("--version", "self-test"):
        command = [str(executable), argument]
        print(f"Running {' '.join(command)}", flush=True)
        started = time.perf_counter()
        try:
            result = subprocess.run(
                command, env=env, timeout=600, check=False, capture_output=True, encoding="utf-8"
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            print(f"error: {CLI_NAME} {argument} did not run: {error}")
            return False
        seconds = time.perf_counter() - started
        print(result.stdout + result.stderr, end="")
        print(f"{CLI_NAME} {argument}: exit code {result.returncode} after {seconds:.1f} s")
        if argument == "self-test":
            report.write_text(result.stdout, encoding="utf-8")
        if result.returncode != 0:
            return False
        if argument == "--version" and result.stdout.strip() != expected:
            print(f"error: {CLI_NAME} --version says {result.stdout.strip()!r}, not {expected!r}")
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "bundle-venv")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument(
        "--reuse-venv", action="store_true", help="keep an existing build environment"
    )
    parser.add_argument("--runs", type=int, default=1, help="build N times (median time)")
    parser.add_argument(
        "--compare",
        nargs="?",
        const="",
        metavar="MANIFEST",
        help="compare the file list with this MANIFEST.txt (default: the bundle in --dist)",
    )
    parser.add_argument("--no-self-test", action="store_true")
    parser.add_argument("--max-mb", type=float, default=MAX_MB)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    bundle = args.dist.resolve() / NAME
    manifest = bundle / "MANIFEST.txt"
    previous: tuple[list[str], str] | None = None
    if args.compare:
        previous = (read_manifest(Path(args.compare)), args.compare)
    elif args.compare == "" and manifest.exists():
        previous = (read_manifest(manifest), "the previous build")

    started = time.perf_counter()
    try:
        python = prepare_environment(args.venv.resolve(), reuse=args.reuse_venv)
    except (subprocess.CalledProcessError, OSError) as error:
        print(f"error: cannot prepare the build environment: {error}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    setup = time.perf_counter() - started

    ok = True
    times: list[float] = []
    lists: list[list[str]] = []
    for run in range(1, args.runs + 1):
        print(f"PyInstaller build {run} of {args.runs} …", flush=True)
        try:
            times.append(run_pyinstaller(python, args.dist.resolve(), args.work.resolve()))
        except subprocess.CalledProcessError as error:
            print(f"error: PyInstaller failed ({error})", file=sys.stderr)
            return EXIT_FAILED
        lists.append(read_manifest(manifest))
        print(f"Build {run}: {times[-1]:.1f} s, {len(lists[-1])} files")
        if run > 1:
            ok &= compare(lists[0], lists[-1], "build 1")
    if previous is not None:
        ok &= compare(previous[0], lists[-1], previous[1])

    count, size = bundle_size(bundle)
    megabytes = size / 1e6
    print(
        f"Bundle {bundle}: {count} files, {megabytes:.1f} MB ({size / 2**20:.1f} MiB); "
        f"environment {setup:.0f} s; PyInstaller {statistics.median(times):.1f} s "
        f"(median of {len(times)}: {', '.join(f'{t:.1f}' for t in times)})"
    )
    if megabytes >= args.max_mb:
        print(f"error: the bundle is {megabytes:.1f} MB, not under {args.max_mb:.0f} MB")
        ok = False
    if not args.no_self_test:
        passed, _seconds = self_test(bundle, args.dist.resolve() / "self-test.txt")
        ok &= passed
        ok &= cli_self_test(bundle, args.dist.resolve() / "self-test-ctmt.txt")
    print(f"CTMT Desktop {version()} bundle: {'OK' if ok else 'FAILED'}")
    return 0 if ok else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
