"""The app database as the rest of the program sees it: region, units added here (with their 参保登记信息 and
基本信息), settings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, or_, select, update

from sbf_client.core.errors import ConflictError, NotFoundError

from . import app_schema as t
from .engine import sqlite_engine
from .home import DataHome
from .migrate import upgrade_app_db


@dataclass(frozen=True)
class RegionChoice:
    region_id: str
    name: str
    mode: str
    mgmt_url: str | None
    coll_url: str | None
    sandbox_region: str | None
    chosen_at: str

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox_region is not None


@dataclass(frozen=True)
class RegistrationRow:
    unit_no: str
    agency: str
    tax_authority: str


@dataclass(frozen=True)
class UnitProfile:
    """单位信息's 基本信息 (manual 4.4) as last downloaded from the 管理子系统, and when."""

    finance_officer: str  # 财务负责人
    legal_representative: str  # 法定代表人（或单位负责人）
    industry: str  # 行业
    enterprise_type: str  # 企业类型
    address: str  # 地址
    postcode: str  # 邮政编码
    phone: str  # 联系电话
    email: str  # 电子邮箱
    listed: bool | None  # 上市公司; None when the 管理子系统 has nothing
    refreshed_at: str


@dataclass(frozen=True)
class LocalUnit:
    id: int
    module: str
    taxpayer_id: str
    server_unit_id: str
    name: str
    tax_authority: str
    tax_branch: str
    remark: str
    db_name: str
    added_at: str
    last_login_at: str | None


def unit_db_name(module: str, taxpayer_id: str, server_unit_id: str) -> str:
    """``<module>-<纳税人识别号>-<单位>.sqlite``: one file per unit."""
    return f"{module}-{taxpayer_id}-{server_unit_id}.sqlite"


class AppStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, home: DataHome) -> AppStore:
        """Open (creating and migrating as needed) the app database of a data home."""
        home.ensure()
        engine = sqlite_engine(home.app_db)
        upgrade_app_db(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ---------------------------------------------------------------- region

    def region(self) -> RegionChoice | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.region)).first()
        if row is None:
            return None
        return RegionChoice(
            row.region_id, row.name, row.mode, row.mgmt_url, row.coll_url, row.sandbox_region, row.chosen_at
        )

    def choose_region(self, choice: RegionChoice) -> None:
        """Record the region once; the manual says a chosen region cannot be changed (M778)."""
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            existing = conn.execute(select(t.region.c.name)).scalar()
            if existing is not None:
                raise ConflictError(f"已选择地区【{existing}】，地区一经确定不能更改。")
            conn.execute(
                insert(t.region).values(
                    id=1,
                    region_id=choice.region_id,
                    name=choice.name,
                    mode=choice.mode,
                    mgmt_url=choice.mgmt_url,
                    coll_url=choice.coll_url,
                    sandbox_region=choice.sandbox_region,
                    chosen_at=choice.chosen_at,
                )
            )

    def set_region_addresses(self, mgmt_url: str | None, coll_url: str | None) -> RegionChoice:
        """Correct the chosen region's server addresses (the region itself stays chosen)."""
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            changed = conn.execute(update(t.region).values(mgmt_url=mgmt_url, coll_url=coll_url)).rowcount
        if not changed:
            raise NotFoundError("尚未选择地区，请先选择地区。")
        region = self.region()
        assert region is not None
        return region

    # ---------------------------------------------------------------- units

    def units(self, module: str, keyword: str = "") -> list[LocalUnit]:
        """单位管理 list of one business; the keyword matches 纳税人识别号, 纳税人名称 and 备注."""
        query = select(t.units).where(t.units.c.module == module)
        keyword = keyword.strip()
        if keyword:
            like = f"%{keyword.replace('%', '').replace('_', '')}%"
            query = query.where(
                or_(t.units.c.taxpayer_id.like(like), t.units.c.name.like(like), t.units.c.remark.like(like))
            )
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.units.c.id)).all()
        return [LocalUnit(**row._mapping) for row in rows]

    def unit(self, unit_id: int) -> LocalUnit:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.units).where(t.units.c.id == unit_id)).first()
        if row is None:
            raise NotFoundError("该单位不存在，可能已被删除。")
        return LocalUnit(**row._mapping)

    def find_unit(self, module: str, taxpayer_id: str, server_unit_id: str) -> LocalUnit | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.units).where(
                    t.units.c.module == module,
                    t.units.c.taxpayer_id == taxpayer_id,
                    t.units.c.server_unit_id == server_unit_id,
                )
            ).first()
        return LocalUnit(**row._mapping) if row else None

    def add_unit(
        self,
        *,
        module: str,
        taxpayer_id: str,
        server_unit_id: str,
        name: str,
        tax_authority: str,
        tax_branch: str,
        registrations: list[RegistrationRow],
        added_at: str,
        profile: UnitProfile | None = None,
    ) -> LocalUnit:
        """Add a unit and its 参保登记信息 in one transaction; adding it again refreshes the details. Its
        基本信息 (``profile``) is replaced when given and left as it was when not (the server sent none)."""
        db_name = unit_db_name(module, taxpayer_id, server_unit_id)
        values = {"name": name, "tax_authority": tax_authority, "tax_branch": tax_branch}
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            existing = conn.execute(
                select(t.units.c.id).where(
                    t.units.c.module == module,
                    t.units.c.taxpayer_id == taxpayer_id,
                    t.units.c.server_unit_id == server_unit_id,
                )
            ).scalar()
            if existing is None:
                inserted = conn.execute(
                    insert(t.units).values(
                        module=module,
                        taxpayer_id=taxpayer_id,
                        server_unit_id=server_unit_id,
                        db_name=db_name,
                        added_at=added_at,
                        **values,
                    )
                ).inserted_primary_key
                assert inserted is not None  # a one-row INSERT always reports its key
                existing = inserted[0]
            else:
                conn.execute(update(t.units).where(t.units.c.id == existing).values(**values))
            conn.execute(delete(t.unit_registrations).where(t.unit_registrations.c.unit_id == existing))
            if registrations:
                conn.execute(
                    insert(t.unit_registrations),
                    [
                        {
                            "unit_id": existing,
                            "unit_no": r.unit_no,
                            "agency": r.agency,
                            "tax_authority": r.tax_authority,
                        }
                        for r in registrations
                    ],
                )
            if profile is not None:
                conn.execute(delete(t.unit_profiles).where(t.unit_profiles.c.unit_id == existing))
                conn.execute(insert(t.unit_profiles).values(unit_id=existing, **asdict(profile)))
        return self.unit(existing)

    def registrations(self, unit_id: int) -> list[RegistrationRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(t.unit_registrations)
                .where(t.unit_registrations.c.unit_id == unit_id)
                .order_by(t.unit_registrations.c.unit_no)
            ).all()
        return [RegistrationRow(r.unit_no, r.agency, r.tax_authority) for r in rows]

    def unit_profile(self, unit_id: int) -> UnitProfile | None:
        """The unit's 基本信息 as last downloaded; None when it never was."""
        with self.engine.connect() as conn:
            row = conn.execute(select(t.unit_profiles).where(t.unit_profiles.c.unit_id == unit_id)).first()
        if row is None:
            return None
        values = dict(row._mapping)
        del values["unit_id"]
        return UnitProfile(**values)

    def set_remark(self, unit_id: int, remark: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.units).where(t.units.c.id == unit_id).values(remark=remark.strip()))

    def mark_login(self, unit_id: int, when: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.units).where(t.units.c.id == unit_id).values(last_login_at=when))

    def unit_db_path(self, home: DataHome, unit: LocalUnit) -> Path:
        return home.units_dir / unit.db_name

    # ---------------------------------------------------------------- settings

    def setting(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            value = conn.execute(select(t.settings.c.value).where(t.settings.c.key == key)).scalar()
        return default if value is None else json.loads(value)

    def set_setting(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        with self.engine.begin() as conn:
            conn.execute(delete(t.settings).where(t.settings.c.key == key))
            conn.execute(insert(t.settings).values(key=key, value=text))
