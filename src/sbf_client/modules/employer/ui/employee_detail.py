"""职工参保明细 (M1169–1187): one employee's registration, read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sbf_client.store.app_store import RegistrationRow

from ..services.employees import EmployeeDetail

GRID = (
    "人员编号",
    "征收项目",
    "征收品目",
    "征收子目",
    "参保人员特殊类别",
    "缴费基数 (元)",
    "开始缴费月份",
    "终止缴费月份",
)


def _pairs(box: QGroupBox, pairs: list[tuple[str, str]], per_row: int = 3) -> None:
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(18)
    for index, (label, value) in enumerate(pairs):
        row, column = divmod(index, per_row)
        grid.addWidget(QLabel(label), row, column * 2)
        shown = QLabel(value)
        shown.setStyleSheet("font-weight: bold;")
        grid.addWidget(shown, row, column * 2 + 1)


class EmployeeDetailDialog(QDialog):
    def __init__(
        self,
        employee: EmployeeDetail,
        registrations: list[RegistrationRow],
        group: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("职工参保明细")
        self.resize(1200, 480)
        layout = QVBoxLayout(self)
        basic = QGroupBox("基本信息")
        _pairs(
            basic,
            [
                ("姓名:", employee.name),
                ("证件类型:", employee.id_type),
                ("证件号码:", employee.id_number),
                ("性别:", employee.gender),
                ("出生日期:", employee.birth_date),
                ("分组:", group),
            ],
        )
        layout.addWidget(basic)
        agency = next((r.agency for r in registrations if r.unit_no == employee.unit_no), "")
        insured = QGroupBox("参保信息")
        box = QVBoxLayout(insured)
        info = QGroupBox()
        info.setStyleSheet("QGroupBox { border: none; margin-top: 0; padding-top: 0; }")
        _pairs(info, [("单位编号:", employee.unit_no), ("社保经办机构:", agency), ("参保状态:", employee.status)])
        box.addWidget(info)
        table = QTableWidget(len(employee.insured), len(GRID))
        table.setHorizontalHeaderLabels(list(GRID))
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setMinimumSectionSize(40)
        for row, item in enumerate(employee.insured):
            values = (item.person_no, item.item, item.category, item.sub, item.special, item.base, item.start, item.end)
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                if column == 5:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, cell)
        for column, width in enumerate((110, 210, 230, 150, 150, 100, 100, 100)):
            table.setColumnWidth(column, width)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        box.addWidget(table)
        layout.addWidget(insured, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
