"""选择地区 (M778, P7): the region is chosen once, after a confirmation, and can never be changed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton

from sbf_client.services.regions import RegionEntry, available_regions

from ..dialogs import ask
from .frame import Card

WARNING = "一旦确定选择的地区后，如若选错将不能更改，缴费单位务必核对好地区再进入系统。"


def confirm_text(name: str) -> str:
    return f"您确定选择【{name}】进入系统么？"


class RegionCard(Card):
    chosen = Signal(object)  # RegionEntry

    def __init__(self) -> None:
        super().__init__("选择地区")
        self.regions = available_regions()
        row = QHBoxLayout()
        row.addWidget(QLabel("地区："))
        self.combo = QComboBox()
        self.combo.setMinimumWidth(320)
        for region in self.regions:
            self.combo.addItem(region.name, region)
        row.addWidget(self.combo)
        row.addStretch(1)
        self.body.addLayout(row)
        note = QLabel(WARNING)
        note.setObjectName("Hint")
        note.setWordWrap(True)
        self.body.addWidget(note)
        self.enter = QPushButton("立即进入")
        self.enter.setFixedWidth(160)
        self.enter.clicked.connect(self._confirm)
        self.body.addWidget(self.enter)
        self.body.addStretch(1)

    def _confirm(self) -> None:
        region: RegionEntry = self.combo.currentData()
        if ask(self, "确认选择", confirm_text(region.name)):
            self.chosen.emit(region)
