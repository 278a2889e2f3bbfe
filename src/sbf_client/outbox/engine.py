"""The outbox: a submission row is committed before its request leaves, with the idempotency key made
when the user confirmed; every retry reuses that key.

States: ``confirmed`` (written, not yet sent) → ``sending`` (may be on the wire) → ``done`` (the server's
answer is stored, whether it accepted or refused). A timeout or a dropped answer makes the outcome
``unknown``: it is resolved by asking the server about the key, and only a key the server never saw is
sent again — with the same key. Rows left ``sending``/``unknown`` by a crash are reconciled at the next
start. Confirming the same intent twice (a double click) gives back the first row.

The module's own record of a submission is written with the outbox row (``confirm(also=…)``) and given the
final answer in the same transaction that stores it (``Outbox(settle=…)``): a crash between the two can never
leave an answered submission whose record does not know it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Column, Connection, Engine, Integer, MetaData, Row, String, Table, Text, insert, select, update

from sbf_client.core.clock import Clock, format_timestamp
from sbf_client.remote.errors import ApiError, ConnectionDroppedError, RemoteError, RequestTimeoutError

log = logging.getLogger(__name__)

metadata = MetaData()
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String, nullable=False),
    Column("intent", String, nullable=False),
    Column("idempotency_key", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("state", String, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status_code", Integer),
    Column("response", Text),
    Column("error", Text),
    Column("created_at", String, nullable=False),
    Column("updated_at", String, nullable=False),
)

CONFIRMED, SENDING, UNKNOWN, DONE = "confirmed", "sending", "unknown", "done"
OPEN_STATES = (CONFIRMED, SENDING, UNKNOWN)
MAX_RESENDS = 3


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    intent: str
    idempotency_key: str
    payload: dict[str, Any]
    state: str
    attempts: int
    status_code: int | None
    response: dict[str, Any] | None
    error: str | None

    @property
    def accepted(self) -> bool:
        return self.state == DONE and self.status_code is not None and self.status_code < 300


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]


Send = Callable[[str, dict[str, Any]], Answer]  # (key, payload) → the server's answer
Lookup = Callable[[str], Answer | None]  # key → the answer the server stored, None if it never saw the key
Settle = Callable[[Connection, Entry], None]  # carries a final answer into the module's rows, in the same transaction


class Outbox:
    def __init__(self, engine: Engine, clock: Clock, settle: Settle | None = None) -> None:
        self.engine = engine
        self.clock = clock
        self.settle = settle

    def _now(self) -> str:
        return format_timestamp(self.clock.now())

    def confirm(
        self, kind: str, payload: dict[str, Any], intent: str, also: Callable[[Connection, Entry], None] | None = None
    ) -> Entry:
        """Write the submission the user just confirmed; ``also`` writes companion rows in the same transaction.

        ``intent`` names the user's confirmation (one per draft and click of 确定); confirming it again
        returns the row already written and writes nothing.
        """
        now = self._now()
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            existing = conn.execute(select(outbox).where(outbox.c.intent == intent)).first()
            if existing is not None:
                return entry_of(existing)
            inserted = conn.execute(
                insert(outbox).values(
                    kind=kind,
                    intent=intent,
                    idempotency_key=uuid.uuid4().hex,
                    payload=orjson.dumps(payload).decode(),
                    state=CONFIRMED,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key
            assert inserted is not None  # a single-row INSERT always reports the key it made
            entry_id: int = inserted[0]
            entry = entry_of(conn.execute(select(outbox).where(outbox.c.id == entry_id)).one())
            if also is not None:
                also(conn, entry)
        return entry

    def get(self, entry_id: int) -> Entry:
        with self.engine.connect() as conn:
            return entry_of(conn.execute(select(outbox).where(outbox.c.id == entry_id)).one())

    def open_entries(self, kind: str | None = None) -> list[Entry]:
        query = select(outbox).where(outbox.c.state.in_(OPEN_STATES)).order_by(outbox.c.id)
        if kind:
            query = query.where(outbox.c.kind == kind)
        with self.engine.connect() as conn:
            return [entry_of(row) for row in conn.execute(query)]

    def _set(self, entry: Entry, settle: Settle | None = None, **values: Any) -> Entry:
        """Change the entry's row; ``settle`` then sees the changed entry in the same transaction."""
        with self.engine.connect().execution_options(immediate=True) as conn, conn.begin():
            conn.execute(update(outbox).where(outbox.c.id == entry.id).values(updated_at=self._now(), **values))
            changed = entry_of(conn.execute(select(outbox).where(outbox.c.id == entry.id)).one())
            if settle is not None:
                settle(conn, changed)
        return changed

    def _done(self, entry: Entry, answer: Answer) -> Entry:
        """Store the final answer and, in the same transaction, let the module carry it into its own rows."""
        return self._set(
            entry,
            self.settle,
            state=DONE,
            status_code=answer.status_code,
            response=orjson.dumps(answer.body).decode(),
            error=None,
        )

    def deliver(self, entry: Entry, send: Send, lookup: Lookup) -> Entry:
        """Send an entry (or settle an unknown one) until the server's answer is known, if it can be now.

        Raises the ``RemoteError`` that stopped it when the answer cannot be known yet; the row keeps its
        state for the next attempt or for reconciliation at the next start.
        """
        for _ in range(MAX_RESENDS):
            if entry.state == DONE:
                return entry
            if entry.state in (SENDING, UNKNOWN):
                stored = lookup(entry.idempotency_key)  # RemoteError here: still unknown, try again later
                if stored is not None:
                    return self._done(entry, stored)
            entry = self._set(entry, state=SENDING, attempts=entry.attempts + 1)
            try:
                answer = send(entry.idempotency_key, entry.payload)
            except ApiError as refused:
                if refused.status < 500:  # the server's considered answer, e.g. a business refusal
                    return self._done(entry, Answer(refused.status, {"code": refused.code, "message": refused.message}))
                entry = self._set(entry, state=UNKNOWN, error=refused.message)
                continue
            except (RequestTimeoutError, ConnectionDroppedError) as lost:
                log.warning(
                    "outbox %s: answer lost (%s); asking the server about its key", entry.id, type(lost).__name__
                )
                entry = self._set(entry, state=UNKNOWN, error=lost.message)
                continue
            except RemoteError as unreachable:
                # Whether it left or not, the same key will be asked about and, if unseen, sent again.
                self._set(entry, state=UNKNOWN, error=unreachable.message)
                raise
            return self._done(entry, answer)
        raise RequestTimeoutError("提交结果暂时无法确认，系统将在下次启动或获取反馈时自动核实，请勿重复提交。")

    def reconcile(self, kind: str, send: Send, lookup: Lookup) -> list[Entry]:
        """Settle every open entry of a kind (at start-up); entries that still cannot be settled stay open."""
        settled = []
        for entry in self.open_entries(kind):
            try:
                settled.append(self.deliver(entry, send, lookup))
            except RemoteError as problem:
                log.warning("outbox %s still open: %s", entry.id, type(problem).__name__)
        return settled


def entry_of(row: Row[Any]) -> Entry:
    """The ``Entry`` of an ``outbox`` row (selected with all its columns)."""
    return Entry(
        id=row.id,
        kind=row.kind,
        intent=row.intent,
        idempotency_key=row.idempotency_key,
        payload=orjson.loads(row.payload),
        state=row.state,
        attempts=row.attempts,
        status_code=row.status_code,
        response=orjson.loads(row.response) if row.response else None,
        error=row.error,
    )
