"""Offline password verifiers and login failure counters in the app database.

A verifier is an Argon2id hash of the last 申报密码 the server accepted for a unit on this machine, so the
cached data can be opened offline with the same password; it is not the password and cannot be turned
back into it.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update

from . import app_schema as t

_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: str | None


class SecurityStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def remember_password(self, unit_id: int, password: str, when: str) -> None:
        verifier = _HASHER.hash(password)
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
        if verifier is None:
            return False
        try:
            return _HASHER.verify(verifier, password)
        except (VerificationError, InvalidHashError):
            return False

    def failures(self, unit_id: int) -> Failures:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.login_failures).where(t.login_failures.c.unit_id == unit_id)).first()
        return Failures(row.failures, row.last_failure_at) if row else Failures(0, None)

    def record_failure(self, unit_id: int, when: str) -> int:
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            row = conn.execute(select(t.login_failures).where(t.login_failures.c.unit_id == unit_id)).first()
            if row is None:
                conn.execute(insert(t.login_failures).values(unit_id=unit_id, failures=1, last_failure_at=when))
                return 1
            conn.execute(
                update(t.login_failures)
                .where(t.login_failures.c.unit_id == unit_id)
                .values(failures=row.failures + 1, last_failure_at=when)
            )
            return row.failures + 1

    def clear_failures(self, unit_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.login_failures).where(t.login_failures.c.unit_id == unit_id))
