"""``ctmt`` commands on signing and submission packages: identity, approve, reopen, package,
verify."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.cli.common import (
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    add_command,
    current_actor,
    db_option,
    dump_json,
    identity_options,
    open_db,
    open_signer,
    secret,
    user_options,
    writing_records,
)
from ctmt_desktop.cli.messages import kind_label, t
from ctmt_desktop.errors import CtmtError
from ctmt_desktop.periods import parse_period


def _approver(session: Any, args: argparse.Namespace, permission: str) -> Any:
    """The Actor for approving or signing: the logged-in ``--user`` on databases with
    accounts; on databases without accounts the login name, acting as approver."""
    return _as_approver(current_actor(session, args, permission), args)


def _as_approver(actor: Any, args: argparse.Namespace) -> Any:
    """``actor``, or on a database without accounts the login name acting as approver."""
    import getpass

    from ctmt_desktop.roles import Actor

    return actor or Actor(getattr(args, "user", None) or getpass.getuser(), "approver")


def cmd_identity(args: argparse.Namespace) -> int:
    from ctmt_desktop.signing.identity import (
        create_self_issued,
        fingerprint_sha256,
        format_fingerprint,
        registration_form_pdf,
    )

    passphrase = secret(args.passphrase_env, "--passphrase-env")
    if passphrase is None:
        raise UsageError(
            t("--passphrase-env VAR: the PKCS#12 file must be protected by a passphrase")
        )
    certificate_file = Path(args.out).with_suffix(".pem")
    # A key file, its certificate or a registration form is never overwritten: a key
    # replaced by mistake cannot sign for the certificate the ministry registered.
    for existing in (Path(args.out), certificate_file, *([Path(args.form)] if args.form else [])):
        if existing.exists():
            raise CtmtError(
                t(
                    "{path}: the file exists; an identity is never overwritten, choose another "
                    "name",
                    path=existing,
                )
            )
    certificate = create_self_issued(
        args.name,
        Path(args.out),
        passphrase,
        key_type=args.key,
        organization=args.organization or "",
    )
    from cryptography.hazmat.primitives.serialization import Encoding

    with certificate_file.open("xb") as pem:  # never over a file made meanwhile
        pem.write(certificate.public_bytes(Encoding.PEM))
    print(
        t(
            "Wrote {path} and its certificate {certificate} (to register and verify)",
            path=args.out,
            certificate=certificate_file,
        )
    )
    fingerprint = format_fingerprint(fingerprint_sha256(certificate))
    print(t("SHA-256 fingerprint: {fingerprint}", fingerprint=fingerprint))
    if args.form:
        from ctmt_desktop.reports.figures import Agency

        agency = Agency(args.organization or args.name, "", "", "", "")
        if args.db:
            database = open_db(args)
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
        print(t("Wrote the registration form {path}", path=args.form))
    return EXIT_OK


#: Draft records listed when they keep a period from being approved (the rest counted).
DRAFTS_SHOWN = 20


def cmd_approve(args: argparse.Namespace) -> int:
    from ctmt_desktop.errors import ValidationError
    from ctmt_desktop.services.approval import approve_period, draft_records

    period = parse_period(args.period)
    with writing_records(args, "approve") as (source, actor):  # plain SQL without accounts
        actor = _as_approver(actor, args)
        drafts = draft_records(source, period) if args.confirm_drafts else []
        try:
            approval = approve_period(source, actor, period, confirm_drafts=args.confirm_drafts)
        except ValidationError as error:
            remaining = [p for p in error.problems if p.code == "drafts_remain"]
            if not remaining:
                raise
            _print_drafts(period.code, remaining[0].params["records"])
            return EXIT_REJECTED
    print(t("Approved {period} ({by})", period=period.code, by=approval.approved_by))
    if drafts:
        print(
            t(
                "Confirmed {count} draft record(s) starting in {period}",
                count=len(drafts),
                period=period.code,
            )
        )
    print(
        t(
            "Records starting in {period} are frozen until an approver reopens it "
            "(ctmt reopen --period {period} --reason TEXT)",
            period=period.code,
        )
    )
    return EXIT_OK


def _print_drafts(code: str, drafts: list[Any]) -> None:
    """The refusal of an approval while drafts remain, with the drafts listed."""
    print(
        t(
            "period: {period} cannot be approved while {count} record(s) starting in it are "
            "drafts; confirm them first, or approve with --confirm-drafts to confirm them:",
            period=code,
            count=len(drafts),
        ),
        file=sys.stderr,
    )
    for draft in drafts[:DRAFTS_SHOWN]:
        print(
            "  "
            + t(
                "{kind} #{id} ({day}): {title}",
                kind=kind_label(draft.kind),
                id=draft.id,
                day=f"{draft.start_date:%d/%m/%Y}",
                title=draft.title,
            ),
            file=sys.stderr,
        )
    if len(drafts) > DRAFTS_SHOWN:
        print("  " + t("… and {count} more", count=len(drafts) - DRAFTS_SHOWN), file=sys.stderr)


def cmd_reopen(args: argparse.Namespace) -> int:
    from ctmt_desktop.services.approval import reopen_period

    period = parse_period(args.period)
    with writing_records(args, "reopen") as (source, actor):  # plain SQL without accounts
        reopen_period(source, _as_approver(actor, args), period, args.reason)
    print(
        t(
            "Reopened {period}: its records can be edited; approve it again to package",
            period=period.code,
        )
    )
    return EXIT_OK


def _size(text: str) -> int:
    """``20M``, ``512K``, ``1.5G`` or a number of bytes."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?)(?:I?B)?\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(
            t("'{text}' is not a size (e.g. 20M, 512K, 10000000)", text=text)
        )
    factor = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2)]
    return int(float(match.group(1)) * factor)


