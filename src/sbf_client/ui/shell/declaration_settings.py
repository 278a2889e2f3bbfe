"""系统管理-申报管理 (manual 4.5) in 参数设置中心: 规则文件更新 and 申报密码设置, one tab each (the manual's
图 规则文件更新页面 and 图 申报密码设置页面).

规则文件更新 shows the 规则文件 kept on this machine (个数, 最后更新时间, each file and what it holds) and 【更新】
downloads the newest from the 管理子系统 (``services.rule_files``). 申报密码设置 changes the logged-in unit's
申报密码, verified by the server (``services.declaration_password``). Both need the server: offline their button
is disabled and the reason shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.passwords import MAX_LENGTH, MIN_LENGTH
from sbf_client.remote.errors import ApiError
from sbf_client.services.declaration_password import (
    CHANGED,
    CHANGING,
    NOTES,
    change_declaration_password,
    check_declaration_password,
)
from sbf_client.services.rule_files import RuleFiles, cached_rule_files, update_rule_files, updated_message
from sbf_client.services.session import UnitSession

from ..dialogs import inform, warn
from ..page import PageContext
from ..tasks import TaskRunner
from ..widgets.readonly_table import readonly_table

RULE_NOTES = (
    "（一）如需要手动更新规则文件，可点击【更新】按钮。\n"
    "（二）每次软件登录都会自动从管理子系统下载最新的规则文件，一般情况下不需要手工更新。\n"
    "（三）可查看规则文件的个数，规则文件具体设置要到管理子系统进行管理设置，客户端只负责下载这些规则文件。"
)
PASSWORD_RULES = (
    f"新申报密码为{MIN_LENGTH}至{MAX_LENGTH}位字母、数字或英文符号，不能包含空格，不能与原申报密码或初始申报密码相同。"
)
RULE_COLUMNS = ("序号", "规则文件名称", "说明", "内容")


def offline_text(session: UnitSession, what: str) -> str:
    """Why ``what`` cannot be done now, shown on the page and as the disabled button's tooltip."""
    reason = session.offline_reason or "当前无法连接服务器。"
    return f"离线模式：{reason}{what}需要连接服务器，请联网后重新登录再操作。"


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("Note")
    return label


def _offline_label(session: UnitSession, what: str) -> QLabel:
    label = QLabel(offline_text(session, what) if session.offline else "")
    label.setObjectName("Hint")
    label.setWordWrap(True)
    label.setVisible(session.offline)
    return label


class RuleFilesPanel(QWidget):
    """一、规则文件更新."""

    def __init__(self, session: UnitSession, runner: TaskRunner) -> None:
        super().__init__()
        self.session, self.runner = session, runner
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.count = QLabel()
        self.count.setStyleSheet("font-weight: bold;")
        self.updated = QLabel()
        self.update_button = QPushButton("更新")
        self.update_button.setFixedWidth(120)
        self.update_button.clicked.connect(lambda _c=False: self.update_files())
        row.addWidget(self.count)
        row.addSpacing(24)
        row.addWidget(self.updated)
        row.addStretch(1)
        row.addWidget(self.update_button)
        layout.addLayout(row)
        self.offline = _offline_label(session, "更新规则文件")
        layout.addWidget(self.offline)
        self.table: QTableWidget = readonly_table(RULE_COLUMNS, widths=(44, 180, 320), stretch=3)
        layout.addWidget(self.table, 1)
        self.result = QLabel()
        layout.addWidget(self.result)
        layout.addWidget(_note(RULE_NOTES))
        if session.offline:
            self.update_button.setEnabled(False)
            self.update_button.setToolTip(self.offline.text())
        self.show_files(cached_rule_files(session.context.store))

    def show_files(self, files: RuleFiles) -> None:
        self.files = files
        self.count.setText(f"规则文件个数：{files.count}")
        version = f"（版本 {files.version}）" if files.version else ""
        self.updated.setText(f"最后更新时间：{files.updated_at or '尚未记录'}{version}")
        rows = [(str(n), f.title, f.description, f.content) for n, f in enumerate(files.files, start=1)]
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.table.setItem(row, column, cell)

    def update_files(self) -> None:
        """【更新】 on a worker; the result said on the page and in a 提示."""
        self.update_button.setEnabled(False)
        self.result.setText("正在从管理子系统下载规则文件…")
        context = self.session.context

        def done(files: RuleFiles) -> None:
            self.update_button.setEnabled(True)
            self.show_files(files)
            self.result.setText(updated_message(files))
            inform(self, updated_message(files))

        def failed(error: BaseException) -> bool:
            self.update_button.setEnabled(True)
            self.result.setText(error.message if isinstance(error, SbfError) else "")
            return False  # the runner says what went wrong (“规则文件更新失败：<原因>”)

        self.runner.run(
            lambda _p: update_rule_files(context), done, parent=self, title="正在更新规则文件", on_error=failed
        )


