"""Request and response bodies of the 管理子系统 and 征收子系统 APIs, and of the sandbox's admin API."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

# A validation error of this type carries a Chinese message for the user; the sandbox passes it on as it is.
CHINESE_ERROR = "sbf_chinese"

MAX_INT64 = 2**63 - 1  # SQLite's integers (and PostgreSQL's BIGINT): a larger number never reaches a query
MAX_INT32 = 2**31 - 1  # the sandbox's INTEGER keys on PostgreSQL


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money must be sent as a string, never a float")
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float)]
# A real month that ``core.periods.Period`` can hold (1900-01 … 9999-12): 2026-13 or 0000-01 are refused where
# they enter, not later by a rule (or a background job) that parses them.
MONTH_PATTERN = r"^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$"
Month = Annotated[str, StringConstraints(pattern=MONTH_PATTERN)]
Business = Literal["employer", "collector"]
Mode = Literal["税务自主模式", "税务代征模式"]

# 新缴费工资: the client's domain rule (modules/employer/domain/wages.py MAX_WAGE) has the same bound.
MAX_WAGE = Decimal("99999999.99")
WAGE_RULE = "新缴费工资须为大于0、不超过99999999.99元、最多两位小数的金额（以文本发送，如“9000.00”）"
# Positive decimal text of at most 8 + 2 digits, so the OpenAPI document says the whole rule (0 and 0.00 too).
_WAGE_TEXT = re.compile(r"^([1-9][0-9]{0,7}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))$")


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
# Keys the server hands out (record keys, Idempotency-Keys: the client's are uuid4 hex): no control characters,
# nothing a database refuses (PostgreSQL refuses NUL in text).
RECORD_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
SUBMISSION_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"


class Model(BaseModel):
    # A refused value is never quoted in the error: it may be a password or an ID number, and errors get logged.
    model_config = ConfigDict(frozen=True, extra="ignore", hide_input_in_errors=True)


# ---------------------------------------------------------------- common


class ServerInfo(Model):
    """``GET …/ping`` of either subsystem."""

    subsystem: Literal["管理子系统", "征收子系统"]
    region_id: str
    region_name: str
    mode: Mode
    server_time: str
    version: str


# 规则文件 table of the 生效年月 a 缴费工资申报 may name, in months around the current one: both the 管理子系统
# and the client refuse others (a 9999-12 would otherwise come back 全部申报成功).
WAGE_PERIOD_TABLE = "wage_period_limits"
MONTHS_BACK, MONTHS_AHEAD = "months_back", "months_ahead"


class CodeTables(Model):
    """规则文件: code → name tables (证件类型, 征收项目, 品目, 子目, 特殊类别, 状态, 社保经办机构…), and the region's
    limits (``wage_period_limits``: ``months_back`` / ``months_ahead``)."""

    version: str
    tables: dict[str, dict[str, str]]


class Notice(Model):
    """One 通知公告."""

    id: int
    title: str
    published_at: str
    content: str


class Notices(Model):
    notices: list[Notice]


# ---------------------------------------------------------------- registration and login


class TaxpayerLookupRequest(Model):
    taxpayer_id: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z]+$")
    business: Business


class UnitSummary(Model):
    """One row of the manual's 选择单位 table."""

    unit_id: str
    taxpayer_id: str
    name: str
    registered_on: date
    taxpayer_status: str  # 纳税人状态, e.g. 正常
    kind: str  # the table's 单位 column
    business: Business


class TaxpayerLookupResponse(Model):
    units: list[UnitSummary]


class SessionRequest(Model):
    password: str = Field(min_length=1, max_length=64)


class SessionResponse(Model):
    token: str
    expires_at: str
    must_change_password: bool
    unit: UnitSummary


class PasswordChangeRequest(Model):
    old_password: str = Field(min_length=1, max_length=64)
    new_password: str = Field(min_length=1, max_length=64)


class PasswordChangeResponse(Model):
    changed_at: str


