"""The employer branch's tables, for queries: employees and their names' search keys, and the local 缴费工资申报记录."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

employees = Table(
    "employees",
    metadata,
    Column("key", String, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("person_no", String, nullable=False),
    Column("name", String, nullable=False),
    Column("gender", String, nullable=False),
    Column("id_type", String, nullable=False),
    Column("id_number", String, nullable=False),
    Column("birth_date", String, nullable=False),
    Column("unit_no", String, nullable=False),
    Column("status", String, nullable=False),
    Column("updated_at", String, nullable=False),
    Column("insured", Text, nullable=False),
)

# Each distinct name of ``employees`` once, with its pinyin search keys (kept by the sync: Dataset.value_keys).
employee_names = Table(
    "employee_names",
    metadata,
    Column("name", String, nullable=False, unique=True),
    Column("initials", String, nullable=False),  # 林婷 → lt (domain.pinyin), for the name search box
    Column("pinyin", String, nullable=False),  # 林婷 → linting
)

wage_declarations = Table(
    "wage_declarations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("outbox_id", Integer, nullable=False),
    Column("server_id", Integer),
    Column("declaration_type", String, nullable=False),
    Column("by", String, nullable=False),
    Column("submitted_at", String, nullable=False),
    Column("tax_authority", String, nullable=False),
    Column("total", Integer, nullable=False),
    Column("status", String, nullable=False),
    Column("message", Text, nullable=False),
)

wage_declaration_items = Table(
    "wage_declaration_items",
    metadata,
    Column("declaration_id", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("employee_key", String, nullable=False),
    Column("name", String, nullable=False),
    Column("id_type", String, nullable=False),
    Column("id_number", String, nullable=False),
    Column("item", String),
    Column("old_wage", String),
    Column("new_wage", String, nullable=False),
    Column("effective_month", String),
    Column("status", String, nullable=False),
    Column("reason", Text, nullable=False),
)
