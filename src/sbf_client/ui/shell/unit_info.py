"""单位管理-单位信息 (manual 4.4) in 参数设置中心: the logged-in unit's 基本信息 and its 单位编号, read-only.

Everything comes from the app database, as last downloaded from the 管理子系统 at login (``startup._refresh_unit``),
so the page shows the same offline. Nothing here can be changed: "界面信息客户端不可变更" (M5190).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from sbf_client.store.app_store import AppStore, LocalUnit, UnitProfile

from ..widgets.readonly_table import readonly_table

FROM_SERVER = "单位信息从管理子系统获取，界面信息客户端不可变更。"
NEVER_DOWNLOADED = "尚未从管理子系统下载本单位的基本信息，联网登录后将自动下载。"
VISIBLE_NUMBERS = 4
REPRESENTATIVE = "法定代表人\n（或单位负责人）"


def _listed(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


class UnitInfoPage(QWidget):
    """基本信息 as a form of read-only fields (their text can still be selected and copied), then the 单位编号."""

    def __init__(self, store: AppStore, unit: LocalUnit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page-unit_info")
        profile = store.unit_profile(unit.id)
        self.fields: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self._basic(unit, profile))
        numbers = QGroupBox("单位编号")
        inner = QVBoxLayout(numbers)
        rows = [(r.unit_no, r.agency, r.tax_authority) for r in store.registrations(unit.id)]
        headers = ["单位编号", "社保经办机构", "主管税务机关"]
        self.registrations = readonly_table(headers, rows, widths=(150, 280), stretch=2)
        table = self.registrations
        shown = min(max(len(rows), 1), VISIBLE_NUMBERS)  # more 单位编号 than this scroll
        height = table.horizontalHeader().sizeHint().height() + shown * table.verticalHeader().defaultSectionSize()
        table.setFixedHeight(height + 2 * table.frameWidth())
        inner.addWidget(self.registrations)
        layout.addWidget(numbers)
        when = f"（最近一次下载：{profile.refreshed_at}）" if profile else ""
        self.note = QLabel(FROM_SERVER + when if profile else f"{FROM_SERVER}{NEVER_DOWNLOADED}")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5b6b7f;")
        layout.addWidget(self.note)
        layout.addStretch(1)

    def _basic(self, unit: LocalUnit, profile: UnitProfile | None) -> QGroupBox:
        box = QGroupBox("基本信息")
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        p = profile
        # (row, column pair, label, value, columns spanned): the manual's screenshot, two pairs on some rows.
        layout = (
            (0, 0, "纳税人识别号", unit.taxpayer_id, 3),
            (1, 0, "单位名称", unit.name, 3),
            (2, 0, "主管税务机关", unit.tax_authority, 3),
            (3, 0, "财务负责人", p.finance_officer if p else "", 1),
            (3, 1, REPRESENTATIVE, p.legal_representative if p else "", 1),
            (4, 0, "行业", p.industry if p else "", 3),
            (5, 0, "企业类型", p.enterprise_type if p else "", 3),
            (6, 0, "地址", p.address if p else "", 1),
            (6, 1, "邮政编码", p.postcode if p else "", 1),
            (7, 0, "联系电话", p.phone if p else "", 1),
            (7, 1, "电子邮箱", p.email if p else "", 1),
            (8, 0, "上市公司", _listed(p.listed) if p else "", 1),
        )
        for row, pair, label, value, span in layout:
            caption = QLabel(f"{label}：")
            caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            field = QLineEdit(value)
            field.setReadOnly(True)
            field.setCursorPosition(0)
            field.setToolTip(value)
            caption.setBuddy(field)
            grid.addWidget(caption, row, pair * 2)
            grid.addWidget(field, row, pair * 2 + 1, 1, span)
            self.fields[label.split("\n")[0]] = field
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return box
