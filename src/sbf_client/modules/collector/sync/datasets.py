"""The ``residents`` dataset: the 城乡居民 change feed into the ``residents`` table."""

from __future__ import annotations

from typing import Any

import msgspec

from sbf_client.sync.dataset import Dataset

COLUMNS = (
    "person_no",
    "name",
    "gender",
    "id_type",
    "id_number",
    "birth_date",
    "village",
    "status",
    "updated_at",
    "insured",
)


class ResidentRecord(msgspec.Struct):
    """A feed record's data (contract: ``ResidentData``); the 险种 rows stay raw JSON."""

    person_no: str
    name: str
    gender: str
    id_type: str
    id_number: str
    birth_date: str
    village: str
    status: str
    updated_at: str
    insured: msgspec.Raw


def resident_row(data: ResidentRecord) -> tuple[Any, ...]:
    return (
        data.person_no,
        data.name,
        data.gender,
        data.id_type,
        data.id_number.upper(),
        data.birth_date,
        data.village,
        data.status,
        data.updated_at,
        bytes(data.insured).decode(),
    )


RESIDENTS = Dataset(
    name="residents",
    feed="residents",
    table="residents",
    columns=COLUMNS,
    labels={
        "person_no": "人员编号",
        "name": "姓名",
        "gender": "性别",
        "id_type": "证件类型",
        "id_number": "证件号码",
        "birth_date": "出生日期",
        "village": "所属村（社区）",
        "status": "参保状态",
        "updated_at": "更新时间",
        "insured": "参保险种信息",
    },
    record_type=ResidentRecord,
    to_row=resident_row,
    title="城乡居民",
)
