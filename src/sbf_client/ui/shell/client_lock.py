"""The 登录密码 card (manual 4.3): when a client 登录密码 is set, the first and only card until it is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from .frame import Card

NOTE = "本机客户端已设置登录密码，请输入登录密码后使用。"
HINT = "登录密码在【参数设置中心】-【系统管理】-【登录密码设置】中设置或取消，与单位的申报密码无关。"


class ClientLockCard(Card):
    """One password field and 【确定】; no way back and nothing else: the client is behind it."""

    submitted = Signal(str)

    def __init__(self) -> None:
        super().__init__("登录密码")
        note = QLabel(NOTE)
        note.setWordWrap(True)
        self.body.addWidget(note)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(380)
        self.password.setMaximumWidth(520)
        self.password.returnPressed.connect(self._submit)
        form.addRow("登录密码：", self.password)
        self.body.addLayout(form)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5b6b7f;")
        self.body.addWidget(hint)
        self.ok = self.add_actions("确定", self._submit)
        self.body.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # focus given before the card is on show does not stick
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def password_rejected(self) -> None:
        """Wrong (or must wait): the password kept, selected, so that typing again replaces it."""
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password.selectAll()

    def _submit(self) -> None:
        if self.primary is not None and self.primary.isEnabled():  # one check at a time (Enter while checking)
            self.submitted.emit(self.password.text())
