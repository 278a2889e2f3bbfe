"""The 用人单位's routes in the sandbox's 管理子系统: 缴费工资申报 (submit, list, per-employee feedback) and
单位参保信息.

Paths are relative to a region's root (``create_app`` adds ``REGION_ROOT``). Each new page's routes go here (or
in a sibling module this package's ``SANDBOX`` names), never in ``sbf_sandbox``.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run time.
"""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse

from sbf_client.core.clock import format_timestamp
from sbf_client.remote.contract import models as m
from sbf_sandbox import submissions
from sbf_sandbox.edge import documented
from sbf_sandbox.routing import (
    REGIONAL,
    SIGNED_IN,
    WITH_BODY,
    Authorization,
    IdempotencyKey,
    Region,
    UnitId,
    signed_in_unit,
)
from sbf_sandbox.state import SandboxState

from ..remote import contract as c
from . import wages
from .unit_insurance import UnitInsuranceAnswers

DeclarationId = Annotated[int, Path(ge=1, le=m.MAX_INT32, description="申报记录编号")]


def router(state: SandboxState) -> APIRouter:
    routes = APIRouter()
    insurance = UnitInsuranceAnswers()

    def employer(region_id: str, unit_id: str, authorization: str | None) -> None:
        signed_in_unit(state, region_id, unit_id, authorization, business="employer")

    @routes.post(
        c.WAGE_DECLARATIONS,
        response_model=c.WageDeclarationAccepted,
        status_code=202,
        tags=["管理子系统"],
        summary="缴费工资申报（需 Idempotency-Key）",
        responses=documented(*REGIONAL, *WITH_BODY, *SIGNED_IN),
    )
    def declare_wages(
        region_id: Region,
        unit_id: UnitId,
        body: c.WageDeclarationRequest,
        authorization: Authorization = None,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        employer(region_id, unit_id, authorization)
        now = state.clock.now()
        status, response = submissions.submit(
            state.engine,
            unit_id,
            c.WAGE_SUBMISSION_KIND,
            idempotency_key,
            body.model_dump(mode="json"),
            format_timestamp(now),
            lambda conn: wages.accept(conn, unit_id, idempotency_key or "", body, now, state.settings.feedback_delay),
        )
        if state.settings.feedback_delay == 0:
            state.mature_for(unit_id)
        return JSONResponse(status_code=status, content=response)

    @routes.get(
        c.WAGE_DECLARATIONS,
        response_model=c.WageDeclarationList,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *SIGNED_IN),
    )
    def wage_declarations(region_id: Region, unit_id: UnitId, authorization: Authorization = None) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return {"declarations": wages.listing(state.engine, unit_id)}

    @routes.get(
        c.WAGE_DECLARATION,
        response_model=c.WageDeclarationDetail,
        tags=["管理子系统"],
        responses=documented(*REGIONAL, *SIGNED_IN),
    )
    def wage_declaration(
        region_id: Region, unit_id: UnitId, declaration_id: DeclarationId, authorization: Authorization = None
    ) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return wages.detail(state.engine, unit_id, declaration_id)

    @routes.get(
        c.UNIT_INSURANCE,
        response_model=c.UnitInsurance,
        tags=["管理子系统"],
        summary="单位参保信息（每个单位编号的各险种）",
        responses=documented(*REGIONAL, *SIGNED_IN),
    )
    def unit_insurance(region_id: Region, unit_id: UnitId, authorization: Authorization = None) -> dict[str, object]:
        employer(region_id, unit_id, authorization)
        return {"as_of": format_timestamp(state.clock.now()), "items": insurance.items(state.engine, unit_id)}

    return routes
