"""The 用人单位's own calls of the 管理子系统 (缴费工资申报), over the shared client's ``HttpClient``.

Sessions, feeds and submissions are shared and stay on ``sbf_client.remote.api.RemoteApi``; this class adds the
calls only this business makes: ``WageApi(context.api())``.
"""

from __future__ import annotations

from sbf_client.remote.api import RemoteApi, api_path

from . import contract as c


class WageApi:
    def __init__(self, remote: RemoteApi) -> None:
        self.http = remote.http

    def declare_wages(
        self, unit_id: str, token: str, key: str, request: dict[str, object]
    ) -> c.WageDeclarationAccepted:
        body = c.WageDeclarationRequest.model_validate(request).model_dump(mode="json")
        return c.WageDeclarationAccepted.model_validate(
            self.http.post_json(
                "mgmt", api_path(c.WAGE_DECLARATIONS, unit_id=unit_id), body, token=token, idempotency_key=key
            )
        )

    def wage_declarations(self, unit_id: str, token: str) -> list[c.WageDeclarationSummary]:
        raw = self.http.get_json("mgmt", api_path(c.WAGE_DECLARATIONS, unit_id=unit_id), token=token)
        return c.WageDeclarationList.model_validate(raw).declarations

    def wage_declaration(self, unit_id: str, token: str, declaration_id: int) -> c.WageDeclarationDetail:
        raw = self.http.get_json(
            "mgmt", api_path(c.WAGE_DECLARATION, unit_id=unit_id, declaration_id=str(declaration_id)), token=token
        )
        return c.WageDeclarationDetail.model_validate(raw)
