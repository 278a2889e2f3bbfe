"""The ``employees`` dataset: the employee change feed into the ``employees`` table."""

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
    "unit_no",
    "status",
    "updated_at",
    "insured",
)


class EmployeeRecord(msgspec.Struct):
    """A feed record's data (contract: ``EmployeeData``); the 险种 rows stay raw JSON, stored as they come."""

    person_no: str
    name: str
    gender: str
    id_type: str
    id_number: str
    birth_date: str
    unit_no: str
    status: str
    updated_at: str
    insured: msgspec.Raw


def employee_row(data: EmployeeRecord) -> tuple[Any, ...]:
    return (
        data.person_no,
        data.name,
        data.gender,
        data.id_type,
        data.id_number.upper(),
        data.birth_date,
        data.unit_no,
        data.status,
        data.updated_at,
        bytes(data.insured).decode(),
    )


EMPLOYEES = Dataset(
    name="employees",
    feed="employees",
    table="employees",
    columns=COLUMNS,
    labels={
        "person_no": "人员编号",
        "name": "姓名",
        "gender": "性别",
        "id_type": "证件类型",
        "id_number": "证件号码",
        "birth_date": "出生日期",
        "unit_no": "单位编号",
        "status": "参保状态",
        "updated_at": "更新时间",
        "insured": "参保险种信息",
    },
    record_type=EmployeeRecord,
    to_row=employee_row,
    title="职工",
)
