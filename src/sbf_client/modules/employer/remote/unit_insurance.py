"""The 用人单位's call for 单位参保信息 (manual 2.19): the unit's whole list, over the shared ``HttpClient``."""

from __future__ import annotations

from sbf_client.remote.api import RemoteApi, api_path

from . import contract as c


class UnitInsuranceApi:
    def __init__(self, remote: RemoteApi) -> None:
        self.http = remote.http

    def unit_insurance(self, unit_id: str, token: str) -> c.UnitInsurance:
        raw = self.http.get_json("mgmt", api_path(c.UNIT_INSURANCE, unit_id=unit_id), token=token)
        return c.UnitInsurance.model_validate(raw)
