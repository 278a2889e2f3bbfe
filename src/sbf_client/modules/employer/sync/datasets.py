"""The ``employees`` dataset: the employee change feed (contract: ``EmployeeData``) into ``employees``.

Each distinct name gets its pinyin search keys once, in ``employee_names`` (``initials``, ``pinyin``), with
``employee_names_fts`` (the substring index of 姓名 and its pinyin); each run adds the names it brings in.
"""

from sbf_client.sync.dataset import ValueKeys, feed_dataset

from ..domain.pinyin import pinyin_keys

NAME_KEYS = ValueKeys(
    source="name",
    table="employee_names",
    columns=("initials", "pinyin"),
    compute=pinyin_keys,
    text_index="employee_names_fts",
)

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
    value_keys=NAME_KEYS,
)
COLUMNS = EMPLOYEES.columns
