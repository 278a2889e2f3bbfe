"""The 代收单位's routes in the sandbox's 管理子系统 and 征收子系统: none yet besides the shared ones (its people
come through the shared feed routes). Each new page's routes go here, never in ``sbf_sandbox``.

No ``from __future__ import annotations`` here: FastAPI reads the route signatures at run time.
"""

from fastapi import APIRouter

from sbf_sandbox.state import SandboxState


def router(state: SandboxState) -> APIRouter:
    return APIRouter()
