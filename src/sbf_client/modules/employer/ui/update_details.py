"""更新数据明细 (M1096): the employees an update added, changed or deleted, what changed, and 【导出】."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sbf_client.ui.dialogs import closing_buttons, inform
from sbf_client.ui.list_page import EXPORTED
from sbf_client.ui.tasks import TaskRunner
from sbf_client.ui.widgets.readonly_table import readonly_table

from ..services.employees import ChangeLine, export_changes

FILE_NAME = "更新数据明细.xlsx"


class UpdateDetailsDialog(QDialog):
    def __init__(self, lines: list[ChangeLine], runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("更新数据明细")
        self.resize(960, 520)
        self.lines, self.runner = lines, runner
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
        buttons = closing_buttons(self)
        self.export_button = QPushButton("导出")
        self.export_button.setObjectName("Secondary")
        self.export_button.setEnabled(bool(lines))
        self.export_button.clicked.connect(lambda _c=False: self.export())
        buttons.addButton(self.export_button, buttons.ButtonRole.ActionRole)
        layout.addWidget(buttons)

    def export(self) -> None:
        """【导出】: ask where (另存为), then write in the background with progress and 取消."""
        path, _filter = QFileDialog.getSaveFileName(self, "导出", FILE_NAME, "Excel 文件 (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        lines = self.lines
        self.runner.run(
            lambda progress: export_changes(lines, path, progress),
            lambda count: inform(self, EXPORTED.format(count=count)),
            parent=self,
            title="正在导出",
        )
