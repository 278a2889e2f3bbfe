"""职工分组 in the unit database: the group tree (``employee_groups``) and who is in which group
(``employee_group_members``), with the queries the page, the dialogs, the import and the command line use.

Membership is keyed by 证件类型 + 证件号码, never by the cached row (its rowid changes with every 全量更新) nor by
the server's record key (a re-keyed feed renumbers it): the employees table is a replica the updates replace,
these tables are the unit's own and no update touches them. A member who is not (or no longer) among the
cached employees is kept, so an employee who leaves and comes back is in the same group again.

A group's ``path`` (``一级/二级/三级``) is stored, recomputed whenever names change: it is what the list shows
and what the template's 分组 column holds. Names never contain ``/`` (a rule), so a path names one group.

The tables are created by ``migrations/unit/employer/e0004_groups.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

PATH_SEPARATOR = "/"
MEMBERS_INDEX = "ix_employee_group_members_group"

# A group and its sub-groups (three levels at most: itself, its children, their children).
_SUBTREE = (
    "SELECT id FROM employee_groups WHERE id = :{p} OR parent_id = :{p} "
    "OR parent_id IN (SELECT id FROM employee_groups WHERE parent_id = :{p})"
)

# The 分组 column of the employee list: the path of the employee's group, or nothing.
GROUP_PATH_SQL = (
    "(SELECT g.path FROM employee_group_members m JOIN employee_groups g ON g.id = m.group_id "
    "WHERE m.id_type = employees.id_type AND m.id_number = employees.id_number)"
)


@dataclass(frozen=True)
class GroupRow:
    """A saved group, as the tree shows it."""

    id: int
    parent_id: int | None
    name: str
    level: int
    path: str
    position: int
    saved_at: str


def group_filter(value: Any) -> tuple[str, dict[str, Any]]:
    """The 分组 query field: the employees of the group ``value`` (its id) and of its sub-groups.

    Driven from the members' ``group_id`` index to the employees' rows by 证件号码, so a small group of a
    large unit reads only its own members. (``+e.id_type`` keeps the planner off the 证件类型 index, which would
    read nearly every employee per member.)"""
    sql = (
        "rowid IN (SELECT e.rowid FROM employee_group_members m "
        "JOIN employees e ON e.id_number = m.id_number AND +e.id_type = m.id_type "
        f"WHERE m.group_id IN ({_SUBTREE.format(p='sbf_group')}))"
    )
    return sql, {"sbf_group": int(value)}


def load_groups(conn: Connection | Engine) -> list[GroupRow]:
    """Every group, in tree order: each group followed by its sub-groups, siblings by position."""
    statement = text("SELECT id, parent_id, name, level, path, position, saved_at FROM employee_groups")
    if isinstance(conn, Engine):
        with conn.connect() as opened:
            rows = [GroupRow(*row) for row in opened.execute(statement)]
    else:
        rows = [GroupRow(*row) for row in conn.execute(statement)]
    return tree_order(rows)


def tree_order(rows: Iterable[GroupRow]) -> list[GroupRow]:
    children: dict[int | None, list[GroupRow]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[GroupRow] = []

    def visit(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.id)):
            ordered.append(row)
            visit(row.id)

    visit(None)
    return ordered


def group_choices(engine: Engine) -> list[tuple[str, int]]:
    """The 分组 drop-down: (path, id) in tree order — a path names its group even where two sub-groups share a
    name; the drop-down shows them indented (``ui``)."""
    return [(row.path, row.id) for row in load_groups(engine)]


def members_of(conn: Connection, group_ids: Iterable[int]) -> int:
    """How many cached employees are in these groups (what deleting them takes away)."""
    ids = sorted(set(group_ids))
    if not ids:
        return 0
    marks = ", ".join(f":g{i}" for i in range(len(ids)))
    return int(
        conn.execute(
            text(
                "SELECT count(*) FROM employee_group_members m JOIN employees e "
                f"ON e.id_number = m.id_number AND +e.id_type = m.id_type WHERE m.group_id IN ({marks})"
            ),
            {f"g{i}": value for i, value in enumerate(ids)},
        ).scalar_one()
    )


def group_of(conn: Connection, id_type: str, id_number: str) -> GroupRow | None:
    row = conn.execute(
        text(
            "SELECT g.id, g.parent_id, g.name, g.level, g.path, g.position, g.saved_at FROM employee_group_members m "
            "JOIN employee_groups g ON g.id = m.group_id WHERE m.id_type = :t AND m.id_number = :n"
        ),
        {"t": id_type, "n": id_number},
    ).first()
    return GroupRow(*row) if row else None


def set_member(conn: Connection, id_type: str, id_number: str, group_id: int | None, assigned_at: str) -> bool:
    """Put an employee in a group (``None``: in none). True when that changed anything."""
    if group_id is None:
        done = conn.execute(
            text("DELETE FROM employee_group_members WHERE id_type = :t AND id_number = :n"),
            {"t": id_type, "n": id_number},
        )
        return done.rowcount > 0
    done = conn.execute(
        text(
            "INSERT INTO employee_group_members (id_type, id_number, group_id, assigned_at) VALUES (:t, :n, :g, :at) "
            "ON CONFLICT (id_type, id_number) DO UPDATE SET group_id = excluded.group_id, "
            "assigned_at = excluded.assigned_at WHERE group_id <> excluded.group_id"
        ),
        {"t": id_type, "n": id_number, "g": group_id, "at": assigned_at},
    )
    return done.rowcount > 0


def group_exists(conn: Connection, group_id: int) -> bool:
    return conn.execute(text("SELECT 1 FROM employee_groups WHERE id = :g"), {"g": group_id}).first() is not None


def find_groups(conn: Connection | Engine, name_or_path: str) -> list[GroupRow]:
    """Groups named so: the group whose path it is, else every group of that name (at any level)."""
    groups = load_groups(conn)
    wanted = PATH_SEPARATOR.join(part.strip() for part in name_or_path.replace("／", PATH_SEPARATOR).split("/"))
    by_path = [g for g in groups if g.path == wanted]
    return by_path or [g for g in groups if g.name == wanted]


def recompute_paths(conn: Connection) -> None:
    """Every group's path from its name and its parent's path, level by level (after names changed)."""
    conn.execute(text("UPDATE employee_groups SET path = name WHERE parent_id IS NULL"))
    for level in (2, 3):
        conn.execute(
            text(
                "UPDATE employee_groups SET path = (SELECT p.path FROM employee_groups p "
                "WHERE p.id = employee_groups.parent_id) || '/' || name WHERE level = :level"
            ),
            {"level": level},
        )
