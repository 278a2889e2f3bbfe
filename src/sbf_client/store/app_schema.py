"""Tables of the app database (``app.sqlite``): the chosen region, the units added here (with their 参保登记信息
and 基本信息), settings.

The schema is created and changed only by the Alembic revisions under ``migrations/app``; these
table objects describe it for queries.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

region = Table(
    "region",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: the region is chosen once per installation
    Column("region_id", String, nullable=False),
    Column("name", String, nullable=False),
    Column("mode", String, nullable=False),  # 税务自主模式 / 税务代征模式
    Column("mgmt_url", String),  # null for a sandbox region: its address is known only once started
    Column("coll_url", String),
    Column("sandbox_region", String),
    Column("chosen_at", String, nullable=False),
)

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("module", String, nullable=False),  # employer / collector
    Column("taxpayer_id", String, nullable=False),  # 纳税人识别号
    Column("server_unit_id", String, nullable=False),
    Column("name", String, nullable=False),  # 纳税人名称
    Column("tax_authority", String, nullable=False, server_default=""),  # 主管税务机关
    Column("tax_branch", String, nullable=False, server_default=""),  # 主管科所分局
    Column("remark", Text, nullable=False, server_default=""),  # 备注
    Column("db_name", String, nullable=False),
    Column("added_at", String, nullable=False),
    Column("last_login_at", String),
    UniqueConstraint("module", "taxpayer_id", "server_unit_id"),
)

unit_registrations = Table(
    "unit_registrations",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_no", String, primary_key=True),  # 单位编号
    Column("agency", String, nullable=False),  # 社保经办机构
    Column("tax_authority", String, nullable=False),  # 主管税务机关
)

unit_profiles = Table(
    "unit_profiles",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("finance_officer", String, nullable=False, server_default=""),  # 财务负责人
    Column("legal_representative", String, nullable=False, server_default=""),  # 法定代表人（或单位负责人）
    Column("industry", String, nullable=False, server_default=""),  # 行业
    Column("enterprise_type", String, nullable=False, server_default=""),  # 企业类型
    Column("address", String, nullable=False, server_default=""),  # 地址
    Column("postcode", String, nullable=False, server_default=""),  # 邮政编码
    Column("phone", String, nullable=False, server_default=""),  # 联系电话
    Column("email", String, nullable=False, server_default=""),  # 电子邮箱
    Column("listed", Boolean),  # 上市公司
    Column("refreshed_at", String, nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)

offline_verifiers = Table(
    "offline_verifiers",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("verifier", String, nullable=False),
    Column("verified_at", String, nullable=False),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", String, nullable=False),
)

client_password = Table(
    "client_password",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1: one 登录密码 per installation; no row: none is set
    Column("verifier", String, nullable=False),  # Argon2id hash of the 登录密码, never the password
    Column("set_at", String, nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),  # wrong 登录密码 in a row
    Column("last_failure_at", String),  # the revision also checks id = 1
)
