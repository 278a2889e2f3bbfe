"""``QueryPanel``: the collapsible query form above a list (manual M278–M284).

Fields sit three to a row; 查询 and 重置 stay visible when 收起查询条件 hides the fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

FIELDS_PER_ROW = 3
LIVE_DELAY_MS = 250  # a live search queries once the user pauses typing
NO_DATE = QDate(1900, 1, 1)  # a date box at this value is empty: no bound
COLLAPSE_TEXT = "收起查询条件"
EXPAND_TEXT = "展开查询条件"


class QueryPanel(QWidget):
    """Text fields and choices; ``query`` carries ``values()`` on 查询, on Enter in a text field and after 重置."""

    query = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("QueryPanel")
        # Never taller than its contents: collapsing the fields gives their room to the list below.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._texts: dict[str, QLineEdit] = {}
        self._choices: dict[str, tuple[QComboBox, list[tuple[str, Any]]]] = {}
        self._ranges: dict[str, tuple[QDateEdit, QDateEdit, str]] = {}
        self._live = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._live.timeout.connect(self._emit_query)
        self._initial: dict[str, Any] = {}
        self.fields = QWidget(self)
        self.grid = QGridLayout(self.fields)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(8)
        self.query_button = QPushButton("查询", self)
        self.reset_button = QPushButton("重置", self)
        self.reset_button.setObjectName("Secondary")
        self.toggle_button = QPushButton(COLLAPSE_TEXT, self)
        self.toggle_button.setObjectName("Link")
        self.toggle_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.query_button.clicked.connect(self._emit_query)
        self.reset_button.clicked.connect(self.reset)
        self.toggle_button.clicked.connect(lambda: self.set_collapsed(not self.is_collapsed()))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        for button in (self.query_button, self.reset_button, self.toggle_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.fields)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ building
    def add_text(self, key: str, label: str, placeholder: str = "", value: str = "") -> QLineEdit:
        edit = QLineEdit(value, self.fields)
        edit.setPlaceholderText(placeholder)
        edit.returnPressed.connect(self._emit_query)
        self._texts[key] = edit
        self._initial[key] = value
        self._place(label, edit)
        return edit

    def add_search(self, key: str, label: str, placeholder: str = "") -> QLineEdit:
        """A text box whose results follow the typing (after a short pause), as well as on Enter and 查询."""
        edit = self.add_text(key, label, placeholder)
        edit.textEdited.connect(lambda _text: self._live.start())
        return edit

    def add_range(self, key: str, label: str, months: bool = False) -> tuple[QDateEdit, QDateEdit]:
        """Two date (or month) boxes, 起 and 止, each empty until chosen; ``values()`` gives ``(start, end)``."""
        shown = "yyyy-MM" if months else "yyyy-MM-dd"
        boxes = []
        for _ in range(2):
            box = QDateEdit(self.fields)
            box.setDisplayFormat(shown)
            box.setCalendarPopup(True)
            box.setMinimumDate(NO_DATE)
            box.setSpecialValueText(" ")  # shown at the minimum: the box is empty
            box.setDate(NO_DATE)
            boxes.append(box)
        pair = QWidget(self.fields)
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(boxes[0], 1)
        row.addWidget(QLabel("至", pair))
        row.addWidget(boxes[1], 1)
        self._ranges[key] = (boxes[0], boxes[1], "yyyy-MM" if months else "yyyy-MM-dd")
        self._initial[key] = ("", "")
        self._place(label, pair)
        return boxes[0], boxes[1]

    def add_choice(self, key: str, label: str, items: Sequence[tuple[str, Any]], value: Any = None) -> QComboBox:
        """A drop-down of (text, data) items; ``value`` (data) is the initial choice, else the first item."""
        combo = QComboBox(self.fields)
        self._choices[key] = (combo, [])
        self._fill(key, items)
        self._initial[key] = value if any(data == value for _text, data in items) else _first_data(items)
        self._select(key, self._initial[key])
        self._place(label, combo)
        return combo

    def combo(self, key: str) -> QComboBox:
        """The drop-down of a choice field."""
        return self._choices[key][0]

    def set_choices(self, key: str, items: Sequence[tuple[str, Any]]) -> None:
        """Replace a drop-down's items, keeping the current choice when it is still offered."""
        current = self.values()[key]
        self._fill(key, items)
        if not self._select(key, current):
            self._select(key, _first_data(items))
        if not any(data == self._initial[key] for _text, data in items):
            self._initial[key] = _first_data(items)

    def _place(self, label: str, field: QWidget) -> None:
        number = len(self._texts) + len(self._choices) + len(self._ranges) - 1
        row, slot = divmod(number, FIELDS_PER_ROW)
        caption = QLabel(label, self.fields)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        caption.setBuddy(field)
        self.grid.addWidget(caption, row, slot * 2)
        self.grid.addWidget(field, row, slot * 2 + 1)
        self.grid.setColumnStretch(slot * 2 + 1, 1)

    def _fill(self, key: str, items: Sequence[tuple[str, Any]]) -> None:
        combo, _old = self._choices[key]
        # Python keeps the data: a QVariant round trip would not preserve arbitrary values (or None).
        self._choices[key] = (combo, list(items))
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([text for text, _data in items])
        combo.blockSignals(False)

    def _select(self, key: str, value: Any) -> bool:
        combo, items = self._choices[key]
        for number, (_text, data) in enumerate(items):
            if data == value:
                combo.setCurrentIndex(number)
                return True
        return False

    # ------------------------------------------------------------------ state
    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: edit.text().strip() for key, edit in self._texts.items()}
        for key, (combo, items) in self._choices.items():
            index = combo.currentIndex()
            values[key] = items[index][1] if 0 <= index < len(items) else None
        for key, (start, end, shown) in self._ranges.items():
            values[key] = tuple("" if box.date() == NO_DATE else box.date().toString(shown) for box in (start, end))
        return values

    def reset(self) -> None:
        """Back to the initial values, then query."""
        for key, edit in self._texts.items():
            edit.setText(self._initial[key])
        for key in self._choices:
            self._select(key, self._initial[key])
        for start, end, _shown in self._ranges.values():
            start.setDate(NO_DATE)
            end.setDate(NO_DATE)
        self._emit_query()

    def is_collapsed(self) -> bool:
        return self.fields.isHidden()

    def set_collapsed(self, collapsed: bool) -> None:
        self.fields.setVisible(not collapsed)
        self.toggle_button.setText(EXPAND_TEXT if collapsed else COLLAPSE_TEXT)

    def _emit_query(self) -> None:
        self._live.stop()
        self.query.emit(self.values())


def _first_data(items: Sequence[tuple[str, Any]]) -> Any:
    return items[0][1] if items else None
