"""Offline password verifiers and login failure counters in the app database, and how long the counters
make the next try wait.

A verifier is an Argon2id hash of the last 申报密码 the server accepted (or the unit was given) on this
machine, so the cached data can be opened offline with that password; it is not the password and cannot be
turned back into it.

The counters belong to units on this machine (``units.id``); every check of a 申报密码 of such a unit — a
login, offline or online, or adding it again — counts against the same row, so no path guesses faster than
another. After five wrong passwords in a row each try waits 5 s, 10 s, 20 s… up to 15 minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from sbf_client.core.clock import parse_timestamp

from . import app_schema as t

_HASHER = PasswordHasher()  # Argon2id, argon2-cffi's default parameters (RFC 9106's second choice)


def password_verifier(password: str) -> str:
    """An Argon2id verifier of ``password``: what is stored instead of it."""
    return _HASHER.hash(password)


def matches(verifier: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``verifier`` was made from (False without a verifier or for a bad one)."""
    if verifier is None:
        return False
    try:
        return _HASHER.verify(verifier, password)
    except (VerificationError, InvalidHashError):
        return False


FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 5
MAX_DELAY_SECONDS = 15 * 60


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passwords in a row: none for the first five, then 5 s, 10 s,
    20 s… up to 15 minutes."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_ATTEMPTS)))


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: str | None

    def wait_seconds(self, now: datetime) -> int:
        """How long from ``now`` until the next try may be made (0: at once)."""
        if self.last_at is None:
            return 0
        delay = delay_after(self.count)
        last = parse_timestamp(self.last_at)
        ready = last + timedelta(seconds=delay)
        # never longer than the delay itself: a failure stamped "later" than now (the clock was set back) must
        # not lock anyone out, and below five failures there is no wait at all
        return min(delay, max(0, int((ready - now).total_seconds() + 0.999)))


class SecurityStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def local_units(self, server_unit_id: str) -> list[int]:
        """The units of this machine that are this server unit (one, or none before it is added)."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(t.units.c.id).where(t.units.c.server_unit_id == server_unit_id)).scalars())

    def remember_password(self, unit_id: int, password: str, when: str) -> None:
        verifier = password_verifier(password)
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            conn.execute(delete(t.offline_verifiers).where(t.offline_verifiers.c.unit_id == unit_id))
            conn.execute(insert(t.offline_verifiers).values(unit_id=unit_id, verifier=verifier, verified_at=when))

    def has_verifier(self, unit_id: int) -> bool:
        with self.engine.connect() as conn:
            return (
                conn.execute(
                    select(t.offline_verifiers.c.unit_id).where(t.offline_verifiers.c.unit_id == unit_id)
                ).first()
                is not None
            )

    def verify_offline(self, unit_id: int, password: str) -> bool:
        with self.engine.connect() as conn:
            verifier = conn.execute(
                select(t.offline_verifiers.c.verifier).where(t.offline_verifiers.c.unit_id == unit_id)
            ).scalar()
        return matches(verifier, password)

    def failures(self, unit_id: int) -> Failures:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.login_failures).where(t.login_failures.c.unit_id == unit_id)).first()
        return Failures(row.failures, row.last_failure_at) if row else Failures(0, None)

    def record_failure(self, unit_id: int, when: str) -> int:
        """One more wrong password in a row; returns the new count."""
        return self._count(unit_id, when, lambda count: count + 1)

    def record_lock(self, unit_id: int, when: str) -> int:
        """The server refused to check a password: the unit is locked after wrong passwords in a row, here or
        on another machine. That try was no wrong password, so it adds none; but the next try waits at least
        as long as after ``FREE_ATTEMPTS`` wrong ones here. Returns the new count."""
        return self._count(unit_id, when, lambda count: max(count, FREE_ATTEMPTS))

    def _count(self, unit_id: int, when: str, counted: Callable[[int], int]) -> int:
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            row = conn.execute(select(t.login_failures).where(t.login_failures.c.unit_id == unit_id)).first()
            count = counted(0 if row is None else row.failures)
            if row is None:
                conn.execute(insert(t.login_failures).values(unit_id=unit_id, failures=count, last_failure_at=when))
            else:
                conn.execute(
                    update(t.login_failures)
                    .where(t.login_failures.c.unit_id == unit_id)
                    .values(failures=count, last_failure_at=when)
                )
            return count

    def clear_failures(self, unit_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.login_failures).where(t.login_failures.c.unit_id == unit_id))
