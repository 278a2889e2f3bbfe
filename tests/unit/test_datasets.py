"""The declared datasets match the API contract, and map a feed record to the row the cache holds."""

import msgspec
import pytest

from sbf_client.modules.collector.remote.contract import ResidentData
from sbf_client.modules.collector.sync.datasets import RESIDENTS
from sbf_client.modules.employer.remote.contract import EmployeeData
from sbf_client.modules.employer.sync.datasets import EMPLOYEES


@pytest.mark.parametrize(("dataset", "model"), [(EMPLOYEES, EmployeeData), (RESIDENTS, ResidentData)])
def test_dataset_fields_are_the_contracts(dataset, model):
    assert set(dataset.columns) == set(model.model_fields)


def test_a_record_becomes_a_row():
    record = msgspec.json.decode(
        b'{"person_no":"P1","name":"\xe7\x8e\x8b\xe8\x8a\xb3","gender":"2","id_type":"01",'
        b'"id_number":"11010519491231002x","birth_date":"1949-12-31","unit_no":"1234","status":"1",'
        b'"updated_at":"2026-11-01 08:00:00","insured":[{"item":"10210","base":"7000.00"}]}',
        type=EMPLOYEES.record_type,
    )
    row = EMPLOYEES.to_row(record)
    assert row[1] == "王芳" and row[4] == "11010519491231002X"
    assert row[-1] == '[{"item":"10210","base":"7000.00"}]'  # stored exactly as it came
