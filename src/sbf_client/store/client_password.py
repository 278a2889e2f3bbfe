"""The client 登录密码 (manual 4.3) in the app database: its Argon2id verifier and the wrong passwords typed in
a row.

The verifier is an Argon2id hash: it checks a password typed later and cannot be turned back into the
password, which is never stored. The failure counter is kept beside it, so that the growing wait after five
wrong passwords (``security.delay_after``, the rule the unit login uses) survives a restart of the client.
Removing the 登录密码 removes its row, counter and all.
"""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select, update

from . import app_schema as t
from .security import Failures, matches, password_verifier

_ROW = 1  # the only row: one 登录密码 per installation


class ClientPasswordStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def is_set(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(t.client_password.c.id)).first() is not None

    def set_password(self, password: str, when: str) -> None:
        """Keep the verifier of ``password`` as the 登录密码, replacing any earlier one; the count of wrong
        passwords starts again."""
        verifier = password_verifier(password)
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            conn.execute(delete(t.client_password))
            conn.execute(insert(t.client_password).values(id=_ROW, verifier=verifier, set_at=when, failures=0))

    def remove(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.client_password))

    def verifies(self, password: str) -> bool:
        """Whether ``password`` is the 登录密码 (False when none is set)."""
        with self.engine.connect() as conn:
            verifier = conn.execute(select(t.client_password.c.verifier)).scalar()
        return matches(verifier, password)

    def failures(self) -> Failures:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.client_password.c.failures, t.client_password.c.last_failure_at)).first()
        return Failures(row.failures, row.last_failure_at) if row else Failures(0, None)

    def record_failure(self, when: str) -> int:
        """One more wrong 登录密码 in a row; returns the new count (0 when no 登录密码 is set)."""
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            count = conn.execute(select(t.client_password.c.failures)).scalar()
            if count is None:
                return 0
            conn.execute(
                update(t.client_password)
                .where(t.client_password.c.id == _ROW)
                .values(failures=count + 1, last_failure_at=when)
            )
            return int(count) + 1

    def clear_failures(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.client_password).values(failures=0, last_failure_at=None))
