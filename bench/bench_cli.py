"""Benchmark: the ``ctmt`` command line against SQLite's own, side by side (issue 15).

    .venv/bin/python bench/bench_cli.py [--sizes 1000,10000,100000] [--runs 5] [--folder DIR]

Set-up (not timed): demo databases of each size (``generate_demo``, seed 1, province 44),
kept in ``--folder`` and reused when they are there; a 50-record one too.

Timed, ``--runs`` times each after one warm-up run (the median is printed), every run a new
process, end to end, output to a pipe that is read to the end:

* the folded search: ``ctmt list training --search "thong tin" --format csv`` against the
  ``sqlite3`` command line running the same query (the same join of ``activity`` and
  ``training``, the places of each record, the same ``instr`` on the folded search key, the
  same order) in CSV mode;
* a plain listing: ``ctmt list media --format csv`` (every record of the largest kind, by
  start date) against the same;
* a count: ``ctmt list training --search "thong tin" --count`` against ``SELECT count(*)``.

Each pair must give the same number of rows. The ratio is ctmt's median over sqlite3's.
When the ``sqlite3`` program is absent (Debian: ``apt-get install sqlite3``) a new Python
process running the query with the ``sqlite3`` module stands in for it, and the table says
so. Then every common command on the 50-record database: its median wall time, the
writing ones (``ctmt add`` of one record, ``ctmt delete`` of a record it added) among them.

The processes run with bytecode caches written (as an installed app has them: pip and the
frozen build compile every module), so ``PYTHONDONTWRITEBYTECODE`` is removed from their
environment. Targets (2-core machine): the search at most 4 x the sqlite3 figure; any
command on 50 records under 0.3 s. Only prints; no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ctmt_desktop.kinds import FieldType, kind_spec  # noqa: E402
from ctmt_desktop.text import fold  # noqa: E402

AGENCY = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
SEARCH = "thong tin"
SEARCH_TARGET, SMALL_TARGET = 4.0, 0.3
#: Keys of a listed record that ``ctmt add`` does not take.
READ_ONLY = ("id", "met", "place_names", "created_at", "created_by", "updated_at", "updated_by")


def ctmt_command() -> list[str]:
    """The ``ctmt`` console script beside this Python, else ``python -m ctmt_desktop.cli``."""
    script = Path(sys.executable).with_name("ctmt")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ctmt_desktop.cli"]


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CTMT_DATA_DIR"] = str(folder / "data")
    return env


def build(path: Path, records: int) -> None:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.db import open_database
    from ctmt_desktop.demo import generate_demo
    from ctmt_desktop.services.profile import ProfileData, set_profile

    database = open_database(path)
    try:
        with database.session() as session:
            set_profile(session, ProfileData(AGENCY, "44"), load_catalog())
        generate_demo(database, records=records, seed=1)
    finally:
        database.close()


def listing_sql(kind: str, words: str = "") -> str:
    """What ``ctmt list KIND [--search WORDS]`` reads, as one statement: every column of the
    kind, its places joined in order, the folded words matched, by start date then id."""
    spec = kind_spec(kind)
    columns = ["a.id"]
    for field in spec.fields:
        if field.type is FieldType.PLACES:
            columns.append(
                "(SELECT group_concat(unit_code, ';') FROM (SELECT unit_code FROM activity_place"
                " p WHERE p.activity_id = a.id ORDER BY p.position)) AS places"
            )
        elif field.type is FieldType.EVIDENCE:
            columns.append(
                "(SELECT group_concat(name, ';') FROM (SELECT name FROM activity_evidence e"
                " WHERE e.activity_id = a.id ORDER BY e.name)) AS evidence"
            )
        else:
            table = "k" if field.name in {f.name for f in spec.specific_fields} else "a"
            columns.append(f"{table}.{field.name}")
    where = [f"a.kind = '{spec.code}'"]
    where += [f"instr(a.search_key, '{word}') > 0" for word in fold(words).split()]
    return (
        f"SELECT {', '.join(columns)} FROM activity a JOIN {spec.code} k ON k.id = a.id "
        f"WHERE {' AND '.join(where)} ORDER BY a.start_date, a.id;"
    )


def count_sql(kind: str, words: str) -> str:
    where = [f"a.kind = '{kind}'"]
    where += [f"instr(a.search_key, '{word}') > 0" for word in fold(words).split()]
    return f"SELECT count(*) FROM activity a WHERE {' AND '.join(where)};"


_PYTHON_SQLITE = """
import csv, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
cursor = connection.execute(sys.argv[2])
writer = csv.writer(sys.stdout)
if cursor.description and len(cursor.description) > 1:
    writer.writerow([column[0] for column in cursor.description])
