"""参数设置中心 (chapter 4): tabs 系统管理 (网络管理 4.1, 备份恢复 4.2, 登录密码设置 4.3), 单位管理 (单位信息 4.4),
申报管理 (4.5: 规则文件更新, 申报密码设置). Each page is its own module; this dialog only holds them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from sbf_client.remote.proxy import KIND_LABELS
from sbf_client.services.context import ClientContext

from ..network_dialog import NetworkDialog
from ..page import PageContext
from ..tasks import TaskRunner
from .backup_pages import BackupRestorePage
from .declaration_settings import DeclarationSettingsPage
from .login_password import LoginPasswordPage
from .unit_info import UnitInfoPage

NETWORK_RULES = (
    "一、代理服务器设置可在登录前的【网络设置】中进行，也可在本页面设置。\n"
    "二、代理服务器支持HTTP、SOCKS5类型，支持用户验证的模式。\n"
    "三、设置代理后需要进行测试，测试通过后，点击【保存】保存当前设置。\n"
    "四、下载、申报、反馈等所有网络操作均通过所设置的代理服务器进行。"
)


class NetworkPage(QWidget):
    """系统管理-网络管理 (4.1)."""

    def __init__(self, context: ClientContext, runner: TaskRunner) -> None:
        super().__init__()
        self.context = context
        self.runner = runner
        layout = QVBoxLayout(self)
        self.current = QLabel()
        self.current.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.current)
        rules = QLabel(NETWORK_RULES)
        rules.setWordWrap(True)
        layout.addWidget(rules)
        row = QHBoxLayout()
        button = QPushButton("网络设置")
        button.clicked.connect(self.edit)
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.show_current()

    def show_current(self) -> None:
        proxy = self.context.proxy()
        shown = (
            "直接连接网络"
            if proxy.is_direct
            else f"使用代理服务器：{KIND_LABELS[proxy.kind]} {proxy.host}:{proxy.port}"
        )
        self.current.setText(f"当前上网方式：{shown}")

    def edit(self) -> None:
        NetworkDialog(self.context, self.runner, self).exec()
        self.show_current()


class SettingsCenter(QDialog):
    def __init__(
        self, context: ClientContext, runner: TaskRunner, page_context: PageContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("参数设置中心")
        self.resize(900, 640)  # 单位信息's 基本信息 and three 单位编号 without scrolling
        layout = QVBoxLayout(self)
        top = QTabWidget()
        system = QTabWidget()
        system.addTab(NetworkPage(context, runner), "网络管理")

        def close_data() -> None:  # before a restore swaps the files: no connection may stay open on them
            page_context.session.close()
            context.store.close()

        system.addTab(BackupRestorePage(context, runner, close_data), "备份恢复")
        system.addTab(LoginPasswordPage(context, runner), "登录密码设置")
        top.addTab(system, "系统管理")
        units = QTabWidget()
        units.addTab(UnitInfoPage(context.store, page_context.session.unit), "单位信息")
        top.addTab(units, "单位管理")
        top.addTab(DeclarationSettingsPage(page_context, runner), "申报管理")
        layout.addWidget(top)
        self.tabs = top
        self.system_tabs = system
        self.unit_tabs = units
