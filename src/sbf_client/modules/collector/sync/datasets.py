"""The ``residents`` dataset: the 城乡居民 change feed (contract: ``ResidentData``) into ``residents``."""

from sbf_client.sync.dataset import feed_dataset

RESIDENTS = feed_dataset(
    name="residents",
    table="residents",
    title="城乡居民",
    columns=(
        ("person_no", "人员编号"),
        ("name", "姓名"),
        ("gender", "性别"),
        ("id_type", "证件类型"),
        ("id_number", "证件号码"),
        ("birth_date", "出生日期"),
        ("village", "所属村（社区）"),
        ("status", "参保状态"),
        ("updated_at", "更新时间"),
        ("insured", "参保险种信息"),
    ),
    raw=frozenset({"insured"}),
    upper=frozenset({"id_number"}),
)
