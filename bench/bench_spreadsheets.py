"""Benchmark of the Excel export and the validated Excel import.

Usage::

    .venv/bin/python bench/bench_spreadsheets.py [--export-records 100000]
        [--import-records 10000] [--runs 3] [--seed 1] [--province 44] [--keep]

Set-up (not timed): demo databases of ``--export-records`` and ``--import-records`` records
made by :func:`ctmt_desktop.demo.generate_demo` (every kind, through the one write path), and
an export of the smaller one, which is the workbook to import.

Timed, ``--runs`` times each (the median is reported):

* export: :func:`export_records` of every kind of the large database to a new file;
* import: :func:`import_workbook` of the import workbook (all sheets) into a fresh database
  with the same profile, committed; the run checks that every row arrived.

Targets (2-core machine): export of 100,000 rows under 8 s, import of 10,000 rows under 5 s.
Only prints; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.kinds import KIND_CODES
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import record_context
from ctmt_desktop.spreadsheets.export import export_records
from ctmt_desktop.spreadsheets.importer import import_workbook

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
EXPORT_TARGET = 8.0
IMPORT_TARGET = 5.0


@dataclass(frozen=True)
class Measure:
    name: str
    rows: int
    seconds: list[float]
    size_bytes: int
    target: float

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MiB"


def _database(path: Path, province: str) -> Database:
    database = open_database(path)
    with database.session() as session:
        set_profile(session, ProfileData(AGENCY, province), load_catalog())
    return database


def _demo(path: Path, records: int, seed: int, province: str) -> Database:
    started = time.perf_counter()
    database = _database(path, province)
    generate_demo(database, records=records, seed=seed)
    print(f"set-up: {records:,} demo records in {time.perf_counter() - started:.1f} s", flush=True)
    return database


def _export(database: Database, target: Path) -> int:
    with database.session() as session:
        return export_records(session, load_catalog(), target, kinds=list(KIND_CODES)).total


def measure_export(folder: Path, database: Database, runs: int) -> Measure:
    times, rows, size = [], 0, 0
    for run in range(1, runs + 1):
        target = folder / f"export-{run}.xlsx"
        started = time.perf_counter()
        rows = _export(database, target)
        times.append(time.perf_counter() - started)
        size = target.stat().st_size
        print(f"export run {run}: {times[-1]:.2f} s, {rows:,} rows, {_size(size)}", flush=True)
        target.unlink()
    return Measure("export", rows, times, size, EXPORT_TARGET)


def measure_import(folder: Path, workbook: Path, runs: int, province: str) -> Measure:
    times, rows = [], 0
    for run in range(1, runs + 1):
        database = _database(folder / f"import-{run}.sqlite3", province)
        try:
            started = time.perf_counter()
            with database.session() as session:
                context = record_context(session, database.path)
                result = import_workbook(session, context, workbook)
            times.append(time.perf_counter() - started)
            rows = result.total
        finally:
            database.close()
        print(f"import run {run}: {times[-1]:.2f} s, {rows:,} rows", flush=True)
    return Measure("import", rows, times, workbook.stat().st_size, IMPORT_TARGET)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export-records", type=int, default=100_000)
    parser.add_argument("--import-records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", default="44", help="current province code (default 44)")
    parser.add_argument("--keep", action="store_true", help="keep the files and print where")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    folder = Path(tempfile.mkdtemp(prefix="ctmt-bench-xlsx-"))
    try:
        large = _demo(folder / "large.sqlite3", args.export_records, args.seed, args.province)
        try:
            exported = measure_export(folder, large, args.runs)
        finally:
            large.close()
        small = _demo(folder / "small.sqlite3", args.import_records, args.seed, args.province)
        workbook = folder / "to-import.xlsx"
        try:
            _export(small, workbook)
        finally:
            small.close()
        imported = measure_import(folder, workbook, args.runs, args.province)
    finally:
        if args.keep:
            print(f"files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    print()
    header = ("scenario", "rows", "file", "median", "min", "max", "rows/s", "target")
    table = [header]
    for item in (exported, imported):
        verdict = "met" if item.median < item.target else "MISSED"
        table.append(
            (
                item.name,
                f"{item.rows:,}",
                _size(item.size_bytes),
                f"{item.median:.2f} s",
                f"{min(item.seconds):.2f} s",
                f"{max(item.seconds):.2f} s",
                f"{item.rows / item.median:,.0f}",
                f"< {item.target:g} s {verdict}",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
