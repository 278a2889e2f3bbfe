"""单位管理 (M887–965): the units added on this machine, per business, with 添加, 搜索, 备注 and 登录."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from sbf_client.services.context import ClientContext
from sbf_client.store.app_store import LocalUnit

from .frame import Card

COLUMNS = ("序号", "纳税人识别号", "纳税人名称", "主管税务机关", "主管科所分局", "备注", "操作")
SEARCH_HINT = "搜索：请输入纳税人识别号/纳税人名称/备注关键字"
REMARK_COLUMN = 5


class UnitManagerCard(Card):
    add_requested = Signal(str)  # module id
    login_requested = Signal(object)  # LocalUnit

    def __init__(self, context: ClientContext) -> None:
        super().__init__("单位管理")
        self.context = context
        self.module = context.registry.modules[0].id if context.registry.modules else "employer"
        self.units: list[LocalUnit] = []
        top = QHBoxLayout()
        self.switches = QButtonGroup(self)
        self.switches.setExclusive(True)
        for spec in context.registry.modules:  # only installed businesses get a switch (M457, M487)
            button = QPushButton(spec.title)
            button.setCheckable(True)
            button.setObjectName("Secondary")
            button.setChecked(spec.id == self.module)
            button.clicked.connect(lambda _c=False, m=spec.id: self.switch(m))
            self.switches.addButton(button)
            top.addWidget(button)
        top.addSpacing(20)
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.module))
        top.addWidget(self.add_button)
        top.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(SEARCH_HINT)
        self.search.setMinimumWidth(360)
        self.search.textChanged.connect(self.reload)
        top.addWidget(self.search)
        reset = QPushButton("重置")
        reset.setObjectName("Secondary")
        reset.clicked.connect(lambda: self.search.setText(""))
        top.addWidget(reset)
        self.body.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        for column, width in enumerate((50, 170, 220, 220, 270, 120, 70)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._remark_edited)
        self.body.addWidget(self.table, 1)
        self.heading.setText("单位管理")
        self.reload()

    def switch(self, module: str) -> None:
        self.module = module
        for button in self.switches.buttons():
            button.setChecked(button.text() == self.context.module(module).title)
        self.reload()

    def reload(self) -> None:
        self.units = self.context.store.units(self.module, self.search.text())
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.units))
        for row, unit in enumerate(self.units):
            values = (str(row + 1), unit.taxpayer_id, unit.name, unit.tax_authority, unit.tax_branch, unit.remark)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column != REMARK_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setToolTip("双击编辑备注，用以备注单位的其他信息")
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, len(COLUMNS) - 1, self._login_button(unit))
        self.table.blockSignals(False)

    def _login_button(self, unit: LocalUnit) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(4, 0, 4, 0)
        button = QPushButton("登录")
        button.setObjectName("Link")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.login_requested.emit(unit))
        row.addWidget(button)
        return holder

    def _remark_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == REMARK_COLUMN and 0 <= item.row() < len(self.units):
            self.context.store.set_remark(self.units[item.row()].id, item.text())
            self.units = self.context.store.units(self.module, self.search.text())
