"""``ctmt ministry ACTION``: the ministry's national store from the command line.

Every action takes ``--store URL`` (a SQLite file path, ``sqlite:///PATH`` or
``postgresql+psycopg://user@host/db``; default: ``national.sqlite3`` in the user data folder)
and ``--user NAME`` (who acts, for the store's audit trail; default: the login name).
Exit codes as everywhere: 0 done, 1 refused input (each problem named), 2 usage.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import sys
from pathlib import Path
from typing import Any

from ctmt_desktop.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    add_command,
    dump_json,
    identity_options,
    open_signer,
    positive_int,
    record_kind,
    table,
)
from ctmt_desktop.cli.messages import t

FORMATS = ("table", "json", "csv")


def _user(args: argparse.Namespace) -> str:
    return args.user or getpass.getuser()


def _store(args: argparse.Namespace, *, create: bool = False) -> Any:
    from ctmt_desktop.ministry.store import open_store

    return open_store(args.store, create=create)


def _csv_text(rows: list[list[Any]], headers: list[str]) -> str:
    """CSV whose text cells a spreadsheet shows as text (OWASP: no formula runs)."""
    from ctmt_desktop.cli.common import cell
    from ctmt_desktop.formatting import spreadsheet_text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [value if isinstance(value, int) else spreadsheet_text(cell(value)) for value in row]
        )
    return buffer.getvalue()


# --- actions -----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from ctmt_desktop.ministry.store import init_store

    store = _store(args, create=True)
    try:
        changed = init_store(store, args.name, user=_user(args))
        if changed:
            print(t("national store ready: {store}", store=store.display))
        else:
            print(t("unchanged: {store}", store=store.display))
    finally:
        store.close()
    return EXIT_OK


def cmd_register(args: argparse.Namespace) -> int:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.registry import register_signer
    from ctmt_desktop.signing.identity import format_fingerprint

    catalog = load_catalog()
    store = _store(args)
    try:
        with store.session() as session:
            signer, new = register_signer(
                session,
                catalog,
                province=args.province,
                certificate=args.cert,
                fingerprint=args.fingerprint,
                trust_roots=args.trust or [],
                user=_user(args),
            )
    finally:
        store.close()
    unit = catalog.admin.get(signer.province_code)
    registered = {
        "holder": signer.holder,
        "province": f"{signer.province_code} {unit.name if unit else ''}".strip(),
        "method": t("printed form") if signer.method == "form" else t("CA chain"),
        "start": f"{signer.not_before:%d/%m/%Y}",
        "end": f"{signer.not_after:%d/%m/%Y}",
        "fingerprint": format_fingerprint(signer.fingerprint),
    }
    if new:
        print(
            t(
                "registered: {holder} for {province} ({method}), valid {start} to {end}, SHA-256 "
                "{fingerprint}",
                **registered,
            )
        )
    else:
        print(
            t(
                "registered already: {holder} for {province} ({method}), valid {start} to {end}, "
                "SHA-256 {fingerprint}",
                **registered,
            )
        )
    return EXIT_OK


def cmd_signers(args: argparse.Namespace) -> int:
    from ctmt_desktop.ministry.registry import list_signers

    store = _store(args)
    try:
        with store.session() as session:
            signers = list_signers(session, args.province)
    finally:
        store.close()
    headers = ["province", "holder", "method", "valid_from", "valid_to", "fingerprint"]
    rows = [
        [
            s.province_code,
            s.holder,
            s.method,
            s.not_before.date(),
            s.not_after.date(),
            s.fingerprint,
        ]
        for s in signers
    ]
    return _print(args, headers, rows, [s.__dict__ for s in signers])


def cmd_receive(args: argparse.Namespace) -> int:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.intake import receive

    for source in args.sources:
        if not Path(source).exists():
            raise UsageError(t("{path}: no such file or folder", path=source))
    catalog = load_catalog()
    store = _store(args)
    try:
        results = receive(
            store, args.sources, user=_user(args), catalog=catalog, trust_roots=args.trust or []
        )
    finally:
        store.close()
    if not results:
        print(t("no package found (NAME.zip or NAME.zip.001…)"), file=sys.stderr)
        return EXIT_REJECTED
    refused = 0
    for result in results:
        line = result.line(catalog)
        if result.ok:
            print(line)
        else:
            refused += 1
            print(line, file=sys.stderr)
    return EXIT_REJECTED if refused else EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.status import status_matrix

    catalog = load_catalog()
    store = _store(args)
    try:
        with store.session() as session:
            matrix = status_matrix(session, catalog, [args.period], province=args.province)
    finally:
        store.close()
    (period,) = matrix.periods
    cells = matrix.column(period)
    if args.format == "json":
        print(dump_json([cell.to_dict() for cell in cells]))
        return EXIT_OK
    headers = ["province", "name", "state", "version", "signed", "received", "records", "signer"]
    rows = [
        [
            c.province,
            c.province_name,
            c.state,
            c.version,
            c.signing_time.strftime("%d/%m/%Y") if c.signing_time else "",
            c.received_at.strftime("%d/%m/%Y") if c.received_at else "",
            c.record_count or "",
            c.signer or ("; ".join(r.get("check", "") for r in c.reasons) if c.reasons else ""),
        ]
        for c in cells
    ]
    if args.format == "csv":
        sys.stdout.write(_csv_text(rows, headers))
        return EXIT_OK
    text_rows = [["" if v is None else str(v) for v in r] for r in rows]
    print(table(text_rows, headers, [None, None, None, None, None, None, None, 60]))
    totals = matrix.totals(period)
    print(
        t(
            "{period}: received {received}/{expected} ({rate}%), on time {on_time}, late "
            "{late}, refused {refused}, missing {missing}",
            period=period,
            **totals,
        )
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from ctmt_desktop.ministry.records import NationalRecordQuery, list_national_records

    store = _store(args)
    try:
        with store.session() as session:
            rows = list_national_records(
                session,
                NationalRecordQuery(
                    args.kind,
                    province=args.province,
                    period=args.period,
                    search=args.search or "",
                    limit=args.limit,
                ),
            )
    finally:
        store.close()
    headers = ["province", "id", "start_date", "title", "program", "place_names"]
    table_rows = [[r.get(h, "") for h in headers] for r in rows]
    return _print(args, headers, table_rows, rows)


def cmd_report(args: argparse.Namespace) -> int:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.report import write_national_report

    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".xlsx"):
        raise UsageError(t("{name}: the report is written as .pdf or .xlsx", name=out.name))
    catalog = load_catalog()
    store = _store(args)
    try:
        with store.session() as session:
            path, report = write_national_report(session, catalog, args.period, out)
    finally:
        store.close()
    reported = report.table("status").rows
    received = sum(1 for row in reported if row.get("records") is not None)
    print(
        t(
            "national report of {period} ({received}/{expected} provinces): {path}",
            period=args.period,
            received=received,
            expected=len(reported),
            path=path,
        )
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from ctmt_desktop.ministry.demo import build_demo
    from ctmt_desktop.paths import user_data_dir

    store = _store(args, create=True)
    try:
        # The provinces' databases and packages go beside a store file (else the data folder).
        beside = Path(store.display).parent if store.is_sqlite else user_data_dir()
        folder = Path(tempfile.mkdtemp(prefix="ministry-demo-", dir=beside))
        result = build_demo(
            store,
            folder,
            provinces=args.provinces,
            period=args.period,
            records=args.records,
            user=_user(args),
            progress=lambda text: print(f"  {text}", file=sys.stderr, flush=True),
        )
        for item in result.results:
            print(item.line())
        print(
            t(
                "demo national desk: {store} (provinces' files in {folder})",
                store=store.display,
                folder=folder,
            )
        )
    finally:
        store.close()
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.review import parse_record_comment, review_current

    comments = [parse_record_comment(text) for text in args.record_comment or []]
    seen: set[str] = set()
    for reference, _ in comments:
        if reference in seen:
            raise UsageError(t("--record-comment {reference}: given twice", reference=reference))
        seen.add(reference)
    catalog = load_catalog()
    store = _store(args)
    try:
        with store.session() as session:
            result = review_current(
                session,
                args.province,
                args.period,
                args.state,
                user=_user(args),
                comment=args.comment or "",
                record_comments=comments,
            )
    finally:
        store.close()
    info = result.submission
    unit = catalog.admin.get(info.province_code)
    name = f"{info.province_code} {unit.name}" if unit else info.province_code
    reviewed = {
        "name": name,
        "period": info.period,
        "version": info.version,
        "state": info.review_state,
        "comments": len(info.record_comments),
    }
    if result.changed:
        print(
            t(
                "reviewed: {name} {period} v{version}: {state}, {comments} record comment(s) "
                "(ctmt ministry receipts writes the receipt)",
                **reviewed,
            )
        )
    else:
        print(
            t(
                "unchanged: {name} {period} v{version}: {state}, {comments} record comment(s) "
                "(ctmt ministry receipts writes the receipt)",
                **reviewed,
            )
        )
    return EXIT_OK


def cmd_receipts(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ctmt_desktop.ministry.receipts import batch_summary, write_receipts

    store = _store(args)
    try:
        with ExitStack() as stack:
            signer = open_signer(args, stack)
            written = write_receipts(
                store,
                Path(args.out),
                signer,
                user=_user(args),
                period=args.period,
                province=args.province,
            )
    finally:
        store.close()
    for item in written:
        print(item.line())
    print(f"{batch_summary(written)} in {args.out}")  # the service's English, whole
    return EXIT_OK


def cmd_catalog_sign(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ctmt_desktop.ministry.catalog_sign import sign_catalog
    from ctmt_desktop.signing.identity import format_fingerprint

    with ExitStack() as stack:
        signer = open_signer(args, stack)
        result = sign_catalog(Path(args.source), Path(args.out), signer)
    print(
        t(
            "signed catalog version {version}: {path} ({size} bytes), by {signer}, SHA-256 "
            "{fingerprint}",
            version=result.version,
            path=result.path,
            size=result.size,
            signer=result.signer,
            fingerprint=format_fingerprint(result.fingerprint),
        )
    )
    return EXIT_OK


def _print(args: argparse.Namespace, headers: list[str], rows: list[list[Any]], data: Any) -> int:
    if args.format == "json":
        print(dump_json(data))
    elif args.format == "csv":
        sys.stdout.write(_csv_text(rows, headers))
    else:
        widths: list[int | None] = [None] * len(headers)
        print(table([["" if v is None else str(v) for v in r] for r in rows], headers, widths))
    return EXIT_OK


# --- the parser --------------------------------------------------------------------------------
def _common(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--store",
        metavar="URL",
        help=t(
            "the national store: a SQLite file, sqlite:///PATH or "
            "postgresql+psycopg://user@host/db (default: national.sqlite3 in the user data folder)"
        ),
    )
    sub.add_argument("--user", metavar="NAME", help=t("who acts (default: the login name)"))


def _format(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--format", choices=FORMATS, default="table")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``ctmt ministry ACTION`` to ``commands`` (the subparsers of ``ctmt``)."""
    group = commands.add_parser(
        "ministry",
        help=t(
            "the ministry's national store: receive packages, who has reported, national report"
        ),
        description=t("The ministry's side: a national store of the provinces' signed packages."),
    )
    actions = group.add_subparsers(dest="ministry_action", required=True, metavar="ACTION")

    sub = add_command(actions, "init", cmd_init, t("create or upgrade the national store, name it"))
    _common(sub)
    sub.add_argument("--name", required=True, help=t("the ministry (or its department)"))

    sub = add_command(
        actions, "register", cmd_register, t("register a province's signing certificate")
    )
    _common(sub)
    sub.add_argument("--province", required=True, metavar="CODE", help=t("province code (44…)"))
    sub.add_argument("--cert", required=True, metavar="FILE.pem", help=t("the certificate"))
    sub.add_argument(
        "--fingerprint",
        metavar="HEX",
        help=t(
            "SHA-256 typed from the registration form (colons and case ignored); required for "
            "a self-issued certificate"
        ),
    )
    sub.add_argument(
        "--trust", action="append", metavar="ROOT.pem", help=t("a CA root (CA-issued certificates)")
    )

    sub = add_command(actions, "signers", cmd_signers, t("list the registered certificates"))
    _common(sub)
    sub.add_argument("--province", metavar="CODE")
    _format(sub)

    sub = add_command(
        actions,
        "receive",
        cmd_receive,
        t(
            "receive packages (zips, numbered parts, folders); one line per package; exit 1 if any "
            "is refused"
        ),
    )
    _common(sub)
    sub.add_argument("--trust", action="append", metavar="ROOT.pem", help=t("a trusted CA root"))
    sub.add_argument("sources", nargs="+", metavar="FILE_OR_DIR")

    sub = add_command(actions, "status", cmd_status, t("who has reported for a period"))
    _common(sub)
    sub.add_argument("--period", required=True, metavar="P", help=t("2025, 2025-H1…"))
    sub.add_argument("--province", metavar="CODE", help=t("one province only"))
    _format(sub)

    sub = add_command(actions, "list", cmd_list, t("records received (current versions)"))
    _common(sub)
    sub.add_argument("kind", type=record_kind, metavar="KIND")
    sub.add_argument("--province", metavar="CODE")
    sub.add_argument("--period", metavar="P")
    sub.add_argument("--search", metavar="TEXT", help=t("words, diacritics ignored"))
    sub.add_argument("--limit", type=positive_int, metavar="N")
    _format(sub)

    sub = add_command(
        actions, "report", cmd_report, t("the national consolidated report (PDF or Excel forms)")
    )
    _common(sub)
    sub.add_argument("--period", required=True, metavar="P", help=t("a period or a phase"))
    sub.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx")

    sub = add_command(
        actions,
        "review",
        cmd_review,
        t(
            "review the current submission of a province's period: its state, a general comment "
            "and comments on records (replacing the ones before)"
        ),
    )
    _common(sub)
    sub.add_argument("--province", required=True, metavar="CODE")
    sub.add_argument("--period", required=True, metavar="P")
    sub.add_argument("--state", required=True, choices=("accepted", "has_issues", "rejected"))
    sub.add_argument("--comment", metavar="TEXT", help=t("the general comment"))
    sub.add_argument(
        "--record-comment",
        action="append",
        metavar="ID=TEXT",
        help=t("a comment on one record, by its id in the package (or KIND/ID); repeatable"),
    )

    sub = add_command(
        actions,
        "receipts",
        cmd_receipts,
        t(
            "write the signed receipt of every matching package received, accepted or refused, "
            "into one folder (NAME.zip.receipt.json and .p7s)"
        ),
    )
    _common(sub)
    sub.add_argument("--out", required=True, metavar="DIR")
    sub.add_argument("--period", metavar="P")
    sub.add_argument("--province", metavar="CODE")
    identity_options(sub)

    sub = add_command(
        actions,
        "catalog-sign",
        cmd_catalog_sign,
        t("sign a catalog update for the provinces (one .p7m file carrying the catalog)"),
    )
    sub.add_argument("--in", dest="source", required=True, metavar="catalog.json")
    sub.add_argument("--out", required=True, metavar="FILE.json.p7m")
    identity_options(sub)

    sub = add_command(
        actions,
        "demo",
        cmd_demo,
        t("build provinces' demo packages, register their identities and receive them"),
    )
    _common(sub)
    sub.add_argument("--provinces", type=positive_int, default=12, metavar="N")
    sub.add_argument("--period", default="2025", metavar="P")
    sub.add_argument("--records", type=positive_int, default=300, metavar="N")
