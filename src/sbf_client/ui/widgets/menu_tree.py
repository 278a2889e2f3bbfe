"""``MenuTree``: the main window's left menu — a module's menu items for the region's 征收模式, in the manual's
order. Groups start collapsed so the whole tree fits a 1366×768 screen without scrolling; a group opens when
its title is clicked, or when a page inside it is shown (it may have been opened from the 首页)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from sbf_client.plugins.spec import MenuItem

ITEM_ID = Qt.ItemDataRole.UserRole


class MenuTree(QTreeWidget):
    chosen = Signal(str)  # the id of a clicked item that opens a page

    def __init__(self, menu: tuple[MenuItem, ...], mode: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MenuTree")
        self.setHeaderHidden(True)
        self.setMinimumWidth(240)
        self.setIndentation(16)
        self.nodes: dict[str, QTreeWidgetItem] = {}
        for item in menu:
            self._add(self.invisibleRootItem(), item, mode)
        self.itemClicked.connect(self._clicked)

    def _add(self, parent: QTreeWidgetItem, item: MenuItem, mode: str) -> None:
        if not item.visible_in(mode):
            return
        node = QTreeWidgetItem([item.title])
        node.setToolTip(0, item.title)
        node.setData(0, ITEM_ID, item.id)
        self.nodes[item.id] = node
        parent.addChild(node)
        for child in item.children:
            self._add(node, child, mode)

    def _clicked(self, node: QTreeWidgetItem) -> None:
        if node.childCount():  # a group: its title opens and closes it, as its arrow does
            node.setExpanded(not node.isExpanded())
            return
        self.chosen.emit(node.data(0, ITEM_ID))

    def reveal(self, item_id: str) -> None:
        """Select an item, opening the groups it sits in."""
        node = self.nodes.get(item_id)
        if node is None:
            return
        parent = node.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.setCurrentItem(node)
