"""The 代收单位 part of the 管理子系统 contract: the ``residents`` feed's records.

Both the client and the sandbox (``sandbox/``) import it. What both businesses share (sessions, feeds paging,
submissions, error codes) is in ``sbf_client.remote.contract``.
"""

from __future__ import annotations

from datetime import date

from sbf_client.remote.contract.models import Model, Month

RESIDENTS = "residents"  # the change feed of a collecting agent's 城乡居民


class ResidentItem(Model):
    item: str
    grade: str | None  # 缴费档次 code
    start: Month
    end: Month | None


class ResidentData(Model):
    person_no: str
    name: str
    gender: str
    id_type: str
    id_number: str
    birth_date: date
    village: str  # 所属村（社区）
    status: str  # 参保状态 code: 1 正常参保, 2 暂停参保, 3 终止参保
    updated_at: str
    insured: list[ResidentItem]
