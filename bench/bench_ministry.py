"""Benchmark of the ministry's national store, on SQLite and PostgreSQL side by side.

Usage::

    .venv/bin/python bench/bench_ministry.py [--provinces 34] [--records 10000] [--runs 3]
        [--folder DIR] [--no-postgresql] [--skip-all]

Set-up (not timed; kept and reused in ``--folder``): ``--provinces`` provinces' databases
with about ``--records`` demo records each in 2025 (``make_province``), each year 2025
approved and packaged, signed by the province's registered self-issued identity (no
evidence files). A throwaway PostgreSQL server (``tests/pgserver.py``) is started for the
PostgreSQL rows and stopped at the end.

Timed (medians of ``--runs`` unless said):

* receive one province-year package (all checks, then stored) into a new store;
* receive every province's package into a new store (one run);
* the status matrix of 34 provinces over 20 periods (the store filled with 20 periods'
  submissions: the received year's, and clones of it for 19 half years);
* the national report of 2025 as PDF over a store of ``--provinces`` × 5 years of records
  (the received year's records, cloned into 2021–2024 with their dates moved): with every
  province's figures computed (the figures cache emptied before each run), and with the
  figures kept from the run before (what staff see after the intake computed them).

Targets (issue "Ministry desk", 2-core machine): one package under 3 s into SQLite and under
5 s into PostgreSQL; 34 packages under 2 minutes; the matrix under 200 ms; the report over
1.7 million records under 10 s. Only prints.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import func, select, text  # noqa: E402

from ctmt_desktop.catalog import load_catalog  # noqa: E402
from ctmt_desktop.ministry.demo import demo_provinces, make_province  # noqa: E402
from ctmt_desktop.ministry.intake import receive  # noqa: E402
from ctmt_desktop.ministry.models import NationalRecord  # noqa: E402
from ctmt_desktop.ministry.registry import register_signer  # noqa: E402
from ctmt_desktop.ministry.report import write_national_report  # noqa: E402
from ctmt_desktop.ministry.status import status_matrix  # noqa: E402
from ctmt_desktop.ministry.store import Store, init_store, open_store  # noqa: E402

YEAR = 2025
PERIOD = str(YEAR)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def prepare(folder: Path, provinces: int, records: int) -> list[tuple[str, Path, Path, str]]:
    """(code, package, certificate, fingerprint) per province, made once in ``folder``."""
    catalog = load_catalog()
    out = []
    start = datetime(YEAR, 1, 1, tzinfo=UTC)
    for code in demo_provinces(catalog, provinces):
        done = folder / f"p{code}" / "ready"
        inbox = folder / f"p{code}" / "out"
        if done.exists():
            package = next(inbox.glob("*.zip"))
            pem = folder / f"p{code}" / f"province-{code}.pem"
            out.append((code, package, pem, done.read_text().strip()))
            continue
        began = time.perf_counter()
        kit = make_province(
            folder / f"p{code}",
            code,
            catalog=catalog,
            records=records * 4,
            seed=int(code),
            since=start,
            identity_from=start - timedelta(days=30),
        )
        inbox.mkdir(parents=True, exist_ok=True)
        package = kit.package(PERIOD, inbox, signed_at=datetime(YEAR, 11, 20, tzinfo=UTC))
        done.write_text(kit.fingerprint)
        print(f"  set-up {code}: {package.name}, {time.perf_counter() - began:.1f} s", flush=True)
        out.append((code, package, kit.certificate_pem, kit.fingerprint))
    return out


def new_store(url: str, kits: list[tuple[str, Path, Path, str]]) -> Store:
    catalog = load_catalog()
    store = open_store(url)
    init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="bench")
    with store.session() as session:
        for code, _package, pem, fingerprint in kits:
            register_signer(
                session,
                catalog,
                province=code,
                certificate=pem,
                fingerprint=fingerprint,
                user="bench",
            )
    return store


def _records(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(NationalRecord)) or 0)


def _clone_periods(store: Store, periods: list[str]) -> None:
    """Copies of the received year's submissions (without records) for other periods."""
    with store.session() as session:
        for number, period in enumerate(periods, start=1):
            session.execute(
                text(
                    "INSERT INTO submission (package_id, province_code, province, period, "
                    "period_start, period_end, version, supersedes, state, sender, "
                    "signer_fingerprint, signer_subject, signing_time, created_at, received_at, "
                    "received_by, source_name, tagmanifest_sha256, catalog_version, "
                    "record_count, evidence_count, counts, review_state, review_comment, "
                    "reviewed_at, reviewed_by) SELECT package_id || :suffix, province_code, "
                    "province, :period, period_start, period_end, version, supersedes, state, "
                    "sender, signer_fingerprint, signer_subject, signing_time, created_at, "
                    "received_at, received_by, source_name, tagmanifest_sha256, "
                    "catalog_version, record_count, evidence_count, counts, review_state, "
                    "review_comment, reviewed_at, reviewed_by FROM submission WHERE period = "
                    ":year"
                ),
                {"suffix": f"-c{number}", "period": period, "year": PERIOD},
            )