class DeclarationPasswordPanel(QWidget):
    """二、申报密码设置."""

    def __init__(self, session: UnitSession, runner: TaskRunner) -> None:
        super().__init__()
        self.session, self.runner = session, runner
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        self.old, self.new, self.again = QLineEdit(), QLineEdit(), QLineEdit()
        for box in (self.old, self.new, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setMinimumWidth(320)
            box.setMaximumWidth(420)
        self.again.returnPressed.connect(self.save)
        form.addRow("原申报密码：", self.old)
        form.addRow("新申报密码：", self.new)
        form.addRow("确认新申报密码：", self.again)
        layout.addLayout(form)
        layout.addWidget(_note(PASSWORD_RULES))
        row = QHBoxLayout()
        self.save_button = QPushButton("保存")
        self.save_button.setFixedWidth(120)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.offline = _offline_label(session, CHANGING)
        layout.addWidget(self.offline)
        layout.addWidget(_note("\n".join(NOTES)))
        layout.addStretch(1)
        if session.offline:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(self.offline.text())

    def save(self) -> None:
        """【保存】: the rules checked here, then the change (and the new offline verifier) on a worker."""
        if not self.save_button.isEnabled():
            return
        old, new, again = self.old.text(), self.new.text(), self.again.text()
        session = self.session
        try:
            check_declaration_password(session, old, new, again)
        except InputError as error:
            warn(self, error.message)
            return
        self.save_button.setEnabled(False)

        def done(_none: None) -> None:
            self.save_button.setEnabled(True)
            for box in (self.old, self.new, self.again):
                box.clear()
            inform(self, CHANGED)

        def failed(error: BaseException) -> bool:
            self.save_button.setEnabled(True)
            if isinstance(error, InputError):
                warn(self, error.message)
                return True
            if isinstance(error, ApiError):
                warn(self, _refusal(error))
                self.old.setFocus()
                self.old.selectAll()
                return True
            return False  # the runner says what went wrong

        self.runner.run(
            lambda _p: change_declaration_password(session, old, new, again),
            done,
            parent=self,
            title="正在修改申报密码",
            on_error=failed,
        )


def _refusal(error: ApiError) -> str:
    """The server's refusal as it said it, with its code (the 20101 message already names it)."""
    if f"[{error.code}]" in error.message:
        return error.message
    return f"申报密码修改失败：[{error.code}]{error.message}"


class DeclarationSettingsPage(QWidget):
    """系统管理-申报管理: the two tabs, for the logged-in unit of ``page_context``."""

    def __init__(self, page_context: PageContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page-declaration_settings")
        session = page_context.session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.rules = RuleFilesPanel(session, runner)
        self.password = DeclarationPasswordPanel(session, runner)
        self.tabs.addTab(self.rules, "规则文件更新")
        self.tabs.addTab(self.password, "申报密码设置")
        layout.addWidget(self.tabs)
