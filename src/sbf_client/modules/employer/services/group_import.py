"""The two 分组 imports, on the one import pipeline (``documents``): 批量编辑职工分组 (who is in which group,
M1151–1153) and 分组管理's 批量导入 (the groups themselves, M1138).

批量编辑职工分组: the template lists every cached employee — 姓名 (for the clerk's eye; not read), 证件号码 and
their 分组 now, a path ``一级/二级/三级`` chosen from a dropdown of the unit's groups. A row puts the employee
in that group; an empty 分组 takes them out of any. Groups are never created by this import: the manual has
them made first in 分组管理 (M1127 “创建好分组后，可使用批量编辑职工分组模版…导入系统”), so a path that names
no group is an error of its row. Rows are checked as a set in SQL over the staged file (证件号码 among the
cached employees, the path among the groups, the same employee twice) and nothing is applied unless every row
is right; then all rows are applied in the same transaction.

批量导入 (分组管理): one column of paths; each path's missing groups are added to the tree being edited, which
the user still 保存s. The same rules as in the dialog, per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from sbf_client.core.clock import format_timestamp
from sbf_client.core.ids import mask_id_number
from sbf_client.documents.importing import ImportedRows, RowError, read_import
from sbf_client.documents.staging import ImportCheck, sort_errors, staged
from sbf_client.documents.templates import Column, TemplateSpec, write_template

from ..store import groups as store
from .groups import MAX_LEVELS, TOO_DEEP, GroupDraft, clean_name, name_problem

MEMBERS_TEMPLATE = "批量编辑职工分组模板"
GROUPS_TEMPLATE = "分组导入模板"
_GROUP_NOTE = "格式：一级分组/二级分组/三级分组"


def path_names(value: str) -> list[str]:
    """A typed path's names, level by level: full-width ／ read as /, spaces around each name dropped."""
    return [clean_name(part) for part in value.replace("／", "/").split("/")]


def normal_path(value: str) -> str:
    """A typed path as stored."""
    return "/".join(path_names(value))


def members_template(paths: tuple[str, ...] = ()) -> TemplateSpec:
    """批量编辑职工分组模板: 姓名, 证件号码, 分组 (a dropdown of ``paths`` when written)."""
    return TemplateSpec(
        "employee-groups",
        1,
        MEMBERS_TEMPLATE,
        (
            Column("name", "姓名", max_length=50, note="仅供核对，导入时不读取", width=14),
            Column(
                "id_number",
                "证件号码",
                required=True,
                max_length=30,
                note="按文本填写，勿改为数值",
                width=24,
                missing="缺少证件号码",
            ),
            Column(
                "group_path",  # not "group": the key names a column of the staging table, and GROUP is SQL
                "分组",
                "choice",
                choices=paths,
                note=f"{_GROUP_NOTE}，须为分组管理中已有的分组；留空表示不属于任何分组",
                width=36,
            ),
        ),
    )


def _reading(spec: TemplateSpec) -> TemplateSpec:
    """The template as read: 分组 as text, judged against the groups of now (not of the download)."""
    return spec.with_columns(replace(c, kind="text", choices=()) if c.key == "group_path" else c for c in spec.columns)


def write_members_template(engine: Engine, path: Path) -> int:
    """下载批量编辑职工分组模板: the template filled with every cached employee and their group now (the
    unit's own data, in full). Returns how many employees it lists."""
    paths = tuple(p for p, _id in store.group_choices(engine))
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT name, id_number, {store.GROUP_PATH_SQL} FROM employees ORDER BY name, rowid")
        ).all()
    write_template(members_template(paths), path, [tuple(r) for r in rows])
    return len(rows)


@dataclass
class MembersImport(ImportCheck):
    """A checked (and, when every row was right, applied) 批量编辑职工分组 file; its annotated copy is the
    template as downloaded (with the 分组 dropdown)."""

    changed: int = 0  # employees put in another group
    cleared: int = 0  # employees taken out of their group
    unchanged: int = 0


# Per staged row: how many cached employees have its 证件号码, the group its path names, and the first row of
# the same 证件号码 (rows whose cells could all be read).
_JUDGE = """
SELECT s.row_no, s.id_key, s.path_key,
       (SELECT count(*) FROM employees e WHERE e.id_number = s.id_key) AS matches,
       (SELECT g.id FROM employee_groups g WHERE g.path = s.path_key) AS group_id,
       CASE WHEN s.id_key IS NOT NULL THEN min(s.row_no) OVER (PARTITION BY s.id_key) END AS first
FROM temp.{table} s ORDER BY s.row_no
"""
_ASSIGN = """
INSERT INTO employee_group_members (id_type, id_number, group_id, assigned_at)
SELECT e.id_type, e.id_number, g.id, :at FROM temp.{table} s
JOIN employees e ON e.id_number = s.id_key JOIN employee_groups g ON g.path = s.path_key WHERE true
ON CONFLICT (id_type, id_number) DO UPDATE SET group_id = excluded.group_id, assigned_at = excluded.assigned_at
WHERE group_id <> excluded.group_id
"""
_CLEAR = """
DELETE FROM employee_group_members WHERE (id_type, id_number) IN (
  SELECT e.id_type, e.id_number FROM temp.{table} s JOIN employees e ON e.id_number = s.id_key
  WHERE s.path_key IS NULL)
"""


