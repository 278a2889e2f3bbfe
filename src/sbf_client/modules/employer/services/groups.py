"""职工分组 (manual 2.2 四、分组; 分组管理 M1134–1153): the rules, the tree being edited in 分组管理 (``GroupDraft``),
saving it in one transaction, and putting one employee in a group (编辑人员信息).

The rules (M1127): 分组层级最多为3级, 分组名称不能为空, 相同层级的分组名称不可重复. Two more are the client's: a
name has at most 30 characters (what the tree and a drop-down can show), and no ``/`` — it separates the
levels of a path (``一级/二级/三级``) in the import template and on the command line.

Names are compared after trimming the spaces around them, exactly otherwise (A1 and a1 are two names).
Renaming is allowed (the manual lets the user name a group freely, M1140); the members stay with the group.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, text

from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError, NotFoundError

from ..store import groups as store

MAX_LEVELS = 3
MAX_NAME = 30
NAME_EMPTY = "分组名称不能为空"
NAME_TOO_LONG = f"分组名称最多{MAX_NAME}个字符"
NAME_SLASH = "分组名称不能包含“/”（“/”用于分隔各级分组）"
NAME_DUPLICATE = "同一层级下分组名称不能重复"
TOO_DEEP = f"分组层级最多为{MAX_LEVELS}级"
EMPLOYEE_GONE = "该职工的信息已更新，请重新查询。"
GROUP_GONE = "所选分组已被删除，请重新选择分组。"


class GroupRuleError(InputError):
    """A group rule was broken; ``key`` is the draft group concerned (None when not one group)."""

    def __init__(self, message: str, key: int | None = None) -> None:
        super().__init__(message)
        self.key = key


def clean_name(name: str) -> str:
    return name.strip()


def name_problem(name: str) -> str | None:
    """What is wrong with a group's name on its own (trimmed first), or None."""
    name = clean_name(name)
    if not name:
        return NAME_EMPTY
    if len(name) > MAX_NAME:
        return NAME_TOO_LONG
    if "/" in name or "／" in name:
        return NAME_SLASH
    return None


def child_problem(parent_level: int | None) -> str | None:
    """Whether a group may be added under a group of this level (None: a top-level group)."""
    return TOO_DEEP if parent_level is not None and parent_level >= MAX_LEVELS else None


def duplicate_names(names: list[str]) -> list[int]:
    """Positions of names (trimmed) that repeat an earlier sibling's."""
    seen: set[str] = set()
    repeated = []
    for position, name in enumerate(names):
        cleaned = clean_name(name)
        if cleaned and cleaned in seen:
            repeated.append(position)
        seen.add(cleaned)
    return repeated


@dataclass
class DraftGroup:
    """A group in the tree being edited: ``key`` is its id when saved, a negative number when new."""

    key: int
    name: str
    parent: int | None
    saved_at: str = ""
    saved_name: str | None = None  # the name as saved; None for a new group

    @property
    def is_new(self) -> bool:
        return self.saved_name is None


@dataclass
class GroupDraft:
    """分组管理's tree while it is edited: nothing reaches the database until ``save_groups`` (保存)."""

    groups: dict[int, DraftGroup] = field(default_factory=dict)  # in order: parents before children
    deleted: set[int] = field(default_factory=set)  # saved groups removed (their sub-groups included)
    _next_new: int = -1

    @classmethod
    def load(cls, engine: Engine) -> GroupDraft:
        draft = cls()
        for row in store.load_groups(engine):
            draft.groups[row.id] = DraftGroup(row.id, row.name, row.parent_id, row.saved_at, row.name)
        return draft

    # ------------------------------------------------------------------ reading
    def children(self, key: int | None) -> list[DraftGroup]:
        return [g for g in self.groups.values() if g.parent == key]

    def level(self, key: int) -> int:
        level, parent = 1, self.groups[key].parent
        while parent is not None:
            level, parent = level + 1, self.groups[parent].parent
        return level

    def path(self, key: int) -> str:
        names = []
        current: int | None = key
        while current is not None:
            names.append(clean_name(self.groups[current].name))
            current = self.groups[current].parent
        return "/".join(reversed(names))

    def subtree(self, key: int) -> list[int]:
        """The group and all its sub-groups, parents first."""
        found = [key]
        for child in self.children(key):
            found.extend(self.subtree(child.key))
        return found

    def in_tree_order(self) -> Iterator[DraftGroup]:
        def visit(parent: int | None) -> Iterator[DraftGroup]:
            for group in self.children(parent):
                yield group
                yield from visit(group.key)

        return visit(None)

    def find_path(self, path: str) -> int | None:
        return next((g.key for g in self.groups.values() if self.path(g.key) == path), None)

    @property
    def dirty(self) -> bool:
        return bool(self.deleted) or any(g.is_new or g.name != g.saved_name for g in self.groups.values())

    # ------------------------------------------------------------------ editing
    def add_group(self, parent: int | None = None, name: str = "") -> DraftGroup:
        """新建分组 (``parent`` None: a 一级分组) or 添加子分组; refused under a 三级分组."""
        problem = child_problem(None if parent is None else self.level(parent))
        if problem:
            raise GroupRuleError(problem, parent)
        group = DraftGroup(self._next_new, name, parent)
        self._next_new -= 1
        self.groups[group.key] = group
        return group

    def rename(self, key: int, name: str) -> None:
        self.groups[key].name = name

    def remove(self, key: int) -> list[int]:
        """删除: the group and its sub-groups; returns their keys."""
        removed = self.subtree(key)
        for gone in removed:
            if not self.groups[gone].is_new:
                self.deleted.add(gone)
            del self.groups[gone]
        return removed

    def saved_ids(self, keys: list[int]) -> list[int]:
        return [k for k in keys if k > 0]

    # ------------------------------------------------------------------ checking
    def problems(self) -> list[GroupRuleError]:
        """Every broken rule, in tree order, each naming where it is."""
        found: list[GroupRuleError] = []
        for group in self.in_tree_order():
            problem = name_problem(group.name)
            if problem is not None:
                where = f"“{self.path(group.parent)}”下的" if group.parent is not None else ""
                shown = f"“{clean_name(group.name)}”" if clean_name(group.name) else "新分组"
                found.append(GroupRuleError(f"{problem}：{where}{shown}", group.key))
            if self.level(group.key) > MAX_LEVELS:
                found.append(GroupRuleError(f"{TOO_DEEP}：“{self.path(group.key)}”", group.key))
        for parent in (None, *self.groups):
            siblings = self.children(parent)
            for position in duplicate_names([g.name for g in siblings]):
                group = siblings[position]
                where = f"“{self.path(parent)}”下" if parent is not None else "一级分组中"
                found.append(GroupRuleError(f"{NAME_DUPLICATE}：{where}有两个“{clean_name(group.name)}”", group.key))
        return found