def cmd_package(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ctmt_desktop.package.build import build_package

    period = parse_period(args.period)
    database = open_db(args)
    try:
        with ExitStack() as stack:
            signer = open_signer(args, stack)
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
        print(t("Wrote {path}", path=part))
    info = result.info
    made = {"id": result.package_id, "version": info.version, "period": period.code}
    if info.supersedes:
        print(
            t(
                "Package {id} version {version} of {period}, supersedes {previous}",
                previous=info.supersedes,
                **made,
            )
        )
    else:
        print(t("Package {id} version {version} of {period}", **made))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ctmt_desktop.package.verify import verify_package
    from ctmt_desktop.signing.identity import load_certificates

    roots = [cert for path in args.trust for cert in load_certificates(Path(path))]
    registered = [cert for path in args.registered for cert in load_certificates(Path(path))]
    files = [Path(f) for f in args.file]
    report = verify_package(files if len(files) > 1 else files[0], roots, registered)
    if args.format == "json":
        print(dump_json(report.to_dict()))
    else:
        for line in report.lines():
            print(line)
    if not report.ok:
        failed = ", ".join(check.name for check in report.failed)
        print(t("verification failed: {checks}", checks=failed), file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add the package commands to ``commands`` (the subparsers of ``ctmt``)."""
    sub = add_command(commands, "identity", cmd_identity, t("signing identities"))
    identity_commands = sub.add_subparsers(dest="identity_command", required=True, metavar="ACTION")
    create = identity_commands.add_parser(
        "create", help=t("create a self-issued certificate in a passphrase-protected PKCS#12 file")
    )
    create.set_defaults(handler=cmd_identity)
    create.add_argument("--name", required=True, metavar="NAME", help=t("the signer's name"))
    create.add_argument("--out", required=True, metavar="FILE.p12")
    create.add_argument(
        "--passphrase-env",
        metavar="VAR",
        default="CTMT_PASSPHRASE",
        help=t("environment variable holding the passphrase (default: CTMT_PASSPHRASE)"),
    )
    create.add_argument(
        "--form",
        metavar="FILE.pdf",
        help=t("also write the registration form to send to the ministry"),
    )
    create.add_argument(
        "--key", choices=["rsa", "ec"], default="rsa", help=t("RSA 3072 (default) or EC P-256")
    )
    create.add_argument("--organization", metavar="NAME", help=t("the agency (default: profile)"))
    db_option(create)

    for name, handler, text in (
        (
            "approve",
            cmd_approve,
            t("approve a period (approver role): its records are frozen until it is reopened"),
        ),
        ("reopen", cmd_reopen, t("reopen an approved or packaged period, with a reason")),
    ):
        sub = add_command(commands, name, handler, text)
        db_option(sub)
        sub.add_argument("--period", required=True, metavar="P")
        if name == "approve":
            sub.add_argument(
                "--confirm-drafts",
                action="store_true",
                help=t(
                    "confirm the period's draft records as part of the approval (refused "
                    "otherwise, listing them)"
                ),
            )
        if name == "reopen":
            sub.add_argument("--reason", required=True, metavar="TEXT")
        user_options(sub, t("approving") if name == "approve" else t("reopening"))

    sub = add_command(
        commands, "package", cmd_package, t("build and sign the submission package of a period")
    )
    db_option(sub)
    sub.add_argument("--period", required=True, metavar="P")
    identity_options(sub)
    sub.add_argument("--out", required=True, metavar="FILE.zip")
    sub.add_argument(
        "--max-part-size",
        type=_size,
        metavar="SIZE",
        help=t("split into numbered parts no larger than this (e.g. 20M)"),
    )
    user_options(sub, t("signing"))

    sub = add_command(
        commands, "verify", cmd_verify, t("verify a submission package (or its parts)")
    )
    sub.add_argument("file", nargs="+", metavar="FILE")
    sub.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="PEM",
        help=t("a trusted root certificate (repeatable)"),
    )
    sub.add_argument(
        "--registered",
        action="append",
        default=[],
        metavar="CERT",
        help=t("a registered self-issued certificate (repeatable)"),
    )
    sub.add_argument("--format", choices=["text", "json"], default="text")
