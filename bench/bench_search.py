"""Benchmark: folded search and sorted page listing over 100,000 records of one kind.

    .venv/bin/python bench/bench_search.py [--records 100000] [--runs 15] [--db PATH]

Builds (once, or reuses ``--db``) a database whose training kind holds ``--records`` records
through the real write path, then times what the window and ``ctmt list`` do: a search
(count + first page of 100) and one page of 100 rows sorted by title / start date at
several offsets. Prints medians with the data size. Targets (issue 2): search < 30 ms,
one page < 20 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.db import open_database
from ctmt_desktop.kinds import kind_spec
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.services.records import (
    RecordQuery,
    count_records,
    insert_validated,
    list_records,
    load_records,
    ordered_ids,
    page_records,
    record_context,
    validate_batch,
)

TOPICS = [
    "kỹ năng thông tin cơ sở",
    "tuyên truyền giảm nghèo đa chiều",
    "chuyển đổi số cấp xã",
    "vận hành đài truyền thanh ứng dụng CNTT - viễn thông",
    "thông tin đối ngoại vùng biên giới",
    "nghiệp vụ báo cáo viên",
    "kỹ năng truyền thông chính sách dân tộc",
]
QUERIES = [
    "duc",
    "lao bao",
    "tap huan",
    "truyen thanh",
    "huong",
    "chuyen doi so",
    "thong tin doi ngoai bien gioi",
    "xyz khong co",
]


def build(path: Path, records: int, seed: int = 7) -> None:
    catalog = load_catalog()
    database = open_database(path)
    rng = random.Random(seed)
    communes = [u for u in catalog.admin.communes("44")]
    legacy = [u for u in catalog.admin.communes("44", legacy=True)]
    with database.session() as session:
        set_profile(
            session, ProfileData("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị", "44"), catalog
        )
    with database.session() as session:
        context = record_context(session, path, user="bench", catalog=catalog)
        batch = []
        for number in range(records):
            start = date(2021, 1, 1) + timedelta(days=rng.randrange(0, 365 * 5 + 200))
            if start >= date(2025, 12, 20):
                start = date(2025, 12, 1) if start < date(2026, 1, 1) else start
            program = "MTQG26.TT.DT" if start.year >= 2026 else "GNBV21.DA6.TDA1.ND1"
            place = rng.choice(communes if start >= date(2025, 7, 1) else legacy)
            participants = rng.randint(30, 150)
            batch.append(
                {
                    "program": program,
                    "title": f"Lớp tập huấn {rng.choice(TOPICS)} tại {place.name} số {number}",
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.randint(0, 3)),
                    "places": [place.code],
                    "funding_source": rng.choice(["NSTW", "NSDP"]),
                    "days": rng.randint(1, 4),
                    "participants": participants,
                    "participants_female": participants * rng.randint(30, 60) // 100,
                    "cost": rng.randint(30, 150) * 1_000_000,
                }
            )
        spec = kind_spec("training")
        for first in range(0, len(batch), 5000):
            clean = validate_batch(
                session, context, "training", batch[first : first + 5000], allow_duplicates=True
            )
            insert_validated(session, context, spec, clean)
    database.close()


def timed(action, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path, help="reuse (or build once into) this database")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "bench.sqlite3"
    if not path.exists():
        began = time.perf_counter()
        build(path, args.records)
        print(
            f"built {args.records:,} training records in {time.perf_counter() - began:.1f} s "
            f"({path.stat().st_size / 1e6:.0f} MB)"
        )
    catalog = load_catalog()
    database = open_database(path)
    rows: list[tuple[str, int, float, float]] = []
    with database.session() as session:
        total = count_records(session, "training")
        for text in QUERIES:
            query = RecordQuery(search=text, sort="title", limit=100)

            def search(query: RecordQuery = query) -> None:
                page_records(session, "training", query, catalog)  # count + first page

            found = page_records(session, "training", query, catalog).total
            samples = timed(search, args.runs)
            rows.append(
                (
                    f"search '{text}' ({found:,} found)",
                    total,
                    statistics.median(samples),
                    max(samples),
                )
            )
        for sort in ("title", "start_date", "places"):
            for offset in (0, total // 2, max(total - 100, 0)):
                query = RecordQuery(sort=sort, offset=offset, limit=100)
                samples = timed(
                    lambda q=query: list_records(session, "training", q, catalog), args.runs
                )
                rows.append(
                    (
                        f"page of 100 sorted by {sort} at offset {offset:,}",
                        total,
                        statistics.median(samples),
                        max(samples),
                    )
                )
        for sort in ("title", "start_date"):
            query = RecordQuery(sort=sort)
            samples = timed(lambda q=query: ordered_ids(session, "training", q, catalog), args.runs)
            rows.append(
                (
                    f"all ids sorted by {sort} (table model refresh)",
                    total,
                    statistics.median(samples),
                    max(samples),
                )
            )
        ids = ordered_ids(session, "training", RecordQuery(sort="title"), catalog)
        for offset in (0, total // 2, max(total - 100, 0)):
            page = ids[offset : offset + 100]
            samples = timed(lambda p=page: load_records(session, "training", p), args.runs)
            rows.append(
                (
                    f"load page of 100 by ids at row {offset:,}",
                    total,
                    statistics.median(samples),
                    max(samples),
                )
            )
        query = RecordQuery(period=parse_period("2024-H1"), sort="title", limit=100)
        samples = timed(lambda: list_records(session, "training", query, catalog), args.runs)
        rows.append(
            (
                "page of 100 in period 2024-H1 sorted by title",
                total,
                statistics.median(samples),
                max(samples),
            )
        )
    database.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'scenario'.ljust(width)}  {'records':>8}  {'median ms':>9}  {'max ms':>7}")
    for name, size, median, worst in rows:
        print(f"{name.ljust(width)}  {size:>8,}  {median:>9.1f}  {worst:>7.1f}")
    searches = [median for name, _, median, _ in rows if name.startswith("search")]
    pages = [median for name, _, median, _ in rows if name.startswith("page of 100 sorted")]
    print(f"({args.runs} runs each)")
    print(
        f"median over the {len(searches)} searches: {statistics.median(searches):.1f} ms "
        f"(target < 30 ms); slowest sorted page: {max(pages):.1f} ms (target < 20 ms)"
    )


if __name__ == "__main__":
    main()
