"""``ctmt-desktop --self-test``: the core's self-test, then Qt's, without a display.

The core steps (:mod:`ctmt_desktop.selftest`) run first on a throwaway database; then the Qt
steps load the offscreen platform, the bundled fonts and stylesheet, the Vietnamese
translation, open the main window on that database and show every page (charts, tables, the
PDF preview), and render the PDF report with QtPdf. In a frozen build this proves that the Qt
plugins, libraries and resources were bundled. Exit code 0 when every step passed, else 1.

``--self-test-report FILE`` also writes the lines to ``FILE``: a windowed Windows build has
no console to print to.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ctmt_desktop.selftest import (
    CoreSteps,
    Step,
    StepResult,
    header,
    print_line,
    run_steps,
    summary,
    temporary_home,
)


class _Tee(io.TextIOBase):
    """Write to the console (when there is one) and to a report file."""

    def __init__(self, *streams: TextIO | None) -> None:
        self._streams = [stream for stream in streams if stream is not None]

    def write(self, text: str) -> int:
        for stream in self._streams:
            try:
                stream.write(text)
            except UnicodeEncodeError:  # a console that cannot show Vietnamese; the file can
                stream.write(text.encode("ascii", "replace").decode("ascii"))
        return len(text)

    def flush(self) -> None:
        for stream in self._streams:
            stream.flush()


#: Qt messages of the offscreen platform that say nothing about the build (as in the tests).
_EXPECTED = re.compile(r"This plugin does not support (propagateSizeHints|raise|grabbing)")


class QtSteps:
    """The Qt steps, on the database the core steps left in ``core.db_path``.

    Qt's warnings during a step are added to its detail (the step still passes: the checks
    decide); the offscreen platform's expected ones are dropped.
    """

    def __init__(self, core: CoreSteps) -> None:
        self.core = core
        self.app: Any = None
        self._undo: list[Callable[[], None]] = []
        self._messages: list[str] = []

    def steps(self) -> list[Step]:
        return [
            Step("qt-platform", self._noting(self.platform)),
            Step("fonts", self._noting(self.fonts), ("qt-platform",)),
            Step("translations", self._noting(self.translations), ("qt-platform",)),
            Step("main-window", self._noting(self.main_window), ("qt-platform", "close")),
            Step("pdf-view", self._noting(self.pdf_view), ("qt-platform", "pdf")),
        ]

    def _noting(self, run: Callable[[], str]) -> Callable[[], str]:
        def step() -> str:
            from PySide6.QtCore import qInstallMessageHandler

            def handler(_kind: Any, _context: Any, message: str) -> None:
                if not _EXPECTED.search(message):
                    self._messages.append(message.strip())

            previous = qInstallMessageHandler(handler)
            try:
                detail = run()
            except Exception as error:
                if self._messages:
                    raise RuntimeError(f"{error} [Qt: {self._messages[0]}]") from error
                raise
            finally:
                qInstallMessageHandler(previous)
                messages, self._messages = self._messages, []
            if messages:
                detail += f" [{len(messages)} Qt warning(s): {messages[0]}]"
            return detail

        return step

    def platform(self) -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import QSettings, qVersion
        from PySide6.QtGui import QImageReader
        from PySide6.QtWidgets import QApplication

        # The window saves its geometry on close: into the temporary folder, not the user's
        # settings. (Qt cannot tell the previous path; whoever runs this in-process resets it.)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.core.folder / "ini")
        )
        existing = QApplication.instance()
        app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
        self.app = app
        quits = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        self._undo.append(lambda: app.setQuitOnLastWindowClosed(quits))
        formats = {bytes(name.data()).decode() for name in QImageReader.supportedImageFormats()}
        if "svg" not in formats:
            raise RuntimeError(f"no SVG image plugin (icons): only {', '.join(sorted(formats))}")
        return f"{app.platformName()}, Qt {qVersion()}, PySide6 {pyside_version}, svg icons"

    def fonts(self) -> str:
        from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

        from ctmt_desktop.paths import resources_dir
        from ui.style import UI_FONT_FILES, apply_style

        app = self.app
        sheet, font, style = app.styleSheet(), QFont(app.font()), app.style().name()

        def restore() -> None:
            app.setStyleSheet(sheet)
            app.setFont(font)
            app.setStyle(style)

        self._undo.append(restore)
        apply_style(app)
        path = resources_dir() / "fonts" / UI_FONT_FILES[0]
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise RuntimeError(f"Qt cannot load the bundled font {path}")
        if not app.styleSheet():
            raise RuntimeError("the stylesheet resources/style/ctmt.qss was not applied")
        used = QFontInfo(app.font()).family()
        return f"{families[0]} loaded; interface font {used}; stylesheet applied"

    def translations(self) -> str:
        from PySide6.QtCore import QCoreApplication

        from ui.i18n import install_translators, remove_translators, translations_dir

        translators = install_translators(self.app, "vi")
        self._undo.append(lambda: remove_translators(self.app, translators))
        ours = [t for t in translators if Path(t.filePath()).parent == translations_dir()]
        if not ours:
            raise RuntimeError(f"ctmt_vi.qm not loaded from {translations_dir()}")
        sample = QCoreApplication.translate("StandardButton", "Cancel")
        if sample == "Cancel":
            raise RuntimeError("ctmt_vi.qm loaded but 'Cancel' is not translated")
        return f"{Path(ours[0].filePath()).name} ('Cancel' → '{sample}')"

    def main_window(self) -> str:
        from PySide6.QtCore import Qt

        from ctmt_desktop.catalog import load_catalog
        from ctmt_desktop.db import open_database
        from ctmt_desktop.services.profile import current_profile
        from ui.context import AppContext
        from ui.db_lane import DbLane
        from ui.i18n import current_language
        from ui.main_window import MainWindow, window_icon

        database = open_database(self.core.db_path)
        lane: DbLane | None = None
        window: MainWindow | None = None
        try:
            with database.session() as session:
                profile = current_profile(session)
                assert profile is not None
                province, agency = profile.province_code, profile.name
            lane = DbLane(database)
            context = AppContext(
                database, lane, load_catalog(), province, agency, language=current_language()
            )
            window = MainWindow(context)
            window.setWindowIcon(window_icon())
            window.show()
            navigation = window.navigation
            keys = [
                key
                for row in range(navigation.count())
                if (key := navigation.item(row).data(Qt.ItemDataRole.UserRole))
            ]
            for key in keys:
                window.show_page(key)
                lane.wait_idle()
                self.app.processEvents()
            if window.windowIcon().isNull():
                raise RuntimeError("the window icon did not load")
            image = window.grab().toImage()
            if image.isNull() or image.width() < 100:
                raise RuntimeError("the main window could not be painted")
            return f"{len(keys)} pages shown, {image.width()}×{image.height()} painted"
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
            if lane is not None:
                lane.shutdown()
            self.app.processEvents()
            database.close()

    def pdf_view(self) -> str:
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument

        document = QPdfDocument(None)
        try:
            error = document.load(str(self.core.pdf_path))
            if error != QPdfDocument.Error.None_:
                raise RuntimeError(f"QtPdf cannot open the report: {error.name}")
            image = document.render(0, QSize(595, 842))
            if image.isNull():
                raise RuntimeError("QtPdf rendered an empty page")
            return f"{document.pageCount()} page(s) opened, page 1 rendered"
        finally:
            document.close()
            document.deleteLater()

    def cleanup(self) -> None:
        while self._undo:
            self._undo.pop()()


def run_self_test(out: TextIO | None = None, *, records: int | None = None) -> list[StepResult]:
    """Run every step (core, then Qt) in a temporary folder; return the results."""
    with temporary_home() as folder:
        core = CoreSteps(folder) if records is None else CoreSteps(folder, records)
        qt = QtSteps(core)
        try:
            return run_steps([*core.steps(), *qt.steps()], out)
        finally:
            core.cleanup()
            qt.cleanup()


def main(report: Path | None = None) -> int:
    """The ``--self-test`` of the app: print (and write to ``report``) one line per step."""
    handle = report.open("w", encoding="utf-8") if report is not None else None
    try:
        out = _Tee(sys.stdout, handle)
        print_line(out, header())
        results = run_self_test(out)
        print_line(out, summary(results))
    finally:
        if handle is not None:
            handle.close()
    return 0 if all(result.ok for result in results) else 1
