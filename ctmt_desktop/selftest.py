"""The self-test of an installed build: ``ctmt-desktop --self-test``, ``ctmt self-test``.

It proves that a frozen (PyInstaller) bundle carries everything the app needs at run time,
by doing the real work once on a throwaway database in a temporary folder: the Alembic
migrations, demo records, a PDF report (reportlab and the bundled fonts), an Excel export read
back with openpyxl and through the checked import, an account (argon2 through cffi), a
self-issued signing identity, and a signed submission package built, then verified.
``ui.selftest`` adds the Qt steps (offscreen platform, fonts, translations, main window).

Each step prints one line (``ok``/``FAILED``/``skipped``, name, seconds, detail) as it ends;
a step that needs a failed one is skipped. Nothing outside the temporary folder is touched:
``CTMT_DATA_DIR`` points inside it while the test runs, and the folder is removed at the end.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import ctmt_desktop

#: The period the test approves, packages and verifies (the demo data cover 2021–2026).
PERIOD = "2024"
#: Enough demo records for every kind in every year, few enough to take a second.
DEMO_RECORDS = 160
PROFILE_NAME = "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Trị"
PROVINCE = "44"


class StepResult(NamedTuple):
    """One step of the self-test: ``(step, ok, detail, seconds)``."""

    step: str
    ok: bool
    detail: str
    seconds: float


@dataclass(frozen=True)
class Step:
    """A step: ``run()`` does the work and returns a short detail, or raises.

    ``needs`` names earlier steps; when one of them did not pass, this step is skipped.
    """

    name: str
    run: Callable[[], str]
    needs: tuple[str, ...] = ()


def run_steps(steps: Iterable[Step], out: TextIO | None = None) -> list[StepResult]:
    """Run ``steps`` in order, printing one line per step to ``out``; return the results."""
    results: list[StepResult] = []
    passed: set[str] = set()
    for step in steps:
        missing = [name for name in step.needs if name not in passed]
        started = time.perf_counter()
        if missing:
            result = StepResult(step.name, False, f"skipped: needs {', '.join(missing)}", 0.0)
        else:
            try:
                detail = step.run()
                result = StepResult(step.name, True, detail, time.perf_counter() - started)
            except Exception as error:  # every failure is reported, whatever it is
                detail = f"{type(error).__name__}: {error} ({_where(error)})"
                result = StepResult(step.name, False, detail, time.perf_counter() - started)
        if result.ok:
            passed.add(step.name)
        results.append(result)
        print_line(out, format_result(result))
    return results


def _where(error: BaseException) -> str:
    """Where the error was raised, and the last line of ours on the way when that differs."""
    frames = traceback.extract_tb(error.__traceback__)
    places = [f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"]
    ours = [
        frame
        for frame in frames[:-1]
        if {"ctmt_desktop", "ui"} & set(Path(frame.filename).parts)
        and Path(frame.filename).name != "selftest.py"
    ]
    if ours:
        places.append(f"from {Path(ours[-1].filename).name}:{ours[-1].lineno}")
    return ", ".join(places)


def format_result(result: StepResult) -> str:
    """One line for a step: status, name, seconds, detail."""
    status = "ok" if result.ok else ("skipped" if result.detail.startswith("skipped") else "FAILED")
    return f"{status:7} {result.step:13} {result.seconds:6.2f} s  {result.detail}"


def summary(results: list[StepResult]) -> str:
    """The last line: passed, or which steps failed."""
    total = sum(result.seconds for result in results)
    failed = [result.step for result in results if not result.ok]
    if failed:
        return f"self-test FAILED ({len(failed)} of {len(results)} steps): {', '.join(failed)}"
    return f"self-test passed: {len(results)} steps in {total:.1f} s"


def print_line(out: TextIO | None, line: str) -> None:
    """Print ``line`` to ``out`` (standard output by default, which may be missing)."""
    stream = out if out is not None else sys.stdout
    if stream is None:  # a windowed Windows build has no console
        return
    try:
        print(line, file=stream, flush=True)
    except UnicodeEncodeError:  # a console that cannot show Vietnamese
        print(line.encode("ascii", "replace").decode("ascii"), file=stream, flush=True)


def header() -> str:
    """The first line: version, Python, platform, frozen or not."""
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    return (
        f"CTMT Desktop {ctmt_desktop.__version__} self-test ({frozen}, Python "
        f"{sys.version.split()[0]}, {sys.platform})"
    )


@contextmanager
def temporary_home(prefix: str = "ctmt-selftest-") -> Iterator[Path]:
    """A temporary folder that also serves as the user data folder; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    previous = os.environ.get("CTMT_DATA_DIR")
    os.environ["CTMT_DATA_DIR"] = str(folder / "data")
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop("CTMT_DATA_DIR", None)
        else:
            os.environ["CTMT_DATA_DIR"] = previous
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class CoreSteps:
    """The core's steps on a database in ``folder``; later steps use what earlier ones made.

    Attributes:
        folder: where every file goes.
        records: how many demo records to write.
        db_path: the database file (``ui.selftest`` opens it again for the main window).
        pdf_path: the period report written by the ``pdf`` step.
    """

    folder: Path
    records: int = DEMO_RECORDS
    db_path: Path = field(init=False)
    pdf_path: Path = field(init=False)
    _state: dict[str, Any] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.db_path = self.folder / "selftest.sqlite3"
        self.pdf_path = self.folder / "report.pdf"

    def steps(self) -> list[Step]:
        return [
            Step("resources", self.resources),
            Step("database", self.database, ("resources",)),
            Step("demo", self.demo, ("database",)),
            Step("pdf", self.pdf, ("demo",)),
            Step("excel", self.excel, ("demo",)),
            Step("template", self.template, ("resources",)),
            Step("backup", self.backup, ("demo",)),
            Step("account", self.account, ("database",)),
            Step("identity", self.identity),
            Step("token", self.token),
            Step("approve", self.approve, ("demo", "account")),
            Step("package", self.package, ("approve", "identity")),
            Step("verify", self.verify, ("package",)),
            Step("ministry", self.ministry, ("package",)),
            Step("close", self.close, ("database",)),
        ]

    # --- the steps -------------------------------------------------------------------------------
    def resources(self) -> str:
        from ctmt_desktop.catalog import bundled_catalog_path, load_catalog
        from ctmt_desktop.paths import resources_dir

        folder = resources_dir()
        wanted = [
            bundled_catalog_path(),
            folder / "schema" / "records-1.json",
            folder / "fonts" / "LiberationSerif-Regular.ttf",
            folder / "translations" / "ctmt_vi.qm",
        ]
        absent = [str(path) for path in wanted if not path.is_file()]
        if absent:
            raise FileNotFoundError(f"missing: {', '.join(absent)}")
        catalog = load_catalog()
        self._state["catalog"] = catalog
        province = catalog.admin.get(PROVINCE)
        if province is None:
            raise LookupError(f"the catalog has no province {PROVINCE}")
        return f"catalog {catalog.version}, {province.name}, in {folder}"

    def database(self) -> str:
        from ctmt_desktop.db import current_revision, head_revision, open_database
        from ctmt_desktop.services.profile import ProfileData, set_profile

        database = open_database(self.db_path)
        self._state["database"] = database
        revision = current_revision(database.engine)
        if revision != head_revision():
            raise AssertionError(f"schema at {revision}, not at {head_revision()}")
        with database.session() as session:
            set_profile(session, ProfileData(PROFILE_NAME, PROVINCE), self._state["catalog"])
        return f"migrated to {revision}"

    def demo(self) -> str:
        from ctmt_desktop.demo import generate_demo

        counts = generate_demo(
            self._state["database"], records=self.records, seed=1, catalog=self._state["catalog"]
        )
        return f"{sum(counts.values())} records of {len(counts)} kinds"

    def pdf(self) -> str:
        from ctmt_desktop.reports import figures, pdf

        with self._state["database"].session() as session:
            report = figures.build_period_report(session, self._state["catalog"], scope=PERIOD)
        pages = pdf.render_period_pdf(report, self.pdf_path)
        head = self.pdf_path.read_bytes()[:5]
        if head != b"%PDF-" or pages < 1:
            raise AssertionError(f"{self.pdf_path.name} is not a PDF ({pages} pages, {head!r})")
        family = pdf.register_serif_family()
        size = self.pdf_path.stat().st_size
        return f"{pages} page(s), {size // 1024} KiB, font {family.label}"

    def excel(self) -> str:
        import openpyxl

        from ctmt_desktop.periods import parse_period
        from ctmt_desktop.services.records import RecordQuery, record_context
        from ctmt_desktop.spreadsheets.export import export_records
        from ctmt_desktop.spreadsheets.importer import import_workbook

        database = self._state["database"]
        catalog = self._state["catalog"]
        path = self.folder / "training.xlsx"
        query = RecordQuery(period=parse_period(PERIOD), limit=None)
        with database.session() as session:
            exported = export_records(session, catalog, path, kinds=["training"], query=query)
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            sheets = book.sheetnames
            cells = sum(1 for row in book[sheets[0]].iter_rows(values_only=True) for _ in row)
        finally:
            book.close()
        with database.session() as session:
            context = record_context(session, database.path, catalog=catalog)
            result = import_workbook(
                session, context, path, "training", dry_run=True, allow_duplicates=True
            )
            session.rollback()
        if result.total != exported.total or exported.total == 0:
            raise AssertionError(
                f"exported {exported.total} training records, read back {result.total}"
            )
        return f"{exported.total} records written, {cells} cells read, all {result.total} valid"

    def template(self) -> str:
        import openpyxl

        from ctmt_desktop.spreadsheets.templates import write_template

        path = write_template(
            "training", self.folder / "template.xlsx", self._state["catalog"], province=PROVINCE
        )
        book = openpyxl.load_workbook(path)
        try:
            checks = sum(len(sheet.data_validations.dataValidation) for sheet in book.worksheets)
            sheets = len(book.sheetnames)
        finally:
            book.close()
        return f"training template: {sheets} sheets, {checks} in-cell lists and checks"

    def backup(self) -> str:
        from ctmt_desktop.backup import create_backup, verify_backup

        info = create_backup(self.db_path, reason="self-test", out=self.folder / "backup.zip")
        work = self.folder / "restore"
        work.mkdir()
        checked, _copy, evidence = verify_backup(info.path, work)
        return f"{checked.records} records backed up and verified, {len(evidence)} evidence files"

    def account(self) -> str:
        from ctmt_desktop.accounts import Role, authenticate, create_user

        password = secrets.token_urlsafe(12)
        with self._state["database"].session() as session:
            create_user(session, "selftest", password, role=Role.ADMIN, full_name="Self-test")
        with self._state["database"].session() as session:
            account = authenticate(session, "selftest", password)
        self._state["actor"] = account.actor
        return f"'{account.username}' ({account.role}) created and logged in (argon2)"

    def identity(self) -> str:
        from ctmt_desktop.reports.figures import Agency
        from ctmt_desktop.signing.identity import (
            create_self_issued,
            fingerprint_sha256,
            pkcs12_signer,
            registration_form_pdf,
        )

        passphrase = secrets.token_urlsafe(16)
        p12 = self.folder / "selftest.p12"
        certificate = create_self_issued("CTMT Desktop self-test", p12, passphrase)
        self._state["certificate"] = certificate
        self._state["signer"] = pkcs12_signer(p12, passphrase)
        form = self.folder / "registration.pdf"
        agency = Agency(PROFILE_NAME, "", PROVINCE, "Quảng Trị", "")
        registration_form_pdf(certificate, agency, form)  # with the fingerprint's QR code
        return (
            f"RSA certificate {fingerprint_sha256(certificate)[:16]}…, registration form "
            f"{form.stat().st_size // 1024} KiB"
        )

    def token(self) -> str:
        import pkcs11  # python-pkcs11's extension: USB tokens sign through it
        from pyhanko.sign.pkcs11 import PKCS11Signer

        from ctmt_desktop.signing.identity import find_token_modules

        assert callable(pkcs11.lib) and PKCS11Signer is not None
        modules = find_token_modules()
        return f"python-pkcs11 and pyHanko's PKCS#11 signer loaded; {len(modules)} token driver(s)"

    def approve(self) -> str:
        from ctmt_desktop.services.approval import approve_period

        with self._state["database"].session() as session:
            # The demo's recent records include drafts: confirmed as the window's
            # question would, once the approver agreed.
            approval = approve_period(session, self._state["actor"], PERIOD, confirm_drafts=True)
        return f"{approval.period} approved by {approval.approved_by}"

    def package(self) -> str:
        from ctmt_desktop.package.build import build_package

        database = self._state["database"]
        out = self.folder / "package.zip"
        with database.session() as session:
            result = build_package(
                session,
                self._state["actor"],
                PERIOD,
                self._state["signer"],
                out,
                db_path=database.path,
                catalog=self._state["catalog"],
            )
        self._state["package"] = result.path
        size = sum(part.stat().st_size for part in result.parts)
        return (
            f"version {result.version}, {result.counts.get('records', 0)} records, "
            f"{size // 1024} KiB, signed"
        )

    def verify(self) -> str:
        from ctmt_desktop.package.verify import verify_package

        report = verify_package(
            self._state["package"], (), [self._state["certificate"]], work_dir=self.folder
        )
        if not report.ok:
            failed = "; ".join(f"{check.name}: {check.reason}" for check in report.failed)
            raise AssertionError(f"the package was refused: {failed or 'incomplete checks'}")
        return f"{len(report.checks)} checks passed"

    def ministry(self) -> str:
        from ctmt_desktop.ministry.intake import receive
        from ctmt_desktop.ministry.registry import register_signer
        from ctmt_desktop.ministry.store import init_store, open_store
        from ctmt_desktop.signing.identity import fingerprint_sha256

        store = open_store(self.folder / "national.sqlite3")  # the store's own migrations
        try:
            init_store(store, "CTMT Desktop self-test", user="selftest")
            certificate = self._state["certificate"]
            with store.session() as session:
                register_signer(
                    session,
                    self._state["catalog"],
                    province=PROVINCE,
                    certificate=certificate,
                    fingerprint=fingerprint_sha256(certificate),
                    user="selftest",
                )
            (result,) = receive(
                store,
                [self._state["package"]],
                user="selftest",
                catalog=self._state["catalog"],
                work_dir=self.folder,
            )
        finally:
            store.close()
        if result.verdict != "accepted":
            raise AssertionError(f"the national store refused the package: {result.line()}")
        return f"received into a national store: {result.record_count} records"

    def close(self) -> str:
        from ctmt_desktop.db import open_database

        self.cleanup()
        database = open_database(self.db_path)  # a second open: the file is sound and current
        database.close()
        return f"{self.db_path.stat().st_size // 1024} KiB database closed and reopened"

    def cleanup(self) -> None:
        """Close the database if a step left it open (the folder cannot go otherwise)."""
        database = self._state.pop("database", None)
        if database is not None:
            database.close()


def run_core_self_test(out: TextIO | None = None, *, records: int = DEMO_RECORDS) -> int:
    """``ctmt self-test``: the core's steps only (no Qt); return the exit code."""
    print_line(out, header())
    with temporary_home() as folder:
        core = CoreSteps(folder, records)
        try:
            results = run_steps(core.steps(), out)
        finally:
            core.cleanup()
    print_line(out, summary(results))
    return 0 if all(result.ok for result in results) else 1
