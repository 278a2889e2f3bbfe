"""Request and response bodies both businesses share, and the sandbox's admin API.

A business's own bodies (its feeds' records, its declarations) are in ``modules/<business>/remote/contract.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

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
# The businesses a unit is registered for; a module's ``ModuleSpec.id`` is one of them.
Business = Literal["employer", "collector"]
Mode = Literal["税务自主模式", "税务代征模式"]

# Keys the server hands out (record keys, Idempotency-Keys: the client's are uuid4 hex): no control characters,
# nothing a database refuses (PostgreSQL refuses NUL in text).
RECORD_KEY_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"
SUBMISSION_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
TAXPAYER_ID_PATTERN = r"^[0-9A-Za-z]+$"  # 纳税人识别号: letters and digits


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
# and the client refuse others (a 9999-12 would otherwise come back 全部申报成功). Only the 用人单位 reads it, but
# the 规则文件 is one document of the region, served alike to both businesses: its table names belong to it.
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
    taxpayer_id: str = Field(min_length=1, max_length=20, pattern=TAXPAYER_ID_PATTERN)
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


class UnitBasicInfo(Model):
    """单位信息 › 基本信息 (manual 4.4) as the 管理子系统 registered it; blank where it holds nothing."""

    finance_officer: str = ""  # 财务负责人
    legal_representative: str = ""  # 法定代表人（或单位负责人）
    industry: str = ""  # 行业
    enterprise_type: str = ""  # 企业类型
    address: str = ""  # 地址
    postcode: str = ""  # 邮政编码
    phone: str = ""  # 联系电话
    email: str = ""  # 电子邮箱
    listed: bool | None = None  # 上市公司: 是 / 否; None when not registered


class RegistrationInfo(Model):
    taxpayer_id: str
    name: str
    tax_authority: str  # 主管税务机关
    tax_branch: str  # 主管科所分局
    registrations: list[Registration]
    # 单位信息's 基本信息: optional, so an answer without it (an older 管理子系统) still reads; None is "not sent".
    basic: UnitBasicInfo | None = None


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
