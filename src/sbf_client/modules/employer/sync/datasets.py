"""The ``employees`` dataset: the employee change feed (contract: ``EmployeeData``) into ``employees``.

Each row also carries its name's pinyin search keys (``name_initials``, ``name_pinyin``), computed as it is
staged, and ``employees_fts`` (the substring index of 姓名 and its pinyin) follows each run.
"""

from sbf_client.sync.dataset import Derived, feed_dataset

from ..domain.pinyin import pinyin_keys

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
    derived=(Derived(source="name", columns=("name_initials", "name_pinyin"), compute=pinyin_keys),),
    text_index="employees_fts",
)
COLUMNS = EMPLOYEES.columns
