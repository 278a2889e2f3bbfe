"""The main window (manual 2.1 / 3.1): title band with 通知公告 · 消息中心 · 系统设置 · 单位管理, the module's
menu tree on the left, the breadcrumb and tabbed pages on the right, the status bar with 纳税人识别号 and
纳税人名称 and 【关于】 at the bottom right."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
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
    QVBoxLayout,
    QWidget,
)

from sbf_client import __version__
from sbf_client.services.notices import MessageCenter
from sbf_client.services.session import UnitSession

from ..application import APP_TITLE
from ..dialogs import ask, inform
from ..page import Page, PageContext, PlaceholderPage, create_page
from ..tasks import TaskRunner
from ..widgets.menu_tree import MenuTree
from .frame import TitleBand
from .notices import AboutDialog, MessageCenterDialog, NoticesDialog

log = logging.getLogger(__name__)
HOME = "home"
WINDOW_SIZE = (1366, 740)
# The manual's recommended screen: there (and on anything smaller) the window is maximized, so the status bar
# stays above the taskbar instead of under it.
SMALL_SCREEN = (1366, 768)
QUIT_WHILE_WORKING = (
    "正在处理数据，确定要退出吗？\n退出将停止正在进行的处理（已保存的数据不受影响），处理停止后客户端自动退出。"
)
STOPPING = "正在停止处理，处理停止后客户端自动退出…"


class MainWindow(QMainWindow):
    switch_unit = Signal()

    def __init__(self, session: UnitSession, runner: TaskRunner) -> None:
        super().__init__()
        self.session = session
        self.context = session.context
        self.unit = session.unit
        self.module = session.module
        self.mode = session.mode
        self.pages: dict[str, Page] = {}
        self.page_context = PageContext(session, runner, runner.hub, self.open_menu)
        self.messages = MessageCenter(session.engine, session.clock)
        self.switching = False
        self.quitting = False  # 确定 to 正在处理数据，确定要退出吗: closing once the work has stopped
        self.backed_up = False  # the exit's 自动备份 is taken once
        self.setWindowTitle(f"{APP_TITLE} - {session.unit.name}")
        self._fit_screen()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._title_band())
        self.splitter = QSplitter()
        self.tree = MenuTree(self.module.menu, self.mode)
        self.tree.chosen.connect(self.open_menu)
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

    def _fit_screen(self) -> None:
        self.resize(*WINDOW_SIZE)  # also the size a maximized window comes back to when restored
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()  # without the taskbar
        if available.width() <= SMALL_SCREEN[0] or available.height() <= SMALL_SCREEN[1]:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            frame = self.frameGeometry()
            frame.moveCenter(available.center())
            self.move(frame.topLeft())

    def _title_band(self) -> TitleBand:
        band = TitleBand(APP_TITLE)
        unit = QLabel(f"  {self.unit.name}（{self.module.title}）")
        unit.setStyleSheet("font-size: 14px;")
        band.row.insertWidget(1, unit)
        if self.session.offline:
            offline = QLabel("离线")
            offline.setObjectName("Offline")
            offline.setToolTip(self.session.offline_reason or "无法连接服务器")
            # Aligned, the label keeps its own height: a badge beside the unit, not a block as high as the band.
            band.row.insertWidget(2, offline, 0, Qt.AlignmentFlag.AlignVCenter)
        band.add_button("通知公告").clicked.connect(self.show_notices)
        self.messages_button = band.add_button("消息中心")
        self.messages_button.clicked.connect(self.show_messages)
        band.add_button("系统设置").clicked.connect(self.show_settings)
        band.add_button("单位管理").clicked.connect(self._switch_unit)
        return band

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
        if self.session.offline:
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

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, Page):
            trail = [item.title for item in self.module.menu_path(page.item.id)]
            self.breadcrumb.setText(" >> ".join(["首页", *[t for t in trail if t != "首页"]]))
            self.tree.reveal(page.item.id)

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
            if page.watches(changes):
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
            runner = self.page_context.runner
            if runner.busy():
                # What runs belongs to this unit and writes its database: it is stopped, and waited for, first.
                event.ignore()
                if not self.quitting and ask(self, "退出", QUIT_WHILE_WORKING):
                    self._quit_when_stopped(runner)
                return
            if not self.backed_up:  # 自动备份 (4.2), when on: taken as the client exits, then it closes
                from .backup_pages import backup_on_exit  # the cipher and Argon2 load only when exiting

                self.backed_up = True
                if backup_on_exit(self, self.context, runner, self.close):
                    event.ignore()
                    return
            self.context.close()
        super().closeEvent(event)

    def _quit_when_stopped(self, runner: TaskRunner) -> None:
        self.quitting = True
        runner.cancel_all()
        self.statusBar().showMessage(STOPPING)
        waiting = QTimer(self, interval=100)

        def close_when_idle() -> None:
            if not runner.busy():
                waiting.stop()
                self.close()

        waiting.timeout.connect(close_when_idle)
        waiting.start()
