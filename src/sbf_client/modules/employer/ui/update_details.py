"""更新数据明细 (M1096): the employees an update added, changed or deleted, and what changed."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

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
        table = QTableWidget(len(lines), 4)
        table.setHorizontalHeaderLabels(["序号", "姓名", "更新类型", "更新内容"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setMinimumSectionSize(40)
        for row, line in enumerate(lines):
            for column, value in enumerate((str(row + 1), line.name, line.kind, line.what)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(row, column, item)
        table.setColumnWidth(0, 60)
        table.setColumnWidth(1, 120)
        table.setColumnWidth(2, 90)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table = table
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
