"""Editors the record forms and pages share: money in đồng, counts and dates that may be
empty, a commune picker that searches without diacritics, a program tree picker, the
indicators of a criterion set, a list of evidence files, and a yes/no question.

Every value is written the Vietnamese way (``1.234.567``, ``dd/MM/yyyy``) whatever the
interface language, like the tables and reports.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QRect,
    QRegularExpression,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QDesktopServices,
    QKeyEvent,
    QMouseEvent,
    QPaintEvent,
    QRegularExpressionValidator,
    QShowEvent,
    QStandardItem,
    QStandardItemModel,
    QValidator,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import AdminUnit, Catalog, ProgramNode
from ctmt_desktop.evidence import EvidenceStore
from ctmt_desktop.formatting import format_date, format_number
from ctmt_desktop.text import fold, sort_key
from ui.i18n import translate_buttons
from ui.style import icon

#: What an empty optional date holds internally (shown as an empty box).
NULL_DATE = QDate(1900, 1, 1)
_DIGITS = QRegularExpression(r"[0-9][0-9.  ]*")
#: The line inside a spin or date box is drawn by the box itself, not as a second frame.
_INNER_LINE_STYLE = "QLineEdit { border: none; padding: 0; margin: 0; background: transparent; }"
_SPIN_STYLE = (
    "QSpinBox::up-button, QSpinBox::down-button { width: 0px; border: none; }" + _INNER_LINE_STYLE
)


def ignore_wheel_unless_focused(widget: QWidget) -> None:
    """Let the mouse wheel scroll the form instead of changing a combo or spin box under it."""
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_WHEEL_GUARD)


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget):
            if not watched.hasFocus():
                event.ignore()
                return True
        return False


_WHEEL_GUARD = _WheelGuard()


def line_edit_height(widget: QWidget) -> int:
    """The height a line edit has where ``widget`` sits (same font and stylesheet)."""
    probe = QLineEdit(widget.parentWidget())
    probe.setFont(widget.font())
    probe.hide()
    probe.ensurePolished()
    height = probe.sizeHint().height()
    probe.deleteLater()
    return height


ERROR_STYLE = "color: #b3261e;"


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A wrapped, muted explanation under or beside the fields it is about."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


def error_label(field: str, labels: dict[str, QLabel]) -> QLabel:
    """A hidden message label for the problems of ``field`` (``""``: of no field), kept in
    ``labels`` under that field."""
    label = QLabel()
    label.setObjectName(f"{field or 'general'}_error")
    label.setProperty("role", "error")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    labels[field] = label
    return label


def with_error_label(widget: QWidget, field: str, labels: dict[str, QLabel]) -> QWidget:
    """``widget`` with the message label of ``field`` right under it."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(widget)
    column.addWidget(error_label(field, labels))
    return box


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Highlight ``widget`` as holding a wrong value (the stylesheet draws ``invalid``)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


