"""Make a unit's data move like real life: hires, leaves (停保), removals (转出) and 缴费基数 changes."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from sbf_client.core.money import from_fen, to_fen
from sbf_client.core.periods import Period
from sbf_client.remote.contract import errors as codes

from . import db, feeds
from .catalog import REGION_BY_ID, UNIT_BY_ID
from .errors import ApiFailure
from .people import base_ratio, make_employee, make_resident

TOMBSTONE_DAYS = 30
_STAMP = "%Y-%m-%d %H:%M:%S"


def _live_keys(conn, unit_id: str, feed: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        conn.execute(
            select(db.records.c.key)
            .where(db.records.c.unit_id == unit_id, db.records.c.feed == feed, db.records.c.deleted.is_(False))
            .order_by(db.records.c.seq)
        ).scalars()
    )


def _used_ids(conn, unit_id: str, feed: str, candidates: list[str]) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        conn.execute(
            select(db.records.c.ident).where(
                db.records.c.unit_id == unit_id, db.records.c.feed == feed, db.records.c.ident.in_(candidates)
            )
        ).scalars()
    )


def _pick_active(
    conn,
    rng: random.Random,
    unit_id: str,
    feed: str,
    keys: list[str],
    count: int,  # type: ignore[no-untyped-def]
    taken: set[str],
) -> list[str]:
    """People who are still paying (参保状态 1): only they can leave."""
    if count == 0:
        return []
    order = [k for k in keys if k not in taken]
    rng.shuffle(order)
    chosen: list[str] = []
    for start in range(0, len(order), 500):
        batch = feeds.load(conn, unit_id, feed, order[start : start + 500])
        chosen.extend(k for k in order[start : start + 500] if batch.get(k, {}).get("status") == "1")
        if len(chosen) >= count:
            break
    if len(chosen) < count:
        raise ApiFailure(422, codes.BAD_REQUEST, f"正常缴费人数不足：需要{count}人，可用{len(chosen)}人")
    taken.update(chosen[:count])
    return chosen[:count]


def _pick(rng: random.Random, keys: list[str], count: int, taken: set[str]) -> list[str]:
    pool = [k for k in keys if k not in taken]
    if count > len(pool):
        raise ApiFailure(422, codes.BAD_REQUEST, f"在册人数不足：需要{count}人，可用{len(pool)}人")
    chosen = rng.sample(pool, count)
    taken.update(chosen)
    return chosen


def _changed_base(rng: random.Random, region_avg_fen: int, old: str) -> str:
    factor = rng.uniform(1.03, 1.2) if rng.random() < 0.8 else rng.uniform(0.85, 0.97)
    fen = to_fen(old) * factor
    low, high = region_avg_fen * 60 // 100, region_avg_fen * 3
    if base_ratio(rng) == 0.6:
        fen = low
    return f"{from_fen(int(min(high, max(low, fen)))):.2f}"


def mutate(
    engine: Engine,
    seed: int,
    unit_id: str,
    feed: str,
    now: datetime,
    *,
    hires: int = 0,
    leaves: int = 0,
    removals: int = 0,
    base_changes: int = 0,
) -> dict[str, object]:
    spec = UNIT_BY_ID.get(unit_id)
    if spec is None:
        raise ApiFailure(404, codes.NOT_FOUND)
    if min(hires, leaves, removals, base_changes) < 0:
        raise ApiFailure(422, codes.BAD_REQUEST, "入职、停保、转出和缴费基数调整的人数不能为负数。")
    region = REGION_BY_ID[spec.region_id]
    stamp = now.strftime(_STAMP)
    month = Period.of(now.date())
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        state = conn.execute(select(db.feeds).where(db.feeds.c.unit_id == unit_id, db.feeds.c.feed == feed)).first()
        if state is None:
            raise ApiFailure(404, codes.NOT_FOUND)
        rng = random.Random(f"{seed}/{unit_id}/{feed}/mutate/{state.last_seq}")
        keys = _live_keys(conn, unit_id, feed)
        # Each person takes at most one of these changes; checked before anything is picked or written.
        wanted = leaves + removals + base_changes
        if wanted > len(keys):
            raise ApiFailure(
                422,
                codes.BAD_REQUEST,
                f"{spec.name}在册{len(keys)}人，停保、转出和缴费基数调整合计{wanted}人，超过在册人数。"
                f"请将三者之和减到{len(keys)}人以内。",
            )
        taken: set[str] = set()
        leaving = _pick_active(conn, rng, unit_id, feed, keys, leaves, taken)
        removed = _pick(rng, keys, removals, taken)
        rebased = _pick(rng, keys, base_changes, taken)
        current = feeds.load(conn, unit_id, feed, leaving + rebased)
        changes: list[feeds.Change] = []
        for key in leaving:
            data = current[key]
            if feed == "employees":
                data["status"] = "2"
                for item in data["insured"]:  # type: ignore[union-attr]
                    item["end"] = item["end"] or str(max(month.add(-1), Period.parse(item["start"])))
            else:
                data["status"] = "3"
                for item in data["insured"]:  # type: ignore[union-attr]
                    item["end"] = item["end"] or str(max(month, Period.parse(item["start"])))
            data["updated_at"] = stamp
            changes.append(feeds.Change(key, data))
        for key in rebased:
            data = current[key]
            if feed == "employees":
                for item in data["insured"]:  # type: ignore[union-attr]
                    item["base"] = _changed_base(rng, region.avg_wage_fen, item["base"])
            else:
                for item in data["insured"]:  # type: ignore[union-attr]
                    if item["item"] == "10216":
                        item["grade"] = rng.choice(["01", "02", "03", "04", "05"])
                data["village"] = rng.choice(spec.villages)
            data["updated_at"] = stamp
            changes.append(feeds.Change(key, data))
        changes.extend(feeds.Change(key, None) for key in removed)
        added = []
        used: set[str] = set()

        def newcomer(number: int) -> dict[str, object]:
            if feed == "employees":
                return make_employee(rng, spec, region, number, now.date(), used, hire=month)
            return make_resident(rng, spec, number, now.date(), used)

        for number in feeds.allocate_keys(conn, unit_id, feed, hires):
            person = newcomer(number)
            while _used_ids(conn, unit_id, feed, [str(person["id_number"])]):
                person = newcomer(number)
            person["updated_at"] = stamp
            key = f"{unit_id}-{number:07d}"
            added.append(key)
            changes.append(feeds.Change(key, person))
        last_seq = feeds.write(conn, unit_id, feed, changes, stamp)
    feeds.compact(engine, unit_id, feed, older_than=(now - timedelta(days=TOMBSTONE_DAYS)).strftime(_STAMP))
    return {"added": added, "changed": leaving + rebased, "deleted": removed, "last_seq": last_seq}
