"""系统管理-登录密码设置 (manual 4.3) in 参数设置中心: set, change or cancel the optional client 登录密码.

The page says whether one is set. 原密码 is asked only when one is; 【取消登录密码】 is offered only then, and
checks the 原密码 typed above it. Hashing and checking (Argon2id) run on a worker; every message comes from
``services/client_password.py`` through the usual message boxes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from sbf_client.services.client_password import RULE, ClientPasswordService
from sbf_client.services.context import ClientContext

from ..dialogs import ask, inform, warn
from ..tasks import TaskRunner

ABOUT = (
    "登录密码用于保护本机客户端：设置后，每次启动客户端须先输入登录密码，才能选择地区、管理单位和登录。"
    "登录密码只保存在本机，与单位的申报密码无关；连续输错5次后须等待一段时间才能再试。请牢记登录密码。"
)
IS_SET = "当前状态：已设置登录密码，启动客户端时须输入登录密码。"
NOT_SET = "当前状态：未设置登录密码，启动客户端时无须输入密码。"
CANCEL_NEEDS_OLD = "请先在【原密码】中输入当前的登录密码，再点击【取消登录密码】。"
CANCEL_QUESTION = "取消登录密码后，启动客户端将不再需要输入密码，本机的其他用户也可直接使用客户端。是否继续？"


class LoginPasswordPage(QWidget):
    def __init__(self, context: ClientContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page-login_password")
        self.service = ClientPasswordService(context)
        self.runner = runner
        layout = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.state)
        about = QLabel(ABOUT)
        about.setWordWrap(True)
        layout.addWidget(about)
        layout.addSpacing(6)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(16)
        self.old = self._password_field()
        self.new = self._password_field()
        self.again = self._password_field()
        self.again.returnPressed.connect(self.save)
        self.form.addRow("原密码：", self.old)
        self.form.addRow("新密码：", self.new)
        self.form.addRow("确认新密码：", self.again)
        layout.addLayout(self.form)
        rule = QLabel(RULE)
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #5b6b7f;")
        layout.addWidget(rule)
        row = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.setMinimumWidth(100)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        self.cancel_button = QPushButton("取消登录密码")
        self.cancel_button.setObjectName("Secondary")
        self.cancel_button.clicked.connect(self.cancel_password)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.show_state(self.service.is_set())

    @staticmethod
    def _password_field() -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMinimumWidth(300)
        field.setMaximumWidth(420)
        return field

    def show_state(self, is_set: bool) -> None:
        """The state line, and the fields and buttons that fit it; every field emptied."""
        self.is_set = is_set
        self.state.setText(IS_SET if is_set else NOT_SET)
        self.form.setRowVisible(self.old, is_set)
        self.cancel_button.setVisible(is_set)
        for field in (self.old, self.new, self.again):
            field.clear()
        (self.old if is_set else self.new).setFocus()

    def save(self) -> None:
        old = self.old.text() if self.is_set else None
        new, again = self.new.text(), self.again.text()
        self._run(lambda: self.service.set_password(new, again, old), "正在保存登录密码")

    def cancel_password(self) -> None:
        old = self.old.text()
        if not old:
            warn(self, CANCEL_NEEDS_OLD)
            self.old.setFocus()
            return
        if not ask(self, "提示", CANCEL_QUESTION):
            return
        self._run(lambda: self.service.clear_password(old), "正在取消登录密码")

    def _run(self, change: Callable[[], str], title: str) -> None:
        """``change`` on a worker; its message said after, and the page showing the state it left."""
        self._busy(True)

        def done(message: str) -> None:
            self._busy(False)
            self.show_state(self.service.is_set())
            inform(self, message)

        def failed(_error: BaseException) -> bool:
            self._busy(False)
            return False  # the runner shows the message (原密码错误, 两次输入的密码不一致, the rule, the wait)

        self.runner.run(lambda _p: change(), done, parent=self, title=title, on_error=failed)

    def _busy(self, working: bool) -> None:
        self.save_button.setEnabled(not working)
        self.cancel_button.setEnabled(not working)
