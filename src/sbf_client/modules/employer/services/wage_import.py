"""The 缴费工资 file import (外部文件导入) and its templates (导入模板下载), on ``documents/importing``.

The import goes through the one import pipeline like every import. It also takes files not made from the
template — CSV, .xls and the spreadsheets units already keep, with the same headers — because the manual
only recommends the template here (M1273: "配合导入模板下载功能一起使用"), unlike the 3.6 import that
requires it (M3758); a file carrying another template's marker, or an old version's, is still refused.

The rules are ``domain.wages.check_rows``'s, with the same messages, applied to the whole file at once: the
cells are read and checked by the pipeline (column by column, each distinct value once); the rows are staged
and matched to the cached employees (found, same name) in one SQL query, whose rows are taken as they come; an
employee's 险种 are decoded (msgspec) into just the four fields the rules read. What is left per row is a few
comparisons in the rules' order of precedence — the first problem of a row is its message, and a row repeats
only an earlier row without problems, as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import msgspec
from sqlalchemy import Connection

from sbf_client.core.ids import mask_id_number
from sbf_client.core.periods import Period
from sbf_client.documents.importing import ImportedRows, RowError
from sbf_client.documents.staging import staged, write_annotated
from sbf_client.documents.templates import Column, TemplateSpec

from ..domain.wages import (
    ID_HEADERS,
    ITEM_HEADERS,
    MAX_WAGE,
    SELF_COLLECTED,
    WAGE_HEADERS,
    DeclarationType,
    DeclareBy,
    Employee,
    MonthWindow,
    WageCheck,
    WageLine,
)

TEMPLATE_VERSION = 1
_TEMPLATES = {
    ("日常", "按职工"): "wage-daily-by-employee",
    ("日常", "按险种"): "wage-daily-by-item",
    ("年度", "按职工"): "wage-annual-by-employee",
    ("年度", "按险种"): "wage-annual-by-item",
}
_WAGE_INVALID = "新缴费工资须为金额，最多保留两位小数"
_MONTH_INVALID = "生效年月须为YYYY-MM格式的年月"
_ANNUAL_MONTH = "年度缴费工资申报不填写生效年月（由管理子系统按本地区规定确定）"


def wage_template(declaration_type: DeclarationType, by: DeclareBy, item_names: tuple[str, ...] = ()) -> TemplateSpec:
    """The 缴费工资导入模板 of a declaration type and way: 姓名, 证件号码, (险种), 新缴费工资, (生效年月)."""
    columns = [
        Column("name", "姓名", max_length=50, note="填写时须与证件号码对应的职工姓名一致", width=12),
        Column(
            "id_number",
            "证件号码",
            required=True,
            max_length=30,
            note="按文本填写，勿改为数值",
            width=22,
            aliases=ID_HEADERS[1:],
            missing="缺少证件号码",
        ),
    ]
    if by == "按险种":
        columns.append(
            Column(
                "item",
                "险种",
                "choice",
                required=True,
                choices=item_names,
                width=24,
                aliases=ITEM_HEADERS[1:],
                note="征收项目名称，税务代征的险种会被自动过滤",
            )
        )
    columns.append(
        Column(
            "wage",
            "新缴费工资",
            "money",
            required=True,
            width=14,
            aliases=WAGE_HEADERS[1:],
            missing=_WAGE_INVALID,
            invalid=_WAGE_INVALID,
        )
    )
    if declaration_type == "日常":
        columns.append(
            Column(
                "month",
                "生效年月",
                "month",
                required=True,
                width=12,
                note="不能大于职工的停止缴费年月",
                missing=_MONTH_INVALID,
                invalid=_MONTH_INVALID,
            )
        )
    title = f"{declaration_type}缴费工资申报导入模板（{by}）"
    return TemplateSpec(_TEMPLATES[(declaration_type, by)], TEMPLATE_VERSION, title, tuple(columns))


def reading_specs(declaration_type: DeclarationType, by: DeclareBy) -> tuple[TemplateSpec, TemplateSpec]:
    """How a file is read: (the template, a file not made from it). 险种 is read as text — the rules take a
    征收项目 name or code —, and a file not made from the template may carry 生效年月 in a 年度 import (then
    refused by the rules, as before)."""
    template = wage_template(declaration_type, by)
    as_text = [replace(c, kind="text", choices=()) if c.key == "item" else c for c in template.columns]
    loose = list(as_text)
    if declaration_type == "年度":
        loose.append(Column("month", "生效年月", "month", invalid=_MONTH_INVALID))
    return template.with_columns(as_text), template.with_columns(loose)


@dataclass
class WageFileCheck(WageCheck):
    """A checked file: the declaration's lines, and — for the annotated copy — the file's rows, the first
    problem of each bad row and the template to write the copy as."""

    imported: ImportedRows | None = None
    problems: list[RowError] = field(default_factory=list)
    template: TemplateSpec | None = None

    def annotate(self, dest: Path) -> Path:
        """A copy of the file with a 错误原因 column and the bad cells in red (as the template, when known)."""
        assert self.imported is not None
        return write_annotated(self.imported, self.problems, dest, self.template)


class _Insured(msgspec.Struct, gc=False):
    """What the rules read of a cached 险种 row (职工参保明细); its other fields are skipped unread."""

    item: str | None = None
    mode: str | None = None
    base: str | None = None
    end: str | None = None


_DECODE_INSURED = msgspec.json.Decoder(list[_Insured])
# The staged rows against the cache in one statement: each row's employee (or none), whether the name given
# differs, and the employee's 险种 as stored (as bytes: msgspec reads the UTF-8 itself, no str is made of it).
# The rows are taken as they come and a 险种 is decoded when its row reaches that rule: nothing of a row
# outlives its turn but its line.
_FIND_EMPLOYEES = """
SELECT s.row_no, e.key, e.name, e.id_type, e.id_number, s.name IS NOT NULL AND s.name <> e.name,
    CAST(e.insured AS BLOB)
