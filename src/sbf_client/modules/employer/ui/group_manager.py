"""分组管理 (M1134–1153): the unit's groups as a tree — 分组名称 | 保存时间 | 操作 (添加子分组, 删除) — with
【批量导入】, 【新建分组】 and 【保存】 above it and 【取消】 below.

Everything is done on a draft (``services.groups.GroupDraft``): 新建分组 adds a 一级分组 whose name is typed at
once, 添加子分组 a group under its row (not under a 三级分组: 分组层级最多为3级), a double-click renames, 删除
takes the group and its sub-groups after a confirmation that says how many employees lose their group.
【保存】 checks every rule and applies all of it in one transaction; 【取消】 (or closing) discards it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from sbf_client.core.clock import Clock
from sbf_client.core.errors import InputError
from sbf_client.ui.dialogs import ask, inform, warn
from sbf_client.ui.tasks import Changed, TaskRunner

from ..services.group_import import GROUPS_TEMPLATE, import_groups, write_groups_template
from ..services.groups import MAX_LEVELS, TOO_DEEP, GroupDraft, GroupRuleError, save_groups
from ..services.lists import GROUPS_CHANGED
from ..store.groups import members_of
from .import_report import show_import_errors

NAME, SAVED_AT, ACTIONS = range(3)
KEY_ROLE = Qt.ItemDataRole.UserRole
DISCARD = "分组信息已修改但尚未保存，确定放弃修改吗？"
SAVED = "保存成功。"


def delete_question(path: str, sub_groups: int, employees: int) -> str:
    """The confirmation of 删除: what goes with the group, and how many employees lose their group."""
    if sub_groups:
        text = f"删除该分组将同时删除其下所有子分组（共{sub_groups}个），是否确定删除？"
    else:
        text = f"是否确定删除分组“{path}”？"
    if employees:
        text += f"\n该分组{'及其子分组' if sub_groups else ''}中的{employees}名职工将不再属于任何分组。"
    return text + "\n删除在点击【保存】后生效。"


class GroupManagerDialog(QDialog):
    def __init__(self, engine: Engine, clock: Clock, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("分组管理")
        self.resize(720, 480)
        self.engine, self.clock, self.runner = engine, clock, runner
        self.draft = GroupDraft.load(engine)
        self.items: dict[int, QTreeWidgetItem] = {}
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.import_button = QPushButton("批量导入 ▾")
        self.import_button.setObjectName("Secondary")
        menu = QMenu(self.import_button)
        menu.addAction("下载导入模板").triggered.connect(lambda _c=False: self.download_template())
        menu.addAction("导入分组文件").triggered.connect(lambda _c=False: self.import_file())
        self.import_button.setMenu(menu)
        self.new_button = QPushButton("新建分组")
        self.save_button = QPushButton("保存")
        self.new_button.clicked.connect(lambda _c=False: self.new_group())
        self.save_button.clicked.connect(lambda _c=False: self.save())
        for button in (self.import_button, self.new_button, self.save_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["分组名称", "保存时间", "操作"])
        self.tree.setColumnWidth(NAME, 300)
        self.tree.setColumnWidth(SAVED_AT, 170)
        self.tree.setStyleSheet("QTreeWidget::item { height: 30px; }")  # room for the 操作 links
        # Only the name is edited, wherever on its row the double-click lands (保存时间 is the program's).
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.tree.editItem(item, NAME))
        self.tree.itemChanged.connect(self._renamed)
        layout.addWidget(self.tree, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setObjectName("Secondary")
        self.cancel_button.clicked.connect(lambda _c=False: self.reject())
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)
        self._fill()

    # ------------------------------------------------------------------ the tree
    def _fill(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        self.items.clear()
        for group in self.draft.in_tree_order():
            self._add_item(group.key)
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def _add_item(self, key: int) -> QTreeWidgetItem:
        group = self.draft.groups[key]
        parent = self.items.get(group.parent) if group.parent is not None else None
        item = QTreeWidgetItem([group.name, group.saved_at, ""])
        item.setData(NAME, KEY_ROLE, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
            parent.setExpanded(True)
        self.items[key] = item
        self.tree.setItemWidget(item, ACTIONS, self._actions(key))
        return item

    def _actions(self, key: int) -> QWidget:
        cell = QWidget()
        row = QHBoxLayout(cell)
        row.setContentsMargins(0, 0, 0, 0)
        add = QPushButton("添加子分组", cell)
        remove = QPushButton("删除", cell)
        for button in (add, remove):
            button.setObjectName("Link")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            row.addWidget(button)
        row.addStretch(1)
        if self.draft.level(key) >= MAX_LEVELS:
            add.setEnabled(False)
            add.setToolTip(TOO_DEEP)
        add.clicked.connect(lambda _c=False: self.add_child(key))
        remove.clicked.connect(lambda _c=False: self.delete(key))
        return cell

    def action_button(self, key: int, text: str) -> QPushButton:
        """The 添加子分组 / 删除 link of a group's row."""
        cell = self.tree.itemWidget(self.items[key], ACTIONS)
        return next(b for b in cell.findChildren(QPushButton) if b.text() == text)

    def _renamed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == NAME:
            self.draft.rename(item.data(NAME, KEY_ROLE), item.text(NAME))

    def _edit(self, key: int) -> None:
        item = self.items[key]
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        self.tree.editItem(item, NAME)

    def editor(self) -> QLineEdit | None:
        """The name being typed, if any."""
        return next((e for e in self.tree.viewport().findChildren(QLineEdit) if e.isVisible()), None)

    def _commit_editing(self) -> None:
        """A name still being typed counts (保存 right after typing, without Enter)."""
        for editor in self.tree.viewport().findChildren(QLineEdit):
            if editor.isVisible():
                self.tree.commitData(editor)
                self.tree.closeEditor(editor, QAbstractItemView.EndEditHint.NoHint)

    # ------------------------------------------------------------------ actions
    def new_group(self) -> int:
        """新建分组: a 一级分组, its name typed at once."""
        self._commit_editing()
        key = self.draft.add_group(None).key
        self._add_item(key)
        self._edit(key)
        return key

    def add_child(self, parent: int) -> int | None:
        """添加子分组 under ``parent`` (refused under a 三级分组)."""
        self._commit_editing()
        try:
            key = self.draft.add_group(parent).key
        except GroupRuleError as error:
            warn(self, error.message)
            return None
        self._add_item(key)
        self._edit(key)
        return key

    def delete(self, key: int) -> None:
        """删除 the group and its sub-groups, once the user confirmed. How many employees lose their group is
        counted on a worker (a large group of a million-employee unit takes a noticeable moment)."""
        self._commit_editing()
        subtree = self.draft.subtree(key)
        engine, saved = self.engine, self.draft.saved_ids(subtree)

        def count(_progress: object) -> int:
            with engine.connect() as conn:
                return members_of(conn, saved)

        def counted(employees: int) -> None:
            self._busy(False)
            question = delete_question(self.draft.path(key), len(subtree) - 1, employees)
            if ask(self, "删除分组", question):
                self._remove(key, subtree)

        self._busy(True)
        self.runner.run(
            count,
            counted,
            parent=self,
            title="正在统计分组中的职工",
            on_error=lambda _error: self._busy(False),
            cancellable=False,
            show_progress=False,
        )

    def _remove(self, key: int, subtree: list[int]) -> None:
        self.draft.remove(key)
        item = self.items[key]
        (item.parent() or self.tree.invisibleRootItem()).removeChild(item)
        for gone in subtree:
            self.items.pop(gone, None)

    def save(self) -> None:
        """保存: every rule checked, then everything applied in one transaction (on a worker)."""
        self._commit_editing()
        problems = self.draft.problems()
        if problems:
            self._show_problem(problems[0])
            return
        if not self.draft.dirty:
            self.accept()
            return
        engine, draft, now = self.engine, self.draft, self.clock.now()
        self._busy(True)

        def failed(error: BaseException) -> bool:
            self._busy(False)
            if isinstance(error, GroupRuleError):
                self._show_problem(error)
                return True
            return False

        def saved(_result: object) -> None:
            self.draft = GroupDraft()  # nothing left to discard
            inform(self, SAVED)
            self.accept()

        self.runner.run(
            lambda _progress: Changed(save_groups(engine, draft, now), frozenset({GROUPS_CHANGED})),
            saved,
            parent=self,
            title="正在保存分组",
            on_error=failed,
            cancellable=False,
            show_progress=False,
        )

    def _busy(self, busy: bool) -> None:
        """While 保存 (or 删除's count) runs, nothing else: 保存 closes the dialog when it is done."""
        for button in (self.save_button, self.cancel_button, self.new_button, self.import_button):
            button.setEnabled(not busy)
        self.tree.setEnabled(not busy)

    def _show_problem(self, problem: GroupRuleError) -> None:
        warn(self, f"{problem.message}。请修改后再保存。")
        if problem.key is not None and problem.key in self.items:
            self._edit(problem.key)

    def reject(self) -> None:
        """取消, × or Esc: unsaved changes are discarded, after asking (not while 保存 runs)."""
        if not self.save_button.isEnabled() and self.draft.dirty:
            return
        self._commit_editing()
        if self.draft.dirty and not ask(self, "分组管理", DISCARD):
            return
        super().reject()

    # ------------------------------------------------------------------ 批量导入
    def download_template(self) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "下载导入模板", f"{GROUPS_TEMPLATE}.xlsx", "Excel 文件 (*.xlsx)"
        )
        if not path:
            return None
        target = write_groups_template(Path(path), self.draft)
        inform(self, f"模板已保存：{target}")
        return target

    def import_file(self) -> None:
        """导入分组文件: each path's missing groups join the tree (all of them, or none); 保存 applies them."""
        self._commit_editing()
        path, _filter = QFileDialog.getOpenFileName(self, "导入分组文件", "", "Excel 文件 (*.xlsx)")
        if not path:
            return
        try:
            result = import_groups(Path(path), self.draft)
        except InputError as error:
            warn(self, error.message)
            return
        if not result.ok:
            show_import_errors("导入分组文件", result.errors, result.annotate, Path(path), self)
            return
        self._fill()
        if result.added:
            inform(self, f"已添加{len(result.added)}个分组，点击【保存】后生效。")
        else:
            inform(self, "文件中的分组均已存在，没有新增分组。")
