"""系统管理-备份恢复 (manual 4.2, M5106–5149): the three pages 备份设置, 自动备份 and 恢复设置.

Every backup and restore runs in the background with progress (``services.backup.BackupService``); the pages
only ask, show and remember the user's choices. A restore replaces the data under every open database, so the
client closes them first and asks for a restart after it, whatever the outcome.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sbf_client.core.errors import SbfError
from sbf_client.services.backup import BackupService
from sbf_client.services.context import ClientContext

from ..dialogs import ask, inform, warn
from ..tasks import TaskRunner

BACKUP_NOTES = (
    "（一）备份路径设置：可选择备份文件保存的文件夹。\n"
    "（二）点击【备份】备份本机数据，备份前有提示，备份后显示结果信息。\n"
    "（三）备份到默认路径：默认路径为客户端数据目录下的 backups 文件夹。\n"
    "（四）备份到选择路径：点击【选择路径】更改备份文件保存的文件夹。\n"
    "备份文件含职工证件号码、缴费工资等个人信息，已用备份密码加密；在其他电脑上恢复时需输入备份密码，请牢记。"
)
AUTO_NOTES = (
    "（一）勾选“启动自动备份”后，退出客户端时自动备份本机数据。\n"
    "（二）备份的数量：最多保留的自动备份份数，超出时删除最早的一份（新备份校验通过后才删除）。\n"
    "（三）备份路径：自动备份文件保存的文件夹，可更改。"
)
RESTORE_NOTES = (
    "从默认路径下的备份中选择一份，或点击【选择文件恢复】选择其他位置的备份文件。"
    "恢复前会先自动备份当前数据；恢复完成后需重新启动客户端。"
)
CONFIRM_BACKUP = "确定要备份数据吗？"
CONFIRM_RESTORE = "恢复将覆盖当前数据（恢复前会先自动备份当前数据），是否继续？"
RESTART = "恢复成功，请重新启动客户端。"


def size_text(size: int) -> str:
    for unit, step in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= step:
            return f"{size / step:.1f} {unit}"
    return f"{size} B"


def _folder_row(parent: QWidget, folder: Path, chosen: Any) -> tuple[QHBoxLayout, QLineEdit]:
    """A read-only folder box with 【选择路径】; ``chosen(path)`` gets a newly chosen folder."""
    row = QHBoxLayout()
    shown = QLineEdit(str(folder))
    shown.setReadOnly(True)
    row.addWidget(shown, 1)
    pick = QPushButton("选择路径")
    pick.setObjectName("Secondary")

    def choose() -> None:
        picked = QFileDialog.getExistingDirectory(parent, "选择路径", shown.text())
        if picked:
            shown.setText(picked)
            chosen(Path(picked))

    pick.clicked.connect(lambda _c=False: choose())
    row.addWidget(pick)
    return row, shown


class PasswordDialog(QDialog):
    """设置备份密码: twice, checked by the service."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("设置备份密码")
        form = QFormLayout(self)
        self.first, self.again = QLineEdit(), QLineEdit()
        for box in (self.first, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("备份密码：", self.first)
        form.addRow("确认备份密码：", self.again)
        hint = QLabel("8至64位。自动备份无需输入；在其他电脑上恢复时需要输入，请牢记。")
        hint.setObjectName("Note")
        form.addRow(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class BackupSettingsPage(QWidget):
    """备份设置: the folder, the backup password, 【备份】."""

    def __init__(self, service: BackupService, runner: TaskRunner) -> None:
        super().__init__()
        self.service, self.runner = service, runner
        layout = QVBoxLayout(self)
        form = QFormLayout()
        row, self.folder = _folder_row(self, service.backup_folder(), service.set_backup_folder)
        form.addRow("备份路径：", row)
        password_row = QHBoxLayout()
        self.password_state = QLabel()
        password_row.addWidget(self.password_state)
        self.password_button = QPushButton("设置备份密码")
        self.password_button.setObjectName("Secondary")
        self.password_button.clicked.connect(lambda _c=False: self.set_password())
        password_row.addWidget(self.password_button)
        password_row.addStretch(1)
        form.addRow("备份密码：", password_row)
        layout.addLayout(form)
        self.backup_button = QPushButton("备份")
        self.backup_button.setFixedWidth(120)
        self.backup_button.clicked.connect(lambda _c=False: self.backup())
        layout.addWidget(self.backup_button)
        notes = QLabel(BACKUP_NOTES)
        notes.setWordWrap(True)
        notes.setObjectName("Note")
        layout.addWidget(notes)
        layout.addStretch(1)
        self.show_password_state()

    def show_password_state(self) -> None:
        self.password_state.setText("已设置" if self.service.has_backup_password() else "未设置")

    def set_password(self) -> bool:
        dialog = PasswordDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.service.set_backup_password(dialog.first.text(), dialog.again.text())
            except SbfError as error:  # a rule or the keyring: said, and asked again
                warn(self, error.message)
                continue
            self.show_password_state()
            inform(self, "备份密码设置成功。")
            return True
        return False

    def backup(self) -> None:
        if not self.service.has_backup_password() and not self.set_password():
            return
        if not ask(self, "备份", CONFIRM_BACKUP):
            return
        folder = Path(self.folder.text())

        def failed(error: BaseException) -> bool:
            if not isinstance(error, SbfError):
                return False  # the runner says it, the log has the rest
            warn(self, f"备份失败：{error.message}")
            return True

        self.runner.run(
            lambda progress: self.service.backup(folder, progress),
            lambda result: inform(self, backup_result_text(result)),
            parent=self,
            title="正在备份数据",
            on_error=failed,
        )


def backup_result_text(result: Any) -> str:
    names = "、".join(unit.name for unit in result.units)
    return (
        f"备份成功，备份文件：{result.path}\n大小：{size_text(result.size)}；"
        f"单位：{len(result.units)}个（{names}）；共{sum(result.counts.values())}条记录。"
    )


def backup_on_exit(parent: QWidget, context: ClientContext, runner: TaskRunner, then: Any) -> bool:
    """自动备份 as the client exits, when it is on: in the background with progress (取消 skips it), then
    ``then()``. Returns False when there is nothing to do (the caller exits at once)."""
    service = BackupService(context)
    if not service.auto_backup_enabled():
        return False

    def failed(error: BaseException) -> bool:
        if isinstance(error, SbfError):
            warn(parent, f"自动备份失败：{error.message}")
        then()
        return True

    runner.run(
        lambda progress: service.auto_backup_on_exit(progress),
        lambda _result: then(),
        parent=parent,
        title="正在自动备份数据",
        on_error=failed,
    )
    return True


class AutoBackupPage(QWidget):
    """自动备份: on or off, how many to keep, where."""

    def __init__(self, service: BackupService) -> None:
        super().__init__()
        self.service = service
        layout = QVBoxLayout(self)
        self.enabled = QCheckBox("启动自动备份")
        self.enabled.setChecked(service.auto_backup_enabled())
        layout.addWidget(self.enabled)
        form = QFormLayout()
        self.count = QSpinBox()
        self.count.setRange(1, 99)
        self.count.setValue(service.auto_backup_count())
        self.count.setFixedWidth(100)
        form.addRow("备份的数量：", self.count)
        self._folder = service.auto_backup_folder()
        row, self.folder = _folder_row(self, self._folder, self._chosen)
        form.addRow("备份路径：", row)
        layout.addLayout(form)
        self.save_button = QPushButton("保存")
        self.save_button.setFixedWidth(120)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        layout.addWidget(self.save_button)
        notes = QLabel(AUTO_NOTES)
        notes.setWordWrap(True)
        notes.setObjectName("Note")
        layout.addWidget(notes)
        layout.addStretch(1)

    def _chosen(self, folder: Path) -> None:
        self._folder = folder

    def save(self) -> None:
        if self.enabled.isChecked() and not self.service.has_backup_password():
            warn(self, "请先在【备份设置】中设置备份密码，再启动自动备份。")
            return
        self.service.configure_auto_backup(self.enabled.isChecked(), self.count.value(), self._folder)
        inform(self, "保存成功。")


class RestorePage(QWidget):
    """恢复设置: the backups of the default folder, or a chosen file; 【恢复】."""

    COLUMNS = ("备份时间", "大小", "单位", "文件")

    def __init__(self, service: BackupService, runner: TaskRunner, close_data: Any) -> None:
        super().__init__()
        self.service, self.runner, self.close_data = service, runner, close_data
        self.restart: Any = QApplication.quit  # the data changed under the open databases: the client starts again
        layout = QVBoxLayout(self)
        notes = QLabel(RESTORE_NOTES)
        notes.setWordWrap(True)
        layout.addWidget(notes)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((160, 90, 220)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("恢复")
        self.restore_button.clicked.connect(lambda _c=False: self.restore_chosen())
        self.file_button = QPushButton("选择文件恢复")
        self.file_button.setObjectName("Secondary")
        self.file_button.clicked.connect(lambda _c=False: self.restore_file())
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setObjectName("Secondary")
        self.refresh_button.clicked.connect(lambda _c=False: self.refresh())
        for button in (self.restore_button, self.file_button, self.refresh_button):
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.paths: list[Path] = []
        self.refresh()

    def refresh(self) -> None:
        entries = self.service.list_backups(None)
        self.paths = [entry.path for entry in entries]
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            created = entry.created_at
            when = created.strftime("%Y-%m-%d %H:%M:%S") if isinstance(created, datetime) else str(created or "")
            units = "、".join(entry.units) if entry.units else ("无法读取" if not entry.readable else "")
            for column, value in enumerate((when, size_text(entry.size), units, entry.path.name)):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if entries:
            self.table.selectRow(0)
        self.restore_button.setEnabled(bool(entries))

    def restore_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.restore(self.paths[rows[0].row()])

    def restore_file(self) -> None:
        picked, _filter = QFileDialog.getOpenFileName(
            self, "选择备份文件", str(self.service.backup_folder()), "备份文件 (*.sbfbak)"
        )
        if picked:
            self.restore(Path(picked))

    def restore(self, path: Path) -> None:
        if not ask(self, "恢复", CONFIRM_RESTORE):
            return
        password = self.service.remembered_password()
        if password is None:
            typed, ok = QInputDialog.getText(self, "备份密码", "请输入该备份的备份密码：", QLineEdit.EchoMode.Password)
            if not ok:
                return
            password = typed
        try:
            self.service.verify(path, password)  # refused here, the data stays open and untouched
        except SbfError as error:
            warn(self, f"恢复失败：{error.message}")
            return
        self.close_data()

        def finished(_result: object) -> None:
            inform(self, RESTART)
            self.restart()

        def failed(error: BaseException) -> bool:
            reason = error.message if isinstance(error, SbfError) else "恢复过程中出现错误，详见日志文件"
            warn(self, f"恢复失败：{reason}\n当前数据未改变，请重新启动客户端。")
            self.restart()
            return True

        self.runner.run(
            lambda progress: self.service.restore(path, password, progress),
            finished,
            parent=self,
            title="正在恢复数据",
            on_error=failed,
            cancellable=False,
        )


class BackupRestorePage(QTabWidget):
    """备份恢复: 备份设置 / 自动备份 / 恢复设置 (M5112)."""

    def __init__(self, context: ClientContext, runner: TaskRunner, close_data: Any) -> None:
        super().__init__()
        service = BackupService(context)
        self.settings_page = BackupSettingsPage(service, runner)
        self.auto_page = AutoBackupPage(service)
        self.restore_page = RestorePage(service, runner, close_data)
        self.addTab(self.settings_page, "备份设置")
        self.addTab(self.auto_page, "自动备份")
        self.addTab(self.restore_page, "恢复设置")
