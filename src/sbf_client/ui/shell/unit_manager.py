"""单位管理 (M887–965): the units added on this machine, per business, with 添加, 搜索, 备注 and 登录."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from sbf_client.services.context import ClientContext
from sbf_client.store.app_store import LocalUnit

from .frame import Card

# Logical column order; 单位编号 comes last so that callers keep addressing 操作 as column 6, and is moved
# (visually) next to 纳税人名称 when it is shown.
COLUMNS = ("序号", "纳税人识别号", "纳税人名称", "主管税务机关", "主管科所分局", "备注", "操作", "单位编号")
NAME_COLUMN, AUTHORITY_COLUMNS, REMARK_COLUMN, LOGIN_COLUMN, UNIT_NO_COLUMN = 2, (3, 4), 5, 6, 7
# Widths of the columns that do not stretch; 纳税人名称 takes the rest (about 350 px in the 1100 px frame).
WIDTHS = {0: 46, 1: 160, 3: 150, 4: 170, 5: 100, 6: 64, 7: 120}
SEARCH_HINT = "搜索：请输入纳税人识别号/纳税人名称/备注关键字"


class _ElideMiddle(QStyledItemDelegate):
    """税务机关 names differ at their end (…第一税务所): keep both ends, drop the shared middle."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideMiddle


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
        self.table = self._table()
        self.body.addWidget(self.table, 1)
        self.reload()

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, len(COLUMNS))
        table.setHorizontalHeaderLabels(list(COLUMNS))
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)  # one line per unit; a wrapped name would be cut at the row's height
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setStretchLastSection(False)
        for column, width in WIDTHS.items():
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.moveSection(header.visualIndex(UNIT_NO_COLUMN), header.visualIndex(NAME_COLUMN) + 1)
        table.setColumnHidden(UNIT_NO_COLUMN, True)
        elide = _ElideMiddle(table)
        for column in AUTHORITY_COLUMNS:
            table.setItemDelegateForColumn(column, elide)
        table.itemChanged.connect(self._remark_edited)
        return table

    def switch(self, module: str) -> None:
        self.module = module
        for button in self.switches.buttons():
            button.setChecked(button.text() == self.context.module(module).title)
        self.reload()

    def reload(self) -> None:
        store = self.context.store
        self.units = store.units(self.module, self.search.text())
        # Several units of one 纳税人识别号 share its name too: only their 单位编号 tells them apart.
        taxpayers = [unit.taxpayer_id for unit in store.units(self.module)]
        shared = len(set(taxpayers)) < len(taxpayers)
        self.table.setColumnHidden(UNIT_NO_COLUMN, not shared)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.units))
        for row, unit in enumerate(self.units):
            unit_nos = "、".join(r.unit_no for r in store.registrations(unit.id)) if shared else ""
            values = (str(row + 1), unit.taxpayer_id, unit.name, unit.tax_authority, unit.tax_branch, unit.remark)
            for column, value in [*enumerate(values), (UNIT_NO_COLUMN, unit_nos)]:
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column != REMARK_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setToolTip("双击编辑备注，用以备注单位的其他信息")
                self.table.setItem(row, column, item)
            self._place_login_button(row)
        self.table.blockSignals(False)

    def _place_login_button(self, row: int) -> None:
        """A row keeps its 【登录】 widget across reloads. Replacing it left the old one drawn at the top left of
        the table until deleted (over 序号, while the 添加成功 message was open); a new one is put straight
        into its cell rather than waiting for the view's next layout."""
        if self.table.cellWidget(row, LOGIN_COLUMN) is not None:
            return
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(4, 0, 4, 0)
        button = QPushButton("登录")
        button.setObjectName("Link")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self._login(row))  # the widget stays with its row
        line.addWidget(button)
        self.table.setCellWidget(row, LOGIN_COLUMN, holder)
        holder.setGeometry(self.table.visualRect(self.table.model().index(row, LOGIN_COLUMN)))

    def _login(self, row: int) -> None:
        if 0 <= row < len(self.units):
            self.login_requested.emit(self.units[row])

    def _remark_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == REMARK_COLUMN and 0 <= item.row() < len(self.units):
            self.context.store.set_remark(self.units[item.row()].id, item.text())
            self.units = self.context.store.units(self.module, self.search.text())
