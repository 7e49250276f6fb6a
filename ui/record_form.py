"""The form to add, edit or duplicate a record of any kind, generated from the kind's fields.

Each field of :func:`ctmt_desktop.kinds.kind_spec` gets an editor of its type (dates with a
calendar, money in đồng with thousands separators, counts that may stay empty, catalog codes
as combo boxes of their names, the commune picker, the program tree, indicators, evidence
files). Saving runs the records service on the database lane; when it rejects the record,
each message appears under the field it names and nothing is saved. A likely duplicate is
only a warning: the user is asked, and Yes saves it anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QByteArray, QStringListModel, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ctmt_desktop.catalog import REORGANISATION_DAY
from ctmt_desktop.errors import Problem, ValidationError
from ctmt_desktop.formatting import format_date, format_money, format_number, format_percent
from ctmt_desktop.kinds import FieldSpec, FieldType, kind_spec
from ctmt_desktop.services.receipts import record_comments
from ctmt_desktop.services.records import add_record, get_record, update_record
from ui import app_settings
from ui.context import AppContext
from ui.db_lane import report_error
from ui.i18n import translate_buttons
from ui.records_model import DISBURSEMENT_RATE
from ui.widgets import (
    CommunePicker,
    CountEdit,
    DateEdit,
    ElidedComboBox,
    EvidenceList,
    IndicatorChecks,
    MoneyEdit,
    ProgramPicker,
    ask_confirmation,
    ignore_wheel_unless_focused,
    mark_invalid,
)

ADD, EDIT, DUPLICATE = "add", "edit", "duplicate"
#: Fields shown in the left-hand "general" group, in order (when the kind has them).
_GENERAL = (
    "program",
    "year",
    "start_date",
    "end_date",
    "places",
    "implementing_unit",
    "funding_source",
    "cost",
)
_BOTTOM = ("notes", "evidence")
#: The record's own status (draft or confirmed) sits in the footer beside Save, apart from
#: the fields about the activity (a cluster's operating status among them).
_FOOTER = ("status",)
_SIZE_KEY = "record_form/{kind}/size"
_STAR = ' <span style="color:#b91c1c">*</span>'
#: The ministry's comments on the record, above its fields.
_MINISTRY_STYLE = "color: #92400e; background: #fef3c7; padding: 6px; border-radius: 4px;"


class RecordForm(QDialog):
    """Add, edit or duplicate-as-new one record of a kind.

    Open it with ``open()`` (or ``exec()``); Save (the button, Enter or Ctrl+S) validates and
    writes through the records service on the lane and closes the form when it succeeded.

    Signals:
        saved(int): the record was saved; its id.

    Attributes:
        kind: the activity kind.
        mode: ``add``, ``edit`` or ``duplicate`` (a new record filled from another).
        record_id: the record edited, or the one duplicated; None for a new record.
        editors: the editor of each field by field name.
        error_labels: the message label under each field (``""``: problems of no field).
        buttons: Save and Cancel.
    """

    saved = Signal(int)

    def __init__(self, context: AppContext, kind: str, *, record_id: int | None = None,
                 duplicate: bool = False, initial: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.context = context
        self.spec = kind_spec(kind)
        self.kind = self.spec.code
        self.record_id = record_id
        self.mode = ADD if record_id is None else (DUPLICATE if duplicate else EDIT)
        self._language = context.language
        self._saving = False
        self._filling = False
        self._last_start: date | None = None
        self._last_year: int | None = None
        self.editors: dict[str, QWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}
        self.setObjectName(f"record_form_{self.kind}")
        self.setWindowTitle(self._title())
        self.setSizeGripEnabled(True)

        stored: dict[str, Any] = {}
        self.ministry_comments: list[Any] = []
        if record_id is not None:
            with context.database.session() as session:
                stored = get_record(session, self.kind, record_id)
                if self.mode == EDIT:
                    self.ministry_comments = record_comments(session, record_id)

        self._build()
        self.set_values(self._starting_values(stored, initial))
        self._initial = self.values()
        self._restore_size()

    # --- building ------------------------------------------------------------------------------
    def _title(self) -> str:
        name = self.spec.name(self._language)
        if self.mode == EDIT:
            return self.tr("Edit record — {kind}").format(kind=name)
        if self.mode == DUPLICATE:
            return self.tr("Duplicate as new record — {kind}").format(kind=name)
        return self.tr("New record — {kind}").format(kind=name)

    def _build(self) -> None:
        fields = {f.name: f for f in self.spec.fields}
        for field in self.spec.fields:
            self.editors[field.name] = self._make_editor(field)
            self.editors[field.name].setObjectName(f"field_{field.name}")

        general_error = self._error_label("")
        title_form = QFormLayout()
        self._configure(title_form)
        self._add_row(title_form, fields["title"])

        general_box = QGroupBox(self.tr("General information"))
        general_form = QFormLayout(general_box)
        self._configure(general_form)
        general_names = [n for n in _GENERAL if n in fields]
        for name in general_names:
            self._add_row(general_form, fields[name])

        specific_box = QGroupBox(self.spec.name(self._language))
        specific_form = QFormLayout(specific_box)
        self._configure(specific_form)
        specific_names = [
            f.name
            for f in self.spec.fields
            if f.name not in general_names
            and f.name not in _BOTTOM
            and f.name not in _FOOTER
            and f.name != "title"
        ]
        for name in specific_names:
            self._add_row(specific_form, fields[name])
            if name == "disbursed_amount":
                self._rate_label = QLabel()
                self._rate_label.setObjectName("disbursement_rate")
                specific_form.addRow(DISBURSEMENT_RATE.label(self._language) + ":",
                                     self._rate_label)  # fmt: skip

        bottom_box = QGroupBox(self.tr("Notes and evidence"))
        bottom_form = QFormLayout(bottom_box)
        self._configure(bottom_form)
        for name in _BOTTOM:
            if name in fields:
                self._add_row(bottom_form, fields[name])

        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addWidget(general_box, 1)
        columns.addWidget(specific_box, 1)

        content = QWidget()
        content.setObjectName("record_form_content")
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(12, 12, 12, 6)
        self.ministry_label = QLabel(self._ministry_text())
        self.ministry_label.setObjectName("ministry_comments")
        self.ministry_label.setWordWrap(True)
        self.ministry_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ministry_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ministry_label.setStyleSheet(_MINISTRY_STYLE)
        self.ministry_label.setVisible(bool(self.ministry_comments))
        content_layout.addWidget(self.ministry_label)
        content_layout.addWidget(general_error)
        content_layout.addLayout(title_form)
        content_layout.addLayout(columns)
        content_layout.addWidget(bottom_box)
        self._meta_label = QLabel()
        self._meta_label.setProperty("role", "muted")
        self._meta_label.setWordWrap(True)
        content_layout.addWidget(self._meta_label)
        content_layout.addStretch(1)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(content)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Save the record (Ctrl+S)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.setContentsMargins(12, 6, 12, 12)
        hint = QLabel(self.tr("Fields marked * are required."))
        hint.setProperty("role", "muted")
        footer.addWidget(hint)
        footer.addStretch(1)
        if "status" in fields:
            status = self.editors["status"]
            status_label = QLabel(self.tr("Record status:"))
            status_label.setObjectName("record_status_label")
            status_label.setBuddy(status)
            status_label.setToolTip(
                self.tr("Draft records are not yet official; confirm a record once checked.")
            )
            status.setToolTip(status_label.toolTip())
            footer.addWidget(status_label)
            footer.addSpacing(6)
            footer.addWidget(status)
            footer.addSpacing(12)
            self._rows["status"] = status  # its problems show with the general ones
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(footer)

        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._connect_dependencies()
        order = ["title", *general_names, *specific_names,
                 *[n for n in (*_BOTTOM, *_FOOTER) if n in fields]]  # fmt: skip
        self._set_tab_order(order)

    def _ministry_text(self) -> str:
        """The ministry's comments on this record, the open ones first."""
        lines = []
        for comment in sorted(self.ministry_comments, key=lambda c: not c.open):
            where = self.tr("version {version} of {period}").format(
                version=comment.version, period=comment.period
            )
            if comment.open:
                lines.append(
                    self.tr("The ministry's comment ({where}): {comment}").format(
                        where=where, comment=comment.comment
                    )
                )
            else:
                lines.append(
                    self.tr("Answered by a later version — the ministry had said ({where}): "
                            "{comment}").format(where=where, comment=comment.comment)
                )  # fmt: skip
        return "\n".join(lines)

    @staticmethod
    def _configure(form: QFormLayout) -> None:
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(10)

    def _label_text(self, field: FieldSpec) -> str:
        text = field.label(self._language)
        required = field.required and not (
            self.spec.year_based and field.name == "start_date"  # the year gives the dates
        )
        return f"{text}:{_STAR}" if required else f"{text}:"

    def _add_row(self, form: QFormLayout, field: FieldSpec) -> None:
        """A row for the field's editor with its error message under it (hidden until needed)."""
        editor = self.editors[field.name]
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(editor)
        box_layout.addWidget(self._error_label(field.name))
        if field.type is FieldType.BOOL:
            form.addRow("", box)
        else:
            label = QLabel(self._label_text(field))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setBuddy(editor)
            label.setToolTip(field.label(self._language))
            form.addRow(label, box)
        self._rows[field.name] = box

    def _error_label(self, field: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{field or 'general'}_error")
        label.setProperty("role", "error")
        label.setStyleSheet("color: #b91c1c;")
        label.setWordWrap(True)
        label.hide()
        self.error_labels[field] = label
        return label

    def _make_editor(self, field: FieldSpec) -> QWidget:
        context = self.context
        if field.type is FieldType.TEXT:
            if field.name == "notes":
                notes = QPlainTextEdit()
                notes.setTabChangesFocus(True)
                notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 4 + 14)
                return notes
            line = QLineEdit()
            if field.max_length:
                line.setMaxLength(field.max_length)
            if field.name == "border_gate":
                gates = context.catalog.border_gates_of(context.province)
                completer = QCompleter(QStringListModel(gates, line), line)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                line.setCompleter(completer)
                if gates:
                    line.setPlaceholderText(self.tr("e.g. {gate}").format(gate=gates[0]))
            return line
        if field.type is FieldType.DATE:
            optional = not field.required or self.spec.year_based
            edit = DateEdit(optional=optional)
            if field.name == "end_date":
                edit.setToolTip(self.tr("Leave empty when the activity lasts one day."))
            elif field.name == "start_date" and self.spec.year_based:
                edit.setToolTip(self.tr("Leave empty to cover the whole year."))
            return edit
        if field.type is FieldType.INT:
            minimum = field.minimum if field.minimum is not None else 0
            maximum = field.maximum if field.maximum is not None else 10_000_000
            year_like = minimum >= 1900
            count = CountEdit(minimum, maximum, grouped=not year_like)
            width = count.fontMetrics().horizontalAdvance(format_number(maximum)) + 48
            count.setMaximumWidth(max(width, 110))
            return count
        if field.type is FieldType.MONEY:
            money = MoneyEdit()
            money.setMaximumWidth(money.sizeHint().width() + 20)
            return money
        if field.type is FieldType.CODE and field.vocabulary == "program":
            return ProgramPicker(context.catalog)
        if field.type is FieldType.CODE:
            combo = ElidedComboBox()
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
            if not field.required:
                combo.addItem("—", None)
            assert field.vocabulary is not None
            for code, term in context.catalog.vocabulary(field.vocabulary).items():
                combo.addItem(term.name(self._language), code)
                combo.setItemData(combo.count() - 1, term.name(self._language),
                                  Qt.ItemDataRole.ToolTipRole)  # fmt: skip
            combo.setPlaceholderText(self.tr("Choose…"))
            combo.setCurrentIndex(-1 if field.required else 0)
            ignore_wheel_unless_focused(combo)
            return combo
        if field.type is FieldType.PLACES:
            single = self.spec.max_places == 1
            return CommunePicker(context.catalog, context.province, multiple=not single,
                                 include_province=not single)  # fmt: skip
        if field.type is FieldType.BOOL:
            return QCheckBox(field.label(self._language))
        if field.type is FieldType.INDICATORS:
            return IndicatorChecks(context.catalog, self._language)
        if field.type is FieldType.EVIDENCE:
            return EvidenceList(context.evidence)
        raise ValueError(f"no editor for {field.type}")  # pragma: no cover - every type has one

    def _set_tab_order(self, names: list[str]) -> None:
        chain: list[QWidget] = []
        for name in names:
            editor = self.editors[name]
            if isinstance(editor, CommunePicker):
                chain.append(editor.search_box)
            elif isinstance(editor, EvidenceList):
                chain += [editor.files, editor.attach_button, editor.open_button,
                          editor.remove_button]  # fmt: skip
            elif isinstance(editor, IndicatorChecks):
                chain.append(editor)
            else:
                chain.append(editor)
        chain += list(self.buttons.buttons())
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # --- fields that depend on others ----------------------------------------------------------
    def _connect_dependencies(self) -> None:
        start = self.editors.get("start_date")
        if isinstance(start, DateEdit):
            self._last_start = start.day()
            start.day_changed.connect(self._keep_duration)
        for name in ("start_date", "end_date"):
            editor = self.editors.get(name)
            if isinstance(editor, DateEdit):
                editor.day_changed.connect(self._on_dates_changed)
        year = self.editors.get("year")
        if isinstance(year, CountEdit):
            self._last_year = year.number()
            year.valueChanged.connect(self._move_dates_to_year)
            year.valueChanged.connect(self._on_dates_changed)
        criterion_set = self.editors.get("criterion_set")
        indicators = self.editors.get("indicators")
        if isinstance(criterion_set, QComboBox) and isinstance(indicators, IndicatorChecks):
            criterion_set.currentIndexChanged.connect(
                lambda _i: indicators.set_criterion_set(criterion_set.currentData())
            )
        for name in ("plan_amount", "disbursed_amount"):
            editor = self.editors.get(name)
            if isinstance(editor, MoneyEdit):
                editor.value_changed.connect(self._show_rate)

    def effective_dates(self) -> tuple[date | None, date | None]:
        """The dates the record will have: typed, or derived from the year."""
        start = self._day("start_date")
        end = self._day("end_date")
        year = self.editors.get("year")
        year_value = year.number() if isinstance(year, CountEdit) else None
        if start is None and self.spec.year_based and year_value:
            start = date(year_value, 1, 1)
            end = end or date(year_value, 12, 31)
        return start, (end or start)

    def _day(self, name: str) -> date | None:
        editor = self.editors.get(name)
        return editor.day() if isinstance(editor, DateEdit) else None

    def _move_dates_to_year(self, *_args: object) -> None:
        """A new plan or assessment year takes the dates that lay in the old year with it."""
        year = self.editors["year"]
        assert isinstance(year, CountEdit)
        previous, self._last_year = self._last_year, year.number()
        if self._filling or previous is None or self._last_year is None:
            return
        for name in ("start_date", "end_date"):
            editor = self.editors.get(name)
            day = editor.day() if isinstance(editor, DateEdit) else None
            if isinstance(editor, DateEdit) and day is not None and day.year == previous:
                try:
                    moved = day.replace(year=self._last_year)
                except ValueError:  # 29 February
                    moved = day.replace(year=self._last_year, day=28)
                self._filling = True  # the end date moves by itself, not with the start
                try:
                    editor.set_day(moved)
                finally:
                    self._filling = False

    def _keep_duration(self, start: date | None) -> None:
        """Moving the start date moves a set end date with it (the activity keeps its length)."""
        previous, self._last_start = self._last_start, start
        end_edit = self.editors.get("end_date")
        if self._filling or previous is None or start is None:
            return
        if isinstance(end_edit, DateEdit) and end_edit.day() is not None:
            end_edit.set_day(end_edit.day() + (start - previous))  # type: ignore[operator]

    def _on_dates_changed(self, *_args: object) -> None:
        start, end = self.effective_dates()
        program = self.editors["program"]
        if isinstance(program, ProgramPicker):
            program.set_dates(start, end)
        places = self.editors.get("places")
        if isinstance(places, CommunePicker):
            places.set_legacy_offered(start is None or start < REORGANISATION_DAY)
        end_edit = self.editors.get("end_date")
        if isinstance(end_edit, DateEdit):
            end_edit.set_reference_date(start)

    def _show_rate(self, *_args: object) -> None:
        plan, disbursed = self.editors["plan_amount"], self.editors["disbursed_amount"]
        assert isinstance(plan, MoneyEdit) and isinstance(disbursed, MoneyEdit)
        planned = plan.value()
        if not planned:
            self._rate_label.setText("—")
        else:
            rate = 100 * (disbursed.value() or 0) / planned
            self._rate_label.setText(format_percent(rate))

    # --- values --------------------------------------------------------------------------------
    def _starting_values(self, stored: Mapping[str, Any],
                         initial: Mapping[str, Any] | None) -> dict[str, Any]:  # fmt: skip
        values: dict[str, Any] = {}
        for field in self.spec.fields:
            if field.default is not None:
                values[field.name] = field.default
        if self.mode == ADD:
            if self.spec.year_based:
                values["year"] = date.today().year
            else:
                values["start_date"] = date.today()
        values.update({k: v for k, v in stored.items() if k in self.spec.field_names})
        if self.mode == DUPLICATE:
            values["status"] = "draft"
        if initial:
            values.update({k: v for k, v in initial.items() if k in self.spec.field_names})
        if self.mode == EDIT and stored:
            self._meta_label.setText(
                self.tr(
                    "Entered by {created_by} on {created}; last changed by {updated_by} "
                    "on {updated}."
                ).format(  # fmt: skip
                    created_by=stored.get("created_by", ""),
                    created=_when(stored.get("created_at")),
                    updated_by=stored.get("updated_by", ""),
                    updated=_when(stored.get("updated_at")),
                )
            )
        self._meta_label.setVisible(bool(self._meta_label.text()))
        return values

    def values(self) -> dict[str, Any]:
        """The record as the editors now give it, in the shape the records service takes."""
        return {field.name: self._value_of(field) for field in self.spec.fields}

    def _value_of(self, field: FieldSpec) -> Any:
        editor = self.editors[field.name]
        if isinstance(editor, MoneyEdit):  # before QLineEdit: it is one
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text().strip() or None
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip() or None
        if isinstance(editor, DateEdit):
            return editor.day()
        if isinstance(editor, CountEdit):
            return editor.number()
        if isinstance(editor, ProgramPicker):
            return editor.code()
        if isinstance(editor, QComboBox):
            return editor.currentData() if editor.currentIndex() >= 0 else None
        if isinstance(editor, CommunePicker):
            return editor.codes()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, IndicatorChecks):
            return editor.values()
        if isinstance(editor, EvidenceList):
            return editor.refs()
        raise TypeError(type(editor))  # pragma: no cover

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the editors (fields not in ``values`` keep what they show)."""
        # Dates first: they decide which program nodes and communes are offered.
        self._filling = True
        ordered = sorted(values, key=lambda name: 0 if name in ("year", "start_date",
                                                                "end_date") else 1)  # fmt: skip
        for name in ordered:
            if name not in self.editors:
                continue
            self._set_value(self.spec.field(name), values[name])
            if name == "criterion_set" and "indicators" in values:
                self._set_value(self.spec.field("indicators"), values["indicators"])
        self._filling = False
        self._last_start = self._day("start_date")
        year = self.editors.get("year")
        self._last_year = year.number() if isinstance(year, CountEdit) else None
        self._on_dates_changed()
        if "plan_amount" in self.editors:
            self._show_rate()

    def _set_value(self, field: FieldSpec, value: Any) -> None:
        editor = self.editors[field.name]
        if isinstance(editor, MoneyEdit):  # before QLineEdit: it is one
            editor.setValue(None if value is None else int(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
            editor.setCursorPosition(0)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("" if value is None else str(value))
        elif isinstance(editor, DateEdit):
            editor.set_day(date.fromisoformat(value) if isinstance(value, str) else value)
        elif isinstance(editor, CountEdit):
            editor.set_number(None if value is None else int(value))
        elif isinstance(editor, ProgramPicker):
            editor.set_code(value)
        elif isinstance(editor, QComboBox):
            index = editor.findData(value) if value is not None else -1
            if index < 0 and not field.required:
                index = 0
            editor.setCurrentIndex(index)
        elif isinstance(editor, CommunePicker):
            editor.set_codes(value or [])
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, IndicatorChecks):
            editor.set_values(value or {})
        elif isinstance(editor, EvidenceList):
            editor.set_refs(value or [])

    def is_changed(self) -> bool:
        """Whether the editors hold something other than what the form opened with."""
        return self.values() != self._initial

    # --- saving --------------------------------------------------------------------------------
    def accept(self) -> None:
        """Save (the dialog closes when the record is saved)."""
        self.save()

    def save(self, *, allow_duplicate: bool = False) -> None:
        """Validate and write the record on the lane; problems appear under their fields."""
        if self._saving:
            return
        data = self.values()
        self._set_saving(True)
        context, kind = self.context, self.kind
        record_id = self.record_id if self.mode == EDIT else None

        def operation(session: Any, _progress: Any) -> int:
            record_context = context.record_context(session)
            if record_id is not None:
                update_record(session, record_context, kind, record_id, data,
                              allow_duplicate=allow_duplicate)  # fmt: skip
                return record_id
            return add_record(session, record_context, kind, data,
                              allow_duplicate=allow_duplicate)  # fmt: skip

        context.lane.run(operation, on_success=self._on_saved, on_error=self._on_failed,
                         label=self.tr("Saving the record…"), parent=self,
                         cancellable=False)  # fmt: skip

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.buttons.setEnabled(not saving)

    def _on_saved(self, record_id: int) -> None:
        self._set_saving(False)
        self.show_problems([])
        self._initial = self.values()
        self.saved.emit(record_id)
        self._save_size()
        super().accept()

    def _on_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        if isinstance(error, ValidationError) and error.problems and error.only_warnings:
            self.show_problems([])
            if self.confirm_duplicate(error.problems):
                self.save(allow_duplicate=True)
            return
        if isinstance(error, ValidationError):
            self.show_problems([p for p in error.problems if not p.warning])
            return
        report_error(self, error)

    def confirm_duplicate(self, problems: list[Problem]) -> bool:
        """Ask whether to save a record that looks like one already stored."""
        others = ", ".join(
            dict.fromkeys(str(p.params.get("other", "")) for p in problems if p.params)
        )
        return ask_confirmation(
            self,
            self.tr("Possible duplicate"),
            self.tr("A record with the same title, start date and place already exists."),
            details=self.tr("Existing: {records}. Save this record anyway?").format(
                records=others.replace("record #", "#")
            ),
            yes_text=self.tr("Save anyway"),
        )

    # --- problems ------------------------------------------------------------------------------
    def show_problems(self, problems: list[Problem]) -> None:
        """Show each problem under its field (highlighting the field); clear the others."""
        messages: dict[str, list[str]] = {}
        for problem in problems:
            field = problem.field if problem.field in self.error_labels else ""
            messages.setdefault(field, []).append(self.problem_text(problem))
        for field, label in self.error_labels.items():
            label.setText("\n".join(messages.get(field, [])))
            label.setVisible(field in messages)
            if field:
                self._highlight(field, field in messages)
        for name in self.spec.field_names:
            if name in messages:
                row = self._rows[name]
                self._scroll.ensureWidgetVisible(row)
                self.editors[name].setFocus(Qt.FocusReason.OtherFocusReason)
                break
        else:
            if "" in messages:
                self._scroll.ensureWidgetVisible(self.error_labels[""])

    def _highlight(self, field: str, invalid: bool) -> None:
        editor = self.editors[field]
        set_invalid = getattr(editor, "set_invalid", None)
        if set_invalid is not None:
            set_invalid(invalid)
        else:
            mark_invalid(editor, invalid)

    def problem_text(self, problem: Problem) -> str:
        """A translated sentence for a problem the records service reported."""
        params = problem.params
        code = problem.code
        label = (
            self.spec.field(problem.field).label(self._language)
            if problem.field in self.spec.field_names
            else problem.field
        )
        if code == "required":
            if problem.field == "border_gate":
                return self.tr("Name the border gate of a cluster at a border gate.")
            if problem.field == "places":
                return self.tr("Choose at least one commune.")
            return self.tr("Fill in this field.")
        if code == "too_long":
            return self.tr("Use at most {limit} characters.").format(limit=params.get("limit"))
        if code == "invalid":
            return self.tr("This value cannot be read.")
        if code == "not_whole_dong":
            return self.tr("Enter a whole number of đồng.")
        if code == "negative":
            return self.tr("The number may not be negative.")
        if code == "too_small":
            return self.tr("Enter at least {minimum}.").format(minimum=params.get("minimum"))
        if code == "too_large":
            return self.tr("Enter at most {maximum}.").format(
                maximum=_number(params.get("maximum"))
            )
        if code == "unknown_code":
            return self.tr("Choose a value from the list.")
        if code == "too_many_places":
            return self.tr("A record of this kind concerns one commune only.")
        if code == "unknown_place":
            return self.tr("{code} is not an administrative unit.").format(code=params.get("value"))
        if code == "outside_province":
            return self.tr("{place} is not in the department's province.").format(
                place=self._place_name(params.get("value"))
            )
        if code == "legacy_unit":
            return self.tr(
                "{place} ceased to exist on 01/07/2025; choose the current commune for "
                "activities from that day."
            ).format(place=self._place_name(params.get("value")))
        if code == "commune_required":
            return self.tr("{place} is not a commune; choose a commune.").format(
                place=self._place_name(params.get("value"))
            )
        if code == "end_before_start":
            return self.tr("The end date is before the start date.")
        if code == "part_above_total":
            total_field = str(params.get("total_field", ""))
            total_label = (
                self.spec.field(total_field).label(self._language)
                if total_field in self.spec.field_names
                else total_field
            )
            return self.tr("{field} ({value}) is more than {total_field} ({total}).").format(
                field=label,
                value=self._amount(problem.field, self.values().get(problem.field)),
                total_field=total_label.lower() if self._language == "en" else total_label,
                total=self._amount(total_field, params.get("total")),
            )
        if code == "program_not_valid":
            return self.tr(
                "This program node is valid from {start} to {end}, not on the record's dates."
            ).format(start=_day(params.get("valid_from")), end=_day(params.get("valid_to")))
        if code == "levels_above_total":
            return self.tr(
                "Commune level and village level together exceed the participant-times ({total})."
            ).format(total=_number(params.get("total")))
        if code == "too_many_days":
            return self.tr("A class of this program lasts at most {maximum} days.").format(
                maximum=params.get("maximum")
            )
        if code == "outside_year":
            return self.tr("The start date does not fall in the year {year}.").format(
                year=params.get("year")
            )
        if code == "set_not_valid":
            return self.tr("This criterion set does not apply in the chosen year.")
        if code == "set_not_published":
            return self.tr(
                "The indicators of this criterion set are not in the catalog yet; install a "
                "newer catalog."
            )
        if code in ("unknown_indicator", "missing_indicator"):
            return self.tr("Give a result for every indicator of the criterion set.")
        if code == "before_year":
            return self.tr("The date is before the plan year.")
        if code == "unknown_evidence":
            return self.tr("An evidence file is missing from the evidence folder.")
        return str(problem)  # a problem this form does not know yet: the core's English

    def _place_name(self, code: object) -> str:
        unit = self.context.catalog.admin.get(str(code))
        return unit.name if unit else str(code)

    def _amount(self, field_name: str, value: object) -> str:
        if not isinstance(value, int):
            return "" if value is None else str(value)
        if field_name in self.spec.field_names:
            if self.spec.field(field_name).type is FieldType.MONEY:
                return format_money(value)
        return format_number(value)

    # --- closing -------------------------------------------------------------------------------
    def reject(self) -> None:
        """Close without saving; asks first when something was changed."""
        if self._saving:
            return
        if self.is_changed() and not ask_confirmation(
            self,
            self.tr("Discard changes?"),
            self.tr("The record has changes that were not saved. Close the form anyway?"),
            yes_text=self.tr("Discard changes"),
        ):
            return
        self._save_size()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._saving:
            event.ignore()
            return
        super().closeEvent(event)

    def _restore_size(self) -> None:
        self.ensurePolished()
        content = self._scroll.widget()
        hint = content.sizeHint()
        screen = self.screen().availableGeometry()
        footer = self.buttons.sizeHint().height() + 24
        width = min(max(hint.width() + 40, 980), int(screen.width() * 0.95))
        height = min(hint.height() + footer + 4, int(screen.height() * 0.9))
        self.resize(width, height)
        saved = app_settings().value(_SIZE_KEY.format(kind=self.kind))
        if isinstance(saved, QByteArray):
            self.restoreGeometry(saved)
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def _save_size(self) -> None:
        app_settings().setValue(_SIZE_KEY.format(kind=self.kind), self.saveGeometry())


def _when(value: object) -> str:
    if isinstance(value, datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    return str(value or "")


def _day(value: object) -> str:
    if isinstance(value, date):
        return format_date(value)
    return str(value or "")


def _number(value: object) -> str:
    return format_number(value) if isinstance(value, int) else str(value or "")