FROM temp.{table} s LEFT JOIN employees e ON e.id_number = s.id_key ORDER BY s.row_no
"""


def _row_checks(
    imported: ImportedRows,
    item_names: dict[str, str],
    declaration_type: DeclarationType,
    current: Period,
    window: MonthWindow,
) -> tuple[dict[int, RowError], dict[int, RowError], list[str | None]]:
    """What needs no database, by row position: problems of the 证件号码 (first of all), the first other
    problem of the row's cells in the rules' order (新缴费工资, 生效年月, 险种), and each row's 险种 code."""
    earliest, latest = window.bounds(current)
    item_codes = {name: code for code, name in item_names.items()}
    by_row: dict[int, dict[str, str]] = {}
    for problem in imported.problems:
        by_row.setdefault(problem.row, {}).setdefault(problem.column, problem.reason)
    keys = {c.key for c in imported.spec.columns}
    wages = imported.column("wage")
    months = imported.column("month") if "month" in keys else [None] * len(imported)
    items = imported.column("item") if "item" in keys else None
    daily = declaration_type == "日常"

    def wage_problem(wage: Decimal) -> str | None:
        if wage > MAX_WAGE:
            return f"新缴费工资不能超过{MAX_WAGE:,}元，请核对金额"
        return "新缴费工资须大于0" if wage <= 0 else None

    def month_problem(month: Period | None) -> str | None:
        if not daily:
            return None if month is None else _ANNUAL_MONTH
        if month is not None and not earliest <= month <= latest:
            return (
                f"生效年月{month}超出允许范围，须在{earliest}至{latest}之间"
                f"（当前年月{current}之前{window.back}个月至之后{window.ahead}个月）"
            )
        return None

    judged_wages = {w: wage_problem(w) for w in set(wages) if w is not None}
    judged_months = {m: month_problem(m) for m in set(months)}
    id_problems: dict[int, RowError] = {}
    cell_problems: dict[int, RowError] = {}
    codes: list[str | None] = [None] * len(imported)
    for position, number in enumerate(imported.row_numbers):
        cells = by_row.get(number, {})
        if "证件号码" in cells:
            id_problems[position] = RowError(number, "证件号码", cells["证件号码"])
        if "新缴费工资" in cells:
            reason, column = cells["新缴费工资"], "新缴费工资"
        elif judged_wages[wages[position]]:
            reason, column = judged_wages[wages[position]], "新缴费工资"
        elif "生效年月" in cells:
            reason = cells["生效年月"] if daily else _ANNUAL_MONTH
            column = "生效年月"
        else:
            reason, column = judged_months[months[position]], "生效年月"
        if items is not None:
            text = items[position] or ""
            codes[position] = text if text in item_names else item_codes.get(text)
            if codes[position] is None and reason is None:
                reason, column = f"险种“{text}”无法识别，请填写征收项目名称或代码", "险种"
        if reason:
            cell_problems[position] = RowError(number, column, reason)
    return id_problems, cell_problems, codes


