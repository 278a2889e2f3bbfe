"""What every region-scoped route of the sandbox takes: checked parameter types, the error statuses each kind of
route documents, and the checks before a unit's data is read. Shared by the sandbox's own routes (``api.py``)
and each business's (``modules/<business>/sandbox``).

No ``from __future__ import annotations`` here: FastAPI reads these types at run time.
"""

from typing import Annotated

from fastapi import Depends, Header, Path

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract import models as m
from sbf_client.remote.contract import paths

from . import registration
from .business import feed_kind
from .catalog import REGION_BY_ID, UNIT_BY_ID
from .errors import ApiFailure
from .state import SandboxState


def _region(region_id: str) -> str:
    if region_id not in REGION_BY_ID:
        raise ApiFailure(404, codes.NOT_FOUND, "地区不存在。")
    return region_id


Region = Annotated[str, Depends(_region)]
Authorization = Annotated[str | None, Header(max_length=512)]
# A unit id has a record key's shape, and so the same words when it is refused.
UnitId = Annotated[str, Path(pattern=m.RECORD_KEY_PATTERN, description="单位标识，如 Z0001")]
Feed = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$", description="数据集：employees / residents")]
SubmissionKey = Annotated[str, Path(pattern=m.SUBMISSION_KEY_PATTERN, description="业务流水号（Idempotency-Key）")]
# Checked by ``submissions.submit`` (400 with 10428, whether missing or malformed).
IdempotencyKey = Annotated[str | None, Header(alias=paths.IDEMPOTENCY_HEADER)]

# The error statuses of each kind of route (the OpenAPI document names them; the fuzz test holds us to it).
REGIONAL = (404, 422, 500, 503)  # unknown region or unit, malformed parameter, last defence, fault injection
WITH_BODY = (400, 413, 422)  # malformed JSON or bad UTF-8, too large, invalid body
SIGNED_IN = (401, 403)  # no live session of this unit; a session of an initial password


def bearer(authorization: str | None) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization[7:]
    return None


def signed_in_unit(
    state: SandboxState,
    region_id: str,
    unit_id: str,
    authorization: str | None,
    *,
    business: str | None = None,
    feed: str | None = None,
) -> None:
    """Before a route reads or writes a unit's data: a live session of this unit, a unit of this ``business`` or
    whose business has this ``feed`` (404 otherwise), and its due feedback matured."""
    registration.authorize(state.engine, region_id, unit_id, bearer(authorization), state.clock.now())
    spec = UNIT_BY_ID.get(unit_id)
    if (
        spec is None
        or (business is not None and spec.business != business)
        or (feed is not None and feed_kind(spec.business, feed) is None)
    ):
        raise ApiFailure(404, codes.NOT_FOUND)
    state.mature_for(unit_id)
