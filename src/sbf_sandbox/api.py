"""The sandbox's FastAPI application: the region-scoped 管理子系统/征收子系统 routes and the admin routes.

Every value is checked by type and range where it enters — the request models, and the path, query and
header parameters here — so nothing malformed reaches a rule, a query or the background job; every refusal
is ``{code, message}`` in Chinese (``edge.py``), and the OpenAPI document names each route's error statuses.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run time.
"""

import logging
import os
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, select

from sbf_client.core.clock import Clock, clock_from, format_timestamp
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract import models as m
from sbf_client.remote.contract import paths

from . import db, edge, feeds, mutations, registration, submissions, wages
from .build import FEED_OF_BUSINESS
from .catalog import CODE_TABLES, CODE_TABLES_VERSION, NOTICES, REGION_BY_ID, UNIT_BY_ID
from .edge import documented
from .errors import ApiFailure
from .faults import FaultMiddleware, FaultState

VERSION = "1.0.0"
log = logging.getLogger(__name__)


@dataclass
class SandboxState:
    engine: Engine
    seed: int
    clock: Clock = field(default_factory=lambda: clock_from(os.environ))
    faults: FaultState = field(default_factory=FaultState)
    settings: m.SandboxSettings = field(default_factory=m.SandboxSettings)

    def process_due(self, unit_id: str | None = None) -> None:
        """Mature the feedback whose delay has passed (every unit's, run every second by the server; or one
        unit's, before a read that could show it). A declaration that cannot be processed fails on its own."""
        wages.process_due(self.engine, self.clock.now(), unit_id)

    def mature_for(self, unit_id: str) -> None:
        """Before a read: this unit's due feedback. A failure here is logged and the read goes on, showing
        待反馈 until the background tick manages; it never turns a read into an error."""
        try:
            self.process_due(unit_id)
        except Exception:
            log.exception("feedback for unit %s could not be matured before a read", unit_id)


def _region(region_id: str) -> str:
    if region_id not in REGION_BY_ID:
        raise ApiFailure(404, codes.NOT_FOUND, "地区不存在。")
    return region_id


Region = Annotated[str, Depends(_region)]
Authorization = Annotated[str | None, Header(max_length=512)]
UnitId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$", description="单位标识，如 Z0001")]
Feed = Annotated[str, Path(pattern=r"^[a-z_]{1,32}$", description="数据集：employees / residents")]
SubmissionKey = Annotated[str, Path(pattern=m.SUBMISSION_KEY_PATTERN, description="业务流水号（Idempotency-Key）")]
DeclarationId = Annotated[int, Path(ge=1, le=m.MAX_INT32, description="申报记录编号")]
# Checked by ``submissions.submit`` (400 with 10428, whether missing or malformed).
IdempotencyKey = Annotated[str | None, Header(alias=paths.IDEMPOTENCY_HEADER)]

# The error statuses of each kind of route (the OpenAPI document names them; the fuzz test holds us to it).
_REGIONAL = (404, 422, 500, 503)  # unknown region or unit, malformed parameter, last defence, fault injection
_WITH_BODY = (400, 413, 422)  # malformed JSON or bad UTF-8, too large, invalid body
_SIGNED_IN = (401, 403)  # no live session of this unit; a session of an initial password


def _token(authorization: str | None) -> str | None:
    if authorization and authorization.startswith("Bearer "):
        return authorization[7:]
    return None


