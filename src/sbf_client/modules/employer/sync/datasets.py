"""The ``employees`` dataset: the employee change feed (contract: ``EmployeeData``) into ``employees``."""

from sbf_client.sync.dataset import feed_dataset

EMPLOYEES = feed_dataset(
    name="employees",
    table="employees",
    title="职工",
    columns=(
        ("person_no", "人员编号"),
        ("name", "姓名"),
        ("gender", "性别"),
        ("id_type", "证件类型"),
        ("id_number", "证件号码"),
        ("birth_date", "出生日期"),
        ("unit_no", "单位编号"),
        ("status", "参保状态"),
        ("updated_at", "更新时间"),
        ("insured", "参保险种信息"),
    ),
    raw=frozenset({"insured"}),
    upper=frozenset({"id_number"}),
)
COLUMNS = EMPLOYEES.columns
