"""The window before login (manual 1.5): a blue title band "社保费管理客户端" with 【网络设置】 at the top right,
and one card at a time below it (选择地区, 单位管理, 添加单位, 安全认证, …)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sbf_client.ui.application import APP_TITLE

FRAME_SIZE = (1100, 680)  # fits the manual's recommended 1366×768 with the taskbar


class TitleBand(QFrame):
    """The blue band with the product name; buttons are added on the right."""

    def __init__(self, title: str = APP_TITLE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TitleBand")
        self.setFixedHeight(52)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(18, 0, 12, 0)
        name = QLabel(title)
        name.setObjectName("ProductName")
        self.row.addWidget(name)
        self.row.addStretch(1)

    def add_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.row.addWidget(button)
        return button


class Card(QWidget):
    """A screen of the shell frame; ``title`` is shown as its heading."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(40, 24, 40, 24)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 20px; font-weight: bold; color: #1e6fd9;")
        self.outer.addWidget(heading)
        self.heading = heading
        self.body = QVBoxLayout()
        self.body.setSpacing(12)
        self.outer.addLayout(self.body, 1)
        self.status: QLabel | None = None
        self.primary: QPushButton | None = None

    def add_actions(self, text: str, on_click: Callable[[], None], back: SignalInstance | None = None) -> QPushButton:
        """The status line, then the card's main button and, when the card can go back, 【返回】."""
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.body.addWidget(self.status)
        row = QHBoxLayout()
        self.primary = QPushButton(text)
        self.primary.setMinimumWidth(120)
        self.primary.clicked.connect(on_click)
        row.addWidget(self.primary)
        if back is not None:
            back_button = QPushButton("返回")
            back_button.setObjectName("Secondary")
            back_button.clicked.connect(back)
            row.addWidget(back_button)
        row.addStretch(1)
        self.body.addLayout(row)
        return self.primary

    def busy(self, working: bool, text: str = "") -> None:
        """While the server is asked: the main button disabled, what is happening on the status line."""
        assert self.primary is not None and self.status is not None
        self.primary.setEnabled(not working)
        self.status.setText(text)


class BackgroundStrip(QFrame):
    """A line at the bottom of the frame for work the user need not wait for (preparing the 演示地区)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("BackgroundStrip")
        self.setStyleSheet("#BackgroundStrip { background: #eef3fa; border-top: 1px solid #dde3ea; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 6, 18, 6)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.bar = QProgressBar()
        self.bar.setFixedWidth(220)
        self.bar.setRange(0, 0)
        row.addWidget(self.bar)
        self.hide()

    def show_work(self, text: str, done: int = 0, total: int | None = None) -> None:
        self.text.setText(text)
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)  # busy, amount unknown
        self.bar.show()
        self.show()

    def show_note(self, text: str) -> None:
        """A last word on the work (it failed, say); stays until the next work or ``hide``."""
        self.text.setText(text)
        self.bar.hide()
        self.show()


class ShellFrame(QWidget):
    network_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_TITLE)
        self.resize(*FRAME_SIZE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.band = TitleBand()
        self.network_button = self.band.add_button("网络设置")
        self.network_button.clicked.connect(self.network_requested)
        layout.addWidget(self.band)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.background = BackgroundStrip()
        layout.addWidget(self.background)
        self.starting: QWidget | None = None

    def show_starting(self) -> None:
        """What the window shows while the program behind it loads (a moment)."""
        card = Card("正在启动")
        card.body.addWidget(QLabel("正在启动社保费管理客户端，请稍候…"))
        card.body.addStretch(1)
        self.show_card(card)
        self.starting = card

    def show_card(self, card: QWidget) -> None:
        if self.stack.indexOf(card) < 0:
            self.stack.addWidget(card)
        self.stack.setCurrentWidget(card)
        if self.starting is not None and self.starting is not card:
            self.drop_card(self.starting)
            self.starting = None

    def drop_card(self, card: QWidget) -> None:
        if self.stack.indexOf(card) >= 0:
            self.stack.removeWidget(card)
            card.deleteLater()
