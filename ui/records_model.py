"""A table model over the records of one kind, read from the core a page at a time.

The model keeps only record ids and display texts, in pages of :data:`PAGE_SIZE` rows fetched
on demand (a view asks only for the rows it shows), so 100,000 records scroll without delay.
Searching, filtering and sorting are the core's: ``page_rows`` folds the search words,
applies the period, program, place, status and id filters in SQL and orders by the
precomputed Vietnamese sort keys; Qt never sorts or filters the rows itself.

Every field of the kind has a column (plus a few derived ones: criterion met, disbursement
rate, number of evidence files, last change); :data:`COLUMNS_OF_KIND` names those shown by
default, the others start hidden. Hidden columns are not computed.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.formatting import format_date, format_money, format_number, format_percent
from ctmt_desktop.kinds import FieldSpec, FieldType, kind_spec
from ctmt_desktop.periods import Period, parse_scope
from ctmt_desktop.services.comments import open_comments
from ctmt_desktop.services.listing import (
    RecordQuery,
    count_records,
    ordered_ids,
    page_rows,
    sortable_fields,
)

PAGE_SIZE = 100
#: Pages kept in memory; the oldest is dropped first (5,000 rows of display text).
CACHED_PAGES = 50

DEFAULT_COLUMNS = ("title", "start_date", "end_date", "places", "program", "cost", "status")
#: The columns a table of each kind shows by default, in order (the kind's other fields
#: follow, hidden until the user shows them): the title, the date and place and each kind's
#: key figures, so that they fit a table about 1,000 px wide (a 1366 px screen beside the
#: sidebar) without scrolling sideways. The program is a column the user can show; printed
#: lists choose their own columns (``reports.figures.default_list_columns``).
COLUMNS_OF_KIND: dict[str, tuple[str, ...]] = {
    "training": ("title", "start_date", "places", "days", "participants",
                 "participants_female", "cost", "status"),
    "event": ("title", "start_date", "places", "sessions", "participants",
              "participants_female", "cost", "status"),
    "media": ("title", "start_date", "media_type", "quantity", "quantity_unit", "cost",
              "status"),
    "cluster": ("title", "places", "cluster_type", "cluster_status", "year_in_service",
                "investment", "status"),
    "radio": ("title", "places", "start_date", "loudspeaker_clusters", "hamlets_covered",
              "hamlets", "cost", "status"),
    "device": ("title", "start_date", "places", "device_type", "quantity", "cost", "status"),
    "criterion": ("title", "places", "year", "criterion_set", "met", "indicators", "status"),
    "funding": ("title", "year", "funding_source", "plan_amount", "disbursed_amount",
                "disbursement_rate", "status"),
}  # fmt: skip

#: Columns derived from a record rather than stored as a field of its kind.
MET = FieldSpec("met", FieldType.BOOL, "Criterion met", "Đạt tiêu chí")
DISBURSEMENT_RATE = FieldSpec(
    "disbursement_rate", FieldType.INT, "Disbursement rate", "Tỷ lệ giải ngân"
)
UPDATED_AT = FieldSpec("updated_at", FieldType.DATE, "Last changed", "Cập nhật lần cuối")
_DERIVED_OF_KIND: dict[str, tuple[FieldSpec, ...]] = {
    "criterion": (MET,),
    "funding": (DISBURSEMENT_RATE,),
}

#: Shorter column headings (English, Vietnamese) where a field's label is a sentence; the
#: heading's tooltip gives the whole label.
SHORT_HEADINGS: dict[str, tuple[str, str]] = {
    "participants": ("Participants", "Số lượt người"),
    "participants_female": ("Women", "Nữ"),
    "participants_ethnic": ("Ethnic minority", "Người DTTS"),
    "participants_poor": ("Poor households", "Hộ nghèo"),
    "hamlets_covered": ("Hamlets covered", "Thôn có loa"),
    "hamlets": ("Hamlets", "Tổng số thôn"),
    "loudspeaker_clusters": ("Loudspeakers", "Cụm loa"),
    "connected_to_province": ("Linked to province", "Kết nối tỉnh"),
    "year_in_service": ("In service", "Năm sử dụng"),
    "as_of": ("As of", "Giải ngân đến"),
    "outlet": ("Outlet", "Kênh phát hành"),
    "disbursed_amount": ("Disbursed (đồng)", "Đã giải ngân (đồng)"),
    "disbursement_rate": ("Rate", "Tỷ lệ giải ngân"),
}

_NUMERIC = (FieldType.INT, FieldType.MONEY)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

Index = QModelIndex | QPersistentModelIndex
_ICONS: dict[str, Any] = {}


def _comment_icon() -> Any:
    """The marker of a record the ministry commented on (made once)."""
    if "comment" not in _ICONS:
        from ui.style import icon

        _ICONS["comment"] = icon("circle-alert")
    return _ICONS["comment"]


def available_fields(kind: str) -> tuple[FieldSpec, ...]:
    """Every column a table of ``kind`` can show: the default ones first, then the rest."""
    spec = kind_spec(kind)
    every = {f.name: f for f in (*spec.fields, *_DERIVED_OF_KIND.get(spec.code, ()), UPDATED_AT)}
    first = COLUMNS_OF_KIND.get(spec.code, DEFAULT_COLUMNS)
    ordered = [every[name] for name in first if name in every]
    ordered += [f for name, f in every.items() if name not in first]
    return tuple(ordered)


@dataclass(frozen=True)
class RecordFilters:
    """What narrows the table besides the search words.

    Attributes:
        period: keep records starting in it.
        program: keep records of this program node or below it.
        place: keep records in this unit (a current commune also finds its legacy communes).
        status: ``draft`` or ``confirmed``.
        ids: keep only these records (a dashboard figure's records).
    """

    period: Period | None = None
    program: str | None = None
    place: str | None = None
    status: str | None = None
    ids: tuple[int, ...] | None = None

    @property
    def active(self) -> bool:
        return any(value is not None for value in (self.period, self.program, self.place,
                                                    self.status, self.ids))  # fmt: skip


@dataclass(frozen=True)
class _Row:
    """One record as the table shows it: its id, a text per column, a tooltip per column."""

    record_id: int
    texts: tuple[str, ...]
    tooltips: tuple[str | None, ...]


class RecordTableModel(QAbstractTableModel):
    """The records of one kind matching a search and filters, in the order of one field.

    Signals:
        counts_changed(int, int): after every requery: records shown (matching the search
            and filters), records of the kind in all.
        hidden_changed(str, bool): a column was hidden (True) or shown (False).

    Attributes:
        kind: the activity kind (``training``…).
        fields: the field spec of each column.
        RecordIdRole: item data role giving the record id of a row.
    """

    counts_changed = Signal(int, int)
    hidden_changed = Signal(str, bool)
    RecordIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, database: Database, kind: str, catalog: Catalog, *,
                 language: str = "vi", columns: Sequence[str] | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        spec = kind_spec(kind)
        self.kind = spec.code
        every = available_fields(self.kind)
        if columns is None:
            self.fields: tuple[FieldSpec, ...] = every
            shown = set(COLUMNS_OF_KIND.get(self.kind, DEFAULT_COLUMNS))
            self._hidden = {f.name for f in every if f.name not in shown}
        else:
            by_name = {f.name: f for f in every}
            self.fields = tuple(by_name[name] for name in columns)
            self._hidden = set()
        self._database = database
        self._catalog = catalog
        self._language = language
        self._sortable = set(sortable_fields(self.kind))
        self._query = RecordQuery(sort="start_date", descending=False, limit=PAGE_SIZE)
        self._filters = RecordFilters()
        self._pages: OrderedDict[int, list[_Row]] = OrderedDict()
        self._shown = 0
        self._total = 0
        #: The ministry's open comments (record id → text), marked on the title column.
        self._comments: dict[int, str] = {}
        self._count()

    # --- what the window asks ----------------------------------------------------------------
    @property
    def shown_count(self) -> int:
        """Records matching the current search and filters."""
        return self._shown

    @property
    def total_count(self) -> int:
        """Records of the kind, whatever the search and filters."""
        return self._total

    @property
    def search(self) -> str:
        return self._query.search

    @property
    def filters(self) -> RecordFilters:
        return self._filters

    @property
    def query(self) -> RecordQuery:
        """The core query the table shows (offset and limit aside)."""
        return self._query

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

    def is_sortable(self, column: int) -> bool:
        """Whether the core can order the records by the column's field."""
        return 0 <= column < len(self.fields) and self.fields[column].name in self._sortable

    def record_id(self, row: int) -> int | None:
        """The id of the record shown in ``row``."""
        found = self._row(row)
        return found.record_id if found else None

    def row_of(self, record_id: int) -> int | None:
        """The row showing the record ``record_id``, None when the search or filters hide it."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.record_id == record_id:
                    return number * PAGE_SIZE + offset
        with self._database.reading() as connection:
            ids = ordered_ids(connection, self.kind, self._query, self._catalog)
        try:
            return ids.index(record_id)
        except ValueError:
            return None

    def set_search(self, text: str) -> None:
        """Show only records containing every word of ``text`` (case and accents ignored)."""
        text = text.strip()
        if text != self._query.search:
            self._requery(replace(self._query, search=text))

    def set_filters(self, *, period: Period | str | None = None, program: str | None = None,
                    place: str | None = None, status: str | None = None,
                    ids: Sequence[int] | None = None) -> None:  # fmt: skip
        """Replace every filter at once (None: not filtered by it); one requery."""
        if isinstance(period, str):
            scope = parse_scope(period)  # a period, or a program phase such as 2021-2025
            period = Period(scope.code, scope.start, scope.end)
        filters = RecordFilters(
            period=period,
            program=program or None,
            place=place or None,
            status=status or None,
            ids=None if ids is None else tuple(ids),
        )
        if filters != self._filters:
            self._filters = filters
            self._requery(
                replace(
                    self._query,
                    period=filters.period,
                    program=filters.program,
                    place=filters.place,
                    status=filters.status,
                    ids=filters.ids,
                )
            )

    def refresh(self) -> None:
        """Read the records again (after they changed)."""
        self._requery(self._query, recount_total=True)

    # --- hidden columns ----------------------------------------------------------------------
    @property
    def hidden_fields(self) -> frozenset[str]:
        """Names of the fields whose columns are hidden."""
        return frozenset(self._hidden)

    def is_hidden(self, field_name: str) -> bool:
        return field_name in self._hidden

    def set_hidden(self, field_name: str, hidden: bool) -> None:
        """Hide or show the column of ``field_name`` (a view hides its section on the signal)."""
        column = self.column_of(field_name)
        if hidden == (field_name in self._hidden):
            return
        if hidden:
            self._hidden.add(field_name)
        else:
            self._hidden.discard(field_name)
            # Hidden columns were not computed: read the cached rows again when asked.
            self._pages.clear()
            if self._shown:
                self.dataChanged.emit(self.index(0, column), self.index(self._shown - 1, column))
        self.hidden_changed.emit(field_name, hidden)

    # --- QAbstractTableModel -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.fields)

    def ministry_comment(self, record_id: int) -> str | None:
        """The ministry's open comment on a record (from its last receipt), or None."""
        return self._comments.get(record_id)

    def _marker_column(self) -> int:
        try:
            return self.column_of("title")
        except ValueError:
            return 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.fields):
            return None
        if self._comments and index.column() == self._marker_column() and role in (
            Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
        ):  # fmt: skip
            row = self._row(index.row())
            comment = self._comments.get(row.record_id) if row is not None else None
            if comment is not None and row is not None:
                if role == Qt.ItemDataRole.DecorationRole:
                    return _comment_icon()
                own = row.tooltips[index.column()] or row.texts[index.column()]
                said = QCoreApplication.translate("RecordTableModel", "The ministry: {comment}")
                return said.format(comment=comment) + (f"\n{own}" if own else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            field = self.fields[index.column()]
            if field.type is FieldType.BOOL:
                return _CENTER
            return _RIGHT if field.type in _NUMERIC else _LEFT
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
            field = self.fields[section]
            if role == Qt.ItemDataRole.DisplayRole:
                short = SHORT_HEADINGS.get(field.name)
                if short is not None:
                    return short[1] if self._language == "vi" else short[0]
                return field.label(self._language)
            if role == Qt.ItemDataRole.ToolTipRole:
                return field.label(self._language)
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column, as the core orders that field (Vietnamese for text)."""
        if not self.is_sortable(column):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        field = self.fields[column].name
        if (field, descending) != (self._query.sort, self._query.descending):
            self._requery(replace(self._query, sort=field, descending=descending))

    # --- loading -----------------------------------------------------------------------------
    def _requery(self, query: RecordQuery, *, recount_total: bool = False) -> None:
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._count(recount_total=recount_total)
        self.endResetModel()
        self.counts_changed.emit(self._shown, self._total)

    def _count(self, *, recount_total: bool = True) -> None:
        """Count the matches while reading the first page (one query, not two, per keystroke)."""
        with self._database.reading() as connection:  # plain SQL: no ORM for the lists
            first = page_rows(connection, self.kind, replace(self._query, offset=0,
                              limit=PAGE_SIZE), self._catalog)  # fmt: skip
            self._shown = first.total
            if recount_total:  # the ministry's comments change only with a receipt
                self._comments = open_comments(connection)
            self._pages[0] = [self._display(record) for record in first.records]
            narrowed = bool(self._query.search.strip()) or self._filters.active
            if not narrowed:
                self._total = self._shown
            elif recount_total:  # the records of the kind change only on refresh
                self._total = count_records(connection, self.kind, RecordQuery(), self._catalog)

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
        with self._database.reading() as connection:
            records = page_rows(connection, self.kind, query, self._catalog).records
            return [self._display(record) for record in records]

    def _display(self, record: dict[str, Any]) -> _Row:
        texts: list[str] = []
        tooltips: list[str | None] = []
        for field in self.fields:
            if field.name in self._hidden:
                text, tooltip = "", None
            else:
                text, tooltip = self._field_display(field, record)
            texts.append(text)
            tooltips.append(tooltip)
        return _Row(record["id"], tuple(texts), tuple(tooltips))

    def _field_display(self, field: FieldSpec, record: dict[str, Any]) -> tuple[str, str | None]:
        """The text of one field of a record (as ``page_rows`` gives it), and a tooltip saying
        more when there is more."""
        if field.type is FieldType.PLACES:
            return record["place_names"], record["place_names"] or None
        if field.type is FieldType.EVIDENCE:
            names = [link["name"] for link in record["evidence"]]
            return (format_number(len(names)) if names else ""), "\n".join(names) or None
        if field.type is FieldType.INDICATORS:
            return self._indicators_display(record)
        if field is DISBURSEMENT_RATE:
            plan, disbursed = record["plan_amount"], record["disbursed_amount"]
            if not plan:
                return "", None
            return format_percent(100 * (disbursed or 0) / plan), None
        if field is UPDATED_AT:
            changed = record["updated_at"]
            return f"{format_date(changed.date())} {changed:%H:%M}", record["updated_by"]
        value = record[field.name]
        if field.type is FieldType.DATE:
            return format_date(value), None
        if field.type is FieldType.MONEY:
            return format_money(value), None
        if field.type is FieldType.INT:
            if (field.minimum or 0) >= 1900:  # a year: 2025, not 2.025
                return ("" if value is None else str(value)), None
            return format_number(value), None
        if field.type is FieldType.BOOL:
            if value is None:
                return "", None
            yes = QCoreApplication.translate("RecordTableModel", "Yes")
            no = QCoreApplication.translate("RecordTableModel", "No")
            return (yes if value else no), None
        if field.type is FieldType.CODE and field.vocabulary == "program":
            return value or "", self._catalog.term_name("program", value) or None
        if field.type is FieldType.CODE and field.vocabulary:
            name = self._catalog.term_name(field.vocabulary, value, self._language)
            return name, name or None
        text = "" if value is None else str(value)
        return text, text or None

    def _indicators_display(self, record: dict[str, Any]) -> tuple[str, str | None]:
        results: dict[str, bool] = record["indicators"] or {}
        if not results:
            return "", None
        met = sum(1 for value in results.values() if value)
        names = {
            term.code: term.name(self._language)
            for term in self._catalog.criterion_indicators(record["criterion_set"])
        }
        lines = [f"{'✓' if ok else '✗'} {code} {names.get(code, '')}".rstrip()
                 for code, ok in results.items()]  # fmt: skip
        return f"{met}/{len(results)}", "\n".join(lines)
