"""Builds the sandbox's world on first start: regions, units, and every unit's people in its feed."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import datetime

import orjson
from sqlalchemy import Engine, insert, select

from sbf_client.remote.contract.paths import FEEDS

from . import db
from .catalog import LARGE_LABEL, REGION_BY_ID, REGIONS, UNITS, UnitSpec
from .feeds import first_epoch
from .passwords import hash_password
from .people import DATA_AS_OF, make_employee, make_resident

SCHEMA_VERSION = "3"  # 3: password_failures
MIN_SCALE, MAX_SCALE = 10, 1_000_000
_BATCH = 5_000

FEED_OF_BUSINESS = {"employer": FEEDS[0], "collector": FEEDS[1]}


def people_count(spec: UnitSpec, scale: int) -> int:
    return scale if spec.label == LARGE_LABEL else spec.people


def _people(spec: UnitSpec, seed: int, count: int):  # type: ignore[no-untyped-def]
    rng = random.Random(f"{seed}/{spec.unit_id}")
    used: set[str] = set()
    region = REGION_BY_ID[spec.region_id]
    for number in range(1, count + 1):
        if spec.business == "employer":
            yield number, make_employee(rng, spec, region, number, DATA_AS_OF, used)
        else:
            yield number, make_resident(rng, spec, number, DATA_AS_OF, used)


def built_info(engine: Engine) -> dict[str, str] | None:
    """The stored build parameters, or None when the database has no world yet (or one of an older
    sandbox schema, which is then dropped: the demo world is regenerated, not migrated)."""
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
    everyone = sum(people_count(spec, scale) for spec in UNITS)
    written = 0
    counted(0, everyone)
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
            feed = FEED_OF_BUSINESS[spec.business]
            count = people_count(spec, scale)
            progress(f"{spec.name}: {count}")
            batch = []
            for number, person in _people(spec, seed, count):
                batch.append(
                    {
                        "unit_id": spec.unit_id,
                        "feed": feed,
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
                    written += len(batch)
                    counted(written, everyone)
                    batch = []
            if batch:
                conn.execute(insert(db.records), batch)
                written += len(batch)
                counted(written, everyone)
            conn.execute(
                insert(db.feeds).values(
                    unit_id=spec.unit_id,
                    feed=feed,
                    epoch=first_epoch(seed, spec.unit_id, feed),
                    last_seq=count,
                    horizon_seq=0,
                    next_key=count + 1,
                    live_count=count,
                )
            )
        info = {
            "schema": SCHEMA_VERSION,
            "seed": str(seed),
            "scale": str(scale),
            "built_at": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        }
        conn.execute(insert(db.meta), [{"key": k, "value": v} for k, v in info.items()])
    return info