def _clone_years(store: Store, years: list[int]) -> None:
    """The received year's submissions and records, copied into earlier years."""
    postgres = not store.is_sqlite
    with store.session() as session:
        for year in years:
            shift = YEAR - year
            session.execute(
                text(
                    "INSERT INTO submission (package_id, province_code, province, period, "
                    "period_start, period_end, version, supersedes, state, sender, "
                    "signer_fingerprint, signer_subject, signing_time, created_at, received_at, "
                    "received_by, source_name, tagmanifest_sha256, catalog_version, "
                    "record_count, evidence_count, counts, review_state, review_comment, "
                    "reviewed_at, reviewed_by) SELECT package_id || :suffix, province_code, "
                    "province, :period, :start, :end, version, supersedes, state, sender, "
                    "signer_fingerprint, signer_subject, signing_time, created_at, received_at, "
                    "received_by, source_name, tagmanifest_sha256, catalog_version, "
                    "record_count, evidence_count, counts, review_state, review_comment, "
                    "reviewed_at, reviewed_by FROM submission WHERE period = :year"
                ),
                {
                    "suffix": f"-y{year}",
                    "period": str(year),
                    "start": datetime(year, 1, 1).date(),
                    "end": datetime(year, 12, 31).date(),
                    "year": PERIOD,
                },
            )
            moved = (
                f"start_date - interval '{shift} year'"
                if postgres
                else f"date(start_date, '-{shift} years')"
            )
            session.execute(
                text(
                    "INSERT INTO national_record (submission_id, province, kind, record_id, "
                    "program, title, start_date, year, search_key, place_names, "
                    f"data) SELECT nw.id, r.province, r.kind, r.record_id + {year} * 1000000, "
                    f"r.program, r.title, {moved.replace('start_date', 'r.start_date')}, "
                    "CASE WHEN r.year IS NULL THEN NULL ELSE r.year - :shift END, "
                    "r.search_key, r.place_names, "
                    "REPLACE(REPLACE(r.data, :from_date, :to_date), :from_year, :to_year) "
                    "FROM national_record r JOIN submission old ON old.id = r.submission_id "
                    "JOIN submission nw ON nw.package_id = old.package_id || :suffix "
                    "WHERE old.period = :year"
                ),
                {
                    "shift": shift,
                    "suffix": f"-y{year}",
                    "year": PERIOD,
                    "from_date": f'"{YEAR}-',
                    "to_date": f'"{year}-',
                    "from_year": f'"year":{YEAR}',
                    "to_year": f'"year":{year}',
                },
            )


def run(
    url: str,
    label: str,
    kits: list[tuple[str, Path, Path, str]],
    args: argparse.Namespace,
    fresh: Callable[[], str],
) -> dict[str, str]:
    catalog = load_catalog()
    rows: dict[str, str] = {}
    one = []
    for _ in range(args.runs):
        store = new_store(fresh(), kits)
        one.append(_time(lambda s=store: receive(s, [kits[0][1]], user="b", catalog=catalog)))
        store.close()
    rows["receive one package"] = f"{_median(one):.2f} s ({', '.join(f'{t:.2f}' for t in one)})"
    store = new_store(url, kits)
    if not args.skip_all:
        elapsed = _time(lambda: receive(store, [k[1] for k in kits], user="b", catalog=catalog))
        rows[f"receive {len(kits)} packages"] = f"{elapsed:.1f} s"
    else:
        receive(store, [k[1] for k in kits], user="b", catalog=catalog)
    received = _records(store)
    periods = [f"{y}-{half}" for y in range(2016, YEAR + 1) for half in ("H1", "H2")]
    _clone_periods(store, periods[:19])
    all_periods = [PERIOD, *periods[:19]]
    with store.session() as session:
        times = [_time(lambda s=session: status_matrix(s, catalog, all_periods)) for _ in range(5)]
    rows["status matrix 34 × 20 periods"] = f"{_median(times) * 1000:.0f} ms"
    _clone_years(store, [2021, 2022, 2023, 2024])
    total = _records(store)
    out = Path(tempfile.mkdtemp()) / "national.pdf"
    for label_, cold in (("figures computed", True), ("figures kept", False)):
        report_times = []
        for _ in range(args.runs):
            out.unlink(missing_ok=True)
            if cold:
                with store.session() as session:
                    session.execute(text("DELETE FROM figures_cache"))
            with store.session() as session:
                report_times.append(
                    _time(lambda s=session: write_national_report(s, catalog, PERIOD, out))
                )
        rows[f"national report {PERIOD} PDF ({label_}), {total:,} records"] = (
            f"{_median(report_times):.2f} s"
        )
    store.close()
    print(f"{label}: {received:,} records received", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--no-postgresql", action="store_true")
    parser.add_argument("--skip-all", action="store_true", help="skip receiving all at once")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-ministry-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"set-up in {folder}", flush=True)
    kits = prepare(folder, args.provinces, args.records)
    for path in folder.glob("store-*.sqlite3*"):  # left by an interrupted run
        path.unlink()
    counter = iter(range(10_000))

    def fresh_sqlite() -> str:
        return f"sqlite:///{folder / f'store-{next(counter)}.sqlite3'}"

    results = {"SQLite": run(fresh_sqlite(), "SQLite", kits, args, fresh_sqlite)}
    for path in folder.glob("store-*.sqlite3*"):
        path.unlink()
    if not args.no_postgresql:
        import pgserver
        import psycopg

        server = pgserver.start()
        try:

            def fresh_pg() -> str:
                name = f"bench{next(counter)}"
                with psycopg.connect(server.url.replace("+psycopg", ""), autocommit=True) as c:
                    c.execute(f"CREATE DATABASE {name}")
                return server.url.rsplit("/", 1)[0] + f"/{name}"

            results["PostgreSQL"] = run(fresh_pg(), "PostgreSQL", kits, args, fresh_pg)
        finally:
            server.stop()
    print()
    print(
        f"{args.provinces} provinces, about {args.records:,} records each in {PERIOD}; "
        f"medians of {args.runs} runs"
    )
    names = list(next(iter(results.values())))
    width = max(len(n) for n in names)
    print(f"{'':{width}}  " + "  ".join(f"{label:>24}" for label in results))
    for name in names:
        cells = [results[label].get(name, "") for label in results]
        print(f"{name:{width}}  " + "  ".join(f"{cell:>24}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