def _judge(found: Sequence[Any], rows: ImportedRows) -> list[RowError]:
    """Each staged row's verdict, in the order the rows are read: 证件号码 first, then 分组."""
    errors = []
    unreadable = {(e.row, e.column) for e in rows.problems}
    groups = rows.column("group_path")
    for position, fact in enumerate(found):
        number = fact.row_no
        if (number, "证件号码") not in unreadable and fact.id_key is not None:
            masked = mask_id_number(fact.id_key)
            if fact.matches == 0:
                reason = f"证件号码{masked}在本单位职工中未找到，请核对证件号码，或先更新职工参保信息"
                errors.append(RowError(number, "证件号码", reason))
            elif fact.matches > 1:
                reason = f"证件号码{masked}对应本单位多名职工（证件类型不同），请在列表中点击【编辑】逐个设置分组"
                errors.append(RowError(number, "证件号码", reason))
            elif fact.first != number:
                errors.append(RowError(number, "证件号码", f"与第{fact.first}行是同一职工，同一职工只能填写一行"))
        if fact.path_key is not None and fact.group_id is None:
            reason = f"分组“{groups[position]}”不存在，请先在【分组管理】中新建该分组，或从下拉列表中选择"
            errors.append(RowError(number, "分组", reason))
    return errors


def import_members(engine: Engine, path: Path, now: datetime) -> MembersImport:
    """批量编辑职工分组: read and check the whole file, then — only when every row is right — apply it in the
    same transaction. Whole-file refusals (not the template, unreadable…) raise ``InputError``."""
    template = members_template(tuple(p for p, _id in store.group_choices(engine)))
    rows = read_import(path, _reading(template))
    ids = [(v or "").upper() or None for v in rows.column("id_number")]
    paths = [normal_path(v) if v else None for v in rows.column("group_path")]
    result = MembersImport(rows, list(rows.problems), template)
    with (
        engine.connect().execution_options(immediate=True) as conn,
        conn.begin(),
        staged(conn, rows, [("id_key", ids), ("path_key", paths)]) as stage,
    ):
        found = conn.exec_driver_sql(_JUDGE.format(table=stage.table)).all()
        result.errors.extend(_judge(found, rows))
        if result.errors:  # nothing applied: the transaction ends having written nothing
            sort_errors(result.errors, template)
            return result
        stamp = format_timestamp(now)
        result.changed = conn.exec_driver_sql(_ASSIGN.format(table=stage.table), {"at": stamp}).rowcount
        result.cleared = conn.exec_driver_sql(_CLEAR.format(table=stage.table)).rowcount
    result.unchanged = len(rows) - result.changed - result.cleared
    return result


# ---------------------------------------------------------------------- 分组管理 › 批量导入


def groups_template() -> TemplateSpec:
    """分组导入模板: one path per row; the groups of each path that are missing are added."""
    return TemplateSpec(
        "employee-group-tree",
        1,
        GROUPS_TEMPLATE,
        (
            Column(
                "path",
                "分组",
                required=True,
                max_length=100,
                note=f"{_GROUP_NOTE}（最多{MAX_LEVELS}级）；没有的分组将被新建，已有的不变",
                width=40,
                missing="分组不能为空",
            ),
        ),
    )


def write_groups_template(path: Path, draft: GroupDraft) -> Path:
    """The template with the groups there are now (each group's path: editing it adds, never renames)."""
    return write_template(groups_template(), path, [(draft.path(g.key),) for g in draft.in_tree_order()])


@dataclass
class GroupsImport(ImportCheck):
    """A checked 分组导入 file, and the groups it added to the draft (all of its paths', or none)."""

    added: list[str] = field(default_factory=list)  # paths of the groups added to the draft


def import_groups(path: Path, draft: GroupDraft) -> GroupsImport:
    """批量导入: every path's missing groups into ``draft`` — all of them, or (when a row is wrong) none."""
    rows = read_import(path, groups_template())
    result = GroupsImport(rows, list(rows.problems))
    wanted: list[list[str]] = []
    for number, value in zip(rows.row_numbers, rows.column("path"), strict=True):
        if value is None:
            continue
        names = path_names(value)
        reason = TOO_DEEP if len(names) > MAX_LEVELS else next(filter(None, map(name_problem, names)), None)
        if reason is not None:
            result.errors.append(RowError(number, "分组", f"{reason}：“{value}”"))
        else:
            wanted.append(names)
    if result.errors:
        return result
    for names in wanted:
        parent: int | None = None
        for depth in range(len(names)):
            at = draft.find_path("/".join(names[: depth + 1]))
            if at is None:
                at = draft.add_group(parent, names[depth]).key
                result.added.append(draft.path(at))
            parent = at
    return result