def ask_confirmation(parent: QWidget | None, title: str, text: str, *,
                     details: str = "", yes_text: str | None = None) -> bool:  # fmt: skip
    """Ask a yes/no question (No is the default); True when the user answered Yes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setInformativeText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    translate_buttons(box)
    if yes_text:
        yes = box.button(QMessageBox.StandardButton.Yes)
        if yes is not None:
            yes.setText(yes_text)
    return box.exec() == QMessageBox.StandardButton.Yes.value


# --- numbers -----------------------------------------------------------------------------------
class MoneyEdit(QLineEdit):
    """Whole đồng with thousands separators: typing ``1234567`` shows ``1.234.567``.

    Signals:
        value_changed(object): the amount (int) or None when the box was emptied.
    """

    value_changed = Signal(object)
    MAX_DIGITS = 16  # 10**15 đồng, the core's ceiling

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(_DIGITS, self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0")
        self.textEdited.connect(self._regroup)

    def value(self) -> int | None:
        """The amount in đồng, or None when empty."""
        digits = "".join(ch for ch in self.text() if ch.isdigit())
        return int(digits) if digits else None

    def setValue(self, value: int | None) -> None:  # noqa: N802 - Qt naming, like QSpinBox
        self.setText("" if value is None else format_number(value))
        self.value_changed.emit(value)

    def _regroup(self, text: str) -> None:
        cursor = self.cursorPosition()
        digits_before = sum(1 for ch in text[:cursor] if ch.isdigit())
        digits = "".join(ch for ch in text if ch.isdigit()).lstrip("0") or (
            "0" if any(ch.isdigit() for ch in text) else ""
        )
        digits = digits[: self.MAX_DIGITS]
        grouped = format_number(int(digits)) if digits else ""
        if grouped != text:
            self.setText(grouped)
            position, seen = 0, 0
            while position < len(grouped) and seen < digits_before:
                if grouped[position].isdigit():
                    seen += 1
                position += 1
            self.setCursorPosition(position)
        self.value_changed.emit(self.value())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = self.fontMetrics().horizontalAdvance(format_number(999_999_999_999)) + 24
        return QSize(max(hint.width(), width), hint.height())


class CountEdit(QSpinBox):
    """A whole number that may be left empty (an optional count, or one not typed yet).

    Counts are grouped the Vietnamese way (``1.250``); years are not. Up and Down step from
    an empty box to the smallest allowed value.
    """

    def __init__(self, minimum: int = 0, maximum: int = 10_000_000, *, grouped: bool = True,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._empty = minimum - 1
        self._grouped = grouped
        self.setRange(minimum - 1, maximum)
        self.setValue(self._empty)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAccelerated(True)
        # Numbers are typed; Up and Down still step. Arrow buttons only crowd a narrow box.
        self.setStyleSheet(_SPIN_STYLE)
        ignore_wheel_unless_focused(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.maximumHeight() > 10_000:  # as tall as the line edits beside it, once
            self.setFixedHeight(line_edit_height(self))

    def number(self) -> int | None:
        """The number, or None when the box is empty."""
        self.interpretText()
        value = self.value()
        return None if value == self._empty else value

    def set_number(self, value: int | None) -> None:
        self.setValue(self._empty if value is None else value)

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        if value == self._empty:
            return ""
        return format_number(value) if self._grouped else str(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        digits = "".join(ch for ch in text if ch.isdigit())
        return int(digits) if digits else self._empty

    def validate(self, text: str, position: int) -> object:
        digits = text.replace(".", "").replace(" ", "").strip()
        if not digits:
            return (QValidator.State.Acceptable, text, position)
        if not digits.isdigit() or int(digits) > self.maximum():
            return (QValidator.State.Invalid, text, position)
        if int(digits) <= self._empty:
            return (QValidator.State.Intermediate, text, position)
        return (QValidator.State.Acceptable, text, position)

    def fixup(self, text: str) -> str:
        return text


class DateEdit(QDateEdit):
    """A date as ``dd/MM/yyyy`` with a calendar popup; an optional one may be left empty.

    An empty date shows an empty box; Delete or Backspace over the whole text empties it;
    typing a digit or opening the calendar starts from :meth:`set_reference_date` (today
    unless told otherwise).

    Signals:
        day_changed(object): the date (``datetime.date``) or None.
    """

    day_changed = Signal(object)

    def __init__(self, *, optional: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._optional = optional
        self._reference: date | None = None
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)
        self.setStyleSheet(_INNER_LINE_STYLE)
        self.calendarWidget().setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendarWidget().installEventFilter(self)
        if optional:
            self.setMinimumDate(NULL_DATE)
            self.setSpecialValueText(" ")
            self.setDate(NULL_DATE)
        else:
            self.setDate(QDate.currentDate())
        self.dateChanged.connect(lambda _day: self.day_changed.emit(self.day()))
        ignore_wheel_unless_focused(self)
        # A date is ten characters: a compact box, never stretched across a form's column.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedWidth(max(130, self.fontMetrics().horizontalAdvance("00/00/00000") + 44))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.maximumHeight() > 10_000:  # as tall as the line edits beside it, once
            self.setFixedHeight(line_edit_height(self))

    def day(self) -> date | None:
        """The date, or None when an optional date is empty."""
        if self._optional and self.date() == NULL_DATE:
            return None
        return self.date().toPython()  # type: ignore[no-any-return]

    def set_day(self, value: date | None) -> None:
        if value is None:
            if self._optional:
                self.setDate(NULL_DATE)
            return
        self.setDate(QDate(value.year, value.month, value.day))

    def set_reference_date(self, value: date | None) -> None:
        """The date an empty box starts from when the user types or opens the calendar."""
        self._reference = value

    def _start_day(self) -> QDate:
        day = self._reference or date.today()
        return QDate(day.year, day.month, day.day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        empty = self.day() is None
        key = event.key()
        if self._optional and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            line = self.lineEdit()
            if empty or line.selectedText() == line.text():
                self.setDate(NULL_DATE)
                return
        if empty and (event.text().isdigit() or key in (Qt.Key.Key_Up, Qt.Key.Key_Down)):
            self.setDate(self._start_day())
            self.setSelectedSection(QDateTimeEdit.Section.DaySection)
            if not event.text().isdigit():
                return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt override
        # Tab leaves the date (typing fills day, month and year in turn), as in every other box.
        return QWidget.focusNextPrevChild(self, next)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.calendarWidget() and event.type() == QEvent.Type.Show:
            if self.day() is None:  # open on the month that matters, not on 1900
                start = self._start_day()
                self.calendarWidget().setCurrentPage(start.year(), start.month())
        return super().eventFilter(watched, event)


# --- a layout that wraps -----------------------------------------------------------------------
class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to the next line (for chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


# --- communes ----------------------------------------------------------------------------------
_CHIP_STYLE = (
    "QToolButton { background: #e8f0fb; border: 1px solid #bcd0ee; border-radius: 10px;"
    " padding: 1px 6px 1px 8px; color: #0f3d75; }"
    "QToolButton:hover { background: #d6e4f8; }"
)


@dataclass(frozen=True)
class _Candidate:
    """An administrative unit the picker offers, with the words it matches on."""

    unit: AdminUnit
    text: str
    words: tuple[str, ...]
    rank: int  # 0 the province, 1 current communes, 2 legacy units


class CommunePicker(QWidget):
    """Choose the department's communes by typing part of their names, accents optional.

    ``lao bao`` finds *Xã Lao Bảo*, ``huong phung`` *Xã Hướng Phùng*. The current communes
    are always offered; the legacy ones (before 01/07/2025) only while
    :meth:`set_legacy_offered` says so. With ``multiple`` the chosen units show as chips
    (Backspace in the empty box removes the last one); otherwise the box shows the one
    chosen, and clearing it clears the choice.

    Signals:
        changed(): the chosen codes changed.

    Attributes:
        search_box: the line the user types in.
        completer: the popup of matching units.
    """

    changed = Signal()
    MAX_SUGGESTIONS = 60

    def __init__(self, catalog: Catalog, province: str, *, multiple: bool = False,
                 include_province: bool = False, legacy: bool = False,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self._province = province
        self._multiple = multiple
        self._include_province = include_province
        self._legacy = legacy
        self._codes: list[str] = []
        self._candidates: list[_Candidate] = []
        self._build_candidates()

        self.search_box = QLineEdit()
        self.search_box.setObjectName("commune_search")
        self.search_box.setClearButtonEnabled(not multiple)
        self.search_box.setPlaceholderText(
            self.tr("Type to add a commune, e.g. lao bao")
            if multiple
            else self.tr("Type a commune name, e.g. lao bao")
        )
        self.search_box.setToolTip(
            self.tr("Accents do not matter: “huong phung” finds “Xã Hướng Phùng”.")
        )
        self._suggestions = QStandardItemModel(self)
        self.completer = QCompleter(self._suggestions, self)
        self.completer.setWidget(self.search_box)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.activated[QModelIndex].connect(self._on_activated)
        self.search_box.textEdited.connect(self._on_edited)
        self.search_box.editingFinished.connect(self._on_editing_finished)
        self.search_box.installEventFilter(self)
        if not multiple:
            self.search_box.textChanged.connect(self._on_text_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._chips = QWidget()
        self._chips_layout = FlowLayout(self._chips)
        self._chips.setVisible(False)
        self._chips.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self._chips)
        layout.addWidget(self.search_box)
        self.setFocusProxy(self.search_box)

    # --- the choice ----------------------------------------------------------------------------
    def codes(self) -> list[str]:
        """The chosen unit codes, in the order chosen."""
        return list(self._codes)

    def set_codes(self, codes: Iterable[str]) -> None:
        """Choose these units (replacing the choice); unknown codes are kept as they are."""
        wanted = list(dict.fromkeys(c for c in codes if c))
        if not self._multiple:
            wanted = wanted[:1]
        if wanted != self._codes:
            self._codes = wanted
            self._show_choice()
            self.changed.emit()
        else:
            self._show_choice()

    def choose(self, code: str) -> None:
        """Add a unit (multiple) or make it the choice (single)."""
        if self._multiple:
            if code not in self._codes:
                self.set_codes([*self._codes, code])
            else:
                self.search_box.clear()
        else:
            self.set_codes([code])

    def remove(self, code: str) -> None:
        self.set_codes([c for c in self._codes if c != code])

    def set_legacy_offered(self, offered: bool) -> None:
        """Offer the legacy communes (and old provinces and districts) too, or not."""
        if offered != self._legacy:
            self._legacy = offered
            self._build_candidates()

    @property
    def legacy_offered(self) -> bool:
        return self._legacy

    def display_name(self, code: str) -> str:
        """How a chosen unit is named (legacy ones say so)."""
        unit = self._catalog.admin.get(code)
        return self._describe(unit) if unit else code

    # --- finding -------------------------------------------------------------------------------
    def candidates(self, text: str) -> list[AdminUnit]:
        """The units offered for ``text``: every word starts a word of the name."""
        needle = fold(text).replace(",", " ").split()
        exact = self._catalog.admin.get(text.strip())
        if exact is not None and any(c.unit.code == exact.code for c in self._candidates):
            return [exact]
        found: list[tuple[tuple[int, int, str], AdminUnit]] = []
        for candidate in self._candidates:
            words = candidate.words
            if not all(any(w.startswith(part) for w in words) for part in needle):
                continue
            typed = " ".join(needle)
            bare = " ".join(words[1:]) if len(words) > 1 else words[0]
            starts = 0 if bare.startswith(typed) or " ".join(words).startswith(typed) else 1
            found.append(((candidate.rank, starts, sort_key(candidate.unit.name)), candidate.unit))
        found.sort(key=lambda pair: pair[0])
        return [unit for _, unit in found]

    def _build_candidates(self) -> None:
        admin = self._catalog.admin
        candidates: list[_Candidate] = []

        def add(unit: AdminUnit, rank: int) -> None:
            words = tuple(fold(unit.name).split())
            candidates.append(_Candidate(unit, self._describe(unit), words, rank))

        province = admin.get(self._province)
        if self._include_province and province is not None:
            add(province, 0)
        for unit in admin.communes(self._province):
            add(unit, 1)
        if self._legacy:
            for unit in admin:
                if not unit.legacy or unit.province != self._province:
                    continue
                if unit.level == "commune" or self._include_province:
                    add(unit, 2)
        self._candidates = candidates

    def _describe(self, unit: AdminUnit) -> str:
        if unit.level == "province" and not unit.legacy:
            return self.tr("{name} (whole province)").format(name=unit.name)
        if not unit.legacy:
            return unit.name
        parent = self._catalog.admin.get(unit.parent) if unit.parent else None
        if parent is not None:
            return self.tr("{name}, {parent} (before 01/07/2025)").format(
                name=unit.name, parent=parent.name
            )
        return self.tr("{name} (before 01/07/2025)").format(name=unit.name)

    # --- typing --------------------------------------------------------------------------------
    def _on_edited(self, text: str) -> None:
        if text.strip():
            self._suggest(self.candidates(text))
        else:
            self.completer.popup().hide()

    def _suggest(self, units: list[AdminUnit]) -> None:
        self._suggestions.clear()
        for unit in units[: self.MAX_SUGGESTIONS]:
            item = QStandardItem(self._describe(unit))
            item.setData(unit.code, Qt.ItemDataRole.UserRole)
            item.setToolTip(f"{self._describe(unit)} — {unit.code}")
            if unit.legacy:
                item.setForeground(Qt.GlobalColor.darkGray)
            self._suggestions.appendRow(item)
        if units:
            self.completer.setCompletionPrefix("")
            box = self.search_box
            width = max(box.width(), box.fontMetrics().horizontalAdvance("x" * 56))
            self.completer.complete(QRect(0, 0, width, box.height()))
            self.completer.popup().setCurrentIndex(self.completer.completionModel().index(0, 0))
        else:
            self.completer.popup().hide()

    def suggestions(self) -> list[str]:
        """Texts of the suggestions the popup offers now."""
        return [self._suggestions.item(row).text() for row in range(self._suggestions.rowCount())]

    def _on_activated(self, index: QModelIndex) -> None:
        code = index.data(Qt.ItemDataRole.UserRole)
        if code:
            self.choose(str(code))

    def _on_text_changed(self, text: str) -> None:
        if not text and self._codes:
            self.set_codes([])  # an emptied single picker (its clear button) chooses nothing

    def _on_editing_finished(self) -> None:
        if self.completer.popup().isVisible():
            return
        if self._multiple:
            return
        if not self.search_box.text().strip():
            if self._codes:
                self.set_codes([])
        else:
            self._show_choice()  # typed text that chose nothing: show the choice again

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key == Qt.Key.Key_Down and not self.completer.popup().isVisible():
                text = self.search_box.text()
                chosen_text = not self._multiple and self._codes and (
                    text == self.display_name(self._codes[0])
                )  # fmt: skip
                self._suggest(self.candidates("" if chosen_text else text))
                return True
            if (key == Qt.Key.Key_Backspace and self._multiple and self._codes
                    and not self.search_box.text()):  # fmt: skip
                self.remove(self._codes[-1])
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                units = self.candidates(self.search_box.text()) if self.search_box.text() else []
                if len(units) == 1:
                    self.choose(units[0].code)
                    return True
        return super().eventFilter(watched, event)

    # --- showing the choice --------------------------------------------------------------------
    def _show_choice(self) -> None:
        if not self._multiple:
            text = self.display_name(self._codes[0]) if self._codes else ""
            if self.search_box.text() != text:
                self.search_box.blockSignals(True)
                self.search_box.setText(text)
                self.search_box.setCursorPosition(0)
                self.search_box.blockSignals(False)
            self.search_box.setToolTip(text or self.search_box.placeholderText())
            return
        while self._chips_layout.count():
            item = self._chips_layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for code in self._codes:
            chip = QToolButton()
            chip.setObjectName("chip")
            name = self.display_name(code)
            chip.setText(self._chip_text(chip, code, name))
            chip.setIcon(icon("x"))
            chip.setIconSize(QSize(12, 12))
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            chip.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            chip.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            chip.setToolTip(self.tr("Remove {name}").format(name=name))
            chip.setStyleSheet(_CHIP_STYLE)
            chip.setProperty("code", code)
            chip.clicked.connect(lambda _checked=False, c=code: self.remove(c))
            self._chips_layout.addWidget(chip)
        self._chips.setVisible(bool(self._codes))
        self.search_box.clear()
        self._chips.updateGeometry()
        self.updateGeometry()

    def _chip_text(self, chip: QToolButton, code: str, name: str) -> str:
        """A chip's text: a long name elided in the middle, but the legacy unit's
        "(before 01/07/2025)" always whole (it is what tells the two communes apart)."""
        metrics = chip.fontMetrics()
        room = metrics.horizontalAdvance("x" * 34)
        unit = self._catalog.admin.get(code)
        suffix = ""
        if unit is not None and unit.legacy and name.endswith(")") and " (" in name:
            name, _, tail = name.rpartition(" (")
            suffix = " (" + tail
        head = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room)
        return head + suffix

    def chip_texts(self) -> list[str]:
        """Texts of the chips shown (multiple pickers); long names are elided."""
        return [
            item.widget().text()
            for index in range(self._chips_layout.count())
            if (item := self._chips_layout.itemAt(index)) is not None and item.widget()
        ]

    def set_invalid(self, invalid: bool) -> None:
        mark_invalid(self.search_box, invalid)


# --- combo boxes with long values -------------------------------------------------------------
class ElidedComboBox(QComboBox):
    """A combo box that shows a value too long for it with "…" at the end (never cut in the
    middle of a letter) and the whole value as its tooltip; the popup is at least as wide as
    its longest item (up to the screen) and each item's tooltip holds its whole text.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentIndexChanged.connect(self._update_tooltip)

    def displayed_text(self) -> str:
        """The text the box shows: the current value, elided to the room it has."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        room = (
            self.style()
            .subControlRect(
                QStyle.ComplexControl.CC_ComboBox,
                option,
                QStyle.SubControl.SC_ComboBoxEditField,
                self,
            )
            .width()
        )
        text = option.currentText
        return self.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(room - 4, 0))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        if self.currentIndex() >= 0 or not self.placeholderText():
            option.currentText = self.displayed_text()
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        metrics = self.view().fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.itemText(row)) for row in range(self.count())),
            default=0,
        )
        screen = self.screen().availableGeometry().width() if self.screen() else 1200
        self.view().setMinimumWidth(min(max(widest + 48, self.width()), screen - 40))
        for row in range(self.count()):
            if not self.itemData(row, Qt.ItemDataRole.ToolTipRole):
                self.setItemData(row, self.itemText(row), Qt.ItemDataRole.ToolTipRole)
        super().showPopup()

    def _update_tooltip(self, _index: int = 0) -> None:
        self.setToolTip(self.currentText() if self.currentIndex() >= 0 else "")


# --- programs ----------------------------------------------------------------------------------
class ProgramPicker(ElidedComboBox):
    """A program node chosen from a tree that shows only the nodes valid on the record's dates.

    It looks and behaves like a combo box (F4, Alt+Down or a click open the tree; Enter or a
    click chooses; Escape closes). :meth:`set_dates` narrows the tree when the dates change;
    a chosen node no longer valid stays chosen (the core then says why it cannot be saved).

    Signals:
        program_changed(object): the chosen code, or None.

    Attributes:
        tree: the tree in the popup.
    """

    program_changed = Signal(object)

    def __init__(self, catalog: Catalog, *, allow_none: bool = False,
                 none_text: str = "", parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self._code: str | None = None
        self._allow_none = allow_none
        self._none_text = none_text
        self._dates: tuple[date, date] | None = None
        self.setPlaceholderText(self.tr("Choose a program, project or content line"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)
        ignore_wheel_unless_focused(self)

        self._popup = QFrame(self, Qt.WindowType.Popup)
        self._popup.setObjectName("program_popup")
        self._popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.tree = QTreeWidget(self._popup)
        self.tree.setObjectName("program_tree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Program, project, content line"), self.tr("Code")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._on_item_chosen)
        self.tree.itemClicked.connect(self._on_item_chosen)
        self.tree.installEventFilter(self)
        self.dates_label = QLabel()
        self.dates_label.setObjectName("program_dates")
        self.dates_label.setProperty("role", "muted")
        self.dates_label.setWordWrap(True)
        popup_layout = QVBoxLayout(self._popup)
        popup_layout.setContentsMargins(6, 4, 6, 6)
        popup_layout.setSpacing(4)
        popup_layout.addWidget(self.dates_label)
        popup_layout.addWidget(self.tree)
        self._fill_tree()
        self._show_code()

    # --- value ---------------------------------------------------------------------------------
    def code(self) -> str | None:
        return self._code

    def set_code(self, code: str | None) -> None:
        code = code or None
        changed = code != self._code
        self._code = code
        self._show_code()
        if changed:
            self.program_changed.emit(code)

    def set_dates(self, start: date | None, end: date | None) -> None:
        """Show only the nodes valid over ``start``–``end`` (all nodes when no dates)."""
        dates = None if start is None else (start, max(end or start, start))
        if dates != self._dates:
            self._dates = dates
            self._fill_tree()
            self._show_code()

    def visible_codes(self) -> list[str]:
        """Codes of the nodes the tree offers now, in tree order."""
        found: list[str] = []

        def walk(item: QTreeWidgetItem) -> None:
            code = item.data(0, Qt.ItemDataRole.UserRole)
            if code:
                found.append(code)
            for index in range(item.childCount()):
                walk(item.child(index))

        for index in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(index))
        return found

    def is_valid_choice(self) -> bool:
        """Whether the chosen node is valid on the dates (True when nothing is chosen)."""
        return self._code is None or self._code in self._valid_codes()

    # --- the tree ------------------------------------------------------------------------------
    def _valid_nodes(self) -> list[ProgramNode]:
        if self._dates is None:
            return list(self._catalog.programs.values())
        return self._catalog.programs_valid_over(*self._dates)

    def _valid_codes(self) -> set[str]:
        return {node.code for node in self._valid_nodes()}

    def _fill_tree(self) -> None:
        self.tree.clear()
        if self._dates is None:
            self.dates_label.setText(self.tr("All program nodes."))
        else:
            self.dates_label.setText(
                self.tr(
                    "Nodes valid from {start} to {end}. Change the record's dates to see "
                    "other programs."
                ).format(start=format_date(self._dates[0]), end=format_date(self._dates[1]))
            )
        if self._allow_none:
            none = QTreeWidgetItem([self._none_text, ""])
            none.setData(0, Qt.ItemDataRole.UserRole, "")
            self.tree.addTopLevelItem(none)
        items: dict[str, QTreeWidgetItem] = {}
        for node in self._valid_nodes():
            item = QTreeWidgetItem([node.name, node.code])
            item.setData(0, Qt.ItemDataRole.UserRole, node.code)
            tooltip = (
                f"{node.code}\n{node.name}\n"
                f"{format_date(node.valid_from)} – {format_date(node.valid_to)}"
            )
            if node.legal_basis:
                tooltip += f"\n{node.legal_basis}"
            item.setToolTip(0, tooltip)
            item.setToolTip(1, tooltip)
            if node.depth == 0:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            parent_code = node.parent
            while parent_code is not None and parent_code not in items:
                parent = self._catalog.program(parent_code)
                parent_code = parent.parent if parent else None
            if parent_code is None:
                self.tree.addTopLevelItem(item)
            else:
                items[parent_code].addChild(item)
            items[node.code] = item
        self.tree.expandAll()

    def _show_code(self) -> None:
        self.blockSignals(True)
        self.clear()
        if self._code is not None:
            node = self._catalog.program(self._code)
            text = f"{self._code} — {node.name}" if node else self._code
            if not self.is_valid_choice():
                text = self.tr("{program} (not valid on these dates)").format(program=text)
            self.addItem(text, self._code)
            self.setCurrentIndex(0)
            self.setToolTip(text)
        elif self._allow_none and self._none_text:
            self.addItem(self._none_text, "")
            self.setCurrentIndex(0)
            self.setToolTip("")
        else:
            self.setCurrentIndex(-1)
            self.setToolTip("")
        self.blockSignals(False)

    def showPopup(self) -> None:  # noqa: N802 - Qt override
        self.tree.clearSelection()
        current = self._find_item(self._code or "")
        if current is not None:
            self.tree.setCurrentItem(current)
            current.setSelected(True)
            self.tree.scrollToItem(current)
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        screen = self.screen().availableGeometry()
        width = min(max(self.width(), 720), screen.width())
        height = min(420, screen.height() // 2)
        below = self.mapToGlobal(QPoint(0, self.height()))
        x = max(screen.left(), min(below.x(), screen.right() - width))
        y = below.y() if below.y() + height <= screen.bottom() else (
            self.mapToGlobal(QPoint(0, 0)).y() - height
        )  # fmt: skip
        self._popup.setGeometry(x, y, width, height)
        self._popup.show()
        self.tree.setFocus()

    def hidePopup(self) -> None:  # noqa: N802 - Qt override
        self._popup.hide()
        super().hidePopup()

    def popup_visible(self) -> bool:
        return self._popup.isVisible()

    def _find_item(self, code: str) -> QTreeWidgetItem | None:
        matches = self.tree.findItems(
            "*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive, 0
        )
        for item in matches:
            if item.data(0, Qt.ItemDataRole.UserRole) == code:
                return item
        return None

    def choose(self, code: str | None) -> None:
        """Choose a node as the user would (closing the tree)."""
        self.hidePopup()
        self.set_code(code)
        self.setFocus()

    def _on_item_chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.choose(item.data(0, Qt.ItemDataRole.UserRole) or None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:
                self.hidePopup()
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def set_invalid(self, invalid: bool) -> None:
        mark_invalid(self, invalid)


# --- criterion indicators ----------------------------------------------------------------------
class _ClickableLabel(QLabel):
    """The name beside a check box; clicking it toggles the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton and self._box.isEnabled():
            self._box.toggle()
        super().mouseReleaseEvent(event)


