"""首页 (manual 2.1 / 3.1): 常用功能 shortcuts, 待办事项 and 异常提醒 (clicking one opens the page that
handles it), 通知公告, and a chart of the unit's cached data. The module provides the reminders and the
chart; they are computed off the UI thread.

A shortcut or reminder whose page is not built yet stays, as in the manual, but says so (暂未开放), and a
click tells 该功能尚未开放 instead of opening an empty page."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sbf_client.plugins.spec import Chart, HomeInputs, MenuItem, Reminders
from sbf_client.services.notices import cached_notices

from .dialogs import inform
from .page import Page, PageContext, is_open, not_open_text
from .widgets.bar_chart import BarChart

TARGET = Qt.ItemDataRole.UserRole
NOT_OPEN_MARK = "（暂未开放）"


@dataclass(frozen=True)
class HomeData:
    reminders: Reminders
    chart: Chart | None


def _list(empty: str) -> QListWidget:
    widget = QListWidget()
    widget.setProperty("empty", empty)
    widget.setMinimumHeight(90)
    widget.setWordWrap(True)  # a reminder is a sentence: read whole, not scrolled sideways
    widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return widget


class HomePage(Page):
    def __init__(self, page: PageContext, item: MenuItem) -> None:
        super().__init__(page, item)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self._shortcuts(), 0, 0, 1, 2)
        self.todos = _list("暂无待办事项")
        self.alerts = _list("暂无异常提醒")
        self.notices = _list("暂无通知公告")
        left = QVBoxLayout()
        for title, widget in (("待办事项", self.todos), ("异常提醒", self.alerts)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            left.addWidget(box)
        grid.addLayout(left, 1, 0)
        right = QVBoxLayout()
        self.chart = BarChart()
        chart_box = QGroupBox("本单位数据概况")
        QVBoxLayout(chart_box).addWidget(self.chart)
        right.addWidget(chart_box, 4)
        notice_box = QGroupBox("通知公告")
        QVBoxLayout(notice_box).addWidget(self.notices)
        right.addWidget(notice_box, 1)
        grid.addLayout(right, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)
        for widget in (self.todos, self.alerts):
            widget.itemClicked.connect(self._open_target)
        self.notices.itemClicked.connect(lambda item: inform(self, item.data(TARGET), "通知公告"))
        self.refresh()

    def _shortcuts(self) -> QWidget:
        box = QGroupBox("常用功能")
        row = QHBoxLayout(box)
        session = self.page.session
        for item_id in session.module.shortcuts:
            try:
                item = session.module.menu_item(item_id)
            except KeyError:
                continue
            if not item.visible_in(session.mode):
                continue
            button = QPushButton(item.title)
            button.setMinimumHeight(44)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            if not is_open(item):
                button.setText(f"{item.title}\n{NOT_OPEN_MARK}")  # two lines: the row still fits 1366 px
                button.setObjectName("Secondary")
                button.setToolTip(not_open_text(item))
            button.clicked.connect(lambda _c=False, i=item_id: self._open(i))
            row.addWidget(button)
        row.addStretch(1)
        return box

    def refresh(self) -> None:
        self._fill_notices()
        session = self.page.session
        module, engine = session.module, session.engine

        mode, now = session.mode, session.clock.now()

        def work(_progress) -> HomeData:  # type: ignore[no-untyped-def]
            home = HomeInputs(engine=engine, code_tables=session.codes.tables, mode=mode, now=now)
            reminders, chart = module.load_home_reminders(), module.load_home_chart()
            return HomeData(reminders(home) if reminders else Reminders(), chart(home) if chart else None)

        self.page.runner.run(
            work,
            self._show,
            parent=self,
            show_progress=False,
            on_error=lambda _e: self.chart.set_chart(None, "统计失败，请稍后刷新") or True,
        )

    def _show(self, data: HomeData) -> None:
        self._fill(self.todos, [self._reminder(r.text, r.target) for r in data.reminders.todos])
        self._fill(self.alerts, [self._reminder(r.text, r.target) for r in data.reminders.alerts])
        self.chart.set_chart(data.chart, "暂无数据")

    def _fill_notices(self) -> None:
        notices = list(reversed(cached_notices(self.page.session.context)))
        self._fill(self.notices, [(f"{n.published_at[:10]}  {n.title}", f"{n.title}\n\n{n.content}") for n in notices])

    def _fill(self, widget: QListWidget, rows: list[tuple[str, str]]) -> None:
        widget.clear()
        for text, target in rows:
            item = QListWidgetItem(text)
            item.setData(TARGET, target)
            widget.addItem(item)
        if not rows:
            empty = QListWidgetItem(str(widget.property("empty")))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(empty)

    def _reminder(self, text: str, target: str) -> tuple[str, str]:
        item = self._menu_item(target)
        if item is not None and not is_open(item):
            return f"{text}（【{item.title}】暂未开放）", target  # the reminder holds; its page is what is missing
        return text, target

    def _menu_item(self, item_id: str) -> MenuItem | None:
        try:
            return self.page.session.module.menu_item(item_id)
        except KeyError:
            return None

    def _open_target(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET)
        if target:
            self._open(target)

    def _open(self, item_id: str) -> None:
        item = self._menu_item(item_id)
        if item is not None and not is_open(item):
            inform(self, not_open_text(item))
            return
        self.page.open_menu(item_id)
