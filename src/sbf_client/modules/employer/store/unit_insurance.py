"""The cached 单位参保信息 (manual 2.19): its tables, the one write (replace everything, in one transaction) and
what the page reads besides the list (when it was downloaded, the choices of its drop-downs).

The tables are created by ``migrations/unit/employer/e0005_unit_insurance.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, delete, func, insert, select

metadata = MetaData()

unit_insurance = Table(
    "unit_insurance",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_no", String, nullable=False),
    Column("agency", String, nullable=False),
    Column("tax_authority", String, nullable=False),
    Column("item", String, nullable=False),
    Column("category", String, nullable=False),
    Column("sub", String, nullable=False),
    Column("status", String, nullable=False),
    Column("start_month", String, nullable=False),
    Column("end_month", String),
    Column("base", String, nullable=False),
)

unit_insurance_downloads = Table(
    "unit_insurance_downloads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("downloaded_at", String, nullable=False),
    Column("as_of", String, nullable=False),
)


@dataclass(frozen=True)
class InsuranceRow:
    """One cached row: a 单位编号's 险种 (codes as the 管理子系统 sends them; ``base`` decimal text)."""

    unit_no: str
    agency: str
    tax_authority: str
    item: str
    category: str
    sub: str
    status: str
    start_month: str
    end_month: str | None
    base: str


@dataclass(frozen=True)
class Cached:
    """What the cache holds: how many rows, and when they were downloaded (None: never)."""

    rows: int
    downloaded_at: str | None


def replace_all(engine: Engine, rows: Sequence[InsuranceRow], downloaded_at: str, as_of: str) -> None:
    """The whole list, replaced in one transaction: a reader sees the old list or the new one, never a mix."""
    with engine.connect().execution_options(immediate=True) as conn, conn.begin():
        conn.execute(delete(unit_insurance))
        if rows:
            conn.execute(insert(unit_insurance), [row.__dict__ for row in rows])
        conn.execute(delete(unit_insurance_downloads))
        conn.execute(insert(unit_insurance_downloads).values(id=1, downloaded_at=downloaded_at, as_of=as_of))


def cached(engine: Engine) -> Cached:
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(unit_insurance)).scalar_one()
        when = conn.execute(select(unit_insurance_downloads.c.downloaded_at)).scalar()
    return Cached(count, when)


def agency_choices(engine: Engine) -> list[tuple[str, str]]:
    """社保经办机构 drop-down: the agencies in the cached list, by name."""
    with engine.connect() as conn:
        names = conn.execute(select(unit_insurance.c.agency).distinct().order_by(unit_insurance.c.agency)).scalars()
        return [(name, name) for name in names]


def item_choices(engine: Engine) -> list[tuple[str, str]]:
    """征收项目 drop-down: the codes in the cached list, in code order, as (code, code); the page shows each by
    its name in the 规则文件 (which lives in the app database, not here)."""
    with engine.connect() as conn:
        codes = conn.execute(select(unit_insurance.c.item).distinct().order_by(unit_insurance.c.item)).scalars()
        return [(code, code) for code in codes]


def category_codes(engine: Engine) -> list[str]:
    """The non-blank 征收品目 codes in the cached list."""
    with engine.connect() as conn:
        column = unit_insurance.c.category
        return list(conn.execute(select(column).distinct().where(column != "").order_by(column)).scalars())
