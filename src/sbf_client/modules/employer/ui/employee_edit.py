"""编辑人员信息 (M1189–1211): 姓名 (read-only) and 分组, a drop-down of every group of the unit; 【确定】 puts the
employee in the chosen group. Also the group drop-downs' look: a tree of indented names (``GroupItemDelegate``).

A drop-down's items are group paths (``一级/二级``): closed, it names the group unambiguously, even where two
sub-groups share a name (the manual's B11 under B1 and under X1); open, each item shows only its name,
indented by its level.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ..services.groups import EmployeeGroup

NO_GROUP = "（不分组）"
INDENT = "\u3000\u3000"  # two ideographic spaces a level: as wide as two Chinese characters in any font


def indented(path: str) -> str:
    """A group path as a drop-down's tree shows it: its own name after one indent per level below the top."""
    depth = path.count("/")
    return INDENT * depth + path.rsplit("/", 1)[-1]


class GroupItemDelegate(QStyledItemDelegate):
    """Shows the items of a drop-down of group paths as a tree (texts without "/" are shown as they are)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.text = indented(option.text)


def show_as_tree(combo: QComboBox) -> None:
    combo.setItemDelegate(GroupItemDelegate(combo))


class EmployeeEditDialog(QDialog):
    """编辑人员信息; ``chosen()`` is the group picked (None: no group) once 【确定】 closed it."""

    def __init__(self, employee: EmployeeGroup, choices: list[tuple[str, int]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("编辑人员信息")
        self.setMinimumWidth(420)
        self.employee = employee
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit(employee.name)
        self.name.setReadOnly(True)
        form.addRow("姓名：", self.name)
        self.group = QComboBox()
        self._values: list[Any] = [None]
        self.group.addItem(NO_GROUP)
        for path, group_id in choices:
            self.group.addItem(path)
            self._values.append(group_id)
        show_as_tree(self.group)
        self.group.setCurrentIndex(self._values.index(employee.group_id) if employee.group_id in self._values else 0)
        form.addRow("分组：", self.group)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> int | None:
        return self._values[self.group.currentIndex()]

    def select(self, path: str) -> None:
        """Choose the group of this path (as a user picks it from the list)."""
        self.group.setCurrentIndex(self.group.findText(path) if path else 0)
