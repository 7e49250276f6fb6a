"""``ctmt`` commands on reports and workbooks: report, document-settings, export-xlsx,
import-xlsx, template."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.cli.common import (
    EXIT_OK,
    UsageError,
    add_command,
    current_actor,
    db_option,
    open_db,
    record_kind,
    user_options,
)
from ctmt_desktop.cli.messages import kind_label, t
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.kinds import KIND_CODES


def _output_format(out: str) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise UsageError(t("--out: {out} must end in .pdf or .xlsx", out=out))
    return suffix[1:]


def _letter(args: argparse.Namespace) -> dict[str, Any]:
    """The letterhead options given (those left out come from the profile's settings)."""
    from datetime import date

    letter: dict[str, Any] = {
        "number": args.number or "",
        "signer": args.signer or "",
        "signer_title": args.signer_title or "",
    }
    if args.no_recipients:
        letter["recipients"] = []
    elif args.recipient:
        letter["recipients"] = [text for text in args.recipient if text.strip()]
    if args.date:
        try:
            letter["issued_on"] = date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(
                t("--date: '{date}' is not a date (YYYY-MM-DD)", date=args.date)
            ) from None
    return letter


def cmd_report(args: argparse.Namespace) -> int:
    from ctmt_desktop.reports import figures, pdf
    from ctmt_desktop.services.indicators import parse_scope
    from ctmt_desktop.spreadsheets.export import (
        export_criterion_form,
        export_period_forms,
        export_records,
    )

    fmt = _output_format(args.out)
    if args.form == "list" and not args.kind:
        raise UsageError(t("--form list needs --kind"))
    scope = parse_scope(args.period)  # rejects bad periods before anything is written
    letter = _letter(args)
    catalog = load_catalog()
    database = open_db(args)
    pages = 0
    try:
        with database.session() as session:
            if args.form == "period":
                report = figures.build_period_report(
                    session, catalog, scope=scope.code, program=args.program, **letter
                )
                if fmt == "pdf":
                    pages = pdf.render_period_pdf(report, Path(args.out))
                else:
                    export_period_forms(report, Path(args.out))
            elif args.form == "list":
                query = _scope_query(scope, args.program)
                if fmt == "pdf":
                    signed = {k: v for k, v in letter.items() if k in _LIST_LETTER}
                    listing = figures.build_list_report(
                        session,
                        catalog,
                        args.kind,
                        query,
                        figures.default_list_columns(args.kind),
                        **signed,
                    )
                    pages = pdf.render_list_pdf(listing, Path(args.out))
                else:
                    export_records(session, catalog, Path(args.out), kinds=[args.kind], query=query)
            else:
                profile_province = _province(session)
                criterion = figures.build_criterion_report(
                    session, catalog, profile_province, scope.end.year, **letter
                )
                if fmt == "pdf":
                    pages = pdf.render_criterion_pdf(criterion, Path(args.out))
                else:
                    export_criterion_form(criterion, Path(args.out))
    finally:
        database.close()
    if fmt == "pdf":
        print(t("Wrote {path} ({count} page(s))", path=args.out, count=pages))
    else:
        print(t("Wrote {path} (workbook)", path=args.out))
    return EXIT_OK


#: What a list of records carries of the letterhead: who drew it up, and when.
_LIST_LETTER = ("signer", "signer_title", "issued_on")


def cmd_document_settings(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from ctmt_desktop.services.profile import (
        current_profile,
        document_settings,
        set_document_settings,
    )

    changes = {
        name: value
        for name, value in (
            ("abbreviation", args.abbreviation),
            ("signer", args.signer),
            ("signer_title", args.signer_title),
        )
        if value is not None
    }
    if args.no_recipients:
        changes["recipients"] = ()
    elif args.recipient:
        changes["recipients"] = tuple(args.recipient)
    database = open_db(args)
    try:
        with database.session() as session:
            profile = current_profile(session)
            if profile is None:
                raise CtmtError(t("the database has no agency profile yet; run 'ctmt init' first"))
            settings = document_settings(profile)
            if changes:
                actor = current_actor(session, args, "settings")
                settings = replace(settings, **changes)
                set_document_settings(session, settings, actor=actor, user=args.user)
                settings = document_settings(profile)
            from ctmt_desktop.reports.figures import agency_abbreviation

            abbreviation = settings.abbreviation or agency_abbreviation(profile.name)
            title = " / ".join(settings.signer_title.splitlines())
            lines = [
                t("agency: {value}", value=profile.name),
                t("abbreviation: {value}", value=abbreviation)
                if settings.abbreviation
                else t("abbreviation: {value} (from the agency's name)", value=abbreviation),
                t("signer: {value}", value=settings.signer or t("(none)")),
                t("signer's title: {value}", value=title or t("(default)")),
                t(
                    "recipients: {value}",
                    value="; ".join(settings.recipients) if settings.recipients else t("(default)"),
                ),
            ]
    finally:
        database.close()
    print("\n".join(lines))
    return EXIT_OK


def _letter_options(sub: argparse.ArgumentParser, *, profile: bool) -> None:
    """``--signer``, ``--signer-title``, ``--recipient`` (and ``--abbreviation`` for the
    profile's settings)."""
    if profile:
        sub.add_argument(
            "--abbreviation",
            metavar="TEXT",
            help=t("the agency's abbreviation in the document symbol (SVHTTDL: 12/BC-SVHTTDL)"),
        )
    sub.add_argument("--signer", metavar="NAME", help=t("the signer's full name"))
    sub.add_argument(
        "--signer-title",
        metavar="TITLE",
        help=t('the signer\'s title; two lines as "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"'),
    )
    sub.add_argument(
        "--recipient",
        action="append",
        metavar="TEXT",
        help=t('a line of "Nơi nhận" (repeat it for each, "Lưu: VT" last); replaces the list'),
    )
    sub.add_argument("--no-recipients", action="store_true", help=t('no "Nơi nhận" list at all'))


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
        raise CtmtError(t("the database has no agency profile yet; run 'ctmt init' first"))
    return profile.province_code


def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.indicators import parse_scope
    from ctmt_desktop.services.records import RecordQuery
    from ctmt_desktop.spreadsheets.export import export_records

    if _output_format(args.out) != "xlsx":
        raise UsageError(t("--out: the export is an Excel workbook; use FILE.xlsx"))
    query = _scope_query(parse_scope(args.period), None) if args.period else RecordQuery(limit=None)
    kinds = [args.kind] if args.kind else list(KIND_CODES)
    catalog = load_catalog()
    database = open_db(args)
    try:
        with database.session() as session:
            result = export_records(session, catalog, Path(args.out), kinds=kinds, query=query)
    finally:
        database.close()
    counts = ", ".join(f"{kind_label(kind)} {count}" for kind, count in result.counts.items())
    print(
        t(
            "Wrote {path}: {count} record(s) ({counts})",
            path=result.path,
            count=result.total,
            counts=counts,
        )
    )
    return EXIT_OK


def cmd_import_xlsx(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.records import record_context
    from ctmt_desktop.spreadsheets.importer import import_workbook

    database = open_db(args)
    try:
        with database.session() as session:
            actor = current_actor(session, args, "import")
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
    counts = ", ".join(f"{kind_label(kind)} {count}" for kind, count in result.counts.items())
    found = {"count": sum(result.counts.values()), "file": args.file, "counts": counts}
    if args.dry_run:
        print(t("Would add {count} record(s) from {file}: {counts}", **found))
    else:
        print(t("Added {count} record(s) from {file}: {counts}", **found))
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from ctmt_desktop.spreadsheets.templates import write_template

    if _output_format(args.out) != "xlsx":
        raise UsageError(t("--out: the template is an Excel workbook; use FILE.xlsx"))
    province = None
    if args.db:
        database = open_db(args)
        try:
            with database.session() as session:
                province = _province(session)
        finally:
            database.close()
    path = write_template(args.kind, Path(args.out), load_catalog(), province=province)
    print(t("Wrote the {kind} import template to {path}", kind=kind_label(args.kind), path=path))
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add the reports commands to ``commands`` (the subparsers of ``ctmt``)."""
    sub = add_command(
        commands, "report", cmd_report, t("print a report as PDF, or its figures as Excel forms")
    )
    db_option(sub)
    sub.add_argument(
        "--period",
        required=True,
        metavar="P",
        help=t("2024, 2024-H1, 2024-Q3 or a phase such as 2021-2025"),
    )
    sub.add_argument("--out", required=True, metavar="FILE", help=t("FILE.pdf or FILE.xlsx"))
    sub.add_argument("--form", choices=["period", "list", "criterion"], default="period")
    sub.add_argument(
        "--kind", type=record_kind, metavar="KIND", help=t("the kind of a list report")
    )
    sub.add_argument("--program", metavar="CODE", help=t("program node (its sub-nodes included)"))
    sub.add_argument(
        "--number",
        metavar="N",
        help=t(
            "the document's number: 12 prints 'Số: 12/BC-<abbreviation>'; a whole symbol "
            "(12/BC-SVHTTDL) is printed as given; without it the clerk fills the blank"
        ),
    )
    _letter_options(sub, profile=False)
    sub.add_argument("--date", metavar="YYYY-MM-DD", help=t("the date of issue (default: today)"))

    sub = add_command(
        commands,
        "document-settings",
        cmd_document_settings,
        t(
            "show or set what every report starts from: the agency's abbreviation, the signer, "
            "the signer's title and the 'Nơi nhận' list"
        ),
    )
    db_option(sub)
    _letter_options(sub, profile=True)
    user_options(sub, t("changing the settings"))

    sub = add_command(
        commands, "export-xlsx", cmd_export_xlsx, t("export records to an Excel workbook")
    )
    db_option(sub)
    sub.add_argument("--out", required=True, metavar="FILE")
    sub.add_argument("--kind", type=record_kind, metavar="KIND", help=t("one kind (default: all)"))
    sub.add_argument("--period", metavar="P", help=t("records starting in this period or phase"))

    sub = add_command(
        commands,
        "import-xlsx",
        cmd_import_xlsx,
        t("import records from an Excel workbook: every row checked, all or nothing"),
    )
    sub.add_argument("file", metavar="FILE")
    db_option(sub)
    sub.add_argument(
        "--kind",
        type=record_kind,
        metavar="KIND",
        help=t("the kind of the sheet (default: every sheet the template marks)"),
    )
    sub.add_argument("--dry-run", action="store_true", help=t("check and count, write nothing"))
    sub.add_argument(
        "--allow-duplicate",
        action="store_true",
        help=t("add rows even when they look like existing records"),
    )
    user_options(sub, t("importing"))

    sub = add_command(
        commands, "template", cmd_template, t("write the Excel import template of a kind")
    )
    sub.add_argument("kind", type=record_kind, metavar="KIND")
    sub.add_argument("--out", required=True, metavar="FILE")
    db_option(sub)
