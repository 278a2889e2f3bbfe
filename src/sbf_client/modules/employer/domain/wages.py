"""缴费工资申报 rules (manual 2.3–2.6): which rows may be declared, checked before anything is sent.

Only 税务自主 险种 are declared; rows for 税务代征 险种 are filtered out, as the manual says the client
does by itself (M1225). A 日常 declaration needs a 生效年月 that is not after the employee's 终止缴费月份;
a 年度 one has none (管理子系统 assigns it). The 生效年月 must lie in the region's window around the current
month (规则文件 ``wage_period_limits``: 60 months back, 12 ahead unless the region says otherwise), so that a
9999-12 is refused here and not declared. A 生效年月 before the current month is allowed but warned about: it
produces 补缴.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import msgspec

from sbf_client.core.ids import mask_id_number
from sbf_client.core.money import AmountError, parse_amount
from sbf_client.core.periods import Period, PeriodError

DeclarationType = Literal["日常", "年度"]
DeclareBy = Literal["按职工", "按险种"]
SELF_COLLECTED = "1"  # 征收模式 code of 税务自主
# Far above any monthly wage, and what the declaration's records can hold; the 管理子系统 applies the
# region's real 缴费基数 limits itself.
MAX_WAGE = Decimal("99999999.99")

DEFAULT_MONTHS_BACK = 60
DEFAULT_MONTHS_AHEAD = 12

ID_HEADERS = ("证件号码", "身份证号码", "身份证号")
NAME_HEADERS = ("姓名",)
WAGE_HEADERS = ("新缴费工资", "缴费工资", "新缴费工资（元）", "新缴费工资(元)")
MONTH_HEADERS = ("生效年月",)
ITEM_HEADERS = ("险种", "征收项目")


# A checked file's lines are values that never hold a reference cycle: they are structs left out of the
# garbage collector (gc=False), since 100,000 lines of dataclasses made it pass over them again and again.
class Employee(msgspec.Struct, frozen=True, gc=False):
    """What the rules need to know of a cached employee; ``insured`` (the 参保明细 as stored) is read by
    ``check_rows`` alone (the file check leaves it empty: its lines need the key, name and ID)."""

    key: str
    name: str
    id_type: str
    id_number: str
    insured: Sequence[dict[str, Any]]


class WageLine(msgspec.Struct, frozen=True, gc=False):
    employee: Employee
    item: str | None
    old_wage: Decimal | None
    new_wage: Decimal
    effective_month: Period | None


@dataclass(frozen=True)
class MonthWindow:
    """The 生效年月 a 日常 declaration may name: from ``back`` months before the current month to ``ahead``
    months after it, both included."""

    back: int = DEFAULT_MONTHS_BACK
    ahead: int = DEFAULT_MONTHS_AHEAD

    def bounds(self, current: Period) -> tuple[Period, Period]:
        """The earliest and the latest month allowed (within the years a 年月 can have)."""
        first, last = Period(1900, 1).index, Period(9999, 12).index
        return (
            Period.from_index(min(last, max(first, current.index - self.back))),
            Period.from_index(min(last, max(first, current.index + self.ahead))),
        )


@dataclass
class WageCheck:
    lines: list[WageLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    filtered: int = 0  # rows left out because their 险种 is 税务代征

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.lines)


def _pick(row: dict[str, str], headers: tuple[str, ...]) -> str:
    return next((row[h].strip() for h in headers if row.get(h, "").strip()), "")


def _self_items(employee: Employee, item: str | None) -> list[dict[str, Any]]:
    return [i for i in employee.insured if i["mode"] == SELF_COLLECTED and (item is None or i["item"] == item)]


def check_rows(
    rows: list[dict[str, str]],
    row_numbers: list[int],
    employees: dict[str, Employee],
    item_names: dict[str, str],
    declaration_type: DeclarationType,
    by: DeclareBy,
    current: Period,
    window: MonthWindow | None = None,
) -> WageCheck:
    """Validate every row; the declaration may be sent only when ``errors`` is empty. ``window``: the region's
    生效年月 window (the defaults when its 规则文件 has none)."""
    check = WageCheck()
    window = window or MonthWindow()
    earliest, latest = window.bounds(current)
    seen: dict[tuple[str, str | None], int] = {}
    item_codes = {name: code for code, name in item_names.items()}
    for row, number in zip(rows, row_numbers, strict=True):
        where = f"第{number}行："
        id_number = _pick(row, ID_HEADERS).upper()
        if not id_number:
            check.errors.append(where + "缺少证件号码")
            continue
        employee = employees.get(id_number)
        if employee is None:
            check.errors.append(
                where + f"证件号码{mask_id_number(id_number)}在本单位职工中未找到，"
                "请核对证件号码，或先在职工参保信息更新中更新职工信息"
            )
            continue
        name = _pick(row, NAME_HEADERS)
        if name and name != employee.name:
            check.errors.append(where + f"姓名“{name}”与证件号码不符（本单位职工为“{employee.name}”）")
            continue
        try:
            wage = parse_amount(_pick(row, WAGE_HEADERS))
        except AmountError:
            check.errors.append(where + "新缴费工资须为金额，最多保留两位小数")
            continue
        if wage > MAX_WAGE:
            check.errors.append(where + f"新缴费工资不能超过{MAX_WAGE:,}元，请核对金额")
            continue
        if wage <= 0:
            check.errors.append(where + "新缴费工资须大于0")
            continue
        month: Period | None = None
        month_text = _pick(row, MONTH_HEADERS)
        if declaration_type == "日常":
            try:
                month = Period.parse(month_text[:7]) if month_text else None
            except PeriodError:
                month = None
            if month is None:
                check.errors.append(where + "生效年月须为YYYY-MM格式的年月")
                continue
            if not earliest <= month <= latest:
                check.errors.append(
                    where + f"生效年月{month}超出允许范围，须在{earliest}至{latest}之间"
                    f"（当前年月{current}之前{window.back}个月至之后{window.ahead}个月）"
                )
                continue
        elif month_text:
            check.errors.append(where + "年度缴费工资申报不填写生效年月（由管理子系统按本地区规定确定）")
            continue
        item: str | None = None
        if by == "按险种":
            item_text = _pick(row, ITEM_HEADERS)
            item = item_text if item_text in item_names else item_codes.get(item_text)
            if item is None:
                check.errors.append(where + f"险种“{item_text}”无法识别，请填写征收项目名称或代码")
                continue
            if not any(i["item"] == item for i in employee.insured):
                check.errors.append(where + f"该职工未参保“{item_names[item]}”")
                continue
        own = _self_items(employee, item)
        if not own:
            check.filtered += 1  # 税务代征 险种: left out, as the manual says
            continue
        if month is not None:
            ended = [i["end"] for i in own if i["end"]]
            if ended and month > Period.parse(max(ended)):
                check.errors.append(
                    where + f"生效年月不能大于该职工的停止缴费年月（{employee.name}的停止缴费年月为{max(ended)}）"
                )
                continue
            if month < current:
                check.warnings.append(where + f"{employee.name}的生效年月{month}早于系统当前年月，将会产生补缴信息")
        duplicate = seen.get((employee.key, item))
        if duplicate is not None:
            check.errors.append(where + f"与第{duplicate}行重复（同一职工{'同一险种' if item else ''}只能申报一次）")
            continue
        seen[(employee.key, item)] = number
        check.lines.append(WageLine(employee, item, Decimal(own[0]["base"]), wage, month))
    if not check.lines and not check.errors:
        check.errors.append("没有需要申报的数据：文件中的职工均为税务代征险种，无需申报缴费工资。")
    return check


def payload(lines: list[WageLine], declaration_type: DeclarationType, by: DeclareBy) -> dict[str, Any]:
    """The 缴费工资申报 request body (employees named by their record keys, never ID numbers)."""
    return {
        "declaration_type": declaration_type,
        "by": by,
        "rows": [
            {
                "key": line.employee.key,
                "item": line.item,
                "new_wage": f"{line.new_wage:.2f}",
                "effective_month": str(line.effective_month) if line.effective_month else None,
            }
            for line in lines
        ],
    }
