"""Benchmark of the PDF reports: the period report of a province-year with 10,000 records and
a list report of 10,000 rows.

Usage::

    .venv/bin/python bench/bench_reports.py [--db PATH] [--records 44000] [--year 2024]
        [--list-rows 10000] [--runs 3] [--seed 1] [--keep]

Without ``--db`` a database is made in a temporary folder with :func:`generate_demo` (its
records spread over 2021–2026; 44,000 of them put about 10,000 in 2024). Each run builds the
report from the database and renders it to a file; the table shows the median of the runs.
Targets (2-core machine): period report under 2 s, list report of 10,000 rows under 1.5 s.
Only prints; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reportlab

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.kinds import kind_spec
from ctmt_desktop.reports.figures import build_list_report, build_period_report
from ctmt_desktop.reports.pdf import register_serif_family, render_list_pdf, render_period_pdf
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import RecordQuery, ordered_ids

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
PARENT = "Ủy ban nhân dân tỉnh Quảng Trị"
MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
LIST_COLUMNS = [
    "title",
    "start_date",
    "places",
    "media_type",
    "quantity",
    "quantity_unit",
    "language",
    "cost",
    "status",
]
PERIOD_TARGET, LIST_TARGET = 2.0, 1.5


@dataclass(frozen=True)
class Timing:
    build: float
    render: float
    pages: int
    size: int

    @property
    def total(self) -> float:
        return self.build + self.render


def make_database(folder: Path, records: int, seed: int) -> tuple[Path, float]:
    path = folder / "bench.sqlite3"
    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(
                session,
                ProfileData(AGENCY, "44", parent_body=PARENT, receiving_ministry=MINISTRY),
                load_catalog(),
            )
        start = time.perf_counter()
        generate_demo(database, records=records, seed=seed)
        seconds = time.perf_counter() - start
    finally:
        database.close()
    return path, seconds


def time_report(
    database: Database,
    build: Callable[[Any], Any],
    render: Callable[[Any, Path], int],
    target: Path,
) -> Timing:
    start = time.perf_counter()
    with database.session() as session:
        report = build(session)
    built = time.perf_counter()
    pages = render(report, target)
    done = time.perf_counter()
    return Timing(built - start, done - built, pages, target.stat().st_size)


def median(runs: list[Timing]) -> Timing:
    return Timing(
        statistics.median(r.build for r in runs),
        statistics.median(r.render for r in runs),
        runs[0].pages,
        runs[0].size,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing database (no data is generated)")
    parser.add_argument("--records", type=int, default=44_000, help="demo records to generate")
    parser.add_argument("--year", default="2024", help="the period of the period report")
    parser.add_argument("--list-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the folder with the PDFs")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="ctmt-bench-reports-"))
    os.environ.setdefault("CTMT_DATA_DIR", str(folder / "data"))
    catalog = load_catalog()
    try:
        if args.db is None:
            path, seconds = make_database(folder, args.records, args.seed)
            print(f"generated {args.records:,} demo records in {seconds:.1f} s")
        else:
            path = args.db
        with sqlite3.connect(path) as connection:
            year_records = connection.execute(
                "SELECT COUNT(*) FROM activity WHERE strftime('%Y', start_date) = ?",
                (args.year[:4],),
            ).fetchone()[0]
            kind, kind_records = connection.execute(
                "SELECT kind, COUNT(*) FROM activity GROUP BY kind ORDER BY 2 DESC LIMIT 1"
            ).fetchone()
        database = open_database(path)
        try:
            with database.session() as session:
                ids = ordered_ids(session, kind, RecordQuery(limit=None), catalog)[: args.list_rows]
            query = RecordQuery(ids=ids, limit=None)
            columns = [c for c in LIST_COLUMNS if c in kind_spec(kind).field_names]
            register_serif_family()  # once per process, as in the app
            period_runs, list_runs = [], []
            for _run in range(args.runs):
                period_runs.append(
                    time_report(
                        database,
                        lambda s: build_period_report(s, catalog, scope=args.year),
                        render_period_pdf,
                        folder / "period.pdf",
                    )
                )
                list_runs.append(
                    time_report(
                        database,
                        lambda s: build_list_report(s, catalog, kind, query, columns),
                        render_list_pdf,
                        folder / "list.pdf",
                    )
                )
        finally:
            database.close()
        period, listed = median(period_runs), median(list_runs)
        accel = importlib.util.find_spec("_rl_accel") is not None
        print(
            f"python {platform.python_version()}, reportlab {reportlab.Version}"
            f"{' + rl_accel' if accel else ''}, {os.cpu_count()} CPUs, "
            f"median of {args.runs} runs"
        )
        print(f"database: {path} ({kind_records:,} {kind} records in all)")
        header = (
            f"{'report':<34}{'records':>9}{'pages':>7}{'size':>9}"
            f"{'build s':>9}{'render s':>10}{'total s':>9}{'target':>8}"
        )
        print(header)
        print("-" * len(header))
        for name, rows, timing, target in (
            (f"period {args.year}", year_records, period, PERIOD_TARGET),
            (f"list of {kind}", len(ids), listed, LIST_TARGET),
        ):
            verdict = "ok" if timing.total < target else "SLOW"
            print(
                f"{name:<34}{rows:>9,}{timing.pages:>7,}{timing.size / 1e6:>8.1f}M"
                f"{timing.build:>9.2f}{timing.render:>10.2f}{timing.total:>9.2f}"
                f"{'< ' + str(target):>8} {verdict}"
            )
        if args.keep:
            print(f"PDFs kept in {folder}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
