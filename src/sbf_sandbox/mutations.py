"""Make a unit's data move like real life: hires, leaves (停保), removals (转出) and 缴费基数 changes.

Which records may change, and how many, is decided here for every feed; what a change does to a person is the
feed's business (``business.FeedKind``: ``make``, ``leave``, ``rebase``, ``active``).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from sbf_client.core.periods import Period
from sbf_client.remote.contract import errors as codes

from . import db, feeds
from .business import FeedKind, feed_kind
from .catalog import REGION_BY_ID, UNIT_BY_ID
from .errors import ApiFailure

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
    conn,  # type: ignore[no-untyped-def]
    rng: random.Random,
    unit_id: str,
    kind: FeedKind,
    keys: list[str],
    count: int,
    taken: set[str],
) -> list[str]:
    """People who are still paying (the feed's ``active``, e.g. 参保状态 1): only they can leave."""
    feed = kind.name
    if count == 0:
        return []
    order = [k for k in keys if k not in taken]
    rng.shuffle(order)
    chosen: list[str] = []
    for start in range(0, len(order), 500):
        batch = feeds.load(conn, unit_id, feed, order[start : start + 500])
        chosen.extend(k for k in order[start : start + 500] if k in batch and kind.active(batch[k]))
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
        kind = feed_kind(spec.business, feed)
        if state is None or kind is None:
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
        leaving = _pick_active(conn, rng, unit_id, kind, keys, leaves, taken)
        removed = _pick(rng, keys, removals, taken)
        rebased = _pick(rng, keys, base_changes, taken)
        current = feeds.load(conn, unit_id, feed, leaving + rebased)
        changes: list[feeds.Change] = []
        for key in leaving:
            data = current[key]
            kind.leave(data, month)
            data["updated_at"] = stamp
            changes.append(feeds.Change(key, data))
        for key in rebased:
            data = current[key]
            kind.rebase(rng, spec, region, data)
            data["updated_at"] = stamp
            changes.append(feeds.Change(key, data))
        changes.extend(feeds.Change(key, None) for key in removed)
        added = []
        used: set[str] = set()

        def newcomer(number: int) -> dict[str, object]:
            return kind.make(rng, spec, region, number, now.date(), used, month)

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
