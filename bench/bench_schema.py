"""Benchmark: the package's own compiled JSON Schema check against ``fastjsonschema``.

    .venv/bin/python bench/bench_schema.py [--db PATH] [--records 44000] [--year 2024] [--runs 7]

The records document of a year (``records.json`` as ``build_package`` writes it; a demo
database of ``--records`` records, seed 1, is built in a temporary folder unless ``--db``),
checked against the records schema by :func:`ctmt_desktop.package.build.fast_records_check`
(our compiler of the schema's keywords into closures) and by ``fastjsonschema`` (which
generates Python source and compiles it). Both must accept it and refuse the same document
with one wrong value. Prints, with the record count: each one's compile time (paid once per
process: ``ctmt package`` and ``ctmt verify`` are new processes) and the median check time.
``fastjsonschema`` is not a dependency: ``.venv/bin/pip install fastjsonschema`` to compare.
Only prints; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ctmt_desktop.catalog import load_catalog  # noqa: E402
from ctmt_desktop.db import open_database  # noqa: E402
from ctmt_desktop.package import build  # noqa: E402
from ctmt_desktop.periods import parse_period  # noqa: E402
from ctmt_desktop.reports.figures import Agency  # noqa: E402

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"


def document(db: Path, year: str) -> dict[str, Any]:
    database = open_database(db, exclusive=False)
    try:
        with database.session() as session:
            return build.records_document(
                session,
                parse_period(year),
                package_id="00000000-0000-4000-8000-000000000000",
                version=1,
                supersedes=None,
                agency=Agency(
                    name=AGENCY,
                    parent_body="Ủy ban nhân dân tỉnh Quảng Trị",
                    province_code="44",
                    province_name="Quảng Trị",
                    receiving_ministry="Bộ Văn hóa, Thể thao và Du lịch",
                ),
                catalog_version=load_catalog().version,
                created_at=datetime(2026, 12, 1, 8, 0, 0),
            )
    finally:
        database.close()


def median_of(check: Callable[[], bool], runs: int) -> tuple[float, bool]:
    samples, answer = [], False
    for _ in range(runs):
        began = time.perf_counter()
        answer = check()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples), answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--records", type=int, default=44_000)
    parser.add_argument("--year", default="2024")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    db = args.db
    if db is None:
        from ctmt_desktop.demo import generate_demo
        from ctmt_desktop.services.profile import ProfileData, set_profile

        db = Path(tempfile.mkdtemp(prefix="ctmt-bench-schema-")) / "demo.sqlite3"
        database = open_database(db)
        with database.session() as session:
            set_profile(session, ProfileData(AGENCY, "44"), load_catalog())
        generate_demo(database, records=args.records, seed=1)
        database.close()
    records = document(db, args.year)
    wrong = copy.deepcopy(records)
    wrong["records"][len(wrong["records"]) // 2]["title"] = 5
    schema = build.records_schema()
    rows = []

    began = time.perf_counter()
    ours = build._Compiler(schema).compile(schema)
    compiled = time.perf_counter() - began
    took, valid = median_of(lambda: ours(records), args.runs)
    assert valid and not ours(wrong)
    rows.append(("build._Compiler (ours)", compiled, took))

    try:
        import fastjsonschema
    except ImportError:
        fastjsonschema = None
    if fastjsonschema is not None:
        began = time.perf_counter()
        theirs = fastjsonschema.compile(schema)
        compiled = time.perf_counter() - began

        def judged(document: dict[str, Any]) -> bool:
            try:
                theirs(document)
            except fastjsonschema.JsonSchemaException:
                return False
            return True

        took, valid = median_of(lambda: judged(records), args.runs)
        assert valid and not judged(wrong)
        rows.append((f"fastjsonschema {fastjsonschema.VERSION}", compiled, took))

    print(f"records.json of {args.year}: {len(records['records']):,} records")
    for name, compiled, took in rows:
        print(
            f"{name:28}  compile {compiled * 1000:7.1f} ms  check {took:.3f} s (median of "
            f"{args.runs})  total in a new process {compiled + took:.3f} s"
        )
    if fastjsonschema is None:
        print("fastjsonschema is not installed: .venv/bin/pip install fastjsonschema")


if __name__ == "__main__":
    main()
