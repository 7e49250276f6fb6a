"""The app's look: bundled fonts and icons, and one calm stylesheet.

Icons are Lucide's (ISC licence, ``resources/icons``). On Windows the system's Segoe UI is
used (it covers Vietnamese); elsewhere the bundled Liberation Sans, so the look and the
Vietnamese coverage do not depend on the machine's fonts.
"""

from __future__ import annotations

import sys
from functools import cache

from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from ctmt_desktop.paths import resources_dir

UI_FONT_FILES = (
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
)


@cache
def icon(name: str) -> QIcon:
    """The bundled icon ``name`` (a Lucide icon file name without ``.svg``)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def load_fonts() -> str:
    """Register the bundled UI fonts; return the family the interface uses."""
    for name in UI_FONT_FILES:
        QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
    if sys.platform == "win32" and "Segoe UI" in QFontDatabase.families():
        return "Segoe UI"
    return "Liberation Sans"


def apply_style(app: QApplication) -> None:
    """Fonts, the Fusion style and the stylesheet of ``resources/style/ctmt.qss``."""
    family = load_fonts()
    font = QFont(family)
    font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyle("Fusion")
    sheet = resources_dir() / "style" / "ctmt.qss"
    if sheet.exists():
        icons = (resources_dir() / "icons").as_posix()
        app.setStyleSheet(sheet.read_text(encoding="utf-8").replace("@ICONS@", icons))
