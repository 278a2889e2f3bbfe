"""导入错误报告: the rows an import refused, each with its reason, and 【保存错误报告】 — the user's file back with a
错误原因 column and the bad cells in red, which, corrected, imports as it is. Nothing of the file was applied."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QVBoxLayout, QWidget

from sbf_client.documents.importing import RowError
from sbf_client.ui.dialogs import inform
from sbf_client.ui.widgets.readonly_table import readonly_table

SAVE_REPORT = "保存错误报告"
SHOWN_ERRORS = 1000  # a table of more is slow to build and nobody reads it: the saved report has them all


class ImportReportDialog(QDialog):
    def __init__(
        self,
        title: str,
        errors: Sequence[RowError],
        annotate: Callable[[Path], Path],
        suggested_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 420)
        self.annotate = annotate
        self.suggested_name = suggested_name
        rows = sorted({e.row for e in errors})
        layout = QVBoxLayout(self)
        more = f"下表显示前{SHOWN_ERRORS}处，" if len(errors) > SHOWN_ERRORS else ""
        self.summary = QLabel(
            f"文件中有{len(rows)}行数据有误（共{len(errors)}处），未导入任何数据。{more}"
            "请按错误原因修改后重新导入；【保存错误报告】可保存标出错误的文件，在其中修改后直接导入。"
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = readonly_table(
            ("行号", "列", "错误原因"),
            [(str(e.row), e.column or "整行", e.reason) for e in errors[:SHOWN_ERRORS]],
            widths=(60, 90),
            stretch=2,
        )
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.save = buttons.addButton(SAVE_REPORT, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        self.save.clicked.connect(self.save_report)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save_report(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, SAVE_REPORT, self.suggested_name, "Excel 文件 (*.xlsx)")
        if not path:
            return
        target = Path(path) if path.lower().endswith(".xlsx") else Path(f"{path}.xlsx")
        self.annotate(target)
        inform(self, f"错误报告已保存：{target}")


def show_import_errors(
    title: str, errors: Sequence[RowError], annotate: Callable[[Path], Path], imported: Path, parent: QWidget
) -> None:
    """The report of a refused import of ``imported``; its 错误报告 is offered beside it, named after it."""
    report = ImportReportDialog(title, errors, annotate, f"{imported.stem}_错误报告.xlsx", parent)
    report.exec()
    report.deleteLater()
