"""Request and response bodies of the 管理子系统 and 征收子系统 APIs, and of the sandbox's admin API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


def _no_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError("money must be sent as a string, never a float")
    return value


Money = Annotated[Decimal, BeforeValidator(_no_float)]
Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
Business = Literal["employer", "collector"]
Mode = Literal["税务自主模式", "税务代征模式"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


# ---------------------------------------------------------------- common


class ServerInfo(Model):
    """``GET …/ping`` of either subsystem."""

    subsystem: Literal["管理子系统", "征收子系统"]
    region_id: str
    region_name: str
    mode: Mode
    server_time: str
    version: str


class CodeTables(Model):
    """规则文件: code → name tables (证件类型, 征收项目, 品目, 子目, 特殊类别, 状态, 社保经办机构…)."""

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
    taxpayer_id: str = Field(min_length=1, max_length=20)
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
    """One row of a 缴费工资申报: an employee (by record key), optionally one 险种, the new wage."""

    key: str
    item: str | None = None  # 征收项目 code, 按险种 only
    new_wage: Money
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

    up_to_seq: int | None = None


class SandboxSettings(Model):
    feedback_delay: float = Field(default=20.0, ge=0, le=3600)  # seconds before feedback is available


class FaultSettings(Model):
    latency_ms: int = Field(default=0, ge=0, le=60_000)
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    drop_rate: float = Field(default=0.0, ge=0.0, le=1.0)  # answer dropped after the work is committed
    drop_next: int = Field(default=0, ge=0)  # drop exactly the next N matching responses
    path_prefix: str = ""  # only requests whose path starts with this (after the region root)
    methods: list[str] = Field(default_factory=list)  # empty: every method
