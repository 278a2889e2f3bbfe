"""The sandbox's FastAPI application: the region-scoped 管理子系统/征收子系统 routes both businesses share (regions,
code tables, notices, registration and sessions, change feeds, submissions, demo accounts), each business's own
routes (declared by its module: ``business.py``), and the admin routes.

Every value is checked by type and range where it enters — the request models, and the path, query and
header parameters here — so nothing malformed reaches a rule, a query or the background job; every refusal
is ``{code, message}`` in Chinese (``edge.py``), and the OpenAPI document names each route's error statuses.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run time.
"""

from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import Response
from sqlalchemy import select

from sbf_client.core.clock import format_timestamp
from sbf_client.remote.contract import models as m
from sbf_client.remote.contract import paths

from . import db, edge, feeds, mutations, registration, submissions
from .business import businesses
from .catalog import CODE_TABLES, CODE_TABLES_VERSION, NOTICES, REGION_BY_ID
from .edge import documented
from .faults import FaultMiddleware
from .routing import (
    REGIONAL,
    SIGNED_IN,
    WITH_BODY,
    Authorization,
    Feed,
    Region,
    SubmissionKey,
    UnitId,
    bearer,
    signed_in_unit,
)
from .state import SandboxState

__all__ = ["SandboxState", "create_app"]

VERSION = "1.0.0"


def create_app(state: SandboxState) -> FastAPI:
    app = FastAPI(
        title="sbf-sandbox",
        version=VERSION,
        description="管理子系统 (/mgmt) 与 征收子系统 (/coll) 的沙箱实现，数据为合成数据。",
    )

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

    plain = documented(*REGIONAL)

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
        responses=documented(*REGIONAL, *WITH_BODY),
    )
    def lookup(region_id: Region, body: m.TaxpayerLookupRequest) -> dict[str, object]:
        return {"units": registration.lookup(state.engine, region_id, body.taxpayer_id, body.business)}

    @regional.post(
        paths.UNIT_SESSION,
        response_model=m.SessionResponse,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *WITH_BODY, 401, 429),
    )
    def session(region_id: Region, unit_id: UnitId, body: m.SessionRequest) -> dict[str, object]:
        return registration.open_session(state.engine, region_id, unit_id, body.password, state.clock.now())

    @regional.post(
        paths.UNIT_PASSWORD,
        response_model=m.PasswordChangeResponse,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *WITH_BODY, 401, 429),
    )
    def change_password(
        region_id: Region, unit_id: UnitId, body: m.PasswordChangeRequest, authorization: Authorization = None
    ) -> dict[str, object]:
        return registration.change_password(
            state.engine,
            region_id,
            unit_id,
            bearer(authorization),
            body.old_password,
            body.new_password,
            state.clock.now(),
        )

    @regional.get(
        paths.UNIT_REGISTRATION,
        response_model=m.RegistrationInfo,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, 401),
    )
    def unit_registration(region_id: Region, unit_id: UnitId, authorization: Authorization = None) -> dict[str, object]:
        registration.authorize(
            state.engine, region_id, unit_id, bearer(authorization), state.clock.now(), allow_initial=True
        )
        return registration.registration(state.engine, region_id, unit_id)

    @regional.get(
        paths.FEED_CHANGES,
        response_model=m.ChangesPage,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *SIGNED_IN, 409, 410),
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
        signed_in_unit(state, region_id, unit_id, authorization, feed=feed)
        body = feeds.page(state.engine, unit_id, feed, since, limit, epoch, full)
        return Response(content=body, media_type="application/json")

    @regional.get(
        paths.FEED_INFO,
        response_model=m.FeedInfo,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *SIGNED_IN),
    )
    def feed_info(
        region_id: Region, unit_id: UnitId, feed: Feed, authorization: Authorization = None
    ) -> dict[str, object]:
        signed_in_unit(state, region_id, unit_id, authorization, feed=feed)
        return feeds.info(state.engine, unit_id, feed)

    @regional.get(
        paths.SUBMISSION,
        response_model=m.SubmissionRecord,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *SIGNED_IN),
    )
    def submission(
        region_id: Region, unit_id: UnitId, key: SubmissionKey, authorization: Authorization = None
    ) -> dict[str, object]:
        registration.authorize(state.engine, region_id, unit_id, bearer(authorization), state.clock.now())
        return submissions.lookup(state.engine, unit_id, key)

    @regional.get(paths.DEMO_ACCOUNTS, response_model=m.DemoAccounts, tags=["管理子系统"], responses=plain)
    def demo_accounts(region_id: Region) -> dict[str, object]:
        return {"accounts": registration.demo_accounts(state.engine, region_id)}

    admin = APIRouter(tags=["沙箱管理"])
    admin_plain = documented(500)
    admin_body = documented(*WITH_BODY, 500)
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

    @admin.post(paths.ADMIN_MUTATE, response_model=m.MutateResult, responses=documented(*WITH_BODY, 404, 500))
    def mutate(unit_id: UnitId, feed: Feed, body: m.MutateRequest) -> dict[str, object]:
        return mutations.mutate(state.engine, state.seed, unit_id, feed, state.clock.now(), **body.model_dump())

    @admin.post(paths.ADMIN_REKEY, response_model=m.RekeyResult, responses=admin_feed)
    def rekey(unit_id: UnitId, feed: Feed) -> dict[str, object]:
        return feeds.rekey(state.engine, unit_id, feed)

    @admin.post(paths.ADMIN_COMPACT, response_model=m.CompactResult, responses=documented(*WITH_BODY, 404, 500))
    def compact(unit_id: UnitId, feed: Feed, body: m.CompactRequest) -> dict[str, object]:
        return feeds.compact(state.engine, unit_id, feed, up_to_seq=body.up_to_seq)

    app.include_router(regional)
    for part in businesses():
        if part.routes is not None:
            app.include_router(part.routes(state), prefix=paths.REGION_ROOT)
    app.include_router(admin)
    app.add_middleware(FaultMiddleware, state=state.faults)
    edge.install(app, businesses())  # after the fault switches: the last defence is the outermost middleware
    return app
