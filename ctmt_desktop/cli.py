"""The ``ctmt`` command line.

Exit codes: 0 success, 1 rejected input (one line per problem on stderr), 2 usage error.
Every subcommand that touches data takes ``--db PATH`` (default: the user's database).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ctmt_desktop import __version__
from ctmt_desktop.catalog import CatalogError, install_catalog, load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.errors import CtmtError, ValidationError
from ctmt_desktop.kinds import KIND_CODES, kind_spec
from ctmt_desktop.paths import default_db_path
from ctmt_desktop.periods import PeriodError, parse_period

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments found after argparse (exit 2)."""


# --- output helpers ----------------------------------------------------------------------------
def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, list):
        return ";".join(_cell(v) if not isinstance(v, dict) else v.get("name", "") for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={_cell(v)}" for k, v in value.items())
    return str(value)


def _table(rows: list[list[str]], headers: list[str], widths: Sequence[int | None]) -> str:
    def fit(text: str, width: int | None) -> str:
        if width is None or len(text) <= width:
            return text
        return text[: width - 1] + "…"

    cells = [[fit(c, w) for c, w in zip(row, widths, strict=True)] for row in [headers, *rows]]
    sizes = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)


# --- database access ------------------------------------------------------------------------
def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def _open(args: argparse.Namespace) -> Database:
    return open_database(_db_path(args), create=False)


