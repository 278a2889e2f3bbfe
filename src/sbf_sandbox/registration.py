"""Registration and login: look up a 纳税人识别号, verify and change the 申报密码, sessions, 参保登记信息 (with
the unit's 基本信息, ``unit_profiles``).

Wrong 申报密码 are counted per unit, as a real 管理子系统 does, so that clients are tested against it: from
the ``LOCK_AFTER``-th wrong one in a row (opening a session or changing the password alike) the unit is locked
for 1 minute, and each further wrong one after a lock ends locks it twice as long, up to 30 minutes. A locked
unit refuses every try, the right password too, with 429 and 20104 naming the minutes to wait (and
``Retry-After`` the seconds); the right password outside a lock resets the count. Why ten and not five: the
client waits by itself after its fifth wrong password (5 s, then 10 s, 20 s…), so a client that keeps its own
count meets its own wait first, and the server's lock is the backstop for the tries it does not count (another
machine, a script).
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, Row, delete, func, insert, select, update

from sbf_client.core.passwords import new_password_problem
from sbf_client.remote.contract import errors as codes

from . import db
from .business import people_feed
from .errors import ApiFailure
from .passwords import hash_password, hint, initial_set, matches
from .unit_profiles import basic_info

SESSION_HOURS = 12
LOCK_AFTER = 10  # wrong 申报密码 in a row that lock a unit
FIRST_LOCK_MINUTES, MAX_LOCK_MINUTES = 1, 30
_STAMP = "%Y-%m-%d %H:%M:%S"


def lock_minutes(failures: int) -> int:
    """How long a unit is locked after its ``failures``-th wrong 申报密码 in a row (0: not locked)."""
    if failures < LOCK_AFTER:
        return 0
    return min(MAX_LOCK_MINUTES, FIRST_LOCK_MINUTES * 2 ** min(failures - LOCK_AFTER, 10))


def _summary(unit: Row) -> dict[str, object]:
    return {
        "unit_id": unit.unit_id,
        "taxpayer_id": unit.taxpayer_id,
        "name": unit.name,
        "registered_on": unit.registered_on,
        "taxpayer_status": unit.taxpayer_status,
        "kind": unit.kind,
        "business": unit.business,
    }


def _unit_nos(conn, unit_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        conn.execute(
            select(db.unit_numbers.c.unit_no)
            .where(db.unit_numbers.c.unit_id == unit_id)
            .order_by(db.unit_numbers.c.position)
        ).scalars()
    )


def _unit(conn, region_id: str, unit_id: str, *, for_update: bool = False) -> Row:  # type: ignore[no-untyped-def]
    """The unit, or 404; ``for_update`` holds its row (PostgreSQL) so that concurrent tries count one by one."""
    query = select(db.units).where(db.units.c.unit_id == unit_id, db.units.c.region_id == region_id)
    unit = conn.execute(query.with_for_update() if for_update else query).first()
    if unit is None:
        raise ApiFailure(404, codes.NOT_FOUND)
    return unit


def lookup(engine: Engine, region_id: str, taxpayer_id: str, business: str) -> list[dict[str, object]]:
    """The units registered under a 纳税人识别号 for one business, in registration order."""
    with engine.connect() as conn:
        found = conn.execute(
            select(db.units)
            .where(db.units.c.region_id == region_id, db.units.c.taxpayer_id == taxpayer_id.strip())
            .order_by(db.units.c.registered_on, db.units.c.unit_id)
        ).all()
    if not found:
        raise ApiFailure(404, codes.TAXPAYER_NOT_FOUND)
    matching = [u for u in found if u.business == business]
    if not matching:
        raise ApiFailure(404, codes.WRONG_BUSINESS)
    return [_summary(u) for u in matching]


def _password_matches(conn, unit: Row, password: str) -> bool:  # type: ignore[no-untyped-def]
    if unit.password_is_initial:
        return password in initial_set(unit.business, unit.taxpayer_id, _unit_nos(conn, unit.unit_id))
    return matches(password, unit.password_salt, unit.password_hash)


def _verify(conn: Connection, unit: Row, password: str, now: datetime) -> bool:
    """Check a 申报密码 under the lock, inside the caller's write transaction: 429 while the unit is locked;
    otherwise whether it was right, with the count of wrong ones in a row brought up to date (the caller
    commits it before it answers 20101)."""
    table = db.password_failures
    state = conn.execute(select(table).where(table.c.unit_id == unit.unit_id)).first()
    if state is not None and state.locked_until and now.strftime(_STAMP) < state.locked_until:
        until = datetime.strptime(state.locked_until, _STAMP).replace(tzinfo=now.tzinfo)
        seconds = max(1, math.ceil((until - now).total_seconds()))
        raise ApiFailure(
            429, codes.PASSWORD_LOCKED, codes.password_locked(math.ceil(seconds / 60)), {"Retry-After": str(seconds)}
        )
    if _password_matches(conn, unit, password):
        if state is not None:
            conn.execute(delete(table).where(table.c.unit_id == unit.unit_id))
        return True
    failures = (state.failures if state is not None else 0) + 1
    minutes = lock_minutes(failures)
    locked_until = (now + timedelta(minutes=minutes)).strftime(_STAMP) if minutes else None
    statement = db.upsert(conn.engine, table).values(unit_id=unit.unit_id, failures=failures, locked_until=locked_until)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.unit_id], set_={"failures": failures, "locked_until": locked_until}
        )
    )
    return False


def open_session(engine: Engine, region_id: str, unit_id: str, password: str, now: datetime) -> dict[str, object]:
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        unit = _unit(conn, region_id, unit_id, for_update=True)
        right = _verify(conn, unit, password, now)
        if right:
            token = secrets.token_urlsafe(32)
            expires = (now + timedelta(hours=SESSION_HOURS)).strftime(_STAMP)
            conn.execute(delete(db.sessions).where(db.sessions.c.expires_at < now.strftime(_STAMP)))
            conn.execute(
                insert(db.sessions).values(
                    token=token, unit_id=unit_id, expires_at=expires, initial=unit.password_is_initial
                )
            )
    if not right:  # raised after the commit: the wrong try is counted
        raise ApiFailure(401, codes.WRONG_PASSWORD)
    return {
        "token": token,
        "expires_at": expires,
        "must_change_password": bool(unit.password_is_initial),
        "unit": _summary(unit),
    }


def authorize(
    engine: Engine, region_id: str, unit_id: str, token: str | None, now: datetime, *, allow_initial: bool = False
) -> None:
    """Refuse a request without a live session of this unit; an initial-password session reads no data."""
    with engine.connect() as conn:
        _unit(conn, region_id, unit_id)
        session = conn.execute(select(db.sessions).where(db.sessions.c.token == (token or ""))).first()
    if session is None or session.unit_id != unit_id or session.expires_at < now.strftime(_STAMP):
        raise ApiFailure(401, codes.NOT_LOGGED_IN)
    if session.initial and not allow_initial:
        raise ApiFailure(403, codes.INITIAL_PASSWORD_MUST_CHANGE)


def change_password(
    engine: Engine, region_id: str, unit_id: str, token: str | None, old: str, new: str, now: datetime
) -> dict[str, object]:
    authorize(engine, region_id, unit_id, token, now, allow_initial=True)
    stamp = now.strftime(_STAMP)
    problem: str | None = None
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        unit = _unit(conn, region_id, unit_id, for_update=True)
        right = _verify(conn, unit, old, now)
        if right:
            initial = initial_set(unit.business, unit.taxpayer_id, _unit_nos(conn, unit_id))
            problem = new_password_problem(new, new, initial=initial, current=old)
        if right and not problem:
            salt, digest = hash_password(new)
            conn.execute(
                update(db.units)
                .where(db.units.c.unit_id == unit_id)
                .values(password_salt=salt, password_hash=digest, password_is_initial=False, password_changed_at=stamp)
            )
            conn.execute(update(db.sessions).where(db.sessions.c.unit_id == unit_id).values(initial=False))
    # Raised after the commit: a wrong old password is counted, a right one has reset the count.
    if not right:
        raise ApiFailure(401, codes.WRONG_PASSWORD)
    if problem:
        raise ApiFailure(422, codes.NEW_PASSWORD_REJECTED, problem)
    return {"changed_at": stamp}


def registration(engine: Engine, region_id: str, unit_id: str) -> dict[str, object]:
    with engine.connect() as conn:
        unit = _unit(conn, region_id, unit_id)
        rows = conn.execute(
            select(db.unit_numbers).where(db.unit_numbers.c.unit_id == unit_id).order_by(db.unit_numbers.c.position)
        ).all()
    return {
        "taxpayer_id": unit.taxpayer_id,
        "name": unit.name,
        "tax_authority": unit.tax_authority,
        "tax_branch": unit.tax_branch,
        "registrations": [{"unit_no": r.unit_no, "agency": r.agency, "tax_authority": r.tax_authority} for r in rows],
        "basic": basic_info(unit_id),
    }


def demo_accounts(engine: Engine, region_id: str | None = None) -> list[dict[str, object]]:
    """The demo taxpayers with what a new user needs to add them."""
    with engine.connect() as conn:
        query = select(db.units, db.regions.c.name.label("region_name")).join(db.regions)
        if region_id:
            query = query.where(db.units.c.region_id == region_id)
        units = conn.execute(query.order_by(db.units.c.region_id, db.units.c.unit_id)).all()
        counts = {
            (unit_id, feed): count
            for unit_id, feed, count in conn.execute(
                select(db.records.c.unit_id, db.records.c.feed, func.count())
                .where(db.records.c.deleted.is_(False))
                .group_by(db.records.c.unit_id, db.records.c.feed)
            )
        }
        accounts = []
        for unit in units:
            unit_nos = _unit_nos(conn, unit.unit_id)
            accounts.append(
                {
                    "region_id": unit.region_id,
                    "region_name": unit.region_name,
                    "taxpayer_id": unit.taxpayer_id,
                    "name": unit.name,
                    "business": unit.business,
                    "unit_id": unit.unit_id,
                    "unit_nos": unit_nos,
                    "people": counts.get((unit.unit_id, people_feed(unit.business)), 0),
                    "password_hint": hint(unit.business, unit.taxpayer_id, unit_nos, bool(unit.password_is_initial)),
                }
            )
    return accounts
