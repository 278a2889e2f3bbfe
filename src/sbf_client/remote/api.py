"""Typed calls of the 管理子系统 and 征收子系统 APIs that both businesses make, over one ``HttpClient``.

A business's own calls are in its module (``modules/<business>/remote/api.py``), built on ``RemoteApi.http``.
"""

from __future__ import annotations

from urllib.parse import quote

from .contract import models as m
from .contract import paths
from .errors import ApiError
from .http import HttpClient


def api_path(template: str, **values: str) -> str:
    """A contract path with its ``{placeholders}`` filled in, each value quoted as one path segment."""
    return template.format(**{k: quote(v, safe="") for k, v in values.items()})


class RemoteApi:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def close(self) -> None:
        self.http.close()

    # -------------------------------------------------------------- both subsystems

    def ping_mgmt(self) -> m.ServerInfo:
        return m.ServerInfo.model_validate(self.http.get_json("mgmt", paths.MGMT_PING))

    def ping_coll(self) -> m.ServerInfo:
        return m.ServerInfo.model_validate(self.http.get_json("coll", paths.COLL_PING))

    # -------------------------------------------------------------- 管理子系统

    def code_tables(self) -> m.CodeTables:
        return m.CodeTables.model_validate(self.http.get_json("mgmt", paths.MGMT_CODES))

    def notices(self) -> list[m.Notice]:
        return m.Notices.model_validate(self.http.get_json("mgmt", paths.MGMT_NOTICES)).notices

    def lookup_taxpayer(self, taxpayer_id: str, business: m.Business) -> list[m.UnitSummary]:
        body = m.TaxpayerLookupRequest(taxpayer_id=taxpayer_id, business=business).model_dump()
        return m.TaxpayerLookupResponse.model_validate(self.http.post_json("mgmt", paths.TAXPAYER_LOOKUP, body)).units

    def open_session(self, unit_id: str, password: str) -> m.SessionResponse:
        body = m.SessionRequest(password=password).model_dump()
        return m.SessionResponse.model_validate(
            self.http.post_json("mgmt", api_path(paths.UNIT_SESSION, unit_id=unit_id), body)
        )

    def change_password(self, unit_id: str, token: str, old: str, new: str) -> m.PasswordChangeResponse:
        body = m.PasswordChangeRequest(old_password=old, new_password=new).model_dump()
        return m.PasswordChangeResponse.model_validate(
            self.http.post_json("mgmt", api_path(paths.UNIT_PASSWORD, unit_id=unit_id), body, token=token)
        )

    def registration(self, unit_id: str, token: str) -> m.RegistrationInfo:
        return m.RegistrationInfo.model_validate(
            self.http.get_json("mgmt", api_path(paths.UNIT_REGISTRATION, unit_id=unit_id), token=token)
        )

    def feed_info(self, unit_id: str, feed: str, token: str) -> m.FeedInfo:
        return m.FeedInfo.model_validate(
            self.http.get_json("mgmt", api_path(paths.FEED_INFO, unit_id=unit_id, feed=feed), token=token)
        )

    def feed_page(
        self, unit_id: str, feed: str, token: str, *, since: int, limit: int, epoch: str | None, full: bool = False
    ) -> bytes:
        """One page of a change feed as the raw JSON body (the sync engine parses it in bulk).

        ``full``: this read started at 0 and replaces the whole cache, so purged tombstones do not matter.
        """
        params: dict[str, object] = {"since": since, "limit": limit}
        if epoch:
            params["epoch"] = epoch
        if full:
            params["full"] = "true"
        return self.http.get(
            "mgmt", api_path(paths.FEED_CHANGES, unit_id=unit_id, feed=feed), params=params, token=token
        )

    def submission(self, unit_id: str, token: str, key: str) -> m.SubmissionRecord | None:
        """What the server did with an Idempotency-Key; None when it never received it."""
        try:
            raw = self.http.get_json("mgmt", api_path(paths.SUBMISSION, unit_id=unit_id, key=key), token=token)
        except ApiError as error:
            if error.status == 404:
                return None
            raise
        return m.SubmissionRecord.model_validate(raw)

    def demo_accounts(self) -> list[m.DemoAccount]:
        return m.DemoAccounts.model_validate(self.http.get_json("mgmt", paths.DEMO_ACCOUNTS)).accounts