class IndicatorChecks(QWidget):
    """A check box per indicator of a criterion set ("met" when checked).

    Signals:
        changed(): a box was checked or unchecked, or the set changed.

    Attributes:
        boxes: the check box of each indicator code.
    """

    changed = Signal()

    def __init__(self, catalog: Catalog, language: str = "vi",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._catalog = catalog
        self._language = language
        self._criterion_set: str | None = None
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(4)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(6)
        self._grid.setColumnStretch(1, 1)
        self._note = QLabel()
        self._note.setWordWrap(True)
        self._note.setProperty("role", "muted")
        layout.addLayout(self._grid)
        layout.addWidget(self._note)
        self.set_criterion_set(None)

    def set_criterion_set(self, criterion_set: str | None) -> None:
        """Show the indicators of ``criterion_set`` (keeping the results of codes it shares)."""
        kept = self.values()
        self._criterion_set = criterion_set
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.boxes = {}
        terms = self._catalog.criterion_indicators(criterion_set) if criterion_set else []
        for row, term in enumerate(terms):
            box = QCheckBox(term.code)
            box.setObjectName(f"indicator_{term.code}")
            box.setChecked(kept.get(term.code, False))
            box.toggled.connect(self.changed)
            box.setToolTip(term.name(self._language))
            name = _ClickableLabel(term.name(self._language), box)
            name.setWordWrap(True)
            self._grid.addWidget(box, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(name, row, 1)
            self.boxes[term.code] = box
        if criterion_set is None:
            self._note.setText(self.tr("Choose the criterion set first."))
        elif not terms:
            self._note.setText(
                self.tr(
                    "The indicators of this criterion set are not in the catalog yet; "
                    "install a newer catalog to assess it."
                )
            )
        self._note.setVisible(not terms)
        self.changed.emit()

    def values(self) -> dict[str, bool]:
        return {code: box.isChecked() for code, box in self.boxes.items()}

    def set_values(self, values: Mapping[str, bool]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(bool(values.get(code, False)))

    def set_invalid(self, invalid: bool) -> None:
        for box in self.boxes.values():
            mark_invalid(box, invalid)


# --- evidence ----------------------------------------------------------------------------------
class EvidenceList(QWidget):
    """The evidence files of a record: Attach… (stored when the record is saved), Open, Remove.

    Files already stored are referred to by their SHA-256; new ones by their path, which the
    records service stores content-addressed on save.

    Signals:
        changed(): a file was attached or removed.

    Attributes:
        files: the list of files.
        attach_button, open_button, remove_button: the actions.
    """

    changed = Signal()

    def __init__(self, store: EvidenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.files = QListWidget()
        self.files.setObjectName("evidence_files")
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setIconSize(QSize(16, 16))
        self.files.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.files.itemSelectionChanged.connect(self._update_buttons)
        rows = self.files.fontMetrics().height() + 8
        self.files.setMinimumHeight(rows * 3 + 6)
        self.files.setMaximumHeight(rows * 4 + 6)
        self.attach_button = QPushButton(icon("paperclip"), self.tr("Attach…"))
        self.attach_button.clicked.connect(self.attach)
        self.open_button = QPushButton(icon("external-link"), self.tr("Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton(icon("trash-2"), self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        for button in (self.attach_button, self.open_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in a form saves it; it never opens a file
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.files, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def refs(self) -> list[dict[str, str]]:
        """The files as the records service takes them."""
        return [dict(self.files.item(row).data(Qt.ItemDataRole.UserRole))
                for row in range(self.files.count())]  # fmt: skip

    def set_refs(self, refs: Iterable[Mapping[str, str]]) -> None:
        self.files.clear()
        for ref in refs:
            self._add_item(dict(ref))
        self._update_buttons()

    def names(self) -> list[str]:
        return [self.files.item(row).text() for row in range(self.files.count())]

    def add_paths(self, paths: Iterable[str | Path]) -> None:
        """Attach files (stored when the record is saved); a file already listed is skipped."""
        listed = {ref.get("path") for ref in self.refs()}
        added = False
        for path in paths:
            text = str(Path(path))
            if text in listed:
                continue
            self._add_item({"path": text, "name": Path(path).name})
            added = True
        if added:
            self._update_buttons()
            self.changed.emit()

    def attach(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Attach evidence files"),
            "",
            self.tr(
                "Photos, scans and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx "
                "*.xls *.xlsx *.odt *.ods);;All files (*)"
            ),  # fmt: skip
        )
        self.add_paths(paths)

    def path_of(self, ref: Mapping[str, str]) -> Path:
        """Where the file of ``ref`` is: its own path, or its place in the evidence store."""
        return Path(ref["path"]) if "path" in ref else self._store.path_of(ref["sha256"])

    def open_selected(self) -> None:
        """Open the selected files with the program the system uses for them.

        Stored files carry no extension (they are named by their hash), so each is opened
        through a temporary copy named as the user named it.
        """
        for item in self.files.selectedItems() or [self.files.currentItem()]:
            if item is None:
                continue
            ref = item.data(Qt.ItemDataRole.UserRole)
            path = self.path_of(ref)
            if "sha256" in ref and path.is_file():
                folder = Path(tempfile.gettempdir()) / "ctmt-evidence" / ref["sha256"][:16]
                folder.mkdir(parents=True, exist_ok=True)
                copy = folder / (Path(ref.get("name") or ref["sha256"]).name)
                if not copy.exists():
                    shutil.copyfile(path, copy)
                path = copy
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        rows = sorted((self.files.row(item) for item in self.files.selectedItems()), reverse=True)
        for row in rows:
            self.files.takeItem(row)
        if rows:
            self._update_buttons()
            self.changed.emit()

    def _add_item(self, ref: dict[str, str]) -> None:
        name = ref.get("name") or Path(ref.get("path", "")).name or ref.get("sha256", "")
        item = QListWidgetItem(icon("paperclip"), name)
        item.setData(Qt.ItemDataRole.UserRole, ref)
        if "path" in ref:
            item.setToolTip(self.tr("{path}\nStored with the record when you save it.")
                            .format(path=ref["path"]))  # fmt: skip
        else:
            item.setToolTip(self.tr("Stored evidence file {hash}").format(hash=ref["sha256"]))
        self.files.addItem(item)

    def _update_buttons(self) -> None:
        chosen = bool(self.files.selectedItems())
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def set_invalid(self, invalid: bool) -> None:
        mark_invalid(self.files, invalid)


__all__ = [
    "NULL_DATE",
    "CommunePicker",
    "CountEdit",
    "DateEdit",
    "ElidedComboBox",
    "EvidenceList",
    "FlowLayout",
    "IndicatorChecks",
    "MoneyEdit",
    "ProgramPicker",
    "ask_confirmation",
    "ignore_wheel_unless_focused",
    "mark_invalid",
]
