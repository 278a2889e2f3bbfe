"""Reading the cached employees for the 职工参保信息更新 page: statistics, one employee's 参保明细, and what
an update changed (更新数据明细, and its 导出). Qt-free, so the command line and tests can use it too."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, text

from sbf_client.core.money import format_amount
from sbf_client.documents.excel import ExcelColumn, ExportCancelled, write_xlsx
from sbf_client.store.codes import CodeTables
from sbf_client.sync.progress import Cancelled, Progress
from sbf_client.sync.runs import sync_change_fields, sync_changes

from ..sync.datasets import EMPLOYEES

LONG_TERM = "长期"


@dataclass(frozen=True)
class Headcount:
    total: int
    paying: int  # 正常缴费
    stopped: int  # 停止缴费


@dataclass(frozen=True)
class InsuredRow:
    person_no: str
    item: str
    category: str
    sub: str
    special: str
    base: str
    start: str
    end: str


@dataclass(frozen=True)
class EmployeeDetail:
    key: str
    name: str
    gender: str
    id_type: str
    id_number: str
    birth_date: str
    unit_no: str
    status: str
    updated_at: str
    insured: list[InsuredRow]


@dataclass(frozen=True)
class ChangeLine:
    key: str
    name: str
    kind: str  # 新增 / 变更 / 删除
    what: str  # the changed fields in the user's words


def headcount(engine: Engine) -> Headcount:
    with engine.connect() as conn:
        total, paying, stopped = conn.execute(
            text("SELECT count(*), coalesce(sum(status = '1'), 0), coalesce(sum(status = '2'), 0) FROM employees")
        ).one()
    return Headcount(total, paying, stopped)


def statistics(engine: Engine, _where: str = "", _params: dict[str, Any] | None = None) -> str:
    """The line above the list: the whole unit's employees, whatever the query (manual M1155–1159)."""
    count = headcount(engine)
    return f"职工总数：{count.total}人  正常缴费：{count.paying}人  停止缴费：{count.stopped}人"


def detail(engine: Engine, row_id: int, codes: CodeTables) -> EmployeeDetail | None:
    """One employee by the list's key (the row id), or None when the row is gone since the list was read."""
    with engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM employees WHERE rowid = :id"), {"id": row_id}).mappings().first()
    if row is None:
        return None
    insured = [
        InsuredRow(
            person_no=row["person_no"],
            item=codes.name("item", item["item"]),
            category=codes.name("category", item["category"]),
            sub=codes.name("sub", item["sub"]),
            special=codes.name("special", item["special"]),
            base=format_amount(Decimal(item["base"])),
            start=item["start"],
            end=item["end"] or LONG_TERM,
        )
        for item in orjson.loads(row["insured"])
    ]
    return EmployeeDetail(
        key=row["key"],
        name=row["name"],
        gender=codes.name("gender", row["gender"]),
        id_type=codes.name("id_type", row["id_type"]),
        id_number=row["id_number"],
        birth_date=row["birth_date"],
        unit_no=row["unit_no"],
        status=codes.name("employee_status", row["status"]),
        updated_at=row["updated_at"],
        insured=insured,
    )


def _describe_insured(old: str | None, new: str | None, codes: CodeTables) -> list[str]:
    """险种 changes as a person reads them: 缴费基数 and 终止缴费月份 per 征收项目."""
    before = {i["item"]: i for i in orjson.loads(old or "[]")}
    after = {i["item"]: i for i in orjson.loads(new or "[]")}
    lines = []
    for item in sorted(before.keys() | after.keys()):
        title = codes.name("item", item)
        was, now = before.get(item), after.get(item)
        if was is None or now is None:
            lines.append(f"{title}：{'新增参保' if was is None else '不再参保'}")
            continue
        if was["base"] != now["base"]:
            lines.append(
                f"{title}缴费基数：{format_amount(Decimal(was['base']))}→{format_amount(Decimal(now['base']))}"
            )
        if was["end"] != now["end"]:
            lines.append(f"{title}终止缴费月份：{was['end'] or LONG_TERM}→{now['end'] or LONG_TERM}")
    return lines


def changes_of_runs(engine: Engine, run_ids: tuple[int, ...], codes: CodeTables) -> list[ChangeLine]:
    """更新数据明细: every record an update run added, changed or deleted, with what changed."""
    labels = EMPLOYEES.labels
    tables = {"status": "employee_status", "gender": "gender", "id_type": "id_type"}
    with engine.connect() as conn:
        records = conn.execute(
            sync_changes.select()
            .where(sync_changes.c.run_id.in_(run_ids))
            .order_by(sync_changes.c.kind, sync_changes.c.name)
        ).all()
        fields: dict[str, list[Any]] = {}
        for change in conn.execute(sync_change_fields.select().where(sync_change_fields.c.run_id.in_(run_ids))):
            fields.setdefault(change.key, []).append(change)
    lines = []
    for record in records:
        parts: list[str] = []
        order = {column: index for index, column in enumerate(EMPLOYEES.columns)}
        for change in sorted(fields.get(record.key, []), key=lambda c: order.get(c.field, 99)):
            if change.field == "insured":
                parts.extend(_describe_insured(change.old, change.new, codes))
            elif change.field == "updated_at":
                continue
            elif change.field in tables:
                table = tables[change.field]
                parts.append(f"{labels[change.field]}：{codes.name(table, change.old)}→{codes.name(table, change.new)}")
            elif change.field == "id_number":
                parts.append("证件号码已变更")
            else:
                parts.append(f"{labels[change.field]}：{change.old}→{change.new}")
        what = {"新增": "新参保职工", "删除": "已不在本单位职工名单中"}.get(
            record.kind, "；".join(parts) or "信息已更新"
        )
        lines.append(ChangeLine(record.key, record.name, record.kind, what))
    return lines


CHANGE_COLUMNS = (
    ExcelColumn("序号", width=8, kind="int"),
    ExcelColumn("姓名", width=14),
    ExcelColumn("更新类型", width=10),
    ExcelColumn("更新内容", width=100),
)


def export_changes(lines: list[ChangeLine], path: Path, progress: Progress | None = None) -> int:
    """更新数据明细's 【导出】: the rows as the dialog shows them, through the one Excel writer."""
    total = len(lines)

    def reported(done: int, _total: int | None) -> None:
        if progress is not None:
            progress.report(done, total, f"正在导出…已导出 {done} / {total} 条")

    rows = ((number, line.name, line.kind, line.what) for number, line in enumerate(lines, start=1))
    try:
        return write_xlsx(
            path,
            CHANGE_COLUMNS,
            rows,
            sheet="更新数据明细",
            total=total,
            progress=reported,
            cancelled=(lambda: progress.cancelled) if progress is not None else None,
        )
    except ExportCancelled:
        raise Cancelled() from None
