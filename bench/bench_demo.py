"""Benchmark of the demo-data generator: time, throughput, integrity and size of the database.

Usage::

    .venv/bin/python bench/bench_demo.py [--records 100000] [--runs 3] [--seed 1]
        [--province 44] [--keep]

Each run creates a fresh database in a temporary folder, sets the agency profile, times
:func:`ctmt_desktop.demo.generate_demo`, runs ``PRAGMA integrity_check`` and measures the file.
Only prints; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.services.profile import ProfileData, set_profile

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"


@dataclass(frozen=True)
class RunResult:
    seconds: float
    counts: dict[str, int]
    integrity: str
    size_bytes: int


def run_once(folder: Path, records: int, seed: int, province: str, agency: str) -> RunResult:
    """Create a database in ``folder``, fill it with demo data and check it."""
    path = folder / "demo.sqlite3"
    catalog = load_catalog()
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(session, ProfileData(agency, province), catalog)
        start = time.perf_counter()
        counts = generate_demo(database, records=records, seed=seed)
        seconds = time.perf_counter() - start
    finally:
        database.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    integrity = "ok" if rows == [("ok",)] else "; ".join(str(row[0]) for row in rows[:5])
    size = sum(p.stat().st_size for p in folder.glob("demo.sqlite3*"))
    return RunResult(seconds, counts, integrity, size)


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", default="44", help="current province code (default 44)")
    parser.add_argument("--agency", default=AGENCY, help="agency name of the profile")
    parser.add_argument("--keep", action="store_true", help="keep the databases and print where")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    results: list[RunResult] = []
    for run in range(1, args.runs + 1):
        folder = Path(tempfile.mkdtemp(prefix="ctmt-bench-demo-"))
        result = run_once(folder, args.records, args.seed, args.province, args.agency)
        results.append(result)
        where = f"  {folder}" if args.keep else ""
        print(
            f"run {run}: {result.seconds:.2f} s, integrity {result.integrity}, "
            f"{_size(result.size_bytes)}{where}",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    times = [r.seconds for r in results]
    median = statistics.median(times)
    total = sum(results[0].counts.values())
    integrity = "ok" if all(r.integrity == "ok" for r in results) else "FAILED"
    rows = [
        ("records", f"{total:,}"),
        ("runs", str(args.runs)),
        ("median", f"{median:.2f} s"),
        ("min", f"{min(times):.2f} s"),
        ("max", f"{max(times):.2f} s"),
        ("records/s", f"{total / median:,.0f}"),
        ("integrity", integrity),
        ("DB size", _size(results[-1].size_bytes)),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()
    print("kinds: " + ", ".join(f"{kind} {count:,}" for kind, count in results[0].counts.items()))
    return 0 if integrity == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
