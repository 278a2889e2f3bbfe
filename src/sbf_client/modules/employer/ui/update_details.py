"""更新数据明细 (M1096): the employees an update added, changed or deleted, and what changed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sbf_client.ui.dialogs import closing_buttons
from sbf_client.ui.widgets.readonly_table import readonly_table

from ..services.employees import ChangeLine


class UpdateDetailsDialog(QDialog):
    def __init__(self, lines: list[ChangeLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("更新数据明细")
        self.resize(960, 520)
        layout = QVBoxLayout(self)
        counts = {kind: sum(1 for line in lines if line.kind == kind) for kind in ("新增", "变更", "删除")}
        layout.addWidget(
            QLabel(f"本次更新：新增 {counts['新增']} 人，变更 {counts['变更']} 人，删除 {counts['删除']} 人")
        )
        table = readonly_table(
            ["序号", "姓名", "更新类型", "更新内容"],
            [(str(row + 1), line.name, line.kind, line.what) for row, line in enumerate(lines)],
            widths=(60, 120, 90),
            stretch=3,
        )
        self.table = table
        layout.addWidget(table, 1)
        layout.addWidget(closing_buttons(self))
