"""Synthetic employees and 城乡居民: valid ID numbers, realistic names, insured 险种 rows.

Everything is drawn from a ``random.Random`` the caller seeds, so the same seed gives the same people.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from sbf_client.core.ids import id_number_check_char
from sbf_client.core.money import from_fen
from sbf_client.core.periods import Period

from .catalog import EMPLOYEE_ITEMS, RegionSpec, UnitSpec
from .names import full_name

# The generated world is "as of" this date; later changes come from mutations with the live clock.
DATA_AS_OF = date(2026, 10, 31)
_FIRST_HIRE = Period(2008, 1)

# Real county-level codes (GB/T 2260), weighted towards a few big sources of migrant workers.
_AREAS = (
    "110105 120101 130102 140105 210102 220102 230103 310104 320102 320583 330106 330203 340104 "
    "350203 360102 370102 410105 420106 430102 430621 440103 440305 441900 450102 460105 500103 "
    "510104 511602 520102 530102 610113 620102 640104 650102 411302 412722 342201 362132"
).split()
_FOREIGN = (("04", "H"), ("05", "M"), ("06", "T"), ("08", "E"))


def _id_number(rng: random.Random, gender: str, born: date) -> str:
    order = rng.randrange(0, 500) * 2 + (1 if gender == "1" else 0)
    first17 = f"{rng.choice(_AREAS)}{born:%Y%m%d}{order:03d}"
    return first17 + id_number_check_char(first17)


def _birth(rng: random.Random, as_of: date, youngest: int, oldest: int) -> date:
    days = rng.randrange(youngest * 365 + 1, oldest * 365)
    return as_of - timedelta(days=days)


def _timestamp(rng: random.Random, as_of: date) -> str:
    moment = datetime.combine(as_of, datetime.min.time()) - timedelta(seconds=rng.randrange(0, 2 * 365 * 86400))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _identity(rng: random.Random, as_of: date, youngest: int, oldest: int, used: set[str]) -> dict[str, object]:
    gender = "1" if rng.random() < 0.52 else "2"
    born = _birth(rng, as_of, youngest, oldest)
    if rng.random() < 0.015:
        id_type, letter = rng.choice(_FOREIGN)
        id_number = f"{letter}{rng.randrange(10**7, 10**8)}"
    else:
        id_type = "01"
        id_number = _id_number(rng, gender, born)
        while id_number in used:
            id_number = _id_number(rng, gender, born)
    used.add(id_number)
    return {
        "name": full_name(rng, gender),
        "gender": gender,
        "id_type": id_type,
        "id_number": id_number,
        "birth_date": born.isoformat(),
    }


def base_ratio(rng: random.Random) -> float:
    """Where a wage sits against the 社平工资: many at the 60 % floor, a long tail up to the 300 % cap."""
    roll = rng.random()
    if roll < 0.22:
        return 0.6
    if roll < 0.25:
        return 3.0
    return min(3.0, max(0.6, rng.lognormvariate(0.0, 0.35)))


def _base(rng: random.Random, region: RegionSpec, ratio: float) -> Decimal:
    fen = int(region.avg_wage_fen * ratio)
    if ratio not in (0.6, 3.0):
        fen = fen // 100 * 100 + rng.randrange(0, 100)
    return from_fen(fen)


def employee_items(spec: UnitSpec, region: RegionSpec) -> list[str]:
    pension = "10218" if spec.public_sector else "10210"
    return [pension, "10211", "10212", "10213", "10214"]


def item_mode(region: RegionSpec, item: str) -> str:
    """征收模式 of a 险种: 代征 regions collect everything as 代征; 自主 regions have 工伤 assessed (代征)."""
    if region.mode == "税务代征模式" or item == "10213":
        return "2"
    return "1"


def make_employee(
    rng: random.Random,
    spec: UnitSpec,
    region: RegionSpec,
    key_no: int,
    as_of: date,
    used_ids: set[str],
    *,
    hire: Period | None = None,
) -> dict[str, object]:
    """One employee; ``hire`` fixes the 开始缴费月份 (a new hire), else a past month is drawn."""
    person = _identity(rng, as_of, 18, 60, used_ids)
    last_month = Period.of(as_of)
    adult = Period.of(date.fromisoformat(str(person["birth_date"]))).add(18 * 12)
    earliest = min(max(_FIRST_HIRE, adult), last_month)  # 18×365 days can fall a few days short of 18 years
    start = hire or earliest.add(rng.randrange(0, earliest.months_until(last_month) + 1))
    stopped = hire is None and rng.random() < 0.1
    end = str(start.add(rng.randrange(0, start.months_until(last_month) + 1))) if stopped else None
    ratio = base_ratio(rng)
    common = _base(rng, region, ratio)
    unit_no = spec.unit_nos[0][0] if len(spec.unit_nos) == 1 else rng.choice(spec.unit_nos)[0]
    special = "201" if rng.random() < 0.08 else ("103" if spec.public_sector else "101")
    # A new hire, and a few others, have no 缴费工资 declared yet: the 首页 raises an 异常提醒 for them.
    undeclared = hire is not None or (not stopped and rng.random() < 0.02)
    insured = []
    for item in employee_items(spec, region):
        base = common
        if spec.public_sector and item in ("10212", "10213"):
            base = _base(rng, region, min(3.0, max(0.6, ratio * rng.uniform(0.85, 1.15))))
        category, sub = EMPLOYEE_ITEMS[item]
        insured.append(
            {
                "item": item,
                "category": category,
                "sub": sub,
                "special": "102" if item == "10214" and special == "101" else special,
                "base": "0.00" if undeclared and item_mode(region, item) == "1" else f"{base:.2f}",
                "start": str(start),
                "end": end,
                "mode": item_mode(region, item),
            }
        )
    return {
        "person_no": f"{spec.unit_id[:1]}{key_no:011d}",
        **person,
        "unit_no": unit_no,
        "status": "2" if stopped else "1",
        "updated_at": _timestamp(rng, as_of),
        "insured": insured,
    }


def make_resident(
    rng: random.Random, spec: UnitSpec, key_no: int, as_of: date, used_ids: set[str]
) -> dict[str, object]:
    """One 城乡居民 of a collecting agent's area."""
    person = _identity(rng, as_of, 0, 85, used_ids)
    age = (as_of - date.fromisoformat(str(person["birth_date"]))).days // 365
    start = Period(rng.randrange(2012, 2026), 1)
    roll = rng.random()
    status = "1" if roll < 0.95 else ("2" if roll < 0.98 else "3")
    end = None if status == "1" else str(start.add(rng.randrange(12, 60)))
    insured = [{"item": "10217", "grade": "11", "start": str(start), "end": end}]
    if 16 <= age < 60:
        insured.insert(
            0,
            {
                "item": "10216",
                "grade": rng.choice(("01", "01", "02", "03", "04", "05")),
                "start": str(start),
                "end": end,
            },
        )
    return {
        "person_no": f"{spec.unit_id[:1]}R{key_no:010d}",
        **person,
        "village": rng.choice(spec.villages),
        "status": status,
        "updated_at": _timestamp(rng, as_of),
        "insured": insured,
    }
