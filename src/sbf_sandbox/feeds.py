"""Change feeds: every change of a unit's records gets the next ``seq``; deletions leave tombstones.

A feed is (unit, name). ``epoch`` names one numbering of it: a restore or re-key starts a new epoch,
and a client holding a checkpoint from another epoch gets 409. Tombstones are kept down to the
feed's ``horizon_seq``; a checkpoint below it gets 410, because deletions it has not seen are gone.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import orjson
from sqlalchemy import Connection, Engine, bindparam, func, select, text, update

from sbf_client.remote.contract import errors as codes

from .db import feeds, records, upsert
from .errors import ApiFailure


@dataclass(frozen=True)
class Change:
    """A record's new state; ``data`` None deletes it."""

    key: str
    data: dict[str, object] | None


def first_epoch(seed: int, unit_id: str, feed: str) -> str:
    return hashlib.sha1(f"{seed}:{unit_id}:{feed}".encode()).hexdigest()[:16]


_PAGE = text(
    "SELECT seq, key, deleted, data FROM records WHERE unit_id = :u AND feed = :f AND seq > :s ORDER BY seq LIMIT :n"
)


def _feed_row(conn: Connection, unit_id: str, feed: str):  # type: ignore[no-untyped-def]
    row = conn.execute(select(feeds).where(feeds.c.unit_id == unit_id, feeds.c.feed == feed)).first()
    if row is None:
        raise ApiFailure(404, codes.NOT_FOUND)
    return row


def info(engine: Engine, unit_id: str, feed: str) -> dict[str, object]:
    with engine.connect() as conn:
        row = _feed_row(conn, unit_id, feed)
    return {"epoch": row.epoch, "count": row.live_count, "last_seq": row.last_seq, "horizon_seq": row.horizon_seq}


def page(
    engine: Engine, unit_id: str, feed: str, since: int, limit: int, epoch: str | None, full: bool = False
) -> bytes:
    """One page of the feed as JSON bytes, built from the stored record texts without re-encoding.

    ``full`` marks a read that started at 0 and will treat whatever it does not see as deleted; it does
    not need the purged tombstones, so the horizon does not stop it.
    """
    with engine.connect() as conn:
        row = _feed_row(conn, unit_id, feed)
        if since > 0 and (epoch != row.epoch or since > row.last_seq):
            raise ApiFailure(409, codes.EPOCH_CHANGED)
        if since > 0 and since < row.horizon_seq and not full:
            raise ApiFailure(410, codes.HORIZON_PASSED)
        result = conn.execute(_PAGE, {"u": unit_id, "f": feed, "s": since, "n": limit + 1}).all()
    more = len(result) > limit
    rows = result[:limit]
    last_seq = rows[-1][0] if more else row.last_seq
    parts = [b'{"epoch":"', row.epoch.encode(), b'","records":[']
    for index, (seq, key, deleted, data) in enumerate(rows):
        if index:
            parts.append(b",")
        if deleted:
            parts.append(b'{"seq":%d,"key":"%s","deleted":true,"data":null}' % (seq, key.encode()))
        else:
            parts.append(b'{"seq":%d,"key":"%s","deleted":false,"data":%s}' % (seq, key.encode(), data.encode()))
    parts.append(b'],"last_seq":%d,"more":%s}' % (last_seq, b"true" if more else b"false"))
    return b"".join(parts)


def allocate_keys(conn: Connection, unit_id: str, feed: str, count: int) -> list[int]:
    """Reserve ``count`` new key numbers for records about to be added."""
    first = (
        conn.execute(
            update(feeds)
            .where(feeds.c.unit_id == unit_id, feeds.c.feed == feed)
            .values(next_key=feeds.c.next_key + count)
            .returning(feeds.c.next_key)
        ).scalar_one()
        - count
    )
    return list(range(first, first + count))