def check_wage_rows(
    conn: Connection,
    imported: ImportedRows,
    item_names: dict[str, str],
    declaration_type: DeclarationType,
    current: Period,
    window: MonthWindow | None = None,
) -> WageFileCheck:
    """The rules of ``domain.wages.check_rows`` over a whole file at once, with the same messages in the same
    order of precedence. The rows are staged and matched to the cached employees in one query; the lines'
    ``Employee.insured`` is left empty (the declaration needs the key, name and ID)."""
    window = window or MonthWindow()
    id_problems, cell_problems, codes = _row_checks(imported, item_names, declaration_type, current, window)
    ids = [(v or "").upper() or None for v in imported.column("id_number")]
    check = WageFileCheck(imported=imported)
    wages, names = imported.column("wage"), imported.column("name")
    has_month = any(c.key == "month" for c in imported.spec.columns)
    months = imported.column("month") if has_month else [None] * len(imported)
    seen: dict[tuple[str, str | None], int] = {}
    bases: dict[str | None, Decimal] = {}
    with staged(conn, imported, [("id_key", ids)], keys=("name",)) as stage:
        found = conn.exec_driver_sql(_FIND_EMPLOYEES.format(table=stage.table))
        for position, (number, key, name, id_type, id_number, other_name, stored) in enumerate(found):
            problem = id_problems.get(position)
            if problem is None and key is None:
                problem = RowError(
                    number,
                    "证件号码",
                    f"证件号码{mask_id_number(ids[position] or '')}在本单位职工中未找到，"
                    "请核对证件号码，或先在职工参保信息更新中更新职工信息",
                )
            elif problem is None and other_name:
                problem = RowError(number, "姓名", f"姓名“{names[position]}”与证件号码不符（本单位职工为“{name}”）")
            elif problem is None:
                problem = cell_problems.get(position)
            item, month = codes[position], months[position]
            own: list[_Insured] = []
            if problem is None:
                insured = _DECODE_INSURED.decode(stored or b"[]")
                if item is not None and not any(i.item == item for i in insured):
                    problem = RowError(number, "险种", f"该职工未参保“{item_names[item]}”")
                else:
                    own = [i for i in insured if i.mode == SELF_COLLECTED and (item is None or i.item == item)]
                    if not own:
                        check.filtered += 1  # 税务代征 险种: left out, as the manual says
                        continue
                    ended = max((i.end for i in own if i.end), default=None)
                    if month is not None and ended is not None and month > Period.parse(ended):
                        reason = f"生效年月不能大于该职工的停止缴费年月（{name}的停止缴费年月为{ended}）"
                        problem = RowError(number, "生效年月", reason)
            if problem is None:
                if month is not None and month < current:
                    check.warnings.append(f"第{number}行：{name}的生效年月{month}早于系统当前年月，将会产生补缴信息")
                first = seen.setdefault((key, item), number)
                if first != number:
                    same = "同一险种" if item else ""
                    problem = RowError(number, "证件号码", f"与第{first}行重复（同一职工{same}只能申报一次）")
            if problem is not None:
                check.problems.append(problem)
                check.errors.append(str(problem))
                continue
            base = own[0].base
            old = bases[base] if base in bases else bases.setdefault(base, Decimal(base or "0"))
            check.lines.append(WageLine(Employee(key, name, id_type, id_number, ()), item, old, wages[position], month))
    if not check.lines and not check.errors:
        check.errors.append("没有需要申报的数据：文件中的职工均为税务代征险种，无需申报缴费工资。")
    return check
