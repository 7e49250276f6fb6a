"""A table model over the records of one kind, read from the core a page at a time.

The model keeps only record ids and display texts, in pages of :data:`PAGE_SIZE` rows fetched
on demand (a view asks only for the rows it shows), so 100,000 records scroll without delay.
Searching and sorting are the core's: ``list_records`` folds the search words and orders by the
precomputed Vietnamese sort keys; Qt never sorts or filters the rows itself.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.db.models import Activity
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.kinds import FieldSpec, FieldType, kind_spec
from ctmt_desktop.services.records import (
    RecordQuery,
    count_records,
    list_records,
    sortable_fields,
)

PAGE_SIZE = 100
#: Pages kept in memory; the oldest is dropped first (5,000 rows of display text).
CACHED_PAGES = 50

#: The columns a table of each kind shows, in order; kinds not listed show DEFAULT_COLUMNS.
COLUMNS_OF_KIND: dict[str, tuple[str, ...]] = {
    "training": (
        "title",
        "start_date",
        "end_date",
        "places",
        "program",
        "participants",
        "participants_female",
        "cost",
        "status",
    ),
}
DEFAULT_COLUMNS = ("title", "start_date", "end_date", "places", "program", "cost", "status")

_NUMERIC = (FieldType.INT, FieldType.MONEY)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    """One record as the table shows it: its id, a text per column, a tooltip per column."""

    record_id: int
    texts: tuple[str, ...]
    tooltips: tuple[str | None, ...]


class RecordTableModel(QAbstractTableModel):
    """The records of one kind matching a search, in the order of one sortable field.

    Signals:
        counts_changed(int, int): after every requery: records shown (matching the search),
            records of the kind in all.

    Attributes:
        kind: the activity kind (``training``…).
        fields: the field spec of each column.
        RecordIdRole: item data role giving the record id of a row.
    """

    counts_changed = Signal(int, int)
    RecordIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, database: Database, kind: str, catalog: Catalog, *,
                 language: str = "vi", columns: Sequence[str] | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        spec = kind_spec(kind)
        self.kind = spec.code
        self.fields: tuple[FieldSpec, ...] = tuple(
            spec.field(name) for name in (columns or COLUMNS_OF_KIND.get(kind, DEFAULT_COLUMNS))
        )
        self._database = database
        self._catalog = catalog
        self._language = language
        self._sortable = set(sortable_fields(self.kind))
        self._query = RecordQuery(sort="start_date", descending=False, limit=PAGE_SIZE)
        self._pages: OrderedDict[int, list[_Row]] = OrderedDict()
        self._shown = 0
        self._total = 0
        self._count()

    # --- what the window asks ----------------------------------------------------------------
    @property
    def shown_count(self) -> int:
        """Records matching the current search."""
        return self._shown

    @property
    def total_count(self) -> int:
        """Records of the kind, whatever the search."""
        return self._total

    @property
    def search(self) -> str:
        return self._query.search

    @property
    def sort_field(self) -> str:
        return self._query.sort

    @property
    def sort_descending(self) -> bool:
        return self._query.descending

    def column_of(self, field_name: str) -> int:
        """The column showing ``field_name``; ``ValueError`` when the table has none."""
        for column, field in enumerate(self.fields):
            if field.name == field_name:
                return column
        raise ValueError(f"no column shows '{field_name}'")

    def record_id(self, row: int) -> int | None:
        """The id of the record shown in ``row``."""
        found = self._row(row)
        return found.record_id if found else None

    def set_search(self, text: str) -> None:
        """Show only records containing every word of ``text`` (case and accents ignored)."""
        text = text.strip()
        if text != self._query.search:
            self._requery(replace(self._query, search=text))

    def refresh(self) -> None:
        """Read the records again (after they changed)."""
        self._requery(self._query)

    # --- QAbstractTableModel -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.fields):
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if self.fields[index.column()].type in _NUMERIC else _LEFT
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        self.RecordIdRole):  # fmt: skip
            return None
        row = self._row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltips[index.column()]
        return row.record_id

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.fields):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self.fields[section].label(self._language)
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column, as the core orders that field (Vietnamese for text)."""
        if not 0 <= column < len(self.fields) or self.fields[column].name not in self._sortable:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        field = self.fields[column].name
        if (field, descending) != (self._query.sort, self._query.descending):
            self._requery(replace(self._query, sort=field, descending=descending))

    # --- loading -----------------------------------------------------------------------------
    def _requery(self, query: RecordQuery) -> None:
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._count()
        self.endResetModel()
        self.counts_changed.emit(self._shown, self._total)

    def _count(self) -> None:
        with self._database.session() as session:
            self._shown = count_records(session, self.kind, self._query, self._catalog)
            everything = RecordQuery()
            self._total = (
                self._shown
                if not self._query.search
                else count_records(session, self.kind, everything, self._catalog)
            )

    def _row(self, row: int) -> _Row | None:
        if not 0 <= row < self._shown:
            return None
        number, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(number)
        if page is None:
            page = self._load_page(number)
            self._pages[number] = page
            while len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        # The file may have lost records since the count (another program wrote to it).
        return page[offset] if offset < len(page) else None

    def _load_page(self, number: int) -> list[_Row]:
        query = replace(self._query, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
        with self._database.session() as session:
            records = list_records(session, self.kind, query, self._catalog)
            return [self._display(record) for record in records]

    def _display(self, record: Activity) -> _Row:
        texts: list[str] = []
        tooltips: list[str | None] = []
        for field in self.fields:
            text, tooltip = self._field_display(field, record)
            texts.append(text)
            tooltips.append(tooltip)
        return _Row(record.id, tuple(texts), tuple(tooltips))

    def _field_display(self, field: FieldSpec, record: Activity) -> tuple[str, str | None]:
        """The text of one field of a record, and a tooltip saying more when there is more."""
        if field.type is FieldType.PLACES:
            return record.place_names, record.place_names or None
        value = getattr(record, field.name)
        if field.type is FieldType.DATE:
            return format_date(value), None
        if field.type is FieldType.MONEY:
            return format_money(value), None
        if field.type is FieldType.INT:
            return format_number(value), None
        if field.type is FieldType.CODE and field.vocabulary == "program":
            return value or "", self._catalog.term_name("program", value) or None
        if field.type is FieldType.CODE and field.vocabulary:
            return self._catalog.term_name(field.vocabulary, value, self._language), None
        text = "" if value is None else str(value)
        return text, text or None
