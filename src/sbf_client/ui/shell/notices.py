"""通知公告, 消息中心 and 关于: the dialogs of the title band and the status bar."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sbf_client import __version__
from sbf_client.services.context import ClientContext
from sbf_client.services.notices import MessageCenter, cached_notices

from ..application import APP_TITLE
from ..dialogs import closing_buttons


class _ListAndText(QDialog):
    """A list on the left, the chosen entry's text on the right."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 500)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.list = QListWidget()
        self.list.setMinimumWidth(340)
        self.text = QTextBrowser()
        row.addWidget(self.list, 2)
        row.addWidget(self.text, 3)
        layout.addLayout(row)
        layout.addWidget(closing_buttons(self))
        self.list.currentItemChanged.connect(lambda item, _p: self.text.setHtml(item.data(256) if item else ""))

    def add(self, label: str, html: str) -> None:
        item = QListWidgetItem(label)
        item.setData(256, html)
        self.list.addItem(item)


class NoticesDialog(_ListAndText):
    """通知公告, from the oldest to the newest (M1022)."""

    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__("通知公告", parent)
        notices = cached_notices(context)
        for notice in notices:
            self.add(
                f"{notice.published_at[:10]}  {notice.title}",
                f"<h3>{notice.title}</h3><p style='color:#5b6b7f'>发布时间：{notice.published_at}</p>"
                f"<p>{notice.content}</p>",
            )
        if not notices:
            self.text.setText("暂无通知公告（登录联网后自动获取）。")
        else:
            self.list.setCurrentRow(len(notices) - 1)


class MessageCenterDialog(_ListAndText):
    """消息中心: what the client has to tell about this unit, newest first; opening it marks all read."""

    def __init__(self, center: MessageCenter, parent: QWidget | None = None) -> None:
        super().__init__("消息中心", parent)
        messages = center.recent()
        for message in messages:
            mark = "" if message.read else "【未读】"
            self.add(
                f"{mark}{message.created_at}  {message.title}",
                f"<h3>{message.title}</h3><p style='color:#5b6b7f'>{message.category}  {message.created_at}</p>"
                f"<p>{message.body}</p>",
            )
        if messages:
            self.list.setCurrentRow(0)
        else:
            self.text.setText("暂无消息。")
        center.mark_all_read()


class AboutDialog(QDialog):
    """关于 (M343–345): the version; this build is the newest the region offers."""

    def __init__(self, context: ClientContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("关于")
        layout = QVBoxLayout(self)
        title = QLabel(APP_TITLE)
        title.setStyleSheet("font-size: 18px; font-weight: bold; color: #1e6fd9;")
        layout.addWidget(title)
        region = context.store.region()
        layout.addWidget(QLabel(f"版本号：{__version__}"))
        layout.addWidget(QLabel(f"地区：{region.name if region else '未选择'}"))
        layout.addWidget(QLabel("当前已是最新版本。"))
        layout.addWidget(closing_buttons(self))