class Registration(Model):
    """One row of 确认参保登记信息: 单位编号 · 社保经办机构 · 主管税务机关."""

    unit_no: str
    agency: str
    tax_authority: str


class RegistrationInfo(Model):
    taxpayer_id: str
    name: str
    tax_authority: str  # 主管税务机关
    tax_branch: str  # 主管科所分局
    registrations: list[Registration]


class DemoAccount(Model):
    """A demo taxpayer of the sandbox, so a new user knows what to type."""

    region_id: str
    region_name: str
    taxpayer_id: str
    name: str
    business: Business
    unit_id: str
    unit_nos: list[str]
    people: int  # employees or 城乡居民
    password_hint: str


class DemoAccounts(Model):
    accounts: list[DemoAccount]


# ---------------------------------------------------------------- change feeds


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


class ResidentItem(Model):
    item: str
    grade: str | None  # 缴费档次 code
    start: Month
    end: Month | None


class ResidentData(Model):
    person_no: str
    name: str
    gender: str
    id_type: str
    id_number: str
    birth_date: date
    village: str  # 所属村（社区）
    status: str  # 参保状态 code: 1 正常参保, 2 暂停参保, 3 终止参保
    updated_at: str
    insured: list[ResidentItem]


class FeedRecord(Model):
    seq: int
    key: str
    deleted: bool
    data: dict[str, Any] | None


class ChangesPage(Model):
    """``GET …/changes``: records after ``since`` in seq order; ``last_seq`` is the next ``since``."""

    epoch: str
    records: list[FeedRecord]
    last_seq: int
    more: bool


class FeedInfo(Model):
    epoch: str
    count: int
    last_seq: int
    horizon_seq: int  # tombstones at or below this seq are gone: an older ``since`` gets 410


# ---------------------------------------------------------------- submissions


class SubmissionRecord(Model):
    """``GET …/submissions/{key}``: the first answer the server gave to an Idempotency-Key."""

    key: str
    kind: str
    status_code: int
    response: dict[str, Any]
    received_at: str


DeclarationType = Literal["日常", "年度"]
DeclareBy = Literal["按职工", "按险种"]


class WageRow(Model):
    """One row of a 缴费工资申报: an employee (by record key), optionally one 险种, the new wage. The 生效年月 is
    also checked against the region's ``wage_period_limits`` (by the 管理子系统 and the client), which depend on
    today and so are no part of the model."""

    key: str = Field(pattern=RECORD_KEY_PATTERN)
    item: str | None = Field(default=None, pattern=r"^[0-9]{5}$")  # 征收项目 code, 按险种 only
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


# ---------------------------------------------------------------- sandbox administration


class MutateRequest(Model):
    hires: int = Field(default=0, ge=0, le=1_000_000)
    leaves: int = Field(default=0, ge=0, le=1_000_000)
    removals: int = Field(default=0, ge=0, le=1_000_000)
    base_changes: int = Field(default=0, ge=0, le=1_000_000)


class MutateResult(Model):
    added: list[str]
    changed: list[str]
    deleted: list[str]
    last_seq: int


class CompactRequest(Model):
    """Purge tombstones at or below ``up_to_seq`` (default: all of them)."""

    up_to_seq: int | None = Field(default=None, ge=0, le=MAX_INT64)


class CompactResult(Model):
    horizon_seq: int


class RekeyResult(Model):
    epoch: str
    last_seq: int


class SandboxSettings(Model):
    feedback_delay: float = Field(default=20.0, ge=0, le=3600)  # seconds before feedback is available


class FaultSettings(Model):
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    drop_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # answer dropped after the work is committed
    drop_next: int = Field(default=0, ge=0, le=1_000_000)  # drop exactly the next N matching responses
    # only requests whose path starts with this (after the region root)
    path_prefix: str = Field(default="", max_length=256)
    methods: list[Literal["GET", "POST", "PUT", "DELETE", "PATCH"]] = Field(  # empty: every method
        default_factory=list, max_length=5
    )