def create_app(state: SandboxState) -> FastAPI:
    app = FastAPI(
        title="sbf-sandbox",
        version=VERSION,
        description="管理子系统 (/mgmt) 与 征收子系统 (/coll) 的沙箱实现，数据为合成数据。",
    )

    def unit_feed(region_id: str, unit_id: str, feed: str, authorization: str | None) -> None:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        spec = UNIT_BY_ID.get(unit_id)
        if spec is None or FEED_OF_BUSINESS[spec.business] != feed:
            raise ApiFailure(404, codes.NOT_FOUND)
        state.mature_for(unit_id)

    def employer(region_id: str, unit_id: str, authorization: str | None) -> None:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        spec = UNIT_BY_ID.get(unit_id)
        if spec is None or spec.business != "employer":
            raise ApiFailure(404, codes.NOT_FOUND)
        state.mature_for(unit_id)

    regional = APIRouter(prefix=paths.REGION_ROOT)

    def server_info(region_id: str, subsystem: str) -> m.ServerInfo:
        spec = REGION_BY_ID[region_id]
        return m.ServerInfo(
            subsystem=subsystem,
            region_id=region_id,
            region_name=spec.name,  # type: ignore[arg-type]
            mode=spec.mode,
            server_time=format_timestamp(state.clock.now()),  # type: ignore[arg-type]
            version=VERSION,
        )

    plain = documented(*_REGIONAL)

    @regional.get(paths.MGMT_PING, response_model=m.ServerInfo, tags=["管理子系统"], responses=plain)
    def mgmt_ping(region_id: Region) -> m.ServerInfo:
        return server_info(region_id, "管理子系统")

    @regional.get(paths.COLL_PING, response_model=m.ServerInfo, tags=["征收子系统"], responses=plain)
    def coll_ping(region_id: Region) -> m.ServerInfo:
        return server_info(region_id, "征收子系统")

    @regional.get(paths.MGMT_CODES, response_model=m.CodeTables, tags=["管理子系统"], responses=plain)
    def code_tables(region_id: Region) -> m.CodeTables:
        return m.CodeTables(version=CODE_TABLES_VERSION, tables=CODE_TABLES)

    @regional.get(paths.MGMT_NOTICES, response_model=m.Notices, tags=["管理子系统"], responses=plain)
    def notices(region_id: Region) -> dict[str, object]:
        return {
            "notices": [
                {"id": number, "title": title, "published_at": published, "content": content}
                for number, (published, title, content) in enumerate(NOTICES, start=1)
            ]
        }

    @regional.post(
        paths.TAXPAYER_LOOKUP,
        response_model=m.TaxpayerLookupResponse,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_WITH_BODY),
    )
    def lookup(region_id: Region, body: m.TaxpayerLookupRequest) -> dict[str, object]:
        return {"units": registration.lookup(state.engine, region_id, body.taxpayer_id, body.business)}

    @regional.post(
        paths.UNIT_SESSION,
        response_model=m.SessionResponse,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_WITH_BODY, 401, 429),
    )
    def session(region_id: Region, unit_id: UnitId, body: m.SessionRequest) -> dict[str, object]:
        return registration.open_session(state.engine, region_id, unit_id, body.password, state.clock.now())

    @regional.post(
        paths.UNIT_PASSWORD,
        response_model=m.PasswordChangeResponse,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_WITH_BODY, 401, 429),
    )
    def change_password(
        region_id: Region, unit_id: UnitId, body: m.PasswordChangeRequest, authorization: Authorization = None
    ) -> dict[str, object]:
        return registration.change_password(
            state.engine,
            region_id,
            unit_id,
            _token(authorization),
            body.old_password,
            body.new_password,
            state.clock.now(),
        )

    @regional.get(
        paths.UNIT_REGISTRATION,
        response_model=m.RegistrationInfo,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, 401),
    )
    def unit_registration(region_id: Region, unit_id: UnitId, authorization: Authorization = None) -> dict[str, object]:
        registration.authorize(
            state.engine, region_id, unit_id, _token(authorization), state.clock.now(), allow_initial=True
        )
        return registration.registration(state.engine, region_id, unit_id)

    @regional.get(
        paths.FEED_CHANGES,
        response_model=m.ChangesPage,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_SIGNED_IN, 409, 410),
    )
    def feed_changes(
        region_id: Region,
        unit_id: UnitId,
        feed: Feed,
        since: Annotated[int, Query(ge=0, le=m.MAX_INT64)] = 0,
        limit: Annotated[int, Query(ge=1, le=paths.MAX_PAGE)] = 1000,
        epoch: Annotated[str | None, Query(max_length=64)] = None,
        full: bool = False,
        authorization: Authorization = None,
    ) -> Response:
        unit_feed(region_id, unit_id, feed, authorization)
        body = feeds.page(state.engine, unit_id, feed, since, limit, epoch, full)
        return Response(content=body, media_type="application/json")

    @regional.get(
        paths.FEED_INFO,
        response_model=m.FeedInfo,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_SIGNED_IN),
    )
    def feed_info(
        region_id: Region, unit_id: UnitId, feed: Feed, authorization: Authorization = None
    ) -> dict[str, object]:
        unit_feed(region_id, unit_id, feed, authorization)
        return feeds.info(state.engine, unit_id, feed)

    @regional.get(
        paths.SUBMISSION,
        response_model=m.SubmissionRecord,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_SIGNED_IN),
    )
    def submission(
        region_id: Region, unit_id: UnitId, key: SubmissionKey, authorization: Authorization = None
    ) -> dict[str, object]:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        return submissions.lookup(state.engine, unit_id, key)

    @regional.post(
        paths.WAGE_DECLARATIONS,
        response_model=m.WageDeclarationAccepted,
        status_code=202,
        tags=["管理子系统"],
        summary="缴费工资申报（需 Idempotency-Key）",
        responses=documented(*_REGIONAL, *_WITH_BODY, *_SIGNED_IN),
    )
    def declare_wages(
        region_id: Region,
        unit_id: UnitId,
        body: m.WageDeclarationRequest,
        authorization: Authorization = None,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        employer(region_id, unit_id, authorization)
        now = state.clock.now()
        status, response = submissions.submit(
            state.engine,
            unit_id,
            "wage_declaration",
            idempotency_key,
            body.model_dump(mode="json"),
            format_timestamp(now),
            lambda conn: wages.accept(conn, unit_id, idempotency_key or "", body, now, state.settings.feedback_delay),
        )
        if state.settings.feedback_delay == 0:
            state.mature_for(unit_id)
        return JSONResponse(status_code=status, content=response)

    @regional.get(
        paths.WAGE_DECLARATIONS,
        response_model=m.WageDeclarationList,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_SIGNED_IN),
    )
    def wage_declarations(region_id: Region, unit_id: UnitId, authorization: Authorization = None) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return {"declarations": wages.listing(state.engine, unit_id)}

    @regional.get(
        paths.WAGE_DECLARATION,
        response_model=m.WageDeclarationDetail,
        tags=["管理子系统"],
        responses=documented(*_REGIONAL, *_SIGNED_IN),
    )
    def wage_declaration(
        region_id: Region, unit_id: UnitId, declaration_id: DeclarationId, authorization: Authorization = None
    ) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return wages.detail(state.engine, unit_id, declaration_id)

    @regional.get(paths.DEMO_ACCOUNTS, response_model=m.DemoAccounts, tags=["管理子系统"], responses=plain)
    def demo_accounts(region_id: Region) -> dict[str, object]:
        return {"accounts": registration.demo_accounts(state.engine, region_id)}

    admin = APIRouter(tags=["沙箱管理"])
    admin_plain = documented(500)
    admin_body = documented(*_WITH_BODY, 500)
    admin_feed = documented(404, 422, 500)

    @admin.get(paths.ADMIN_HEALTH, responses=admin_plain)
    def health() -> dict[str, object]:
        with state.engine.connect() as conn:
            info = dict(conn.execute(select(db.meta.c.key, db.meta.c.value)).all())
        faults = {"dropped": state.faults.dropped, "failed": state.faults.failed}
        return {"ok": True, "seed": state.seed, "build": info, "faults": faults}

    @admin.get(paths.ADMIN_FAULTS, response_model=m.FaultSettings, responses=admin_plain)
    async def get_faults() -> m.FaultSettings:
        return state.faults.settings

    @admin.put(paths.ADMIN_FAULTS, response_model=m.FaultSettings, responses=admin_body)
    async def put_faults(body: m.FaultSettings) -> m.FaultSettings:
        state.faults.settings = body
        return body

    @admin.get(paths.ADMIN_SETTINGS, response_model=m.SandboxSettings, responses=admin_plain)
    async def get_settings() -> m.SandboxSettings:
        return state.settings

    @admin.put(paths.ADMIN_SETTINGS, response_model=m.SandboxSettings, responses=admin_body)
    async def put_settings(body: m.SandboxSettings) -> m.SandboxSettings:
        state.settings = body
        return body

    @admin.post(paths.ADMIN_MUTATE, response_model=m.MutateResult, responses=documented(*_WITH_BODY, 404, 500))
    def mutate(unit_id: UnitId, feed: Feed, body: m.MutateRequest) -> dict[str, object]:
        return mutations.mutate(state.engine, state.seed, unit_id, feed, state.clock.now(), **body.model_dump())

    @admin.post(paths.ADMIN_REKEY, response_model=m.RekeyResult, responses=admin_feed)
    def rekey(unit_id: UnitId, feed: Feed) -> dict[str, object]:
        return feeds.rekey(state.engine, unit_id, feed)

    @admin.post(paths.ADMIN_COMPACT, response_model=m.CompactResult, responses=documented(*_WITH_BODY, 404, 500))
    def compact(unit_id: UnitId, feed: Feed, body: m.CompactRequest) -> dict[str, object]:
        return feeds.compact(state.engine, unit_id, feed, up_to_seq=body.up_to_seq)

    app.include_router(regional)
    app.include_router(admin)
    app.add_middleware(FaultMiddleware, state=state.faults)
    edge.install(app)  # after the fault switches: the last defence is the outermost middleware
    return app
