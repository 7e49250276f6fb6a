"""Open every screen and dialog of the app on a demo database, offscreen, and save a PNG of
each, so a person can look at them without a display.

    .venv/bin/python -m ui.screenshots --out shots [--lang vi|en] [--scale 1.5] [--records 3000]
    .venv/bin/python -m ui.screenshots --out shots --ministry [--lang vi|en]

``--ministry`` shows the ministry's desk instead (:func:`take_ministry_screenshots`): every
page and dialog over a demo national store of 12 provinces.

Everything happens in a temporary folder (database, settings); nothing of the user's is read
or written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def _prepare_environment(scale: float, data_dir: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(scale)
    os.environ["CTMT_DATA_DIR"] = str(data_dir)


def take_screenshots(
    out: Path, *, language: str = "vi", records: int = 3000, size: tuple[int, int] = (1366, 800)
) -> list[Path]:
    """Save a PNG of every page and dialog into ``out``; return the files written."""
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.db import open_database
    from ctmt_desktop.demo import generate_demo
    from ctmt_desktop.kinds import KIND_CODES
    from ctmt_desktop.services.profile import current_profile, set_profile
    from ctmt_desktop.services.records import RecordQuery, ordered_ids
    from ui import APPLICATION, ORGANIZATION
    from ui.app import DEMO_PROFILE
    from ui.context import AppContext
    from ui.db_lane import DbLane
    from ui.first_start import FirstStartDialog
    from ui.i18n import adopt_translators, install_translators
    from ui.main_window import MainWindow
    from ui.style import apply_style

    out.mkdir(parents=True, exist_ok=True)
    work = Path(os.environ["CTMT_DATA_DIR"])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "cfg"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_style(app)  # type: ignore[arg-type]
    adopt_translators(install_translators(app, language))
    catalog = load_catalog()
    database = open_database(work / "demo.sqlite3")
    with database.session() as session:
        set_profile(session, DEMO_PROFILE, catalog)
    generate_demo(database, records=records, seed=1, catalog=catalog, targets=True)
    with database.session() as session:
        profile = current_profile(session)
        assert profile is not None
        agency = profile.name
        first_ids = {
            kind: ordered_ids(session, kind, RecordQuery(sort="id"))[:1] for kind in KIND_CODES
        }
    from cryptography.hazmat.primitives.serialization import Encoding

    from ctmt_desktop.signing.identity import create_self_issued
    from ui.signing import SigningChoice, save_choice

    p12 = work / "signing" / "ctmt-signing.p12"
    p12.parent.mkdir(parents=True, exist_ok=True)
    certificate = create_self_issued(agency, p12, "demo-passphrase", organization=agency)
    pem = certificate.public_bytes(Encoding.PEM).decode("ascii")
    save_choice(SigningChoice(kind="p12", p12_path=str(p12), certificate_pem=pem))
    lane = DbLane(database)
    context = AppContext(database, lane, catalog, profile.province_code, agency, language=language)
    window = MainWindow(context)
    window.resize(*size)
    window.show()
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
            lane.wait_idle()
        app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{len(written) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    for key in list(window._factories):  # every page the navigation offers
        page = window.show_page(key)
        if key == "reports":
            save(window, "page-reports")
            page.make_preview()  # type: ignore[attr-defined]
            settle()
            # QPdfView renders its pages on a thread of its own, after the report is loaded:
            # grabbed at once, the pages are blank sheets. Give it the moment a person waits.
            pause = QEventLoop()
            QTimer.singleShot(1500, pause.quit)
            pause.exec()
            key = "reports-preview"
        save(window, f"page-{key}")

    def dialog(name: str, make: Callable[[], QWidget]) -> None:
        widget = make()
        if name.startswith("form-"):  # as a form opens over the window: most of its size
            widget.resize(min(1180, size[0]), min(760, size[1]))
        else:
            widget.adjustSize()
        widget.show()
        save(widget, name)
        widget.close()
        widget.deleteLater()

    from ui.record_form import RecordForm
    from ui.targets_page import TargetDialog

    for kind in KIND_CODES:
        dialog(f"form-new-{kind}", lambda kind=kind: RecordForm(context, kind, parent=window))
        if first_ids[kind]:
            dialog(
                f"form-edit-{kind}",
                lambda kind=kind: RecordForm(
                    context, kind, record_id=first_ids[kind][0], parent=window
                ),
            )
    dialog("dialog-target", lambda: TargetDialog(context, parent=window))
    from ctmt_desktop.reports.figures import make_letterhead
    from ui.signing import CreateIdentityDialog, SecretDialog

    settings_page = window.show_page("settings")
    signing = settings_page.signing  # type: ignore[attr-defined]
    save(signing, "section-signing")
    signing.token_radio.setChecked(True)
    save(signing, "section-signing-token")
    signing.file_radio.setChecked(True)
    with database.session() as session:
        letterhead = make_letterhead(session, catalog)
    dialog("dialog-create-identity", lambda: CreateIdentityDialog(letterhead.agency, window))
    dialog(
        "dialog-passphrase",
        lambda: SecretDialog(SigningChoice(kind="p12", p12_path=str(p12)), window),
    )
    token = SigningChoice(kind="pkcs11", module="vnptca_p11_v8.dll", token_label="VNPT-CA")
    dialog("dialog-token-pin", lambda: SecretDialog(token, window))
    fresh = open_database(work / "fresh.sqlite3")
    dialog("dialog-first-start", lambda: FirstStartDialog(fresh, catalog, offer_demo=True))
    settings_page = window.show_page("settings")  # one shot per category of Settings
    for category in settings_page.categories_shown():  # type: ignore[attr-defined]
        settings_page.show_category(category)  # type: ignore[attr-defined]
        save(window, f"settings-{category}")
    window.close()
    lane.shutdown()
    fresh.close()
    database.close()
    return written


def take_ministry_screenshots(
    out: Path, *, language: str = "vi", size: tuple[int, int] = (1366, 800)
) -> list[Path]:
    """Save a PNG of every page and dialog of the ministry's desk into ``out``, over a demo
    national store; return the files written."""
    from datetime import timedelta

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry.store import open_store
    from ui import APPLICATION, ORGANIZATION
    from ui.db_lane import DbLane
    from ui.i18n import adopt_translators, install_translators
    from ui.ministry.common import MinistryContext
    from ui.ministry.startup import (
        DEMO_FOLDER_NAME,
        DEMO_PERIOD,
        DEMO_STORE_NAME,
        MinistryNameDialog,
        build_demo_store,
    )
    from ui.ministry.window import MinistryWindow
    from ui.style import apply_style

    out.mkdir(parents=True, exist_ok=True)
    work = Path(os.environ["CTMT_DATA_DIR"])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "cfg"))
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    apply_style(app)  # type: ignore[arg-type]
    adopt_translators(install_translators(app, language))
    catalog = load_catalog()
    store = open_store(work / DEMO_STORE_NAME)
    lane = DbLane(store)
    folder = work / DEMO_FOLDER_NAME
    if not build_demo_store(store, lane, catalog, folder):
        raise SystemExit("the demo national store could not be built")
    context = MinistryContext(store, lane, catalog, store.name(), language=language)
    window = MinistryWindow(context)
    window.resize(*size)
    window.show()
    written: list[Path] = []

    def settle() -> None:
        for _ in range(5):
            app.processEvents()
            lane.wait_idle(120_000)
        app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{len(written) + 1:02d}-ministry-{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    def dialog_shot(widget: QWidget, name: str) -> None:
        settle()
        save(widget, name)
        widget.close()

    from ui.ministry.status_page import ReportingStatusPage

    status = window.show_page("status")
    assert isinstance(status, ReportingStatusPage)
    save(window, "page-status")
    model = status.model
    for state in ("on_time", "refused"):
        cell = next(
            model.index(row, 1)
            for row in range(model.rowCount())
            if model.cell(model.index(row, 1)).state == state  # type: ignore[union-attr]
        )
        status.open_cell(cell)
        assert status.detail_dialog is not None
        dialog_shot(status.detail_dialog, f"dialog-cell-{state}")

    dashboard = window.show_page("dashboard")
    save(window, "page-dashboard")
    dashboard.scroll.verticalScrollBar().setValue(  # type: ignore[attr-defined]
        dashboard.scroll.verticalScrollBar().maximum()  # type: ignore[attr-defined]
    )
    save(window, "page-dashboard-table")
    dashboard.preview_report()  # type: ignore[attr-defined]
    settle()
    from PySide6.QtCore import QDeadlineTimer

    rendering = QDeadlineTimer(1500)  # QPdfView renders its pages in the background
    while not rendering.hasExpired():
        app.processEvents()
    dialog_shot(dashboard.preview_dialog, "dialog-report-preview")  # type: ignore[attr-defined]

    # A resubmission (version 3 of the second province) among the packages received already.
    from ctmt_desktop.ministry.demo import ProvinceKit, demo_provinces

    second = demo_provinces(catalog, 2)[1]
    kit_folder = folder / f"p{second}"
    kit = ProvinceKit(
        second,
        catalog.admin.get(second).name,  # type: ignore[union-attr]
        kit_folder,
        kit_folder / f"province-{second}.sqlite3",
        kit_folder / f"province-{second}.p12",
        kit_folder / f"province-{second}.pem",
        "",
    )
    fresh = work / "usb"
    fresh.mkdir(exist_ok=True)
    from ctmt_desktop.ministry.deadlines import deadline_moment

    due = deadline_moment(catalog, DEMO_PERIOD)
    assert due is not None
    kit.package(DEMO_PERIOD, fresh, signed_at=due - timedelta(days=1))
    receive = window.show_page("receive")
    receive.receive_paths([folder / "inbox", fresh])  # type: ignore[attr-defined]
    save(window, "page-receive")

    submissions = window.show_page("submissions")
    save(window, "page-submissions")
    submissions.detail.search_edit.setText("xa")  # type: ignore[attr-defined]
    submissions.detail.reload_records()  # type: ignore[attr-defined]
    save(window, "page-submissions-search")

    signers = window.show_page("signers")
    save(window, "page-signers")
    register = signers.open_register_dialog()  # type: ignore[attr-defined]
    register.certificate_edit.setText(str(kit.certificate_pem))
    register._describe_certificate()
    register.fingerprint_edit.setText("AB:" * 31 + "AB")
    register.submit()
    settle()
    register.adjustSize()
    dialog_shot(register, "dialog-register-signer")

    window.show_page("settings")
    save(window, "page-settings")
    dialog_shot(MinistryNameDialog(window), "dialog-ministry-name")
    window.close()
    lane.shutdown()
    store.close()
    return written


def _window_size(text: str) -> tuple[int, int]:
    """``1366x800`` → (1366, 800); argparse reports anything else as a usage error."""
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if not (640 <= size[0] <= 7680 and 480 <= size[1] <= 4320):
        raise argparse.ArgumentTypeError(f"window size out of range: {text!r}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    parser.add_argument("--scale", type=float, default=1.0, help="1.5 for 150%% scaling")
    parser.add_argument("--records", type=int, default=3000, help="demo records to show")
    parser.add_argument(
        "--size",
        type=_window_size,
        default=(1366, 800),
        help="window size in pixels, WIDTHxHEIGHT (default 1366x800; also try 1920x1080)",
    )
    parser.add_argument(
        "--ministry", action="store_true", help="the ministry's desk, over a demo national store"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ctmt-shots-") as work:
        _prepare_environment(args.scale, Path(work))
        if args.ministry:
            files = take_ministry_screenshots(args.out, language=args.lang, size=args.size)
        else:
            files = take_screenshots(
                args.out, language=args.lang, records=args.records, size=args.size
            )
    for path in files:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