writer.writerows(cursor)
"""


def sqlite_command(db: Path, sql: str) -> tuple[list[str], str | None]:
    """(argv, standard input) running ``sql`` on ``db`` with CSV output and a header."""
    program = shutil.which("sqlite3")
    if program:
        header = ".headers on\n" if not sql.startswith("SELECT count(") else ""
        return [program, str(db)], f".mode csv\n{header}{sql}\n"
    return [sys.executable, "-c", _PYTHON_SQLITE, str(db), sql], None


def timed(
    argv: Sequence[str], env: dict[str, str], stdin: str | None, runs: int
) -> tuple[list[float], str]:
    samples: list[float] = []
    output = ""
    for run in range(runs + 1):  # the first run warms the caches and is not counted
        began = time.perf_counter()
        done = subprocess.run(
            list(argv), input=stdin, capture_output=True, text=True, env=env, check=False
        )
        elapsed = time.perf_counter() - began
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
        output = done.stdout
        if run:
            samples.append(elapsed)
    return samples, output


def data_rows(output: str) -> int:
    rows = list(csv.reader(io.StringIO(output)))
    if len(rows) == 1 and len(rows[0]) == 1:  # a count
        return int(rows[0][0])
    return max(len(rows) - 1, 0)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def compare(folder: Path, sizes: Sequence[int], runs: int) -> list[tuple[str, ...]]:
    env = environment(folder)
    ctmt = ctmt_command()
    lines: list[tuple[str, ...]] = []
    for size in sizes:
        db = folder / f"demo-{size}.sqlite3"
        if not db.exists():
            print(f"building {db.name} …", flush=True)
            build(db, size)
        cases = [
            (
                f'search "{SEARCH}" (training, CSV)',
                ["list", "training", "--search", SEARCH, "--format", "csv"],
                listing_sql("training", SEARCH),
            ),
            (
                "plain listing (media, CSV)",
                ["list", "media", "--format", "csv"],
                listing_sql("media"),
            ),
            (
                f'count of "{SEARCH}" (training)',
                ["list", "training", "--search", SEARCH, "--count"],
                count_sql("training", SEARCH),
            ),
        ]
        for name, arguments, sql in cases:
            ours, our_output = timed([*ctmt, *arguments, "--db", str(db)], env, None, runs)
            argv, stdin = sqlite_command(db, sql)
            theirs, their_output = timed(argv, env, stdin, runs)
            rows = data_rows(our_output)
            if rows != data_rows(their_output):
                raise SystemExit(
                    f"{name} at {size:,}: ctmt gave {rows} rows, sqlite3 {data_rows(their_output)}"
                )
            mine, base = statistics.median(ours), statistics.median(theirs)
            lines.append(
                (
                    name,
                    f"{size:,}",
                    f"{rows:,}",
                    f"{mine:.3f} s",
                    f"{base:.3f} s",
                    f"{mine / base:.1f} x",
                )
            )
            print(" | ".join(lines[-1]), flush=True)
    return lines


def small_commands(folder: Path, runs: int) -> list[tuple[str, ...]]:
    env = environment(folder)
    ctmt = ctmt_command()
    db = folder / "demo-50.sqlite3"
    if not db.exists():
        build(db, 50)
    import sqlite3

    from ctmt_desktop.services.listing import ordered_ids, read_records

    with sqlite3.connect(db) as connection:
        first = ordered_ids(connection, "training")[0]
        record = read_records(connection, "training", [first])[0]
    for name in READ_ONLY:  # what ``ctmt add`` takes: the record as listed, less its stamps
        record.pop(name, None)
    source = folder / "record.json"
    source.write_text(json.dumps(record, ensure_ascii=False, default=str), encoding="utf-8")
    commands = [
        ["--version"],
        ["list", "training", "--db", str(db)],
        ["list", "training", "--format", "csv", "--db", str(db)],
        ["list", "training", "--search", SEARCH, "--count", "--db", str(db)],
        ["show", "training", str(first), "--db", str(db)],
        ["schema", "training"],
        ["add", "training", "--json", str(source), "--allow-duplicate", "--db", str(db)],
    ]
    lines = []
    for arguments in commands:
        samples, _ = timed([*ctmt, *arguments], env, None, runs)
        shown = " ".join("PATH" if a.startswith(str(folder)) else a for a in arguments)
        lines.append(
            (f"ctmt {shown}", f"{statistics.median(samples):.3f} s", f"max {max(samples):.3f} s")
        )
        print(" | ".join(lines[-1]), flush=True)
    # a second write command: each run deletes one of the records the ``add`` runs made
    with sqlite3.connect(db) as connection:
        added = [row[0] for row in connection.execute(
            "SELECT id FROM activity WHERE kind = 'training' ORDER BY id DESC LIMIT ?", (runs + 1,)
        )]  # fmt: skip
    samples = []
    for run, record_id in enumerate(added):  # the first run warms the caches, not counted
        elapsed = _run_once([*ctmt, "delete", "training", str(record_id), "--db", str(db)], env)
        if run:
            samples.append(elapsed)
    if samples:
        lines.append(
            ("ctmt delete training ID --db PATH (an added record)",
             f"{statistics.median(samples):.3f} s", f"max {max(samples):.3f} s")
        )  # fmt: skip
        print(" | ".join(lines[-1]), flush=True)
    # writing commands of periods: approve a year with no records, then reopen it, each run
    approvals: list[float] = []
    reopenings: list[float] = []
    for run in range(runs + 1):  # the first run warms the caches, not counted
        for argv, samples in (
            ([*ctmt, "approve", "--period", "2030", "--db", str(db)], approvals),
            ([*ctmt, "reopen", "--period", "2030", "--reason", "bench", "--db", str(db)],
             reopenings),
        ):  # fmt: skip
            elapsed = _run_once(argv, env)
            if run:
                samples.append(elapsed)
    for text, samples in (
        ("ctmt approve --period 2030 --db PATH", approvals),
        ("ctmt reopen --period 2030 --reason TEXT --db PATH", reopenings),
    ):
        lines.append((text, f"{statistics.median(samples):.3f} s", f"max {max(samples):.3f} s"))
        print(" | ".join(lines[-1]), flush=True)
    return lines


def _run_once(argv: list[str], env: dict[str, str]) -> float:
    """Run a writing command once; its wall time (a failure stops the bench)."""
    began = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()}")
    return elapsed


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    every = [headers, *rows]
    widths = [max(len(row[i]) for row in every) for i in range(len(headers))]
    out = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in every]
    out.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the databases here")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="ctmt-bench-cli-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    baseline = "sqlite3 CLI" if shutil.which("sqlite3") else "Python sqlite3 (no sqlite3 CLI)"
    print(f"load before: {load()}")
    compared = compare(folder, sizes, args.runs)
    small = small_commands(folder, args.runs)
    print()
    print(table(compared, ["query", "records", "rows", "ctmt", baseline, "ratio"]))
    print(f"target: the search at most {SEARCH_TARGET:.0f} x {baseline}")
    print()
    print(table(small, ["command on a 50-record database", "median", ""]))
    print(f"target: under {SMALL_TARGET} s")
    print(f"({args.runs} runs each after a warm-up, new processes; load after: {load()}; "
          f"databases in {folder})")  # fmt: skip


if __name__ == "__main__":
    main()