@dataclass(frozen=True)
class SaveResult:
    added: int
    renamed: int
    deleted: int  # groups, sub-groups included
    released: int  # cached employees who were in a deleted group


def save_groups(engine: Engine, draft: GroupDraft, now: datetime) -> SaveResult:
    """保存: every change of the draft in one transaction, after checking every rule (nothing is saved when
    one is broken). A saved group keeps its 保存时间 unless renamed; a new one gets ``now``."""
    problems = draft.problems()
    if problems:
        raise problems[0]
    stamp = format_timestamp(now)
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        released = store.members_of(conn, draft.deleted)
        for group_id in sorted(draft.deleted):  # sub-groups and members go with them (ON DELETE CASCADE)
            conn.execute(text("DELETE FROM employee_groups WHERE id = :id"), {"id": group_id})
        renamed = [g for g in draft.groups.values() if not g.is_new and g.name != g.saved_name]
        # A swap of two siblings' names would meet the unique index half-way: park the names first (a name
        # never holds "/", so "/<id>" is free).
        for group in renamed:
            conn.execute(text("UPDATE employee_groups SET name = '/' || id WHERE id = :id"), {"id": group.key})
        for group in renamed:
            conn.execute(
                text("UPDATE employee_groups SET name = :name, saved_at = :at WHERE id = :id"),
                {"name": clean_name(group.name), "at": stamp, "id": group.key},
            )
        ids: dict[int, int] = {}
        added = 0
        for group in draft.in_tree_order():
            if not group.is_new:
                continue
            parent = None if group.parent is None else ids.get(group.parent, group.parent)
            if parent is not None and not store.group_exists(conn, parent):
                raise GroupRuleError(GROUP_GONE, group.key)
            position = conn.execute(
                text("SELECT coalesce(max(position), 0) + 1 FROM employee_groups WHERE parent_id IS :p"),
                {"p": parent},
            ).scalar_one()
            ids[group.key] = conn.execute(
                text(
                    "INSERT INTO employee_groups (parent_id, name, level, path, position, saved_at) "
                    "VALUES (:p, :name, :level, :name, :position, :at) RETURNING id"
                ),
                {
                    "p": parent,
                    "name": clean_name(group.name),
                    "level": draft.level(group.key),
                    "position": position,
                    "at": stamp,
                },
            ).scalar_one()
            added += 1
        store.recompute_paths(conn)
    return SaveResult(added, len(renamed), len(draft.deleted), released)


# ---------------------------------------------------------------------- one employee (编辑 / 查看)


@dataclass(frozen=True)
class EmployeeGroup:
    """An employee of the list (by its key) and their group: what 编辑人员信息 shows."""

    row_id: int
    name: str
    id_type: str
    id_number: str
    group_id: int | None
    path: str


def employee_group(engine: Engine, row_id: int) -> EmployeeGroup:
    """The employee of a list row and their group; ``NotFoundError`` when the row is gone since it was read."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT name, id_type, id_number FROM employees WHERE rowid = :id"), {"id": row_id}
        ).first()
        if row is None:
            raise NotFoundError(EMPLOYEE_GONE)
        group = store.group_of(conn, row.id_type, row.id_number)
    return EmployeeGroup(
        row_id, row.name, row.id_type, row.id_number, group.id if group else None, group.path if group else ""
    )


def set_employee_group(engine: Engine, row_id: int, group_id: int | None, now: datetime) -> bool:
    """编辑人员信息 【确定】: the employee of a list row into a group (None: into none), in one transaction.
    True when it changed anything."""
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        row = conn.execute(text("SELECT id_type, id_number FROM employees WHERE rowid = :id"), {"id": row_id}).first()
        if row is None:
            raise NotFoundError(EMPLOYEE_GONE)
        if group_id is not None and not store.group_exists(conn, group_id):
            raise NotFoundError(GROUP_GONE)
        return store.set_member(conn, row.id_type, row.id_number, group_id, format_timestamp(now))
