"""The sandbox's 城乡居民: how the ``residents`` feed's people are drawn, and how they leave and change their 档次.

Each function draws from the ``random.Random`` it is given, in a fixed order, so the same seed gives the same
people and the same changes.
"""

from __future__ import annotations

import random
from datetime import date

from sbf_client.core.periods import Period
from sbf_sandbox.catalog import RegionSpec, UnitSpec
from sbf_sandbox.people import identity, timestamp

# 征收项目 → (品目, 子目) of a 城乡居民's 险种.
RESIDENT_ITEMS = {"10216": ("102160001", "1021600011"), "10217": ("102170001", "1021700011")}


def make_resident(
    rng: random.Random,
    spec: UnitSpec,
    region: RegionSpec,
    key_no: int,
    as_of: date,
    used_ids: set[str],
    hire: Period | None = None,
) -> dict[str, object]:
    """One 城乡居民 of a collecting agent's area (``region`` and ``hire`` mean nothing to a resident)."""
    person = identity(rng, as_of, 0, 85, used_ids)
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
        "updated_at": timestamp(rng, as_of),
        "insured": insured,
    }


def leave(person: dict[str, object], month: Period) -> None:
    """终止参保 from this month, every open 险种 ended then (never before it started)."""
    person["status"] = "3"
    for item in person["insured"]:  # type: ignore[attr-defined]
        item["end"] = item["end"] or str(max(month, Period.parse(item["start"])))


def rebase(rng: random.Random, spec: UnitSpec, region: RegionSpec, person: dict[str, object]) -> None:
    """A new 缴费档次 for the 养老 险种, and a move to another 村（社区） of the agent's area."""
    for item in person["insured"]:  # type: ignore[attr-defined]
        if item["item"] == "10216":
            item["grade"] = rng.choice(["01", "02", "03", "04", "05"])
    person["village"] = rng.choice(spec.villages)
