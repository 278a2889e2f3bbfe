"""缴费工资申报 in the sandbox's 管理子系统: accept → 待反馈 → per-employee results after the feedback delay.

On acceptance every 日常 生效年月 must lie within the region's ``wage_period_limits`` (规则文件) around the
current month. The rules applied when a declaration matures: the employee must be on the unit's roll; only
税务自主 险种 are declared (税务代征 ones are filtered out); a 日常 生效年月 may not be after the employee's
终止缴费月份 nor before the 开始缴费月份; the wage must lie within 60 %–300 % of the region's 社平工资.
Successful rows change the employees' 缴费基数, which then reach clients through the change feed.

Maturing is a background job: one declaration that cannot be processed fails on its own (全部申报失败 with
the reason on every row), and one row that cannot be judged fails on its own; neither stops the job, nor
reaches another declaration or another unit's requests.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from sbf_client.core.clock import TIMESTAMP
from sbf_client.core.money import format_amount, from_fen, quantize_fen
from sbf_client.core.periods import Period
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import MONTH_PATTERN, MONTHS_AHEAD, MONTHS_BACK, WAGE_PERIOD_TABLE
from sbf_sandbox import db, feeds
from sbf_sandbox.catalog import CODE_TABLES
from sbf_sandbox.errors import ApiFailure

from ..remote.contract import EMPLOYEES, MAX_WAGE, WageDeclarationRequest
from .tables import wage_declarations, wage_items

log = logging.getLogger(__name__)

TYPE_TITLES = {"日常": "日常缴费工资申报", "年度": "年度缴费工资申报"}
PENDING = "待反馈"
ALL_FAILED = "全部申报失败"
_MONTH = re.compile(MONTH_PATTERN)


def month_window(now: datetime) -> tuple[Period, Period]:
    """The 生效年月 a 日常 declaration may name today: the 规则文件's months back and ahead of this month."""
    limits = CODE_TABLES[WAGE_PERIOD_TABLE]
    current = Period.of(now.date())
    return current.add(-int(limits[MONTHS_BACK])), current.add(int(limits[MONTHS_AHEAD]))


def _region_of(conn: Connection, unit_id: str) -> Row[Any]:
    query = select(db.regions).join(db.units, db.units.c.region_id == db.regions.c.region_id)
    return conn.execute(query.where(db.units.c.unit_id == unit_id)).one()


def annual_effective_month(now: datetime) -> Period:
    """年度申报: the region's configuration puts the new 缴费基数 in force from the next January."""
    return Period(now.year + 1, 1)


def accept(
    conn: Connection, unit_id: str, key: str, request: WageDeclarationRequest, now: datetime, delay: float
) -> tuple[int, dict[str, Any]]:
    """Record a declaration as 待反馈 (inside the idempotent submission's transaction)."""
    region = _region_of(conn, unit_id)
    if region.mode == "税务代征模式":
        raise ApiFailure(422, codes.WAGE_NOT_NEEDED)
    first, last = month_window(now)
    for number, row in enumerate(request.rows, start=1):
        if (request.declaration_type == "日常") != (row.effective_month is not None):
            raise ApiFailure(422, codes.WAGE_REQUEST_INVALID, "日常申报须填写生效年月，年度申报不填写生效年月。")
        if (request.by == "按险种") != (row.item is not None):
            raise ApiFailure(422, codes.WAGE_REQUEST_INVALID, "按险种申报须指定险种，按职工申报不指定险种。")
        # The model already bounds the amount; this keeps the rule where the rules are, whoever calls accept.
        if not 0 < row.new_wage <= MAX_WAGE or row.new_wage != quantize_fen(row.new_wage):
            raise ApiFailure(422, codes.WAGE_REQUEST_INVALID, "新缴费工资须为大于0、最多两位小数的金额。")
        if row.effective_month is not None and not first <= Period.parse(row.effective_month) <= last:
            raise ApiFailure(
                422,
                codes.WAGE_REQUEST_INVALID,
                f"申报明细第{number}条的生效年月（{row.effective_month}）超出本地区允许的范围"
                f"（{first}至{last}），请检查后重新提交。",
            )
    submitted = now.strftime(TIMESTAMP)
    total = len({row.key for row in request.rows})
    declaration_id = conn.execute(
        insert(wage_declarations).values(
            unit_id=unit_id,
            key=key,
            declaration_type=request.declaration_type,
            by=request.by,
            submitted_at=submitted,
            due_at=(now + timedelta(seconds=delay)).isoformat(),
            status=PENDING,
            total=total,
        )
    ).inserted_primary_key[0]
    conn.execute(
        insert(wage_items),
        [
            {
                "declaration_id": declaration_id,
                "position": position,
                "record_key": row.key,
                "item": row.item,
                "new_wage": f"{row.new_wage:.2f}",
                "effective_month": row.effective_month,
                "status": PENDING,
                "reason": "",
            }
            for position, row in enumerate(request.rows)
        ],
    )
    return 202, {"declaration_id": declaration_id, "status": PENDING, "submitted_at": submitted, "total": total}


