"""The verification's check titles: every check the verifier or the intake reports has words
of its own in both languages, so neither the province's verify page nor the ministry's pages
show a raw code or an English title in a Vietnamese window."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ctmt_desktop.package.verify import CHECK_TITLES, CHECKS
from ui.i18n import install_translators, remove_translators
from ui.verification import check_title

INTAKE_CHECKS = ("province", "signer_registered", "version")


def test_every_check_has_its_english_title(qapp: QApplication) -> None:
    for name in CHECKS:
        assert check_title(name) == CHECK_TITLES[name]
    for name in INTAKE_CHECKS:
        assert check_title(name) != name


def test_every_check_is_translated_into_vietnamese(qapp: QApplication) -> None:
    translators = install_translators(qapp, "vi")
    try:
        titles = {name: check_title(name) for name in (*CHECKS, *INTAKE_CHECKS)}
    finally:
        remove_translators(qapp, translators)
    assert titles["signer_trusted"] == "người ký được tin cậy"
    for name, title in titles.items():
        assert title != CHECK_TITLES.get(name, name), name


def test_an_unknown_check_is_shown_as_it_is(qapp: QApplication) -> None:
    assert check_title("from_the_future") == "from_the_future"
