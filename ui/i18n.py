"""The interface language: Vietnamese by default, English selectable.

Source strings are English (``self.tr()``, ``QCoreApplication.translate``); the Vietnamese
translation lives in ``resources/translations/ctmt_vi.ts`` and is compiled to ``ctmt_vi.qm``
by ``installer/update_translations.py``. Qt ships no Vietnamese translation of its own dialogs,
so the standard buttons we use get their texts from :func:`translate_buttons`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from ctmt_desktop.paths import resources_dir

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

_log = logging.getLogger(__name__)
_language = DEFAULT_LANGUAGE
_LOCALES = {
    "vi": (QLocale.Language.Vietnamese, QLocale.Country.Vietnam),
    "en": (QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def translations_dir() -> Path:
    """Where the compiled translations (``ctmt_<language>.qm``) are."""
    return resources_dir() / "translations"


def current_language() -> str:
    """The language the interface was last set to (``vi`` or ``en``)."""
    return _language


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Switch the interface to ``language``; return the translators for :func:`remove_translators`.

    Qt's own translation (``qtbase_<language>``) is loaded first when Qt has one, then ours, so
    that ours wins where both translate a string.
    """
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language '{language}': use one of {', '.join(LANGUAGES)}")
    QLocale.setDefault(QLocale(*_LOCALES[language]))
    _language = language
    translators: list[QTranslator] = []
    if language == "en":  # the source strings are English
        return translators
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase", qt_folder), ("ctmt", str(translations_dir()))):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", folder):
            app.installTranslator(translator)
            translators.append(translator)
        elif name == "ctmt":
            _log.error("no translation ctmt_%s.qm in %s; the interface stays English",
                       language, folder)  # fmt: skip
    return translators


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo :func:`install_translators`."""
    global _language
    for translator in translators:
        app.removeTranslator(translator)
    _language = DEFAULT_LANGUAGE


_active: list[QTranslator] = []


def switch_language(language: str) -> None:
    """Change the interface language of the running app and remember it for the next start.

    Qt sends every widget a LanguageChange event; windows rebuild their pages so texts set
    from code are retranslated too.
    """
    from ui import app_settings

    app = QCoreApplication.instance()
    if app is None:
        return
    previous = list(_active)
    _active.clear()
    remove_translators(app, previous)
    _active.extend(install_translators(app, language))
    settings = app_settings()
    settings.setValue("language", language)
    settings.sync()


def saved_language() -> str | None:
    """The language chosen in Settings at an earlier start, if any."""
    from ui import app_settings

    value = app_settings().value("language")
    return value if value in LANGUAGES else None


def adopt_translators(translators: list[QTranslator]) -> None:
    """Let :func:`switch_language` replace translators installed at start-up."""
    _active.clear()
    _active.extend(translators)


def standard_button_texts() -> dict[str, str]:
    """Translated texts of the standard buttons we use, by the button's enum name."""
    return {
        "Ok": QCoreApplication.translate("StandardButton", "OK"),
        "Cancel": QCoreApplication.translate("StandardButton", "Cancel"),
        "Yes": QCoreApplication.translate("StandardButton", "&Yes"),
        "No": QCoreApplication.translate("StandardButton", "&No"),
        "Save": QCoreApplication.translate("StandardButton", "&Save"),
        "Close": QCoreApplication.translate("StandardButton", "&Close"),
    }


def translate_buttons(box: QDialogButtonBox | QMessageBox) -> None:
    """Give the standard buttons of ``box`` our translated texts (Qt has none for Vietnamese)."""
    texts = standard_button_texts()
    for button in box.buttons():
        text = texts.get(box.standardButton(button).name)
        if text is not None:
            button.setText(text)
