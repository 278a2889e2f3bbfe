"""The sandbox's 缴费工资申报 tables, on the sandbox database's ``metadata`` (created with the shared ones)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text

from sbf_sandbox.db import metadata

wage_declarations = Table(
    "wage_declarations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", String(32), nullable=False, index=True),
    Column("key", String(64), nullable=False, unique=True),
    Column("declaration_type", String(8), nullable=False),  # 日常 / 年度
    Column("by", String(8), nullable=False),  # 按职工 / 按险种
    Column("submitted_at", String(19), nullable=False),
    Column("due_at", String(26), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("total", Integer, nullable=False),
    Column("processed_at", String(19)),
)

wage_items = Table(
    "wage_items",
    metadata,
    Column("declaration_id", Integer, ForeignKey("wage_declarations.id"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("record_key", String(32), nullable=False),
    Column("item", String(8)),
    Column("new_wage", String(20), nullable=False),
    Column("effective_month", String(7)),
    Column("name", String(64), nullable=False, server_default=""),
    Column("id_type", String(4), nullable=False, server_default=""),
    Column("id_number", String(32), nullable=False, server_default=""),
    Column("old_wage", String(20)),
    Column("status", String(8), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
)
