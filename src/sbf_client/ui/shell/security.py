"""安全认证 (M827–853, M972–1014) and 修改申报密码 (P11): the password screens of 添加单位 and 登录."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from .frame import Card


class SecurityCard(Card):
    """纳税人识别号 and 纳税人名称 shown, the 申报密码 typed; the red hint depends on the business."""

    submitted = Signal(str)
    back = Signal()

    def __init__(self, taxpayer_id: str, name: str, hint: str) -> None:
        super().__init__("安全认证")
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.taxpayer = QLineEdit(taxpayer_id)
        self.name = QLineEdit(name)
        for shown in (self.taxpayer, self.name):
            shown.setReadOnly(True)
            # A click still selects the text to copy it; Tab goes past, to what the user has to type.
            shown.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._submit)
        for widget in (self.taxpayer, self.name, self.password):
            widget.setMinimumWidth(380)
            widget.setMaximumWidth(520)
        form.addRow("纳税人识别号：", self.taxpayer)
        form.addRow("纳税人名称：", self.name)
        form.addRow("申报密码：", self.password)
        self.body.addLayout(form)
        self.hint = QLabel(hint)
        self.hint.setObjectName("Hint")
        self.hint.setWordWrap(True)
        self.body.addWidget(self.hint)
        self.ok = self.add_actions("确定", self._submit, self.back)
        self.body.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        # Focus given before the card is in the shown frame does not stick: give it once the card is on show.
        super().showEvent(event)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def password_rejected(self) -> None:
        """The server refused the 申报密码: keep it, selected, so that typing again replaces it."""
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.password.selectAll()

    def _submit(self) -> None:
        self.submitted.emit(self.password.text())


class ChangePasswordCard(Card):
    """首次使用初始申报密码：修改申报密码 (新申报密码 twice)."""

    submitted = Signal(str, str)

    def __init__(self, name: str) -> None:
        super().__init__("修改申报密码")
        note = QLabel(
            f"【{name}】正在使用初始申报密码。为保障单位数据安全，请修改申报密码，并牢记新密码："
            "后续登录客户端都需要这个申报密码，若忘记只能去税务大厅重置。"
        )
        note.setWordWrap(True)
        self.body.addWidget(note)
        form = QFormLayout()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for widget in (self.new, self.again):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.setMinimumWidth(380)
            widget.setMaximumWidth(520)
        self.again.returnPressed.connect(self._submit)
        form.addRow("新申报密码：", self.new)
        form.addRow("确认新申报密码：", self.again)
        self.body.addLayout(form)
        rule = QLabel("申报密码为6至20位字母、数字或英文符号，不能与初始申报密码相同。")
        rule.setStyleSheet("color: #5b6b7f;")
        self.body.addWidget(rule)
        self.ok = self.add_actions("确定", self._submit)
        self.body.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.new.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        self.submitted.emit(self.new.text(), self.again.text())
