"""添加单位 (M794–885, P9–12): 纳税人识别号 twice → 选择单位 → 安全认证 → 确认参保登记信息 → (修改申报密码)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sbf_client.remote.contract.demo import DemoTaxpayer

from ..widgets.readonly_table import readonly_table
from .frame import Card

if TYPE_CHECKING:
    from sbf_client.remote.contract.models import RegistrationInfo, UnitSummary

CHOOSE_TEXT = "您输入的纳税人识别号对应多家单位，请选择本次需要办理社保业务的单位"
CONFIRM_NOTICE = (
    "根据社会保险费征管职能划转的统一要求，我省税务机关统一接收社会保险费的征收权。请确认纳税人识别号、单位名称和"
    "社保经办机构、单位编号的对应关系。请务必认真核对，确认对应关系是否正确，确认无误后再使用本系统。"
)
WRONG_NOTICE = "如对应有误，请赴相关的税务办税大厅进行修正后再使用本系统。"


class TaxpayerCard(Card):
    """第一步：纳税人识别号, entered twice (P9)."""

    submitted = Signal(str, str)
    back = Signal()

    def __init__(self, business_title: str) -> None:
        super().__init__(f"添加单位（{business_title}）")
        form = QFormLayout()
        self.first = QLineEdit()
        self.second = QLineEdit()
        self.second.setPlaceholderText("请再次输入纳税人识别号进行确认")
        for widget in (self.first, self.second):
            widget.setMinimumWidth(380)
            widget.setMaximumWidth(520)
            widget.setMaxLength(20)
        self.second.returnPressed.connect(self._submit)
        form.addRow("纳税人识别号：", self.first)
        form.addRow("确认纳税人识别号：", self.second)
        self.body.addLayout(form)
        self.next = self.add_actions("下一步", self._submit, self.back)
        self.demo = QWidget()
        self.demo.hide()
        self.body.addWidget(self.demo, 1)
        self.body.addStretch(1)

    def _submit(self) -> None:
        self.submitted.emit(self.first.text(), self.second.text())

    def show_demo_accounts(self, rows: list[DemoTaxpayer]) -> None:
        """演示地区: the demo taxpayers and their initial 申报密码, so a new user knows what to type."""
        if not rows:
            return
        layout = QVBoxLayout(self.demo)
        layout.setContentsMargins(0, 8, 0, 0)
        title = QLabel("演示地区可用的纳税人（双击填入）：")
        title.setStyleSheet("color: #1e6fd9; font-weight: bold;")
        layout.addWidget(title)
        table = readonly_table(
            ["纳税人识别号", "纳税人名称", "初始申报密码"],
            [(a.taxpayer_id, a.name, a.password_hint) for a in rows],
            widths=(190, 330),
            stretch=2,
        )
        table.cellDoubleClicked.connect(lambda r, _c: self._fill(rows[r].taxpayer_id))
        layout.addWidget(table, 1)
        self.demo_table = table
        self.body.setStretch(self.body.count() - 1, 0)  # the list takes the height, not the spacer below it
        self.demo.show()

    def _fill(self, taxpayer_id: str) -> None:
        self.first.setText(taxpayer_id)
        self.second.setText(taxpayer_id)


class ChooseUnitDialog(QDialog):
    """选择单位 (M811–825): a single choice; 确定 continues, 取消 closes."""

    def __init__(self, units: list[UnitSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("选择单位")
        self.units = units
        self.resize(900, 320)
        layout = QVBoxLayout(self)
        text = QLabel(CHOOSE_TEXT)
        text.setStyleSheet("font-weight: bold;")
        layout.addWidget(text)
        self.table = readonly_table(
            ["选择", "序号", "纳税人识别号", "纳税人名称", "登记日期", "纳税人状态", "单位"],
            [
                (str(row + 1), unit.taxpayer_id, unit.name, str(unit.registered_on), unit.taxpayer_status, unit.kind)
                for row, unit in enumerate(units)
            ],
            widths=(50, 50, 190, 250, 110, 90, 70),
            first_column=1,
        )
        self.group = QButtonGroup(self)
        for row in range(len(units)):
            radio = QRadioButton()
            radio.setChecked(row == 0)
            self.group.addButton(radio, row)
            self.table.setCellWidget(row, 0, radio)
        self.table.cellClicked.connect(lambda r, _c: self.group.button(r).setChecked(True))
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        ok = QPushButton("确定")
        ok.clicked.connect(self.accept)
        cancel = QPushButton("取消")
        cancel.setObjectName("Secondary")
        cancel.clicked.connect(self.reject)
        row.addWidget(ok)
        row.addWidget(cancel)
        layout.addLayout(row)

    def chosen(self) -> UnitSummary:
        return self.units[max(self.group.checkedId(), 0)]


class ConfirmRegistrationCard(Card):
    """确认参保登记信息 (M855–885): 【确定】 only after 我已确认无误."""

    confirmed = Signal()

    def __init__(self, info: RegistrationInfo) -> None:
        super().__init__("确认参保登记信息")
        notice = QLabel(CONFIRM_NOTICE)
        notice.setWordWrap(True)
        self.body.addWidget(notice)
        self.body.addWidget(QLabel(f"纳税人识别号：{info.taxpayer_id}      纳税人名称：{info.name}"))
        table = readonly_table(
            ["单位编号", "社保经办机构", "主管税务机关"],
            [(r.unit_no, r.agency, r.tax_authority) for r in info.registrations],
            widths=(200, 320),
            stretch=2,
        )
        table.setMaximumHeight(40 + 34 * max(len(info.registrations), 3))
        self.body.addWidget(table)
        self.check = QCheckBox("我已确认无误")
        self.body.addWidget(self.check, 0, Qt.AlignmentFlag.AlignLeft)
        wrong = QLabel(WRONG_NOTICE)
        wrong.setObjectName("Hint")
        self.body.addWidget(wrong)
        self.ok = QPushButton("确定")
        self.ok.setFixedWidth(120)
        self.ok.setEnabled(False)
        self.check.toggled.connect(self.ok.setEnabled)
        self.ok.clicked.connect(self.confirmed)
        self.body.addWidget(self.ok, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)
