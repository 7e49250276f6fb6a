"""Excel workbooks: export of records and of the period report, import templates, and the
validated import of records. No Qt here: the command line and the desktop app call these.

* :func:`export_records` — records of one or more kinds, a sheet per kind, lossless on
  re-import;
* :func:`export_period_forms` — a built period report as official forms;
* :func:`write_template` — the import template of one kind;
* :func:`read_workbook` — check a workbook and translate one sheet for validation;
* :func:`import_workbook` — validate every row with the core's rules, then add them all
  through the one write path, or none.

The layout the three share (title, hidden key row, headers, one record per row) is in
:mod:`ctmt_desktop.spreadsheets.layout`.

The names below are imported from their modules when first asked for: the import and the
templates need openpyxl, the exports do not, and ``ctmt package`` (which writes the forms)
should not pay a tenth of a second for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ctmt_desktop.spreadsheets.export import (
        ExportCancelled,
        ExportResult,
        export_period_forms,
        export_records,
    )
    from ctmt_desktop.spreadsheets.importer import (
        ImportCancelled,
        ImportPlan,
        ImportRejected,
        ImportResult,
        SheetProblem,
        SheetResult,
        SkippedRow,
        WorkbookError,
        check_workbook_file,
        import_workbook,
        read_workbook,
    )
    from ctmt_desktop.spreadsheets.templates import write_template

#: Each name of the package and the module it comes from.
_MODULES = {
    "ExportCancelled": "export",
    "ExportResult": "export",
    "export_period_forms": "export",
    "export_records": "export",
    "ImportCancelled": "importer",
    "ImportPlan": "importer",
    "ImportRejected": "importer",
    "ImportResult": "importer",
    "SheetProblem": "importer",
    "SheetResult": "importer",
    "SkippedRow": "importer",
    "WorkbookError": "importer",
    "check_workbook_file": "importer",
    "import_workbook": "importer",
    "read_workbook": "importer",
    "write_template": "templates",
}

__all__ = [
    "ExportCancelled",
    "ExportResult",
    "ImportCancelled",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "SheetProblem",
    "SheetResult",
    "SkippedRow",
    "WorkbookError",
    "check_workbook_file",
    "export_period_forms",
    "export_records",
    "import_workbook",
    "read_workbook",
    "write_template",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
