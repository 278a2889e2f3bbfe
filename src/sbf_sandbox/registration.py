"""Registration and login: look up a 纳税人识别号, verify and change the 申报密码, sessions, 参保登记信息."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Engine, Row, delete, func, insert, select, update

from sbf_client.core.passwords import new_password_problem
from sbf_client.remote.contract import errors as codes

from . import db
from .errors import ApiFailure
from .passwords import hash_password, hint, initial_set, matches

SESSION_HOURS = 12
_STAMP = "%Y-%m-%d %H:%M:%S"


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


def _unit(conn, region_id: str, unit_id: str) -> Row:  # type: ignore[no-untyped-def]
    unit = conn.execute(
        select(db.units).where(db.units.c.unit_id == unit_id, db.units.c.region_id == region_id)
    ).first()
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


def _check_password(conn, unit: Row, password: str) -> None:  # type: ignore[no-untyped-def]
    if unit.password_is_initial:
        ok = password in initial_set(unit.business, unit.taxpayer_id, _unit_nos(conn, unit.unit_id))
    else:
        ok = matches(password, unit.password_salt, unit.password_hash)
    if not ok:
        raise ApiFailure(401, codes.WRONG_PASSWORD)


def open_session(engine: Engine, region_id: str, unit_id: str, password: str, now: datetime) -> dict[str, object]:
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        unit = _unit(conn, region_id, unit_id)
        _check_password(conn, unit, password)
        token = secrets.token_urlsafe(32)
        expires = (now + timedelta(hours=SESSION_HOURS)).strftime(_STAMP)
        conn.execute(delete(db.sessions).where(db.sessions.c.expires_at < now.strftime(_STAMP)))
        conn.execute(
            insert(db.sessions).values(
                token=token, unit_id=unit_id, expires_at=expires, initial=unit.password_is_initial
            )
        )
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
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        unit = _unit(conn, region_id, unit_id)
        _check_password(conn, unit, old)
        initial = initial_set(unit.business, unit.taxpayer_id, _unit_nos(conn, unit_id))
        problem = new_password_problem(new, new, initial=initial, current=old)
        if problem:
            raise ApiFailure(422, codes.NEW_PASSWORD_REJECTED, problem)
        salt, digest = hash_password(new)
        stamp = now.strftime(_STAMP)
        conn.execute(
            update(db.units)
            .where(db.units.c.unit_id == unit_id)
            .values(password_salt=salt, password_hash=digest, password_is_initial=False, password_changed_at=stamp)
        )
        conn.execute(update(db.sessions).where(db.sessions.c.unit_id == unit_id).values(initial=False))
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
    }


def demo_accounts(engine: Engine, region_id: str | None = None) -> list[dict[str, object]]:
    """The demo taxpayers with what a new user needs to add them."""
    with engine.connect() as conn:
        query = select(db.units, db.regions.c.name.label("region_name")).join(db.regions)
        if region_id:
            query = query.where(db.units.c.region_id == region_id)
        units = conn.execute(query.order_by(db.units.c.region_id, db.units.c.unit_id)).all()
        counts = dict(
            conn.execute(
                select(db.records.c.unit_id, func.count())
                .where(db.records.c.deleted.is_(False))
                .group_by(db.records.c.unit_id)
            ).all()
        )
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
                    "people": counts.get(unit.unit_id, 0),
                    "password_hint": hint(unit.business, unit.taxpayer_id, unit_nos, bool(unit.password_is_initial)),
                }
            )
    return accounts
