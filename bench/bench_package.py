"""Benchmark of the signed submission package: building it, verifying it, and our hashing
against ``sha256sum``.

Usage::

    .venv/bin/python bench/bench_package.py [--records 44000] [--year 2024]
        [--evidence-files 400] [--evidence-mb 200] [--runs 3] [--seed 1] [--keep]
        [--folder DIR]

Set-up (not timed), in a temporary folder (or ``--folder``, kept and reused when it holds
the set-up of the same options): a demo database of ``--records`` records made by
:func:`generate_demo` (spread over 2021–2026; 44,000 of them put about 10,000 in 2024, the
data of ``bench_reports.py``);
``--evidence-files`` evidence files of random (incompressible, like scanned PDFs and JPEG
photos) bytes, ``--evidence-mb`` in all, attached one to three per record to records of
``--year`` through :func:`update_record` (so they are stored in the evidence folder and
referred to by the records); the year approved; a self-issued RSA identity
(:func:`create_self_issued`).

Timed, ``--runs`` times each (the median is reported):

* package: :func:`build_package` of the year to a new file, committed; between runs (not
  timed) the period is reopened and approved again, so run n makes version n. The phases of
  each build (``timings``) are printed too;
* verify: :func:`verify_package` of the last package with its registered certificate (every
  check must pass);
* the commands: ``ctmt package`` (after reopening and approving the year again, not timed)
  and ``ctmt verify`` of its package, each in a new process, end to end;
* hashing: the package's files extracted once, then :func:`hash_files` (what the build uses
  for the manifests) against ``sha256sum`` on the same files, each after a warm-up run, so
  from the page cache.

Targets (2-core machine): package under 5 s, verification under 3 s, our hashing
throughput at least 80 % of ``sha256sum``'s. The commands' rows add what a new process
costs (start, imports, cold caches, reading the PKCS#12 file) to the same work. Only prints;
no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding

from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.package.build import build_package, hash_files
from ctmt_desktop.package.verify import verify_package
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services import approval
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import get_record, record_context, update_record
from ctmt_desktop.signing.identity import create_self_issued, pkcs12_signer

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
PARENT = "Ủy ban nhân dân tỉnh Quảng Trị"
MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
APPROVER = Actor("truong.phong", "approver")
PASSPHRASE = "mat-khau-bench-2024"
PACKAGE_TARGET, VERIFY_TARGET, HASH_TARGET = 5.0, 3.0, 0.8
#: Fields of :func:`get_record` that ``update_record`` does not take.
READ_ONLY = ("id", "met", "place_names", "created_at", "created_by", "updated_at", "updated_by")
#: How evidence files begin (the rest is random): a JPEG photo or a scanned PDF.
HEADS = ((".jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"), (".pdf", b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"))


@dataclass(frozen=True)
class Setup:
    db_path: Path
    p12: Path
    cert_pem: Path
    year_records: int
    evidence_files: int
    evidence_bytes: int


def _mb(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def _make_database(path: Path, records: int, seed: int) -> None:
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(
                session,
                ProfileData(AGENCY, "44", parent_body=PARENT, receiving_ministry=MINISTRY),
                load_catalog(),
            )
        generate_demo(database, records=records, seed=seed)
    finally:
        database.close()


def _attach_evidence(
    database: Database, folder: Path, year: str, files: int, total_bytes: int, seed: int
) -> int:
    """Write ``files`` random files of ``total_bytes`` in all and attach them, one to three
    per record, to records of ``year``; return the bytes written."""
    rng = random.Random(seed)
    with sqlite3.connect(database.path) as connection:
        rows = connection.execute(
            "SELECT kind, id FROM activity WHERE strftime('%Y', start_date) = ? ORDER BY id",
            (year[:4],),
        ).fetchall()
    mean = total_bytes // files
    drawn = [rng.randint(mean // 2, mean * 3 // 2) for _ in range(files)]
    sizes = [max(64, size * total_bytes // sum(drawn)) for size in drawn]
    sizes[-1] += total_bytes - sum(sizes)
    incoming = folder / "incoming"
    incoming.mkdir(exist_ok=True)
    groups: list[list[int]] = []
    index = 0
    while index < files:
        count = min(rng.choice((1, 1, 2, 3)), files - index)
        groups.append(list(range(index, index + count)))
        index += count
    chosen = rng.sample(rows, len(groups))
    written = 0
    catalog = load_catalog()
    with database.session() as session:
        context = record_context(session, database.path, user="bench", catalog=catalog)
        for (kind, record_id), group in zip(chosen, groups, strict=True):
            data: dict[str, Any] = get_record(session, kind, record_id)
            for key in READ_ONLY:
                data.pop(key, None)
            evidence = list(data.get("evidence") or [])
            for number in group:
                suffix, head = HEADS[number % len(HEADS)]
                path = incoming / f"minh-chung-{number:04d}{suffix}"
                path.write_bytes(head + rng.randbytes(sizes[number] - len(head)))
                evidence.append({"path": str(path), "name": path.name})
                written += sizes[number]
            data["evidence"] = evidence
            update_record(session, context, kind, record_id, data)
    shutil.rmtree(incoming)
    return written


def set_up(folder: Path, args: argparse.Namespace) -> Setup:
    db_path = folder / "bench.sqlite3"
    p12 = folder / "bench-identity.p12"
    cert_pem = folder / "bench-identity.pem"
    done = folder / "set-up-done"
    wanted = (
        f"{args.records} records, seed {args.seed}, year {args.year}, "
        f"{args.evidence_files} evidence files, {args.evidence_mb:g} MB\n"
    )
    if not done.exists() or done.read_text() != wanted:
        for path in folder.glob("bench.sqlite3*"):  # a set-up of other sizes, or unfinished
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        started = time.perf_counter()
        _make_database(db_path, args.records, args.seed)
        print(f"set-up: {args.records:,} demo records in {time.perf_counter() - started:.1f} s")
        database = open_database(db_path)
        try:
            started = time.perf_counter()
            written = _attach_evidence(
                database,
                folder,
                args.year,
                args.evidence_files,
                int(args.evidence_mb * 1e6),
                args.seed,
            )
            print(
                f"set-up: {args.evidence_files} evidence files, {_mb(written)}, attached in "
                f"{time.perf_counter() - started:.1f} s",
                flush=True,
            )
            with database.session() as session:
                approval.approve_period(session, APPROVER, args.year, confirm_drafts=True)
        finally:
            database.close()
        p12.unlink(missing_ok=True)
        cert = create_self_issued(AGENCY, p12, PASSPHRASE, organization=AGENCY, province="44")
        cert_pem.write_bytes(cert.public_bytes(Encoding.PEM))
        done.write_text(wanted)
    period = parse_period(args.year)
    with sqlite3.connect(db_path) as connection:
        year_records = connection.execute(
            "SELECT COUNT(*) FROM activity WHERE start_date BETWEEN ? AND ?",
            (period.start.isoformat(), period.end.isoformat()),
        ).fetchone()[0]
        stored = connection.execute(
            "SELECT COUNT(DISTINCT f.sha256), COALESCE(SUM(f.size), 0) FROM evidence_file f"
            " WHERE f.sha256 IN (SELECT e.sha256 FROM activity_evidence e"
            " JOIN activity a ON a.id = e.activity_id WHERE a.start_date BETWEEN ? AND ?)",
            (period.start.isoformat(), period.end.isoformat()),
        ).fetchone()
    return Setup(db_path, p12, cert_pem, year_records, stored[0], stored[1])


def _reopen(db_path: Path, year: str) -> None:
    database = open_database(db_path)
    try:
        with database.session() as session:
            state = approval.get_approval(session, year)
            if state is not None and state.locked:
                approval.reopen_period(session, APPROVER, year, "Chạy đo hiệu năng lần sau")
                state = None
            if state is None:
                approval.approve_period(session, APPROVER, year, confirm_drafts=True)
    finally:
        database.close()


def time_package(
    setup: Setup, year: str, out: Path, runs: int
) -> tuple[list[float], list[dict[str, float]], Path]:
    times: list[float] = []
    phases: list[dict[str, float]] = []
    catalog = load_catalog()
    signer = pkcs12_signer(setup.p12, PASSPHRASE)
    path = out
    for run in range(1, runs + 1):
        _reopen(setup.db_path, year)
        database = open_database(setup.db_path)
        timings: dict[str, float] = {}
        try:
            target = out / f"bench_{year}_{time.time_ns()}.zip"
            started = time.perf_counter()
            with database.session() as session:
                result = build_package(
                    session,
                    APPROVER,
                    year,
                    signer,
                    target,
                    db_path=database.path,
                    catalog=catalog,
                    timings=timings,
                )
            times.append(time.perf_counter() - started)
        finally:
            database.close()
        phases.append(timings)
        path = result.path
        print(
            f"package run {run}: {times[-1]:.2f} s, version {result.version}, "
            f"{_mb(path.stat().st_size)}",
            flush=True,
        )
    return times, phases, path


def time_verify(package: Path, cert_pem: Path, runs: int) -> list[float]:
    times = []
    for run in range(1, runs + 1):
        started = time.perf_counter()
        report = verify_package(package, registered=[cert_pem], work_dir=package.parent)
        times.append(time.perf_counter() - started)
        if not report.ok:
            raise SystemExit("the package does not verify:\n" + "\n".join(report.lines()))
        print(f"verify run {run}: {times[-1]:.2f} s, every check ok", flush=True)
    return times


def time_commands(setup: Setup, year: str, out: Path, runs: int) -> tuple[list[float], list[float]]:
    """``ctmt package`` then ``ctmt verify`` of its package, each in a new process, end to
    end (start, imports, opening the database, decrypting the PKCS#12 file…)."""
    package_times, verify_times = [], []
    environment = {**os.environ, "BENCH_PASSPHRASE": PASSPHRASE}
    command = [sys.executable, "-m", "ctmt_desktop.cli"]
    for run in range(1, runs + 1):
        _reopen(setup.db_path, year)
        target = out / f"cli_{year}_{time.time_ns()}.zip"
        started = time.perf_counter()
        subprocess.run(
            [
                *command,
                "package",
                "--db",
                str(setup.db_path),
                "--period",
                year,
                "--p12",
                str(setup.p12),
                "--passphrase-env",
                "BENCH_PASSPHRASE",
                "--out",
                str(target),
            ],
            check=True,
            env=environment,
            stdout=subprocess.DEVNULL,
        )
        package_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run(
            [*command, "verify", str(target), "--registered", str(setup.cert_pem)],
            check=True,
            env=environment,
            stdout=subprocess.DEVNULL,
        )
        verify_times.append(time.perf_counter() - started)
        print(
            f"ctmt package run {run}: {package_times[-1]:.2f} s, ctmt verify "
            f"{verify_times[-1]:.2f} s",
            flush=True,
        )
        target.unlink()
    return package_times, verify_times


def _median_of(runs: int, action: Callable[[], object]) -> float:
    action()  # warm-up: every file in the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@dataclass(frozen=True)
class Hashing:
    files: int
    size: int
    ours: float  # hash_files
    sha256sum: float


def time_hashing(package: Path, folder: Path, runs: int) -> Hashing:
    """Our hashing and ``sha256sum`` on the package's files, extracted once (warm cache)."""
    extracted = folder / "extracted"
    shutil.rmtree(extracted, ignore_errors=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(extracted)
    files = sorted(p for p in extracted.rglob("*") if p.is_file())
    names = [str(p) for p in files]
    try:
        listed = subprocess.run(["sha256sum", *names], check=True, capture_output=True, text=True)
        expected = {line[66:]: line[:64] for line in listed.stdout.splitlines()}
        if {str(p): digest for p, digest in hash_files(files).items()} != expected:
            raise SystemExit("hash_files and sha256sum disagree")
        return Hashing(
            len(files),
            sum(p.stat().st_size for p in files),
            _median_of(runs, lambda: hash_files(files)),
            _median_of(
                runs,
                lambda: subprocess.run(
                    ["sha256sum", *names], check=True, stdout=subprocess.DEVNULL
                ),
            ),
        )
    finally:
        shutil.rmtree(extracted)


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=44_000, help="demo records to generate")
    parser.add_argument("--year", default="2024", help="the period to package")
    parser.add_argument("--evidence-files", type=int, default=400)
    parser.add_argument("--evidence-mb", type=float, default=200.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folder", type=Path, help="where to set up (kept; reused next time)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    if args.folder is not None:
        folder = args.folder
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="ctmt-bench-package-"))
    os.environ.setdefault("CTMT_DATA_DIR", str(folder / "data"))
    out = folder / "out"
    try:
        setup = set_up(folder, args)
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        build_times, phases, package = time_package(setup, args.year, out, args.runs)
        verify_times = time_verify(package, setup.cert_pem, args.runs)
        hashing = time_hashing(package, folder, args.runs)
        cli_package, cli_verify = time_commands(setup, args.year, out, args.runs)
        package_size = package.stat().st_size
    finally:
        if args.folder is None and not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        elif args.folder is None:
            print(f"files kept in {folder}")

    print()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, median of {args.runs} runs")
    print(
        f"data: {setup.year_records:,} records of {args.year}, {setup.evidence_files} evidence "
        f"files of {_mb(setup.evidence_bytes)}; package {_mb(package_size)}"
    )
    print()
    print("build phases (median of the runs):")
    names = list(dict.fromkeys(name for timing in phases for name in timing))
    for name in names:
        value = statistics.median(timing.get(name, 0.0) for timing in phases)
        print(f"  {name:<28}{value:>6.2f} s")
    print()
    rows = [("scenario", "median", "min", "max", "target")]
    for name, times, target in (
        ("package (build_package)", build_times, PACKAGE_TARGET),
        ("verify (verify_package)", verify_times, VERIFY_TARGET),
        ("ctmt package, new process", cli_package, PACKAGE_TARGET),
        ("ctmt verify, new process", cli_verify, VERIFY_TARGET),
    ):
        median = statistics.median(times)
        verdict = "met" if median < target else "MISSED"
        rows.append(
            (
                name,
                f"{median:.2f} s",
                f"{min(times):.2f} s",
                f"{max(times):.2f} s",
                f"< {target:g} s {verdict}",
            )
        )
    _table(rows)
    print(
        f"(the first build_package of the process, {build_times[0]:.2f} s, also imports "
        "reportlab, pyHanko… and warms the caches)"
    )
    print()
    print(f"hashing {hashing.files} files, {_mb(hashing.size)} (warm cache, median):")
    reference = hashing.size / hashing.sha256sum
    rows = [("hasher", "median", "throughput", "of sha256sum's")]
    for name, seconds in (("hash_files", hashing.ours), ("sha256sum", hashing.sha256sum)):
        rate = hashing.size / seconds
        rows.append(
            (name, f"{seconds:.3f} s", f"{rate / 1e6:,.0f} MB/s", f"{rate / reference:.0%}")
        )
    _table(rows)
    ratio = hashing.sha256sum / hashing.ours
    print(
        f"target: at least {HASH_TARGET:.0%} of sha256sum's throughput: "
        f"{'met' if ratio >= HASH_TARGET else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