def _read_json_input(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise CtmtError(f"{source}: cannot read the file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise CtmtError(f"{source}: not UTF-8 text") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = "standard input" if source == "-" else source
        raise CtmtError(
            f"{where}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def _actor(session: Any, args: argparse.Namespace, permission: str | None = None) -> Any:
    """Who acts, for databases with accounts: ``--user`` logged in with the password from
    the environment variable ``--password-env`` (default ``CTMT_PASSWORD``).

    Databases without accounts (created before any was made) keep the login name and no
    role checks. Returns the Actor, or None for such databases.
    """
    import os

    from ctmt_desktop.accounts import authenticate, has_accounts, require

    if not has_accounts(session):
        return None
    user = getattr(args, "user", None)
    if not user:
        raise CtmtError("--user: this database has accounts; say who you are with --user NAME")
    variable = getattr(args, "password_env", None) or "CTMT_PASSWORD"
    password = os.environ.get(variable)
    if password is None:
        raise CtmtError(
            f"--user: put the password of '{user}' in the environment variable {variable}"
        )
    actor = authenticate(session, user, password).actor
    if permission is not None:
        require(actor, permission)
    return actor


# --- commands -----------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.profile import (
        ProfileData,
        check_profile,
        current_profile,
        set_profile,
    )

    catalog = load_catalog()
    path = _db_path(args)
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
                print(f"Created {path} for {profile.name} ({province.name if province else ''})")
                return EXIT_OK
            if existing.province_code != wanted.province_code:
                print(
                    f"province: {path} belongs to province {existing.province_code}, "
                    f"not {wanted.province_code}",
                    file=sys.stderr,
                )
                return EXIT_REJECTED
            if wanted.name != existing.name:
                print(
                    f"{path}: already initialised for '{existing.name}'; the agency name "
                    "was left unchanged",
                    file=sys.stderr,
                )
    finally:
        database.close()
    state = "upgraded to the current schema" if database.migrated_from else "up to date"
    print(f"{path}: {state}; nothing else changed")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from ctmt_desktop.demo import generate_demo

    if args.records < 8:
        raise UsageError("--records must be at least 8 (one record of each kind)")
    database = _open(args)
    try:
        counts = generate_demo(database, records=args.records, seed=args.seed)
    finally:
        database.close()
    summary = ", ".join(f"{kind} {count}" for kind, count in counts.items())
    print(f"Added {sum(counts.values())} demo records: {summary}")
    return EXIT_OK


def _query(args: argparse.Namespace) -> Any:
    from ctmt_desktop.services.records import RecordQuery

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


def cmd_list(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import list_records, record_to_dict, sortable_fields

    spec = kind_spec(args.kind)
    if args.sort not in sortable_fields(spec.code):
        raise UsageError(
            f"--sort: {spec.code} records sort by " + ", ".join(sortable_fields(spec.code))
        )
    query = _query(args)
    catalog = load_catalog()
    database = _open(args)
    try:
        with database.session() as session:
            records = [record_to_dict(r) for r in list_records(session, spec.code, query, catalog)]
    finally:
        database.close()
    out = sys.stdout
    if args.format == "json":
        out.write(_dump_json(records) + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        names = ["id", *spec.field_names]
        writer = csv.writer(buffer)
        writer.writerow(names)
        for record in records:
            writer.writerow([_cell(record.get(name)) for name in names])
        out.write(buffer.getvalue())
    else:
        key = _key_figure(spec.code)
        headers = ["ID", "Start", "Title", "Places", "Program", key[1], "Status"]
        rows = [
            [
                str(r["id"]),
                _cell(r["start_date"]),
                r["title"],
                r["place_names"],
                r["program"],
                _cell(r.get(key[0])),
                r["status"],
            ]
            for r in records
        ]
        out.write(_table(rows, headers, [None, None, 48, 28, None, None, None]) + "\n")
        out.write(f"{len(records)} record(s)\n")
    return EXIT_OK


def _key_figure(kind: str) -> tuple[str, str]:
    return {
        "training": ("participants", "Participants"),
        "event": ("participants", "Participants"),
        "media": ("quantity", "Quantity"),
        "cluster": ("cluster_status", "Cluster"),
        "radio": ("hamlets_covered", "Hamlets covered"),
        "device": ("quantity", "Quantity"),
        "criterion": ("met", "Met"),
        "funding": ("plan_amount", "Plan (đồng)"),
    }[kind]


def cmd_add(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import add_records, record_context

    payload = _read_json_input(args.json)
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise CtmtError("the JSON holds an empty list: nothing to add")
    database = _open(args)
    try:
        with database.session() as session:
            actor = _actor(session, args, "edit_records")
            context = record_context(session, database.path, user=args.user, actor=actor)
            ids = add_records(
                session, context, args.kind, items, allow_duplicates=args.allow_duplicate
            )
    finally:
        database.close()
    print(f"Added {len(ids)} {args.kind} record(s): " + ", ".join(str(i) for i in ids))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import get_record

    database = _open(args)
    try:
        with database.session() as session:
            record = get_record(session, args.kind, args.id)
    finally:
        database.close()
    print(_dump_json(record))
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import delete_record

    database = _open(args)
    try:
        with database.session() as session:
            actor = _actor(session, args, "edit_records")
            delete_record(session, args.kind, args.id, actor=actor, user=args.user)
    finally:
        database.close()
    print(f"Deleted {args.kind} record {args.id}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from ctmt_desktop.schema import record_schema

    print(_dump_json(record_schema(args.kind, load_catalog())))
    return EXIT_OK


def _output_format(out: str) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UsageError(f"--out: {out} must end in .pdf or .xlsx")
    return suffix[1:]


def cmd_report(args: argparse.Namespace) -> int:
    from ctmt_desktop.reports import figures, pdf
    from ctmt_desktop.services.indicators import parse_scope
    from ctmt_desktop.spreadsheets.export import export_period_forms, export_records

    fmt = _output_format(args.out)
    if args.form == "list" and not args.kind:
        raise UsageError("--form list needs --kind")
    if args.form == "criterion" and fmt == "xlsx":
        raise UsageError("the criterion report is printed as PDF; use --out FILE.pdf")
    scope = parse_scope(args.period)  # rejects bad periods before anything is written
    catalog = load_catalog()
    database = _open(args)
    try:
        with database.session() as session:
            if args.form == "period":
                report = figures.build_period_report(
                    session, catalog, scope=scope.code, program=args.program
                )
                if fmt == "pdf":
                    pages = pdf.render_period_pdf(report, Path(args.out))
                else:
                    export_period_forms(report, Path(args.out))
            elif args.form == "list":
                query = _scope_query(scope, args.program)
                if fmt == "pdf":
                    listing = figures.build_list_report(
                        session, catalog, args.kind, query, figures.default_list_columns(args.kind)
                    )
                    pages = pdf.render_list_pdf(listing, Path(args.out))
                else:
                    export_records(session, catalog, Path(args.out), kinds=[args.kind], query=query)
            else:
                profile_province = _province(session)
                criterion = figures.build_criterion_report(
                    session, catalog, profile_province, scope.end.year
                )
                pages = pdf.render_criterion_pdf(criterion, Path(args.out))
    finally:
        database.close()
    what = f"{pages} page(s)" if fmt == "pdf" else "workbook"
    print(f"Wrote {args.out} ({what})")
    return EXIT_OK


def _scope_query(scope: Any, program: str | None) -> Any:
    """Records starting within a scope (a period or a phase) under ``program``."""
    from ctmt_desktop.periods import Period
    from ctmt_desktop.services.records import RecordQuery

    return RecordQuery(
        period=Period(scope.code, scope.start, scope.end), program=program, limit=None
    )


def _province(session: Any) -> str:
    from ctmt_desktop.services.profile import current_profile

    profile = current_profile(session)
    if profile is None:
        raise CtmtError("the database has no agency profile yet; run 'ctmt init' first")
    return profile.province_code


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.indicators import parse_scope
    from ctmt_desktop.services.records import RecordQuery
    from ctmt_desktop.spreadsheets.export import export_records

    if _output_format(args.out) != "xlsx":
        raise UsageError("--out: the export is an Excel workbook; use FILE.xlsx")
    query = _scope_query(parse_scope(args.period), None) if args.period else RecordQuery(limit=None)
    kinds = [args.kind] if args.kind else list(KIND_CODES)
    catalog = load_catalog()
    database = _open(args)
    try:
        with database.session() as session:
            result = export_records(session, catalog, Path(args.out), kinds=kinds, query=query)
    finally:
        database.close()
    counts = ", ".join(f"{kind} {count}" for kind, count in result.counts.items())
    print(f"Wrote {result.path}: {result.total} record(s) ({counts})")
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import record_context
    from ctmt_desktop.spreadsheets.importer import import_workbook

    database = _open(args)
    try:
        with database.session() as session:
            actor = _actor(session, args, "import")
            context = record_context(session, database.path, user=args.user, actor=actor)
            if not args.dry_run:
                from ctmt_desktop.backup import create_backup

                create_backup(database.path, reason="before-import")
            result = import_workbook(
                session,
                context,
                Path(args.file),
                args.kind,
                dry_run=args.dry_run,
                allow_duplicates=args.allow_duplicate,
            )
            if args.dry_run:
                session.rollback()
    finally:
        database.close()
    counts = ", ".join(f"{kind} {count}" for kind, count in result.counts.items())
    verb = "Would add" if args.dry_run else "Added"
    print(f"{verb} {sum(result.counts.values())} record(s) from {args.file}: {counts}")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from ctmt_desktop.spreadsheets.templates import write_template

    if _output_format(args.out) != "xlsx":
        raise UsageError("--out: the template is an Excel workbook; use FILE.xlsx")
    province = None
    if args.db:
        database = _open(args)
        try:
            with database.session() as session:
                province = _province(session)
        finally:
            database.close()
    path = write_template(args.kind, Path(args.out), load_catalog(), province=province)
    print(f"Wrote the {args.kind} import template to {path}")
    return EXIT_OK


def _approver(session: Any, args: argparse.Namespace, permission: str) -> Any:
    """The Actor for approving or signing: the logged-in ``--user`` on databases with
    accounts; on databases without accounts the login name, acting as approver."""
    import getpass

    from ctmt_desktop.accounts import Actor

    actor = _actor(session, args, permission)
    return actor or Actor(getattr(args, "user", None) or getpass.getuser(), "approver")


def _secret(variable: str | None, what: str) -> str | None:
    import os

    if not variable:
        return None
    value = os.environ.get(variable)
    if value is None:
        raise CtmtError(f"{what}: the environment variable {variable} is not set")
    return value


def cmd_identity(args: argparse.Namespace) -> int:
    from ctmt_desktop.signing.identity import (
        create_self_issued,
        fingerprint_sha256,
        format_fingerprint,
        registration_form_pdf,
    )

    passphrase = _secret(args.passphrase_env, "--passphrase-env")
    if passphrase is None:
        raise UsageError("--passphrase-env VAR: the PKCS#12 file must be protected by a passphrase")
    certificate = create_self_issued(
        args.name,
        Path(args.out),
        passphrase,
        key_type=args.key,
        organization=args.organization or "",
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    certificate_file = Path(args.out).with_suffix(".pem")
    certificate_file.write_bytes(certificate.public_bytes(Encoding.PEM))
    print(f"Wrote {args.out} and its certificate {certificate_file} (to register and verify)")
    print(f"SHA-256 fingerprint: {format_fingerprint(fingerprint_sha256(certificate))}")
    if args.form:
        from ctmt_desktop.reports.figures import Agency

        agency = Agency(args.organization or args.name, "", "", "", "")
        if args.db:
            database = _open(args)
            try:
                with database.session() as session:
                    from ctmt_desktop.services.profile import current_profile

                    profile = current_profile(session)
                    if profile is not None:
                        unit = load_catalog().admin.get(profile.province_code)
                        agency = Agency(
                            profile.name,
                            profile.parent_body,
                            profile.province_code,
                            unit.name if unit else "",
                            profile.receiving_ministry,
                        )
            finally:
                database.close()
        registration_form_pdf(certificate, agency, Path(args.form))
        print(f"Wrote the registration form {args.form}")
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.approval import approve_period

    period = parse_period(args.period)
    database = _open(args)
    try:
        with database.session() as session:
            approval = approve_period(session, _approver(session, args, "approve"), period)
    finally:
        database.close()
    print(f"Approved {period.code} ({approval.approved_by})")
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.approval import reopen_period

    period = parse_period(args.period)
    database = _open(args)
    try:
        with database.session() as session:
            reopen_period(session, _approver(session, args, "reopen"), period, args.reason)
    finally:
        database.close()
    print(f"Reopened {period.code}: its records can be edited; approve it again to package")
    return EXIT_OK


def _size(text: str) -> int:
    """``20M``, ``512K``, ``1.5G`` or a number of bytes."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:I?B)?\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size (e.g. 20M, 512K, 10000000)")
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2)]
    return int(float(match.group(1)) * factor)


def cmd_package(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ctmt_desktop.package.build import build_package
    from ctmt_desktop.signing.identity import pkcs11_signer, pkcs12_signer

    period = parse_period(args.period)
    if bool(args.p12) == bool(args.pkcs11_module):
        raise UsageError("give either --p12 FILE or --pkcs11-module LIB --token-label LABEL")
    if args.pkcs11_module and not args.token_label:
        raise UsageError("--pkcs11-module needs --token-label")
    database = _open(args)
    try:
        with ExitStack() as stack:
            if args.p12:
                signer = pkcs12_signer(
                    Path(args.p12), _secret(args.passphrase_env, "--passphrase-env")
                )
            else:
                signer = stack.enter_context(
                    pkcs11_signer(
                        args.pkcs11_module, args.token_label, _secret(args.pin_env, "--pin-env")
                    )
                )
            with database.session() as session:
                result = build_package(
                    session,
                    _approver(session, args, "sign"),
                    period,
                    signer,
                    Path(args.out),
                    db_path=database.path,
                    max_part_size=args.max_part_size,
                )
    finally:
        database.close()
    for part in result.parts:
        print(f"Wrote {part}")
    info = result.info
    print(
        f"Package {result.package_id} version {info.version} of {period.code}"
        + (f", supersedes {info.supersedes}" if info.supersedes else "")
    )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ctmt_desktop.package.verify import verify_package
    from ctmt_desktop.signing.identity import load_certificates

    roots = [cert for path in args.trust for cert in load_certificates(Path(path))]
    registered = [cert for path in args.registered for cert in load_certificates(Path(path))]
    files = [Path(f) for f in args.file]
    report = verify_package(files if len(files) > 1 else files[0], roots, registered)
    if args.format == "json":
        print(_dump_json(report.to_dict()))
    else:
        for line in report.lines():
            print(line)
    if not report.ok:
        failed = ", ".join(check.name for check in report.failed)
        print(f"verification failed: {failed}", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from ctmt_desktop.backup import create_backup

    path = _db_path(args)
    open_database(path, create=False).close()  # refuse a missing or foreign file first
    info = create_backup(path, reason="manual", out=Path(args.out) if args.out else None)
    print(
        f"Backed up {info.records} records and {info.evidence_files} evidence files to {info.path}"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from ctmt_desktop.backup import restore_backup

    path = _db_path(args)
    if path.exists():
        database = open_database(path, create=False)
        try:
            with database.session() as session:
                _actor(session, args, "restore")  # restoring replaces everyone's work: admins
        finally:
            database.close()
    kept = restore_backup(Path(args.file), path)
    database = open_database(path)  # upgrades an older backup's schema, after a backup
    database.close()
    print(f"Restored {path} from {args.file}")
    if kept is not None:
        print(f"The replaced database is kept as {kept}")
    return EXIT_OK


def cmd_catalog(args: argparse.Namespace) -> int:
    if args.catalog_command == "install":
        catalog = install_catalog(Path(args.file))
        print(f"Installed catalog version {catalog.version}")
        return EXIT_OK
    catalog = load_catalog()
    admin = catalog.admin
    current = [u for u in admin if not u.legacy]
    print(f"Catalog version {catalog.version} ({catalog.released}) from {catalog.origin}")
    print(f"Programs: {len(catalog.programs)} nodes; vocabularies: {len(catalog.vocabularies)}")
    print(
        f"Administrative units: {sum(u.level == 'province' for u in current)} provinces, "
        f"{sum(u.level == 'commune' for u in current)} communes; legacy: "
        f"{sum(u.level == 'commune' for u in admin if u.legacy)} communes"
    )
    return EXIT_OK


def cmd_self_test(args: argparse.Namespace) -> int:
    from ctmt_desktop.selftest import run_core_self_test

    return run_core_self_test()


# --- parser -----------------------------------------------------------------------------------
def _kind(text: str) -> str:
    if text not in KIND_CODES:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a kind; use one of " + ", ".join(KIND_CODES)
        )
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must not be negative")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctmt",
        description="CTMT Desktop: records of the information-and-communications part of the "
        "National Target Programs.",
    )
    parser.add_argument("--version", action="version", version=f"ctmt {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def db_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--db", metavar="PATH", help=f"database file (default: {default_db_path()})"
        )

    def user_options(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument(
            "--user", metavar="NAME", help=f"who is {what}; required when the database has accounts"
        )
        sub.add_argument(
            "--password-env",
            metavar="VAR",
            default="CTMT_PASSWORD",
            help="environment variable holding that user's password (default: CTMT_PASSWORD)",
        )

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = add("init", cmd_init, "create or upgrade a database for an agency")
    db_option(sub)
    sub.add_argument(
        "--province",
        required=True,
        metavar="CODE",
        help="statistics-office province code, e.g. 44 for Quảng Trị",
    )
    sub.add_argument("--agency", required=True, metavar="NAME", help="the agency's name")
    sub.add_argument("--parent-body", metavar="NAME", help="the agency's parent body")
    sub.add_argument("--ministry", metavar="NAME", help="the ministry that receives reports")

    sub = add("demo", cmd_demo, "add realistic demo records for the database's province")
    db_option(sub)
    sub.add_argument("--records", type=_positive_int, default=2000, metavar="N")
    sub.add_argument("--seed", type=int, default=1, metavar="S")

    sub = add("list", cmd_list, "list records of a kind")
    sub.add_argument("kind", type=_kind, metavar="KIND", help=", ".join(KIND_CODES))
    db_option(sub)
    sub.add_argument("--search", metavar="TEXT", help="words to find; diacritics are ignored")
    sub.add_argument("--period", metavar="P", help="2024, 2024-H1, 2024-Q3…")
    sub.add_argument("--program", metavar="CODE", help="program node (its sub-nodes included)")
    sub.add_argument("--place", metavar="CODE", help="administrative unit code")
    sub.add_argument("--status", choices=["draft", "confirmed"])
    sub.add_argument("--sort", default="start_date", metavar="FIELD")
    sub.add_argument("--descending", action="store_true")
    sub.add_argument("--limit", type=_positive_int, default=None, metavar="N")
    sub.add_argument("--format", choices=["table", "json", "csv"], default="table")

    sub = add("add", cmd_add, "add one record or a list of records (all or nothing)")
    sub.add_argument("kind", type=_kind, metavar="KIND")
    db_option(sub)
    sub.add_argument("--json", required=True, metavar="FILE", help="JSON file, or - for stdin")
    sub.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add even when a record looks like a duplicate",
    )
    user_options(sub, "adding")

    for name, handler, text in (
        ("show", cmd_show, "print one record as JSON"),
        ("delete", cmd_delete, "delete one record"),
    ):
        sub = add(name, handler, text)
        sub.add_argument("kind", type=_kind, metavar="KIND")
        sub.add_argument("id", type=_positive_int, metavar="ID")
        db_option(sub)
        if name == "delete":
            user_options(sub, "deleting")

    sub = add("schema", cmd_schema, "print the JSON Schema of the records 'add' accepts")
    sub.add_argument("kind", type=_kind, metavar="KIND")

    sub = add("report", cmd_report, "print a report as PDF, or its figures as Excel forms")
    db_option(sub)
    sub.add_argument(
        "--period",
        required=True,
        metavar="P",
        help="2024, 2024-H1, 2024-Q3 or a phase such as 2021-2025",
    )
    sub.add_argument("--out", required=True, metavar="FILE", help="FILE.pdf or FILE.xlsx")
    sub.add_argument("--form", choices=["period", "list", "criterion"], default="period")
    sub.add_argument("--kind", type=_kind, metavar="KIND", help="the kind of a list report")
    sub.add_argument("--program", metavar="CODE", help="program node (its sub-nodes included)")

    sub = add("export-xlsx", cmd_export_xlsx, "export records to an Excel workbook")
    db_option(sub)
    sub.add_argument("--out", required=True, metavar="FILE")
    sub.add_argument("--kind", type=_kind, metavar="KIND", help="one kind (default: all)")
    sub.add_argument("--period", metavar="P", help="records starting in this period or phase")

    sub = add(
        "import-xlsx",
        cmd_import_xlsx,
        "import records from an Excel workbook: every row checked, all or nothing",
    )
    sub.add_argument("file", metavar="FILE")
    db_option(sub)
    sub.add_argument(
        "--kind",
        type=_kind,
        metavar="KIND",
        help="the kind of the sheet (default: every sheet the template marks)",
    )
    sub.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
    sub.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add rows even when they look like existing records",
    )
    user_options(sub, "importing")

    sub = add("template", cmd_template, "write the Excel import template of a kind")
    sub.add_argument("kind", type=_kind, metavar="KIND")
    sub.add_argument("--out", required=True, metavar="FILE")
    db_option(sub)

    sub = add("identity", cmd_identity, "signing identities")
    identity_commands = sub.add_subparsers(dest="identity_command", required=True, metavar="ACTION")
    create = identity_commands.add_parser(
        "create", help="create a self-issued certificate in a passphrase-protected PKCS#12 file"
    )
    create.set_defaults(handler=cmd_identity)
    create.add_argument("--name", required=True, metavar="NAME", help="the signer's name")
    create.add_argument("--out", required=True, metavar="FILE.p12")
    create.add_argument(
        "--passphrase-env",
        metavar="VAR",
        default="CTMT_PASSPHRASE",
        help="environment variable holding the passphrase (default: CTMT_PASSPHRASE)",
    )
    create.add_argument(
        "--form",
        metavar="FILE.pdf",
        help="also write the registration form to send to the ministry",
    )
    create.add_argument(
        "--key", choices=["rsa", "ec"], default="rsa", help="RSA 3072 (default) or EC P-256"
    )
    create.add_argument("--organization", metavar="NAME", help="the agency (default: profile)")
    db_option(create)

    for name, handler, text in (
        ("approve", cmd_approve, "approve a period (approver role)"),
        ("reopen", cmd_reopen, "reopen an approved or packaged period, with a reason"),
    ):
        sub = add(name, handler, text)
        db_option(sub)
        sub.add_argument("--period", required=True, metavar="P")
        if name == "reopen":
            sub.add_argument("--reason", required=True, metavar="TEXT")
        user_options(sub, "approving" if name == "approve" else "reopening")

    sub = add("package", cmd_package, "build and sign the submission package of a period")
    db_option(sub)
    sub.add_argument("--period", required=True, metavar="P")
    sub.add_argument("--p12", metavar="FILE", help="PKCS#12 signing identity")
    sub.add_argument("--passphrase-env", metavar="VAR", default="CTMT_PASSPHRASE")
    sub.add_argument("--pkcs11-module", metavar="LIB", help="the USB token's PKCS#11 library")
    sub.add_argument("--token-label", metavar="LABEL")
    sub.add_argument("--pin-env", metavar="VAR", default="CTMT_PIN")
    sub.add_argument("--out", required=True, metavar="FILE.zip")
    sub.add_argument(
        "--max-part-size",
        type=_size,
        metavar="SIZE",
        help="split into numbered parts no larger than this (e.g. 20M)",
    )
    user_options(sub, "signing")

    sub = add("verify", cmd_verify, "verify a submission package (or its parts)")
    sub.add_argument("file", nargs="+", metavar="FILE")
    sub.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PEM",
        help="a trusted root certificate (repeatable)",
    )
    sub.add_argument(
        "--registered",
        action="append",
        default=[],
        metavar="CERT",
        help="a registered self-issued certificate (repeatable)",
    )
    sub.add_argument("--format", choices=["text", "json"], default="text")

    sub = add("backup", cmd_backup, "back up a database with its evidence files")
    db_option(sub)
    sub.add_argument(
        "--out",
        metavar="FILE",
        help="backup file to write (default: a new file in the database's .backups folder)",
    )
    sub = add("restore", cmd_restore, "replace a database with a verified backup")
    sub.add_argument("file", metavar="FILE", help="a backup made by CTMT Desktop")
    db_option(sub)
    user_options(sub, "restoring (an administrator)")

    sub = add("catalog", cmd_catalog, "show the catalog in use or install a newer one")
    catalog_commands = sub.add_subparsers(dest="catalog_command", metavar="ACTION")
    catalog_commands.add_parser("show", help="versions and counts")
    install = catalog_commands.add_parser("install", help="install a newer catalog file")
    install.add_argument("file", metavar="FILE")

    sub = add(
        "self-test",
        cmd_self_test,
        "check this installation on a temporary database (the window's part: "
        "ctmt-desktop --self-test); exit 0 when every step passed",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ctmt``; return the exit code (also used as the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as error:
        parser.print_usage(sys.stderr)
        print(f"ctmt: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as error:
        for problem in error.problems:
            prefix = "warning (use --allow-duplicate to add anyway): " if problem.warning else ""
            print(prefix + str(problem), file=sys.stderr)
        return EXIT_REJECTED
    except PeriodError as error:
        print(f"period: {error}", file=sys.stderr)
        return EXIT_REJECTED
    except (CtmtError, CatalogError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        print(f"ctmt: {message}", file=sys.stderr)
        return EXIT_REJECTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
