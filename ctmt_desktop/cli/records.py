"""``ctmt`` commands on records: init, demo, list, add, show, delete, schema."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    add_command,
    cell,
    db_option,
    db_path,
    dump_json,
    open_db,
    positive_int,
    read_json_input,
    record_kind,
    table,
    user_options,
    writing_records,
)
from ctmt_desktop.cli.messages import kind_label, t
from ctmt_desktop.db import open_database
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.kinds import KIND_CODES, FieldType, kind_spec
from ctmt_desktop.periods import parse_period


def cmd_init(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.profile import (
        ProfileData,
        check_profile,
        current_profile,
        set_profile,
    )

    catalog = load_catalog()
    path = db_path(args)
    wanted = check_profile(
        ProfileData(args.agency, args.province, args.parent_body or "", args.ministry or ""),
        catalog,
    )
    database = open_database(path)
    try:
        with database.session() as session:
            existing = current_profile(session)
            if existing is None:
                profile = set_profile(session, wanted, catalog)
                province = catalog.admin.get(profile.province_code)
                print(
                    t(
                        "Created {path} for {agency} ({province})",
                        path=path,
                        agency=profile.name,
                        province=province.name if province else "",
                    )
                )
                return EXIT_OK
            if existing.province_code != wanted.province_code:
                print(
                    t(
                        "province: {path} belongs to province {province}, not {wanted}",
                        path=path,
                        province=existing.province_code,
                        wanted=wanted.province_code,
                    ),
                    file=sys.stderr,
                )
                return EXIT_REJECTED
            if wanted.name != existing.name:
                print(
                    t(
                        "{path}: already initialised for '{agency}'; the agency name was left "
                        "unchanged",
                        path=path,
                        agency=existing.name,
                    ),
                    file=sys.stderr,
                )
    finally:
        database.close()
    if database.migrated_from:
        print(t("{path}: upgraded to the current schema; nothing else changed", path=path))
    else:
        print(t("{path}: up to date; nothing else changed", path=path))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ctmt_desktop.demo import generate_demo

    if args.records < 8:
        raise UsageError(t("--records must be at least 8 (one record of each kind)"))
    database = open_db(args)
    try:
        if not args.append:
            held = _record_count(database)
            if held:
                raise CtmtError(
                    t(
                        "{path}: the database already holds {count} record(s); demo records "
                        "would mix with them (add them all the same with --append)",
                        path=database.path,
                        count=held,
                    )
                )
        counts = generate_demo(database, records=args.records, seed=args.seed, targets=True)
    finally:
        database.close()
    summary = ", ".join(f"{kind_label(kind)} {count}" for kind, count in counts.items())
    print(t("Added {count} demo records: {summary}", count=sum(counts.values()), summary=summary))
    return EXIT_OK


def _record_count(database: Any) -> int:
    """How many records of any kind the database holds."""
    from sqlalchemy import func, select

    from ctmt_desktop.db.models import Activity

    with database.session() as session:
        return int(session.scalar(select(func.count(Activity.id))) or 0)


def _query(args: argparse.Namespace) -> Any:
    from ctmt_desktop.services.listing import RecordQuery

    period = parse_period(args.period) if args.period else None
    return RecordQuery(
        search=args.search or "",
        period=period,
        program=args.program,
        place=args.place,
        status=args.status,
        sort=args.sort,
        descending=args.descending,
        offset=0,
        limit=args.limit,
    )


def _csv_cell(value: Any) -> str:
    """A listed value for CSV: numbers as they are, any text safe from formula injection."""
    from ctmt_desktop.formatting import spreadsheet_text

    if isinstance(value, int | float) and not isinstance(value, bool):
        return cell(value)
    return spreadsheet_text(cell(value))


def _csv_rows(
    kind: str, names: list[str], records: Iterable[dict[str, Any]]
) -> Iterator[list[Any]]:
    """The CSV rows of ``records``: each value as :func:`_csv_cell` writes it.

    A listing of 100,000 records has millions of cells, so each column is treated by its
    field's type: text checked for a formula's first character, dates formatted once per
    day, whole numbers and empty cells left to the CSV writer (which writes them as
    :func:`_csv_cell` does), lists of text (the places' codes, no evidence) joined in place;
    a value of any other type goes through :func:`_csv_cell`.
    """
    from ctmt_desktop.formatting import FORMULA_FIRST

    types = {"id": FieldType.INT, **{f.name: f.type for f in kind_spec(kind).fields}}
    text = [
        i for i, name in enumerate(names) if types.get(name) in (FieldType.TEXT, FieldType.CODE)
    ]
    numbers = [
        i for i, name in enumerate(names) if types.get(name) in (FieldType.INT, FieldType.MONEY)
    ]
    dates = [i for i, name in enumerate(names) if types.get(name) is FieldType.DATE]
    others = [i for i in range(len(names)) if i not in {*text, *numbers, *dates}]
    values_of = itemgetter(*names)
    days: dict[Any, str] = {}
    for record in records:
        row = list(values_of(record)) if len(names) > 1 else [values_of(record)]
        for i in text:
            value = row[i]
            if type(value) is str:
                if value[:1] in FORMULA_FIRST:  # spreadsheet_text, inline
                    row[i] = "'" + value
            elif value is not None:
                row[i] = _csv_cell(value)
        for i in numbers:
            value = row[i]
            if value is not None and type(value) is not int:
                row[i] = _csv_cell(value)
        for i in dates:
            value = row[i]
            if value is not None:
                day = days.get(value)
                if day is None:
                    day = days[value] = _csv_cell(value)
                row[i] = day
        for i in others:
            value = row[i]
            if type(value) is list and all(type(v) is str for v in value):  # places: codes
                joined = ";".join(value)  # cell's join, then spreadsheet_text, inline
                row[i] = "'" + joined if joined[:1] in FORMULA_FIRST else joined
            else:
                row[i] = _csv_cell(value)
        yield row


def cmd_list(args: argparse.Namespace) -> int:
    # The read path, on SQLite's own connection: neither SQLAlchemy nor the ORM is imported.
    from ctmt_desktop.db import reading
    from ctmt_desktop.services.listing import count_records, list_rows, sortable_fields

    spec = kind_spec(args.kind)
    if args.sort not in sortable_fields(spec.code):
        raise UsageError(
            t(
                "--sort: {kind} records sort by {fields}",
                kind=kind_label(spec.code),
                fields=", ".join(sortable_fields(spec.code)),
            )
        )
    query = _query(args)
    catalog = load_catalog() if args.place else None  # only a place needs the catalog
    names = ["id", *spec.field_names]
    only = names if args.format == "csv" else None  # CSV shows no stamps: not read
    with reading(db_path(args)) as connection:
        if args.count:
            print(count_records(connection, spec.code, query, catalog))
            return EXIT_OK
        records = list_rows(connection, spec.code, query, catalog, only=only)
    out = sys.stdout
    if args.format == "json":
        out.write(dump_json(records) + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(names)
        writer.writerows(_csv_rows(spec.code, names, records))
        out.write(buffer.getvalue())
    else:
        key = _key_figure(spec.code)
        headers = [t("ID"), t("Start"), t("Title"), t("Places"), t("Program"), key[1], t("Status")]
        rows = [
            [
                str(r["id"]),
                cell(r["start_date"]),
                r["title"],
                r["place_names"],
                r["program"],
                cell(r.get(key[0])),
                t("draft") if r["status"] == "draft" else t("confirmed"),
            ]
            for r in records
        ]
        out.write(table(rows, headers, [None, None, 48, 28, None, None, None]) + "\n")
        out.write(t("{count} record(s)", count=len(records)) + "\n")
    return EXIT_OK


def _key_figure(kind: str) -> tuple[str, str]:
    return {
        "training": ("participants", t("Participants")),
        "event": ("participants", t("Participants")),
        "media": ("quantity", t("Quantity")),
        "cluster": ("cluster_status", t("Cluster")),
        "radio": ("hamlets_covered", t("Hamlets covered")),
        "device": ("quantity", t("Quantity")),
        "criterion": ("met", t("Met")),
        "funding": ("plan_amount", t("Plan (đồng)")),
    }[kind]


def cmd_add(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import add_records, record_context

    payload = read_json_input(args.json)
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise CtmtError(t("the JSON holds an empty list: nothing to add"))
    with writing_records(args, "edit_records") as (source, actor):
        context = record_context(source, db_path(args), user=args.user, actor=actor)
        ids = add_records(source, context, args.kind, items, allow_duplicates=args.allow_duplicate)
    added = {"count": len(ids), "kind": kind_label(args.kind), "ids": id_ranges(ids)}
    if len(ids) == 1:
        print(t("Added {count} {kind} record(s), id {ids}", **added))
    else:
        print(t("Added {count} {kind} record(s), ids {ids}", **added))
    return EXIT_OK


def id_ranges(ids: list[int]) -> str:
    """``12-14, 20``: the ids as runs of consecutive numbers (a batch is one run)."""
    runs: list[list[int]] = []
    for record_id in sorted(ids):
        if runs and record_id == runs[-1][1] + 1:
            runs[-1][1] = record_id
        else:
            runs.append([record_id, record_id])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def cmd_show(args: argparse.Namespace) -> int:
    from ctmt_desktop.db import reading
    from ctmt_desktop.errors import NotFoundError
    from ctmt_desktop.services.comments import record_comments_read
    from ctmt_desktop.services.listing import read_records

    with reading(db_path(args)) as connection:  # as get_record gives it, without the ORM
        found = read_records(connection, args.kind, [args.id])
        if found:  # the ministry's comments on the record, from its receipts
            comments = record_comments_read(connection, args.kind, args.id)
            found[0]["ministry_comments"] = [comment.to_dict() for comment in comments]
    if not found:
        raise NotFoundError(
            t("no {kind} record with id {id}", kind=kind_label(args.kind), id=args.id)
        )
    print(dump_json(found[0]))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import delete_record

    with writing_records(args, "edit_records") as (source, actor):
        delete_record(source, args.kind, args.id, actor=actor, user=args.user)
    print(t("Deleted {kind} record {id}", kind=kind_label(args.kind), id=args.id))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ctmt_desktop.schema import record_schema

    print(dump_json(record_schema(args.kind, load_catalog())))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add the records commands to ``commands`` (the subparsers of ``ctmt``)."""
    sub = add_command(commands, "init", cmd_init, t("create or upgrade a database for an agency"))
    db_option(sub)
    sub.add_argument(
        "--province",
        required=True,
        metavar="CODE",
        help=t("statistics-office province code, e.g. 44 for Quảng Trị"),
    )
    sub.add_argument("--agency", required=True, metavar="NAME", help=t("the agency's name"))
    sub.add_argument("--parent-body", metavar="NAME", help=t("the agency's parent body"))
    sub.add_argument("--ministry", metavar="NAME", help=t("the ministry that receives reports"))

    sub = add_command(
        commands, "demo", cmd_demo, t("add realistic demo records for the database's province")
    )
    db_option(sub)
    sub.add_argument("--records", type=positive_int, default=2000, metavar="N")
    sub.add_argument("--seed", type=int, default=1, metavar="S")
    sub.add_argument(
        "--append",
        action="store_true",
        help=t("add the demo records to a database that already holds records (refused otherwise)"),
    )

    sub = add_command(commands, "list", cmd_list, t("list records of a kind"))
    sub.add_argument("kind", type=record_kind, metavar="KIND", help=", ".join(KIND_CODES))
    db_option(sub)
    sub.add_argument("--search", metavar="TEXT", help=t("words to find; diacritics are ignored"))
    sub.add_argument("--period", metavar="P", help="2024, 2024-H1, 2024-Q3…")
    sub.add_argument("--program", metavar="CODE", help=t("program node (its sub-nodes included)"))
    sub.add_argument("--place", metavar="CODE", help=t("administrative unit code"))
    sub.add_argument("--status", choices=["draft", "confirmed"])
    sub.add_argument("--sort", default="start_date", metavar="FIELD")
    sub.add_argument("--descending", action="store_true")
    sub.add_argument("--limit", type=positive_int, default=None, metavar="N")
    sub.add_argument("--format", choices=["table", "json", "csv"], default="table")
    sub.add_argument(
        "--count", action="store_true", help=t("print only how many records match (no --limit)")
    )

    sub = add_command(
        commands, "add", cmd_add, t("add one record or a list of records (all or nothing)")
    )
    sub.add_argument("kind", type=record_kind, metavar="KIND")
    db_option(sub)
    sub.add_argument("--json", required=True, metavar="FILE", help=t("JSON file, or - for stdin"))
    sub.add_argument(
        "--allow-duplicate",
        action="store_true",
        help=t("add even when a record looks like a duplicate"),
    )
    user_options(sub, t("adding"))

    for name, handler, text in (
        ("show", cmd_show, t("print one record as JSON")),
        ("delete", cmd_delete, t("delete one record")),
    ):
        sub = add_command(commands, name, handler, text)
        sub.add_argument("kind", type=record_kind, metavar="KIND")
        sub.add_argument("id", type=positive_int, metavar="ID")
        db_option(sub)
        if name == "delete":
            user_options(sub, t("deleting"))

    sub = add_command(
        commands, "schema", cmd_schema, t("print the JSON Schema of the records 'add' accepts")
    )
    sub.add_argument("kind", type=record_kind, metavar="KIND")
