"""The main window (manual 2.1 / 3.1): title band with 通知公告 · 消息中心 · 系统设置 · 单位管理, the module's
menu tree on the left, the breadcrumb and tabbed pages on the right, the status bar with 纳税人识别号 and
纳税人名称 and 【关于】 at the bottom right."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStatusBar,
    QStyle,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sbf_client import __version__
from sbf_client.plugins.spec import MenuItem
from sbf_client.services.context import ClientContext
from sbf_client.services.login import LoginResult
from sbf_client.services.notices import MessageCenter
from sbf_client.services.sync import UnitDatabases

from ..application import APP_TITLE
from ..dialogs import inform
from ..page import Page, PageContext, PlaceholderPage, create_page
from ..tasks import TaskRunner
from .frame import TitleBand
from .notices import AboutDialog, MessageCenterDialog, NoticesDialog

log = logging.getLogger(__name__)
HOME = "home"


class MainWindow(QMainWindow):
    switch_unit = Signal()

    def __init__(
        self, context: ClientContext, databases: UnitDatabases, login: LoginResult, runner: TaskRunner
    ) -> None:
        super().__init__()
        self.context = context
        self.unit = login.unit
        self.module = context.module(login.unit.module)
        self.mode = context.region().mode
        self.pages: dict[str, Page] = {}
        self.page_context = PageContext(
            context,
            databases,
            login.unit,
            self.module,
            login.session,
            runner,
            runner.hub,
            self.open_menu,
            login.offline_reason,
        )
        self.messages = MessageCenter(databases.engine(login.unit), context.clock)
        self.switching = False
        self.setWindowTitle(f"{APP_TITLE} - {login.unit.name}")
        self.resize(1366, 740)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._title_band())
        self.splitter = QSplitter()
        self.tree = self._menu_tree()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self._work_area())
        self.splitter.setSizes([290, 1076])
        self.splitter.setCollapsible(1, False)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._status_bar()
        runner.hub.changed.connect(self._data_changed)
        self.refresh_unread()
        self.open_menu(HOME)

    # ------------------------------------------------------------------ building

    def _title_band(self) -> TitleBand:
        band = TitleBand(APP_TITLE)
        unit = QLabel(f"  {self.unit.name}（{self.module.title}）")
        unit.setStyleSheet("font-size: 14px;")
        band.row.insertWidget(1, unit)
        if self.page_context.offline:
            offline = QLabel("离线")
            offline.setObjectName("Offline")
            offline.setToolTip(self.page_context.offline_reason or "无法连接服务器")
            band.row.insertWidget(2, offline)
        band.add_button("通知公告").clicked.connect(self.show_notices)
        self.messages_button = band.add_button("消息中心")
        self.messages_button.clicked.connect(self.show_messages)
        band.add_button("系统设置").clicked.connect(self.show_settings)
        band.add_button("单位管理").clicked.connect(self._switch_unit)
        return band

    def _menu_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName("MenuTree")
        tree.setHeaderHidden(True)
        tree.setMinimumWidth(240)
        tree.setIndentation(16)

        def add(parent: QTreeWidget | QTreeWidgetItem, item: MenuItem) -> None:
            if not item.visible_in(self.mode):
                return
            node = QTreeWidgetItem([item.title])
            node.setToolTip(0, item.title)
            node.setData(0, Qt.ItemDataRole.UserRole, item.id)
            if isinstance(parent, QTreeWidget):
                parent.addTopLevelItem(node)
            else:
                parent.addChild(node)
            for child in item.children:
                add(node, child)

        for item in self.module.menu:
            add(tree, item)
        tree.expandAll()
        tree.itemClicked.connect(self._menu_clicked)
        return tree

    def _work_area(self) -> QWidget:
        area = QWidget()
        column = QVBoxLayout(area)
        column.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.breadcrumb = QLabel("首页")
        self.breadcrumb.setObjectName("Breadcrumb")
        bar.addWidget(self.breadcrumb, 1)
        style = self.style()
        for tip, icon, action in (
            ("将当前页面最大化展示", QStyle.StandardPixmap.SP_TitleBarMaxButton, self.maximize_page),
            ("将当前页面还原展示", QStyle.StandardPixmap.SP_TitleBarNormalButton, self.restore_page),
            ("关闭当前打开的功能页", QStyle.StandardPixmap.SP_TitleBarCloseButton, self.close_current),
        ):
            button = QToolButton()
            button.setIcon(style.standardIcon(icon))
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(action)
            bar.addWidget(button)
        column.addLayout(bar)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.tabs.currentChanged.connect(self._tab_changed)
        column.addWidget(self.tabs, 1)
        return area

    def _status_bar(self) -> None:
        bar = QStatusBar()
        text = f"纳税人识别号：{self.unit.taxpayer_id}    纳税人名称：{self.unit.name}"
        if self.page_context.offline:
            text += "    【离线】仅可查看本机数据"
        bar.addWidget(QLabel(text))
        about = QPushButton("关于")
        about.setObjectName("Link")
        about.clicked.connect(lambda: AboutDialog(self.context, self).exec())
        bar.addPermanentWidget(QLabel(f"版本 {__version__}"))
        bar.addPermanentWidget(about)
        self.setStatusBar(bar)

    # ------------------------------------------------------------------ pages

    def open_menu(self, item_id: str) -> None:
        """Open (or show again) the page of a menu item; a group opens nothing."""
        try:
            item = self.module.menu_item(item_id)
        except KeyError:
            log.warning("no menu item %s in %s", item_id, self.module.id)
            return
        if item.children:
            return
        page = self.pages.get(item_id)
        if page is None:
            try:
                page = create_page(self.page_context, item)
            except Exception:
                log.exception("page %s failed to open", item.page)
                page = PlaceholderPage(self.page_context, item)
            self.pages[item_id] = page
            index = self.tabs.addTab(page, item.title)
            if item_id == HOME:
                self.tabs.tabBar().setTabButton(index, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.setCurrentWidget(page)

    def _menu_clicked(self, node: QTreeWidgetItem) -> None:
        self.open_menu(node.data(0, Qt.ItemDataRole.UserRole))

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, Page):
            trail = [item.title for item in self.module.menu_path(page.item.id)]
            self.breadcrumb.setText(" >> ".join(["首页", *[t for t in trail if t != "首页"]]))

    def _close_tab(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, Page) and page.item.id != HOME:
            self.tabs.removeTab(index)
            self.pages.pop(page.item.id, None)
            page.deleteLater()

    def close_current(self) -> None:
        self._close_tab(self.tabs.currentIndex())

    def maximize_page(self) -> None:
        self.tree.hide()

    def restore_page(self) -> None:
        self.tree.show()

    def _data_changed(self, changes: frozenset[str]) -> None:
        for page in self.pages.values():
            page.refresh()
        self.refresh_unread()

    # ------------------------------------------------------------------ title band actions

    def refresh_unread(self) -> None:
        unread = self.messages.unread()
        self.messages_button.setText(f"消息中心（{unread}）" if unread else "消息中心")

    def show_settings(self) -> None:
        from .settings_center import SettingsCenter

        SettingsCenter(self.context, self.page_context.runner, self.page_context, self).exec()

    def show_notices(self) -> None:
        NoticesDialog(self.context, self).exec()

    def show_messages(self) -> None:
        MessageCenterDialog(self.messages, self).exec()
        self.refresh_unread()

    def _switch_unit(self) -> None:
        if not self._still_working("切换单位"):
            self.switch_unit.emit()

    def _still_working(self, what: str) -> bool:
        """Work still running (an update, a submission, a query) keeps the unit open: its result belongs to it."""
        if self.page_context.runner.busy():
            inform(self, f"正在处理数据，请等待处理完成后再{what}。")
            return True
        return False

    def close_for_switch(self) -> None:
        self.switching = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.switching:
            if self._still_working("退出"):
                event.ignore()
                return
            self.context.close()
        super().closeEvent(event)
