"""The sandbox's FastAPI application: the region-scoped 管理子系统/征收子系统 routes and the admin routes.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run time.
"""

import os
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine, select

from sbf_client.core.clock import Clock, clock_from, format_timestamp
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract import models as m
from sbf_client.remote.contract import paths

from . import db, feeds, mutations, registration, submissions, wages
from .build import FEED_OF_BUSINESS
from .catalog import CODE_TABLES, CODE_TABLES_VERSION, NOTICES, REGION_BY_ID, UNIT_BY_ID
from .errors import ApiFailure
from .faults import FaultMiddleware, FaultState

VERSION = "1.0.0"


@dataclass
class SandboxState:
    engine: Engine
    seed: int
    clock: Clock = field(default_factory=lambda: clock_from(os.environ))
    faults: FaultState = field(default_factory=FaultState)
    settings: m.SandboxSettings = field(default_factory=m.SandboxSettings)

    def process_due(self) -> None:
        """Mature the feedback whose delay has passed (also run every second by the server)."""
        wages.process_due(self.engine, self.clock.now())


def _region(region_id: str) -> str:
    if region_id not in REGION_BY_ID:
        raise ApiFailure(404, codes.NOT_FOUND, "地区不存在。")
    return region_id


Region = Annotated[str, Depends(_region)]
Authorization = Annotated[str | None, Header()]


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

    @app.exception_handler(ApiFailure)
    async def _failure(_request: Request, exc: ApiFailure) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content=codes.error_body(exc.code, exc.message))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = "、".join(".".join(str(p) for p in e["loc"][1:]) or "请求" for e in exc.errors())
        message = f"请求参数有误（{fields}），请检查后重试。"
        return JSONResponse(status_code=422, content=codes.error_body(codes.BAD_REQUEST, message))

    def unit_feed(region_id: str, unit_id: str, feed: str, authorization: str | None) -> None:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        spec = UNIT_BY_ID.get(unit_id)
        if spec is None or FEED_OF_BUSINESS[spec.business] != feed:
            raise ApiFailure(404, codes.NOT_FOUND)
        state.process_due()

    def employer(region_id: str, unit_id: str, authorization: str | None) -> None:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        spec = UNIT_BY_ID.get(unit_id)
        if spec is None or spec.business != "employer":
            raise ApiFailure(404, codes.NOT_FOUND)
        state.process_due()

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

    @regional.get(paths.MGMT_PING, response_model=m.ServerInfo, tags=["管理子系统"])
    def mgmt_ping(region_id: Region) -> m.ServerInfo:
        return server_info(region_id, "管理子系统")

    @regional.get(paths.COLL_PING, response_model=m.ServerInfo, tags=["征收子系统"])
    def coll_ping(region_id: Region) -> m.ServerInfo:
        return server_info(region_id, "征收子系统")

    @regional.get(paths.MGMT_CODES, response_model=m.CodeTables, tags=["管理子系统"])
    def code_tables(region_id: Region) -> m.CodeTables:
        return m.CodeTables(version=CODE_TABLES_VERSION, tables=CODE_TABLES)

    @regional.get(paths.MGMT_NOTICES, response_model=m.Notices, tags=["管理子系统"])
    def notices(region_id: Region) -> dict[str, object]:
        return {
            "notices": [
                {"id": number, "title": title, "published_at": published, "content": content}
                for number, (published, title, content) in enumerate(NOTICES, start=1)
            ]
        }

    @regional.post(paths.TAXPAYER_LOOKUP, response_model=m.TaxpayerLookupResponse, tags=["管理子系统"])
    def lookup(region_id: Region, body: m.TaxpayerLookupRequest) -> dict[str, object]:
        return {"units": registration.lookup(state.engine, region_id, body.taxpayer_id, body.business)}

    @regional.post(paths.UNIT_SESSION, response_model=m.SessionResponse, tags=["管理子系统"])
    def session(region_id: Region, unit_id: str, body: m.SessionRequest) -> dict[str, object]:
        return registration.open_session(state.engine, region_id, unit_id, body.password, state.clock.now())

    @regional.post(paths.UNIT_PASSWORD, response_model=m.PasswordChangeResponse, tags=["管理子系统"])
    def change_password(
        region_id: Region, unit_id: str, body: m.PasswordChangeRequest, authorization: Authorization = None
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

    @regional.get(paths.UNIT_REGISTRATION, response_model=m.RegistrationInfo, tags=["管理子系统"])
    def unit_registration(region_id: Region, unit_id: str, authorization: Authorization = None) -> dict[str, object]:
        registration.authorize(
            state.engine, region_id, unit_id, _token(authorization), state.clock.now(), allow_initial=True
        )
        return registration.registration(state.engine, region_id, unit_id)

    @regional.get(paths.FEED_CHANGES, response_model=m.ChangesPage, tags=["管理子系统"])
    def feed_changes(
        region_id: Region,
        unit_id: str,
        feed: str,
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=paths.MAX_PAGE)] = 1000,
        epoch: str | None = None,
        full: bool = False,
        authorization: Authorization = None,
    ) -> Response:
        unit_feed(region_id, unit_id, feed, authorization)
        body = feeds.page(state.engine, unit_id, feed, since, limit, epoch, full)
        return Response(content=body, media_type="application/json")

    @regional.get(paths.FEED_INFO, response_model=m.FeedInfo, tags=["管理子系统"])
    def feed_info(region_id: Region, unit_id: str, feed: str, authorization: Authorization = None) -> dict[str, object]:
        unit_feed(region_id, unit_id, feed, authorization)
        return feeds.info(state.engine, unit_id, feed)

    @regional.get(paths.SUBMISSION, response_model=m.SubmissionRecord, tags=["管理子系统"])
    def submission(region_id: Region, unit_id: str, key: str, authorization: Authorization = None) -> dict[str, object]:
        registration.authorize(state.engine, region_id, unit_id, _token(authorization), state.clock.now())
        return submissions.lookup(state.engine, unit_id, key)

    @regional.post(
        paths.WAGE_DECLARATIONS,
        response_model=m.WageDeclarationAccepted,
        status_code=202,
        tags=["管理子系统"],
        summary="缴费工资申报（需 Idempotency-Key）",
    )
    def declare_wages(
        region_id: Region,
        unit_id: str,
        body: m.WageDeclarationRequest,
        authorization: Authorization = None,
        idempotency_key: Annotated[str | None, Header(alias=paths.IDEMPOTENCY_HEADER)] = None,
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
            state.process_due()
        return JSONResponse(status_code=status, content=response)

    @regional.get(paths.WAGE_DECLARATIONS, response_model=m.WageDeclarationList, tags=["管理子系统"])
    def wage_declarations(region_id: Region, unit_id: str, authorization: Authorization = None) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return {"declarations": wages.listing(state.engine, unit_id)}

    @regional.get(paths.WAGE_DECLARATION, response_model=m.WageDeclarationDetail, tags=["管理子系统"])
    def wage_declaration(
        region_id: Region, unit_id: str, declaration_id: int, authorization: Authorization = None
    ) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return wages.detail(state.engine, unit_id, declaration_id)

    @regional.get(paths.DEMO_ACCOUNTS, response_model=m.DemoAccounts, tags=["管理子系统"])
    def demo_accounts(region_id: Region) -> dict[str, object]:
        return {"accounts": registration.demo_accounts(state.engine, region_id)}

    admin = APIRouter(tags=["沙箱管理"])

    @admin.get(paths.ADMIN_HEALTH)
    def health() -> dict[str, object]:
        with state.engine.connect() as conn:
            info = dict(conn.execute(select(db.meta.c.key, db.meta.c.value)).all())
        faults = {"dropped": state.faults.dropped, "failed": state.faults.failed}
        return {"ok": True, "seed": state.seed, "build": info, "faults": faults}

    @admin.get(paths.ADMIN_FAULTS, response_model=m.FaultSettings)
    async def get_faults() -> m.FaultSettings:
        return state.faults.settings

    @admin.put(paths.ADMIN_FAULTS, response_model=m.FaultSettings)
    async def put_faults(body: m.FaultSettings) -> m.FaultSettings:
        state.faults.settings = body
        return body

    @admin.get(paths.ADMIN_SETTINGS, response_model=m.SandboxSettings)
    async def get_settings() -> m.SandboxSettings:
        return state.settings

    @admin.put(paths.ADMIN_SETTINGS, response_model=m.SandboxSettings)
    async def put_settings(body: m.SandboxSettings) -> m.SandboxSettings:
        state.settings = body
        return body

    @admin.post(paths.ADMIN_MUTATE, response_model=m.MutateResult)
    def mutate(unit_id: str, feed: str, body: m.MutateRequest) -> dict[str, object]:
        return mutations.mutate(state.engine, state.seed, unit_id, feed, state.clock.now(), **body.model_dump())

    @admin.post(paths.ADMIN_REKEY)
    def rekey(unit_id: str, feed: str) -> dict[str, object]:
        return feeds.rekey(state.engine, unit_id, feed)

    @admin.post(paths.ADMIN_COMPACT)
    def compact(unit_id: str, feed: str, body: m.CompactRequest) -> dict[str, object]:
        return feeds.compact(state.engine, unit_id, feed, up_to_seq=body.up_to_seq)

    app.include_router(regional)
    app.include_router(admin)
    app.add_middleware(FaultMiddleware, state=state.faults)
    return app