def _band(region) -> tuple[Decimal, Decimal]:  # type: ignore[no-untyped-def]
    return (
        from_fen(region.avg_wage_fen * region.band_low_pct // 100),
        from_fen(region.avg_wage_fen * region.band_high_pct // 100),
    )


def _judge(item: dict[str, Any], wage: Decimal, month: Period, band: tuple[Decimal, Decimal], daily: bool) -> str:
    """The failure reason for one employee × 险种, or "" when it may be declared."""
    low, high = band
    if daily and item["end"] and month > Period.parse(item["end"]):
        return f"生效年月（{month}）晚于该职工的终止缴费月份（{item['end']}）"
    if daily and month < Period.parse(item["start"]):
        return f"生效年月（{month}）早于该职工的开始缴费月份（{item['start']}）"
    if wage < low:
        return f"缴费工资低于本地区缴费基数下限（{format_amount(low)}元）"
    if wage > high:
        return f"缴费工资高于本地区缴费基数上限（{format_amount(high)}元）"
    return ""


def _employee_status(results: list[str]) -> str:
    if all(r == "" for r in results):
        return "成功"
    return "失败" if all(r for r in results) else "部分成功"


def process_due(engine: Engine, now: datetime, unit_id: str | None = None) -> int:
    """Give feedback to every declaration whose delay has passed (only ``unit_id``'s when given); returns how
    many were processed. A declaration that cannot be processed is failed with the reason, and the others go
    on: neither the background tick nor a unit's request is stopped by another's bad data."""
    conditions = [wage_declarations.c.status == PENDING, wage_declarations.c.due_at <= now.isoformat()]
    if unit_id is not None:
        conditions.append(wage_declarations.c.unit_id == unit_id)
    with engine.connect() as conn:
        due = (
            conn.execute(select(wage_declarations.c.id).where(*conditions).order_by(wage_declarations.c.id))
            .scalars()
            .all()
        )
    for declaration_id in due:
        try:
            _process(engine, declaration_id, now)
        except Exception as error:
            log.exception("wage declaration %s could not be processed", declaration_id)
            _fail(engine, declaration_id, now, f"申报数据无法处理（{type(error).__name__}），请核对后重新申报")
    return len(due)


def _shown_month(text: str | None) -> str | None:
    """A stored 生效年月 as the response can carry it: a month, or None for text that is none."""
    return text if text is not None and _MONTH.fullmatch(text) else None


def _stored_amount(text: str) -> Decimal | None:
    """A stored amount as a number within the contract's bound, or None for text that is none (written by no
    request: an older sandbox, a hand-edited database)."""
    try:
        wage = Decimal(text)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return wage if wage.is_finite() and abs(wage) <= MAX_WAGE else None


def _shown_wage(text: str) -> str:
    """A stored amount as the response can carry it (bad text shows as 0.00)."""
    wage = _stored_amount(text)
    return "0.00" if wage is None else f"{wage:.2f}"


def _fail(engine: Engine, declaration_id: int, now: datetime, reason: str) -> None:
    """全部申报失败 with ``reason`` on every row still waiting, in a transaction of its own. When even this fails
    (the database itself), it is logged and the next round tries again."""
    try:
        with engine.connect().execution_options(write=True) as conn, conn.begin():
            declaration = conn.execute(
                select(wage_declarations.c.status).where(wage_declarations.c.id == declaration_id)
            ).first()
            if declaration is None or declaration.status != PENDING:
                return
            items = conn.execute(
                select(wage_items).where(wage_items.c.declaration_id == declaration_id, wage_items.c.status == PENDING)
            ).all()
            for item in items:
                conn.execute(
                    update(wage_items)
                    .where(wage_items.c.declaration_id == declaration_id, wage_items.c.position == item.position)
                    .values(
                        status="失败",
                        reason=reason,
                        effective_month=_shown_month(item.effective_month),
                        new_wage=_shown_wage(item.new_wage),
                    )
                )
            conn.execute(
                update(wage_declarations)
                .where(wage_declarations.c.id == declaration_id)
                .values(status=ALL_FAILED, processed_at=now.strftime(TIMESTAMP))
            )
    except Exception:
        log.exception("wage declaration %s could not be marked as failed", declaration_id)


def _row_problem(row, daily: bool) -> str:  # type: ignore[no-untyped-def]
    """Why a stored row cannot be judged at all, or "" (requests are checked at the edge; this guards the job
    against rows that came in some other way, such as an older sandbox or a hand-edited database)."""
    if daily and not (row.effective_month and _MONTH.fullmatch(row.effective_month)):
        return f"生效年月（{str(row.effective_month)[:20]}）不是有效的年月"
    wage = _stored_amount(row.new_wage)
    if wage is None or wage <= 0:
        return f"新缴费工资（{str(row.new_wage)[:30]}）不是有效的金额"
    return ""


def _process(engine: Engine, declaration_id: int, now: datetime) -> None:
    stamp = now.strftime(TIMESTAMP)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        declaration = conn.execute(select(wage_declarations).where(wage_declarations.c.id == declaration_id)).one()
        if declaration.status != PENDING:
            return  # another request processed it first
        band = _band(_region_of(conn, declaration.unit_id))
        items = conn.execute(
            select(wage_items).where(wage_items.c.declaration_id == declaration_id).order_by(wage_items.c.position)
        ).all()
        records = feeds.load(conn, declaration.unit_id, EMPLOYEES, {i.record_key for i in items})
        daily = declaration.declaration_type == "日常"
        per_employee: dict[str, list[str]] = {}
        changed: dict[str, dict[str, Any]] = {}
        for row in items:
            data = records.get(row.record_key)
            reason, old, shown_month = "", None, _shown_month(row.effective_month) if daily else None
            try:
                reason = _row_problem(row, daily)
                if not reason:
                    reason, old, shown_month = _judge_row(row, data, daily, band, now, stamp, changed)
            except Exception as error:  # one row that cannot be judged fails alone
                log.exception("row %s of wage declaration %s could not be judged", row.position, declaration_id)
                reason = f"该行数据无法处理（{type(error).__name__}），请核对后重新申报"
            per_employee.setdefault(row.record_key, []).append(reason)
            conn.execute(
                update(wage_items)
                .where(wage_items.c.declaration_id == declaration_id, wage_items.c.position == row.position)
                .values(
                    status="成功" if not reason else "失败",
                    reason=reason,
                    old_wage=old,
                    new_wage=_shown_wage(row.new_wage),
                    effective_month=shown_month,
                    name=(data or {}).get("name", ""),
                    id_type=(data or {}).get("id_type", ""),
                    id_number=(data or {}).get("id_number", ""),
                )
            )
        outcomes = [_employee_status(results) for results in per_employee.values()]
        if all(o == "成功" for o in outcomes):
            status = "全部申报成功"
        elif all(o == "失败" for o in outcomes):
            status = ALL_FAILED
        else:
            status = "部分申报成功"
        feeds.write(
            conn, declaration.unit_id, EMPLOYEES, [feeds.Change(key, data) for key, data in changed.items()], stamp
        )
        conn.execute(
            update(wage_declarations)
            .where(wage_declarations.c.id == declaration_id)
            .values(status=status, processed_at=stamp)
        )


def _judge_row(  # type: ignore[no-untyped-def]
    row,
    data: dict[str, Any] | None,
    daily: bool,
    band: tuple[Decimal, Decimal],
    now: datetime,
    stamp: str,
    changed: dict[str, dict[str, Any]],
) -> tuple[str, str | None, str]:
    """(reason, old wage, 生效年月) of one row; a row that may be declared changes ``data`` (kept in ``changed``)."""
    wage = Decimal(row.new_wage)
    month = Period.parse(row.effective_month) if daily else annual_effective_month(now)
    if data is None:
        return "未找到该职工的参保信息", None, str(month)
    own = [i for i in data["insured"] if i["mode"] == "1" and (row.item is None or i["item"] == row.item)]
    old = own[0]["base"] if own else None
    if not own:
        reason = (
            "该职工无税务自主征收的险种，无需申报缴费工资"
            if row.item is None
            else "该险种不是税务自主征收的险种，无需申报缴费工资"
        )
        return reason, old, str(month)
    reasons = [_judge(item, wage, month, band, daily) for item in own]
    reason = next((r for r in reasons if r), "")
    if not reason:
        for item in own:
            item["base"] = f"{wage:.2f}"
        data["updated_at"] = stamp
        changed[row.record_key] = data
    return reason, old, str(month)


def _summary(declaration, tax_authority: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "declaration_id": declaration.id,
        "key": declaration.key,
        "declaration_type": TYPE_TITLES.get(declaration.declaration_type, declaration.declaration_type),
        "by": declaration.by,
        "submitted_at": declaration.submitted_at,
        "tax_authority": tax_authority,
        "total": declaration.total,
        "status": declaration.status,
    }


def _tax_authority(conn: Connection, unit_id: str) -> str:
    return conn.execute(select(db.units.c.tax_authority).where(db.units.c.unit_id == unit_id)).scalar_one()


def listing(engine: Engine, unit_id: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        authority = _tax_authority(conn, unit_id)
        rows = conn.execute(
            select(wage_declarations).where(wage_declarations.c.unit_id == unit_id).order_by(wage_declarations.c.id)
        ).all()
    return [_summary(row, authority) for row in rows]


def detail(engine: Engine, unit_id: str, declaration_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        declaration = conn.execute(
            select(wage_declarations).where(
                wage_declarations.c.id == declaration_id, wage_declarations.c.unit_id == unit_id
            )
        ).first()
        if declaration is None:
            raise ApiFailure(404, codes.NOT_FOUND)
        authority = _tax_authority(conn, unit_id)
        items = conn.execute(
            select(wage_items).where(wage_items.c.declaration_id == declaration_id).order_by(wage_items.c.position)
        ).all()
    return {
        **_summary(declaration, authority),
        "items": [
            {
                "key": i.record_key,
                "name": i.name,
                "id_type": i.id_type,
                "id_number": i.id_number,
                "item": i.item,
                "old_wage": i.old_wage,
                "new_wage": i.new_wage,
                "effective_month": i.effective_month,
                "status": i.status,
                "reason": i.reason,
            }
            for i in items
        ],
    }
