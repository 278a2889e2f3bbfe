"""Builds the sandbox's world on first start: regions, units, and every unit's people in each feed its business
declares (``business.FeedKind``)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Engine, insert, select

from . import db
from .business import FeedKind, businesses, feeds_of
from .catalog import LARGE_LABEL, REGION_BY_ID, REGIONS, UNITS, UnitSpec
from .feeds import first_epoch
from .passwords import hash_password
from .people import DATA_AS_OF

SCHEMA_VERSION = "3"  # 3: password_failures
MIN_SCALE, MAX_SCALE = 10, 1_000_000
_BATCH = 5_000


def people_count(spec: UnitSpec, scale: int) -> int:
    return scale if spec.label == LARGE_LABEL else spec.people


def record_count(spec: UnitSpec, kind: FeedKind, scale: int) -> int:
    """How many records the generated world gives the unit in this feed."""
    return kind.count(spec, scale) if kind.count else people_count(spec, scale)


def _people(spec: UnitSpec, kind: FeedKind, first: bool, seed: int, count: int):  # type: ignore[no-untyped-def]
    # A business's first feed draws from the unit's own seed, as when each business had one feed: the same seed
    # still gives the same world.
    rng = random.Random(f"{seed}/{spec.unit_id}" if first else f"{seed}/{spec.unit_id}/{kind.name}")
    used: set[str] = set()
    region = REGION_BY_ID[spec.region_id]
    for number in range(1, count + 1):
        yield number, kind.make(rng, spec, region, number, DATA_AS_OF, used, None)


def built_info(engine: Engine) -> dict[str, str] | None:
    """The stored build parameters, or None when the database has no world yet (or one of an older
    sandbox schema, which is then dropped: the demo world is regenerated, not migrated)."""
    businesses()  # imports every business's part of the sandbox, and with it its tables into db.metadata
    db.metadata.create_all(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(select(db.meta.c.key, db.meta.c.value)).all())
    if rows.get("schema") and rows["schema"] != SCHEMA_VERSION:
        db.metadata.drop_all(engine)
        db.metadata.create_all(engine)
        return None
    return rows if rows.get("schema") else None


def build_world(
    engine: Engine,
    seed: int,
    scale: int,
    progress: Callable[[str], None] = lambda _m: None,
    counted: Callable[[int, int], None] = lambda _done, _total: None,
) -> dict[str, str]:
    """Generate and store the world once; a database that has one is left as it is. ``progress`` hears each
    unit's name as it starts, ``counted`` the people written so far out of all (every few thousand)."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"--scale must be between {MIN_SCALE} and {MAX_SCALE}")
    existing = built_info(engine)
    if existing:
        return existing
    stamp = DATA_AS_OF.strftime("%Y-%m-%d") + " 00:00:00"
    tally = _Tally(sum(record_count(spec, kind, scale) for spec in UNITS for kind in feeds_of(spec.business)), counted)
    counted(0, tally.everyone)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        conn.execute(
            insert(db.regions),
            [
                {
                    "region_id": r.region_id,
                    "name": r.name,
                    "mode": r.mode,
                    "avg_wage_fen": r.avg_wage_fen,
                    "band_low_pct": 60,
                    "band_high_pct": 300,
                }
                for r in REGIONS
            ],
        )
        for spec in UNITS:
            region = REGION_BY_ID[spec.region_id]
            salt, digest = hash_password(hashlib.sha1(f"{seed}{spec.unit_id}".encode()).hexdigest())
            conn.execute(
                insert(db.units).values(
                    unit_id=spec.unit_id,
                    region_id=spec.region_id,
                    taxpayer_id=spec.taxpayer_id,
                    business=spec.business,
                    name=spec.name,
                    registered_on=spec.registered_on,
                    taxpayer_status="正常",
                    kind=spec.kind,
                    tax_authority=region.tax_authority,
                    tax_branch=region.tax_branch,
                    password_salt=salt,
                    password_hash=digest,
                    password_is_initial=True,
                    password_changed_at=None,
                    label=spec.label,
                )
            )
            conn.execute(
                insert(db.unit_numbers),
                [
                    {
                        "unit_id": spec.unit_id,
                        "unit_no": no,
                        "agency": agency,
                        "tax_authority": region.tax_authority,
                        "position": position,
                    }
                    for position, (no, agency) in enumerate(spec.unit_nos)
                ],
            )
            for position, kind in enumerate(feeds_of(spec.business)):
                count = record_count(spec, kind, scale)
                progress(f"{spec.name}: {count}" if position == 0 else f"{spec.name}（{kind.name}）: {count}")
                _write_feed(conn, spec, kind, position == 0, seed, count, stamp, tally)
        info = {
            "schema": SCHEMA_VERSION,
            "seed": str(seed),
            "scale": str(scale),
            "built_at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        }
        conn.execute(insert(db.meta), [{"key": k, "value": v} for k, v in info.items()])
    return info


@dataclass
class _Tally:
    """People written so far out of all, told to ``counted`` after every batch."""

    everyone: int
    counted: Callable[[int, int], None]
    written: int = 0

    def add(self, count: int) -> None:
        self.written += count
        self.counted(self.written, self.everyone)


def _write_feed(  # type: ignore[no-untyped-def]
    conn, spec: UnitSpec, kind: FeedKind, first: bool, seed: int, count: int, stamp: str, tally: _Tally
) -> None:
    """One unit's records of one feed, and the feed's row."""
    batch = []
    for number, person in _people(spec, kind, first, seed, count):
        batch.append(
            {
                "unit_id": spec.unit_id,
                "feed": kind.name,
                "key": f"{spec.unit_id}-{number:07d}",
                "seq": number,
                "deleted": False,
                "data": orjson.dumps(person).decode(),
                "changed_at": stamp,
                "ident": person["id_number"],
            }
        )
        if len(batch) >= _BATCH:
            conn.execute(insert(db.records), batch)
            tally.add(len(batch))
            batch = []
    if batch:
        conn.execute(insert(db.records), batch)
        tally.add(len(batch))
    conn.execute(
        insert(db.feeds).values(
            unit_id=spec.unit_id,
            feed=kind.name,
            epoch=first_epoch(seed, spec.unit_id, kind.name),
            last_seq=count,
            horizon_seq=0,
            next_key=count + 1,
            live_count=count,
        )
    )