def write(conn: Connection, unit_id: str, feed: str, changes: Sequence[Change], changed_at: str) -> int:
    """Apply changes inside the caller's write transaction; returns the feed's new ``last_seq``.

    The feed row is updated first, so concurrent writers of one feed queue behind each other and
    seqs become visible in order.
    """
    if not changes:
        return _feed_row(conn, unit_id, feed).last_seq
    last = conn.execute(
        update(feeds)
        .where(feeds.c.unit_id == unit_id, feeds.c.feed == feed)
        .values(last_seq=feeds.c.last_seq + len(changes))
        .returning(feeds.c.last_seq)
    ).scalar_one()
    first = last - len(changes) + 1
    alive = {change.key: change.data is not None for change in changes}  # the last change of a key wins
    was_alive = _live_among(conn, unit_id, feed, list(alive))
    delta = sum(1 for k, a in alive.items() if a and k not in was_alive) - sum(
        1 for k, a in alive.items() if not a and k in was_alive
    )
    rows = [
        {
            "unit_id": unit_id,
            "feed": feed,
            "key": change.key,
            "seq": first + offset,
            "deleted": change.data is None,
            "data": None if change.data is None else orjson.dumps(change.data).decode(),
            "changed_at": changed_at,
            "ident": None if change.data is None else change.data.get("id_number"),
        }
        for offset, change in enumerate(changes)
    ]
    # New seqs are above every stored one, so moving a record to its new seq cannot collide.
    statement = upsert(conn.engine, records)
    statement = statement.on_conflict_do_update(
        index_elements=[records.c.unit_id, records.c.feed, records.c.key],
        set_={
            "seq": statement.excluded.seq,
            "deleted": statement.excluded.deleted,
            "data": statement.excluded.data,
            "changed_at": statement.excluded.changed_at,
            "ident": statement.excluded.ident,
        },
    )
    conn.execute(statement, rows)
    if delta:
        conn.execute(
            update(feeds)
            .where(feeds.c.unit_id == unit_id, feeds.c.feed == feed)
            .values(live_count=feeds.c.live_count + delta)
        )
    return last


def _live_among(conn: Connection, unit_id: str, feed: str, keys: list[str]) -> set[str]:
    live: set[str] = set()
    for start in range(0, len(keys), 500):
        live.update(
            conn.execute(
                select(records.c.key).where(
                    records.c.unit_id == unit_id,
                    records.c.feed == feed,
                    records.c.key.in_(keys[start : start + 500]),
                    records.c.deleted.is_(False),
                )
            ).scalars()
        )
    return live


def load(conn: Connection, unit_id: str, feed: str, keys: Iterable[str]) -> dict[str, dict[str, object]]:
    """Current data of live records by key."""
    found: dict[str, dict[str, object]] = {}
    keys = list(keys)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for key, data in conn.execute(
            select(records.c.key, records.c.data).where(
                records.c.unit_id == unit_id,
                records.c.feed == feed,
                records.c.key.in_(chunk),
                records.c.deleted.is_(False),
            )
        ):
            found[key] = orjson.loads(data)
    return found


def rekey(engine: Engine, unit_id: str, feed: str) -> dict[str, object]:
    """A restore or re-key: a new epoch, live records renumbered 1..N, every tombstone dropped."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        _feed_row(conn, unit_id, feed)
        conn.execute(
            records.delete().where(records.c.unit_id == unit_id, records.c.feed == feed, records.c.deleted.is_(True))
        )
        keys = (
            conn.execute(
                select(records.c.key)
                .where(records.c.unit_id == unit_id, records.c.feed == feed)
                .order_by(records.c.seq)
            )
            .scalars()
            .all()
        )
        offset = len(keys) + 1_000_000_000  # clear of every current seq while renumbering
        conn.execute(
            update(records)
            .where(records.c.unit_id == unit_id, records.c.feed == feed)
            .values(seq=records.c.seq + offset)
        )
        if keys:
            conn.execute(
                update(records)
                .where(records.c.unit_id == unit_id, records.c.feed == feed, records.c.key == bindparam("k"))
                .values(seq=bindparam("n")),
                [{"k": key, "n": number} for number, key in enumerate(keys, start=1)],
            )
        epoch = secrets.token_hex(8)
        conn.execute(
            update(feeds)
            .where(feeds.c.unit_id == unit_id, feeds.c.feed == feed)
            .values(epoch=epoch, last_seq=len(keys), horizon_seq=0)
        )
    return {"epoch": epoch, "last_seq": len(keys)}


def compact(
    engine: Engine, unit_id: str, feed: str, up_to_seq: int | None = None, older_than: str | None = None
) -> dict[str, object]:
    """Purge tombstones at or below ``up_to_seq`` (all when None) or changed before ``older_than``."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        row = _feed_row(conn, unit_id, feed)
        conditions = [records.c.unit_id == unit_id, records.c.feed == feed, records.c.deleted.is_(True)]
        if up_to_seq is not None:
            conditions.append(records.c.seq <= up_to_seq)
        if older_than is not None:
            conditions.append(records.c.changed_at < older_than)
        purged_max = conn.execute(select(func.max(records.c.seq)).where(*conditions)).scalar()
        horizon = row.horizon_seq
        if purged_max is not None:
            conn.execute(records.delete().where(*conditions, records.c.seq <= purged_max))
            horizon = max(horizon, purged_max)
            conn.execute(
                update(feeds).where(feeds.c.unit_id == unit_id, feeds.c.feed == feed).values(horizon_seq=horizon)
            )
    return {"horizon_seq": horizon}
