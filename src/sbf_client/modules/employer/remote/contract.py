"""The 用人单位 part of the 管理子系统 contract: the ``employees`` feed's records, 缴费工资申报 and 单位参保信息.

Both the client (``remote/api.py``) and the sandbox (``sandbox/``) import it, so the two cannot drift apart.
What both businesses share (sessions, feeds paging, submissions, error codes) is in ``sbf_client.remote.contract``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from sbf_client.remote.contract.models import CHINESE_ERROR, RECORD_KEY_PATTERN, Model, Money, Month

EMPLOYEES = "employees"  # the change feed of a unit's 职工

WAGE_DECLARATIONS = "/mgmt/v1/units/{unit_id}/wage-declarations"  # POST submit (Idempotency-Key), GET list
WAGE_DECLARATION = "/mgmt/v1/units/{unit_id}/wage-declarations/{declaration_id}"  # GET: per-employee feedback
WAGE_SUBMISSION_KIND = "wage_declaration"  # the submission kind the 管理子系统 files these under
UNIT_INSURANCE = "/mgmt/v1/units/{unit_id}/insurance"  # GET: 单位参保信息, one row per 单位编号 × 征收项目

# 新缴费工资: the client's domain rule (modules/employer/domain/wages.py MAX_WAGE) has the same bound.
MAX_WAGE = Decimal("99999999.99")
WAGE_RULE = "新缴费工资须为大于0、不超过99999999.99元、最多两位小数的金额（以文本发送，如“9000.00”）"
# Positive decimal text of at most 8 + 2 digits, so the OpenAPI document says the whole rule (0 and 0.00 too).
_WAGE_TEXT = re.compile(r"^([1-9][0-9]{0,7}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$")
ITEM_PATTERN = r"^[0-9]{5}$"  # a 征收项目 code


def _wage(value: Any) -> Decimal:
    """Decimal text (or a Decimal, from the client's own code) within the bound, checked before any arithmetic:
    "1e999999" or 400 digits never become a number that overflows a rule."""
    if isinstance(value, str) and _WAGE_TEXT.fullmatch(value):
        amount = Decimal(value)
    elif isinstance(value, Decimal) and value.is_finite() and abs(value) <= MAX_WAGE:
        amount = value
    else:
        raise PydanticCustomError(CHINESE_ERROR, WAGE_RULE)
    if not (0 < amount <= MAX_WAGE and amount == amount.quantize(Decimal("0.01"))):
        raise PydanticCustomError(CHINESE_ERROR, WAGE_RULE)
    return amount


WageAmount = Annotated[
    Decimal,
    BeforeValidator(_wage),
    WithJsonSchema({"type": "string", "pattern": _WAGE_TEXT.pattern, "description": WAGE_RULE}),
]


# ---------------------------------------------------------------- the employees feed


class InsuredItem(Model):
    """One 险种 an employee is insured for (职工参保明细 grid); names come from the code tables."""

    item: str  # 征收项目 code
    category: str  # 征收品目 code
    sub: str  # 征收子目 code
    special: str  # 参保人员特殊类别 code
    base: Money  # 缴费基数
    start: Month  # 开始缴费月份
    end: Month | None  # 终止缴费月份; None is 长期
    mode: Literal["1", "2"]  # 1 税务自主, 2 税务代征


class EmployeeData(Model):
    person_no: str  # 人员编号
    name: str
    gender: str  # GB/T 2261.1: 1 男, 2 女
    id_type: str  # 证件类型 code
    id_number: str
    birth_date: date
    unit_no: str
    status: str  # 参保状态 code: 1 正常缴费, 2 停止缴费
    updated_at: str
    insured: list[InsuredItem]


# ---------------------------------------------------------------- 缴费工资申报

DeclarationType = Literal["日常", "年度"]
DeclareBy = Literal["按职工", "按险种"]


class WageRow(Model):
    """One row of a 缴费工资申报: an employee (by record key), optionally one 险种, the new wage. The 生效年月 is
    also checked against the region's ``wage_period_limits`` (by the 管理子系统 and the client), which depend on
    today and so are no part of the model."""

    key: str = Field(pattern=RECORD_KEY_PATTERN)
    item: str | None = Field(default=None, pattern=ITEM_PATTERN)  # 征收项目 code, 按险种 only
    new_wage: WageAmount
    effective_month: Month | None = None  # 生效年月, 日常 only


class WageDeclarationRequest(Model):
    declaration_type: DeclarationType
    by: DeclareBy
    rows: list[WageRow] = Field(min_length=1, max_length=100_000)


class WageDeclarationAccepted(Model):
    declaration_id: int
    status: str  # 待反馈
    submitted_at: str
    total: int  # 职工总数


class WageDeclarationSummary(Model):
    """A row of 缴费工资申报记录."""

    declaration_id: int
    key: str
    declaration_type: str  # 日常缴费工资申报 / 年度缴费工资申报
    by: DeclareBy
    submitted_at: str
    tax_authority: str
    total: int
    status: str  # 待反馈 / 全部申报成功 / 全部申报失败 / 部分申报成功


class WageItemResult(Model):
    """A line of 申报明细: one employee (按职工) or one employee × 险种 (按险种)."""

    key: str
    name: str
    id_type: str
    id_number: str
    item: str | None
    old_wage: Money | None
    new_wage: Money
    effective_month: Month | None
    status: str  # 待反馈 / 成功 / 失败 / 部分成功
    reason: str


class WageDeclarationDetail(WageDeclarationSummary):
    items: list[WageItemResult]


class WageDeclarationList(Model):
    declarations: list[WageDeclarationSummary]


# ---------------------------------------------------------------- 单位参保信息 (manual 2.19)


class UnitInsuranceItem(Model):
    """One 险种 a 单位编号 of the unit is registered for. Codes are named by the 规则文件 (``item``, ``category``,
    ``sub``, ``employee_status``); a 征收品目 or 征收子目 the 管理子系统 has none for is blank, not missing."""

    unit_no: str  # 单位编号
    agency: str  # 社保经办机构
    tax_authority: str  # 主管税务机关
    item: str = Field(pattern=ITEM_PATTERN)  # 征收项目 code
    category: str = ""  # 征收品目 code
    sub: str = ""  # 征收子目 code
    status: Literal["1", "2"]  # 参保状态: 1 正常缴费, 2 停止缴费
    start: Month  # 开始缴费月份
    end: Month | None = None  # 终止缴费月份; None while it is paid (长期)
    base: Money = Field(ge=0)  # 缴费基数: the 缴费基数 of the 职工 who pay it, added up


class UnitInsurance(Model):
    """``GET …/insurance``: the unit's whole 参保信息 (a few rows per 单位编号), read as one full refresh."""

    as_of: str  # the 管理子系统's time of the answer
    items: list[UnitInsuranceItem] = Field(max_length=10_000)
