"""The official forms are written without openpyxl, which ``ctmt package`` then never
imports (issue 15); the package's names are still all there."""

from __future__ import annotations

import subprocess
import sys

from openpyxl.utils import get_column_letter

import ctmt_desktop.spreadsheets as spreadsheets
from ctmt_desktop.spreadsheets import export, importer, templates
from ctmt_desktop.spreadsheets.layout import column_letter, letters


def test_column_letters_are_openpyxls() -> None:
    assert [column_letter(n) for n in range(1, 18279)] == [
        get_column_letter(n) for n in range(1, 18279)
    ]
    assert letters(3) == ["A", "B", "C"]
    for wrong in (0, -1, 18279):
        try:
            column_letter(wrong)
        except ValueError:
            continue
        raise AssertionError(f"column {wrong} accepted")


def test_the_export_module_and_the_package_builder_import_no_openpyxl() -> None:
    code = (
        "import sys\n"
        "import ctmt_desktop.spreadsheets.export, ctmt_desktop.package.build\n"
        "from ctmt_desktop.spreadsheets import export_period_forms\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'openpyxl'}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "[]"


def test_every_name_of_the_package_is_its_modules() -> None:
    modules = {"export": export, "importer": importer, "templates": templates}
    for name in spreadsheets.__all__:
        assert getattr(spreadsheets, name) is getattr(modules[spreadsheets._MODULES[name]], name)
    try:
        spreadsheets.no_such_name  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown name was found")
