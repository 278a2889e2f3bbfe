"""The sandbox's 职工: how the ``employees`` feed's people are drawn, and how they leave and change their 缴费基数.

Each function draws from the ``random.Random`` it is given, in a fixed order, so the same seed gives the same
people and the same changes.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sbf_client.core.money import from_fen, to_fen
from sbf_client.core.periods import Period
from sbf_sandbox.catalog import RegionSpec, UnitSpec
from sbf_sandbox.people import identity, timestamp

_FIRST_HIRE = Period(2008, 1)

# 征收项目 → (品目, 子目) for employees; the 机关事业 units pay 10218 instead of 10210.
EMPLOYEE_ITEMS = {
    "10210": ("102100001", "1021000011"),
    "10211": ("102110001", "1021100011"),
    "10212": ("102120001", "1021200011"),
    "10213": ("102130001", "1021300011"),
    "10214": ("102140001", "1021400011"),
    "10218": ("102180001", "1021800011"),
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
    hire: Period | None = None,
) -> dict[str, object]:
    """One employee; ``hire`` fixes the 开始缴费月份 (a new hire), else a past month is drawn."""
    person = identity(rng, as_of, 18, 60, used_ids)
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
        "updated_at": timestamp(rng, as_of),
        "insured": insured,
    }


def leave(person: dict[str, object], month: Period) -> None:
    """停保: 停止缴费 from the month before, every open 险种 ended then (never before it started)."""
    person["status"] = "2"
    for item in person["insured"]:  # type: ignore[attr-defined]
        item["end"] = item["end"] or str(max(month.add(-1), Period.parse(item["start"])))


def rebase(rng: random.Random, spec: UnitSpec, region: RegionSpec, person: dict[str, object]) -> None:
    """A new 缴费基数 on every 险种: mostly a raise, sometimes a cut, kept within the region's 60 %–300 % band."""
    for item in person["insured"]:  # type: ignore[attr-defined]
        item["base"] = _changed_base(rng, region.avg_wage_fen, item["base"])


def _changed_base(rng: random.Random, region_avg_fen: int, old: str) -> str:
    factor = rng.uniform(1.03, 1.2) if rng.random() < 0.8 else rng.uniform(0.85, 0.97)
    fen = to_fen(old) * factor
    low, high = region_avg_fen * 60 // 100, region_avg_fen * 3
    if base_ratio(rng) == 0.6:
        fen = low
    return f"{from_fen(int(min(high, max(low, fen)))):.2f}"
