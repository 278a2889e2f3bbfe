"""职工参保明细 (M1169–1187): one employee's registration, read-only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sbf_client.store.app_store import RegistrationRow
from sbf_client.ui.dialogs import closing_buttons
from sbf_client.ui.widgets.readonly_table import readonly_table

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
                ("姓名：", employee.name),
                ("证件类型：", employee.id_type),
                ("证件号码：", employee.id_number),
                ("性别：", employee.gender),
                ("出生日期：", employee.birth_date),
                ("分组：", group),
            ],
        )
        layout.addWidget(basic)
        agency = next((r.agency for r in registrations if r.unit_no == employee.unit_no), "")
        insured = QGroupBox("参保信息")
        box = QVBoxLayout(insured)
        info = QGroupBox()
        info.setStyleSheet("QGroupBox { border: none; margin-top: 0; padding-top: 0; }")
        _pairs(info, [("单位编号：", employee.unit_no), ("社保经办机构：", agency), ("参保状态：", employee.status)])
        box.addWidget(info)
        table = readonly_table(
            GRID,
            [(i.person_no, i.item, i.category, i.sub, i.special, i.base, i.start, i.end) for i in employee.insured],
            widths=(110, 210, 230, 150, 150, 100, 100, 100),
            stretch=2,
            right_aligned=frozenset({5}),
        )
        box.addWidget(table)
        layout.addWidget(insured, 1)
        layout.addWidget(closing_buttons(self))
