"""Idempotent submissions: the first answer to an Idempotency-Key is stored and given again.

A repeat with the same key and the same body gets the stored answer (the work is not done twice); the
same key with another body is refused. The key's record is written in the same transaction as the
work, so a submission is either done and remembered, or neither.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import SUBMISSION_KEY_PATTERN

from . import db
from .edge import PATTERN_WORDS
from .errors import ApiFailure

Work = Callable[[Connection], tuple[int, dict[str, Any]]]
_KEY = re.compile(SUBMISSION_KEY_PATTERN)


def request_hash(body: Any) -> str:
    """Hash of the request as JSON data, so key order and spacing do not matter."""
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def submit(
    engine: Engine, unit_id: str, kind: str, key: str | None, body: Any, received_at: str, work: Work
) -> tuple[int, dict[str, Any]]:
    """Run ``work`` once per key; returns the (status code, response body) to send."""
    if not key:
        raise ApiFailure(400, codes.IDEMPOTENCY_KEY_MISSING)
    if not _KEY.fullmatch(key):
        message = f"业务流水号（Idempotency-Key）{PATTERN_WORDS[SUBMISSION_KEY_PATTERN]}，已拒绝。"
        raise ApiFailure(400, codes.IDEMPOTENCY_KEY_MISSING, message)
    digest = request_hash(body)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        seen = conn.execute(select(db.idempotency).where(db.idempotency.c.key == key)).first()
        if seen is not None:
            if seen.request_hash != digest or seen.unit_id != unit_id or seen.kind != kind:
                raise ApiFailure(422, codes.IDEMPOTENCY_CONFLICT)
            return seen.status_code, orjson.loads(seen.response)
        try:
            with conn.begin_nested():
                status, response = work(conn)
        except ApiFailure as failure:  # a refusal is an answer too: the same key gets it again
            status, response = failure.status, codes.error_body(failure.code, failure.message)
        conn.execute(
            insert(db.idempotency).values(
                key=key,
                unit_id=unit_id,
                kind=kind,
                request_hash=digest,
                status_code=status,
                response=orjson.dumps(response).decode(),
                received_at=received_at,
            )
        )
    return status, response


def lookup(engine: Engine, unit_id: str, key: str) -> dict[str, Any]:
    with engine.connect() as conn:
        seen = conn.execute(
            select(db.idempotency).where(db.idempotency.c.key == key, db.idempotency.c.unit_id == unit_id)
        ).first()
    if seen is None:
        raise ApiFailure(404, codes.NOT_FOUND, "服务器没有收到这笔提交。")
    return {
        "key": seen.key,
        "kind": seen.kind,
        "status_code": seen.status_code,
        "response": orjson.loads(seen.response),
        "received_at": seen.received_at,
    }
