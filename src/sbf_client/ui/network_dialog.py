"""网络设置: 直接连接网络 or a HTTP / SOCKS5 proxy with an optional user name and password.

The manual's rule: 【测试】 first, and only a passed test lets 【保存】 save exactly the values tested.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sbf_client.core.errors import SbfError
from sbf_client.remote.proxy import ProxySettings
from sbf_client.services.context import ClientContext
from sbf_client.services.network import PROXY_SETTING, load_proxy, save_proxy
from sbf_client.services.network import test_connection as run_connection_test
from sbf_client.ui.tasks import TaskRunner, error_text

HINT = "修改设置后，请先点【测试】，测试通过后再点【保存】。"
OK_STYLE = "color: #1a7f37;"
FAIL_STYLE = "color: #d93025;"
NEUTRAL_STYLE = "color: #5b6b7f;"
DISABLED_STYLE = (
    "QLabel:disabled, QRadioButton:disabled { color: #a3adb8; }"
    "QLineEdit:disabled { color: #a3adb8; background: #f0f2f5; }"
)


class NetworkDialog(QDialog):
    def __init__(self, context: ClientContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.tested: ProxySettings | None = None  # the values of the last passed test
        self.testing = False
        self.saved_notice: QMessageBox | None = None
        self.setWindowTitle("网络设置")
        self.setMinimumWidth(500)
        self._build()
        self._load()
        self._refresh()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.direct_radio = QRadioButton("直接连接网络")
        self.proxy_radio = QRadioButton("使用代理服务器")
        self.mode_group = QButtonGroup(self)
        for button in (self.direct_radio, self.proxy_radio):
            self.mode_group.addButton(button)
        mode_box = QGroupBox("上网方式")
        mode_row = QHBoxLayout(mode_box)
        mode_row.addWidget(self.direct_radio)
        mode_row.addWidget(self.proxy_radio)
        mode_row.addStretch(1)

        self.http_radio = QRadioButton("HTTP")
        self.socks_radio = QRadioButton("SOCKS5")
        self.kind_group = QButtonGroup(self)
        for button in (self.http_radio, self.socks_radio):
            self.kind_group.addButton(button)
        kind_row = QHBoxLayout()
        kind_row.setContentsMargins(0, 0, 0, 0)
        kind_row.addWidget(self.http_radio)
        kind_row.addWidget(self.socks_radio)
        kind_row.addStretch(1)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("如 proxy.example.com 或 192.168.1.1")
        self.port_edit = QLineEdit()
        self.port_edit.setValidator(QIntValidator(0, 65535, self))
        self.port_edit.setMaxLength(5)
        self.port_edit.setMaximumWidth(100)
        self.user_edit = QLineEdit()
        self.user_edit.setPlaceholderText("代理服务器无需验证时不填")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("代理服务器无需验证时不填")
        self.proxy_box = QGroupBox("代理服务器")
        # The app stylesheet fixes one text colour for every widget, so disabled fields would not look disabled.
        self.proxy_box.setStyleSheet(DISABLED_STYLE)
        form = QFormLayout(self.proxy_box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("代理类型：", kind_row)
        form.addRow("代理服务器地址：", self.host_edit)
        form.addRow("端口：", self.port_edit)
        form.addRow("用户名：", self.user_edit)
        form.addRow("密码：", self.password_edit)

        self.result_label = QLabel(HINT)
        self.result_label.setWordWrap(True)
        self.result_label.setMinimumHeight(40)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton("测试")
        self.save_button = QPushButton("保存")
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("Secondary")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.test_button, self.save_button, self.cancel_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(mode_box)
        layout.addWidget(self.proxy_box)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

        for button in (self.direct_radio, self.proxy_radio, self.http_radio, self.socks_radio):
            button.toggled.connect(self._edited)
        for edit in (self.host_edit, self.port_edit, self.user_edit, self.password_edit):
            edit.textEdited.connect(self._edited)
        self.test_button.clicked.connect(self._test)
        self.save_button.clicked.connect(self._save)
        self.cancel_button.clicked.connect(self.reject)

    def _load(self) -> None:
        try:
            current = load_proxy(self.context.store)
        except SbfError as error:  # e.g. no keyring: the dialog still opens, without the password
            self._show(error.message, FAIL_STYLE)
            saved = self.context.store.setting(PROXY_SETTING) or {}
            current = ProxySettings(saved.get("kind", "direct"), saved.get("host", ""), int(saved.get("port", 0) or 0))
        (self.direct_radio if current.is_direct else self.proxy_radio).setChecked(True)
        (self.socks_radio if current.kind == "socks5" else self.http_radio).setChecked(True)
        self.host_edit.setText(current.host)
        self.port_edit.setText(str(current.port) if current.port else "")
        self.user_edit.setText(current.username)
        self.password_edit.setText(current.password)

    # ------------------------------------------------------------------ state

    def current(self) -> ProxySettings:
        """The values as entered; 直接连接网络 ignores the proxy fields."""
        if self.direct_radio.isChecked():
            return ProxySettings()
        port = self.port_edit.text().strip()
        return ProxySettings(
            "socks5" if self.socks_radio.isChecked() else "http",
            self.host_edit.text().strip(),
            int(port) if port.isdigit() else 0,
            self.user_edit.text().strip(),
            self.password_edit.text(),
        )

    def _edited(self, *_args: object) -> None:
        if self.tested is not None and self.tested != self.current():
            self.tested = None
            self._show("设置已修改，请重新测试。", NEUTRAL_STYLE)
        self._refresh()

    def _refresh(self) -> None:
        idle = not self.testing
        self.direct_radio.setEnabled(idle)
        self.proxy_radio.setEnabled(idle)
        self.proxy_box.setEnabled(idle and self.proxy_radio.isChecked())
        self.test_button.setEnabled(idle)
        self.save_button.setEnabled(idle and self.tested is not None and self.tested == self.current())

    def _show(self, text: str, style: str) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(style)

    # ------------------------------------------------------------------ actions

    def _test(self) -> None:
        settings = self.current()
        problem = settings.problem()
        if problem:
            self._show(problem, FAIL_STYLE)
            return
        self.tested = None
        self.testing = True
        self._show("正在测试网络连接，请稍候…", NEUTRAL_STYLE)
        self._refresh()
        self.runner.run(
            # endpoints() may start the embedded sandbox of a 演示地区: not on the UI thread.
            lambda _progress: run_connection_test(settings, self.context.endpoints()),
            lambda message: self._tested_ok(settings, message),
            parent=self,
            title="正在测试网络连接…",
            on_error=self._test_failed,
            cancellable=False,
            show_progress=False,
        )

    def _tested_ok(self, settings: ProxySettings, message: str) -> None:
        self.testing = False
        self.tested = settings
        self._show(message, OK_STYLE)
        self._refresh()

    def _test_failed(self, error: BaseException) -> bool:
        self.testing = False
        self.tested = None
        self._show(f"测试失败：{error_text(error)}", FAIL_STYLE)
        self._refresh()
        return True

    def _save(self) -> None:
        settings = self.current()
        if self.tested is None or self.tested != settings:  # the button is disabled then; never save untested
            self._refresh()
            return
        try:
            save_proxy(self.context.store, settings)
        except SbfError as error:
            self._show(error.message, FAIL_STYLE)
            return
        self.context.reset_api()
        notice = QMessageBox(QMessageBox.Icon.Information, "提示", "保存成功", parent=self.parentWidget())
        notice.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        notice.open()  # not exec(): the dialog closes now, the notice stays until the user reads it
        self.saved_notice = notice
        self.accept()
