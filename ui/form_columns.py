"""One label column for several forms: the labels of every QFormLayout under a widget take the
widest one's width, so fields start at one x across group boxes (Settings, issue 13)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

#: Text fields stop at a readable width instead of stretching across a wide window.
FIELD_MAX_WIDTH = 520


def align_form_labels(root: QWidget, field_max_width: int = FIELD_MAX_WIDTH) -> int:
    """Give every form label under ``root`` the widest label's width (left-aligned), cap
    line edits and combo boxes at ``field_max_width``; return the label width."""
    labels: list[QWidget] = []
    for form in root.findChildren(QFormLayout):
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if label is not None and label.widget() is not None:
                labels.append(label.widget())
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = field.widget() if field is not None else None
            if isinstance(widget, (QLineEdit, QComboBox)):
                widget.setMaximumWidth(field_max_width)
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setFixedWidth(width)
    return width
