"""The 演示地区's published taxpayers: the fixed identities of the demo units, known to the client and the sandbox.

The sandbox builds its world from them; the client shows them in 添加单位 from the very first moment (a new
user needs to know what to type before any demo data exists). The people inside each unit come from the
sandbox's seed, not from here. The 行政区划 part of every synthetic 统一社会信用代码 is 99xxxx, which no real
registration uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sbf_client.core.ids import org_code_check_char, uscc_check_char
from sbf_client.core.passwords import collector_initial_password, initial_password

ZIZHU_AREA = "990101"  # 演示地区（税务自主模式）
DAIZHENG_AREA = "990201"  # 演示地区（税务代征模式）


def synthetic_uscc(authority_and_kind: str, area: str, org_body: str) -> str:
    """A 统一社会信用代码 with valid GB 11714 and GB 32100 check characters."""
    org = org_body + org_code_check_char(org_body)
    first17 = authority_and_kind + area + org
    return first17 + uscc_check_char(first17)


@dataclass(frozen=True)
class UnitSpec:
    label: str
    unit_id: str
    region_id: str
    business: str  # employer / collector
    taxpayer_id: str
    name: str
    unit_nos: tuple[tuple[str, str], ...]  # (单位编号, 社保经办机构)
    people: int  # employees, or 城乡居民 for a collector; the ``large`` unit takes --scale
    registered_on: str
    public_sector: bool = False  # 机关事业单位: 10218 instead of 10210, bases per 险种
    notes: str = ""
    kind: str = "单位"
    villages: tuple[str, ...] = field(default=())


_HOSPITAL = synthetic_uscc("12", ZIZHU_AREA, "45575571")
_AGENCY_HIGHTECH = "演示市高新区社会保险事业管理中心"
_AGENCY_PUBLIC = "演示市机关事业单位社会保险中心"
_AGENCY_MEDICAL = "演示市医疗保障事业管理中心"
_AGENCY_COUNTY = "演示县社会保险事业管理局"

UNITS: tuple[UnitSpec, ...] = (
    UnitSpec(
        "basic",
        "Z0001",
        "demo-zizhu",
        "employer",
        synthetic_uscc("91", ZIZHU_AREA, "MA5D0001"),
        "演示市云帆科技有限公司",
        (("9901010000135", _AGENCY_HIGHTECH),),
        60,
        "2016-04-28",
    ),
    UnitSpec(
        "shared-a",
        "Z0002",
        "demo-zizhu",
        "employer",
        _HOSPITAL,
        "演示市妇幼保健院",
        (("9901010000217", _AGENCY_HIGHTECH),),
        40,
        "2016-04-28",
        public_sector=True,
        notes="与“演示市妇幼保健院东院区”共用纳税人识别号",
    ),
    UnitSpec(
        "shared-b",
        "Z0003",
        "demo-zizhu",
        "employer",
        _HOSPITAL,
        "演示市妇幼保健院东院区",
        (("9901010000225", _AGENCY_HIGHTECH),),
        25,
        "2018-09-03",
        public_sector=True,
        notes="与“演示市妇幼保健院”共用纳税人识别号",
    ),
    UnitSpec(
        "short4",
        "Z0004",
        "demo-zizhu",
        "employer",
        synthetic_uscc("91", ZIZHU_AREA, "MA5D0002"),
        "演示市青禾餐饮管理有限公司",
        (("1234", _AGENCY_HIGHTECH),),
        12,
        "2019-03-15",
        notes="单位编号不足6位",
    ),
    UnitSpec(
        "short5",
        "Z0005",
        "demo-zizhu",
        "employer",
        synthetic_uscc("92", ZIZHU_AREA, "MA5D0003"),
        "演示市晨光文具店",
        (("12345", _AGENCY_HIGHTECH),),
        8,
        "2020-07-01",
        notes="单位编号不足6位",
    ),
    UnitSpec(
        "multi",
        "Z0006",
        "demo-zizhu",
        "employer",
        synthetic_uscc("12", ZIZHU_AREA, "45575608"),
        "演示市第一中学",
        (("9901020000017", _AGENCY_PUBLIC), ("9901030000021", _AGENCY_MEDICAL), ("9901010000143", _AGENCY_HIGHTECH)),
        180,
        "2016-04-28",
        public_sector=True,
        notes="多个单位编号、多个社保经办机构",
    ),
    UnitSpec(
        "legacy",
        "Z0007",
        "demo-zizhu",
        "employer",
        "990101592203821",
        "演示市老城五金加工厂",
        (("9901010000151", _AGENCY_HIGHTECH),),
        15,
        "2009-11-20",
        notes="15位旧纳税人识别号",
    ),
    UnitSpec(
        "large",
        "Z0008",
        "demo-zizhu",
        "employer",
        synthetic_uscc("91", ZIZHU_AREA, "MA5D0004"),
        "演示市宏远物流集团有限公司",
        (("9901010000168", _AGENCY_HIGHTECH), ("9901010000176", _AGENCY_HIGHTECH)),
        100_000,
        "2012-05-10",
        notes="大规模单位",
    ),
    UnitSpec(
        "collector",
        "Z0101",
        "demo-zizhu",
        "collector",
        synthetic_uscc("11", ZIZHU_AREA, "00001234"),
        "演示市高新区桃源街道办事处",
        (("9901019000011", _AGENCY_HIGHTECH),),
        500,
        "2016-04-28",
        villages=("桃源社区", "清水社区", "新华社区", "枫林村", "石门村"),
    ),
    UnitSpec(
        "dz-basic",
        "D0001",
        "demo-daizheng",
        "employer",
        synthetic_uscc("91", DAIZHENG_AREA, "MA6K0001"),
        "演示县丰收农业发展有限公司",
        (("9902010000084", _AGENCY_COUNTY),),
        80,
        "2017-08-08",
    ),
    UnitSpec(
        "dz-collector",
        "D0101",
        "demo-daizheng",
        "collector",
        synthetic_uscc("11", DAIZHENG_AREA, "00005678"),
        "演示县石桥镇人民政府",
        (("9902019000012", _AGENCY_COUNTY),),
        300,
        "2016-04-28",
        villages=("石桥村", "河东村", "河西村", "石桥社区"),
    ),
)
UNIT_BY_ID = {u.unit_id: u for u in UNITS}
LARGE_LABEL = "large"


@dataclass(frozen=True)
class DemoTaxpayer:
    """A row of 添加单位's list of demo taxpayers (double-click to fill)."""

    taxpayer_id: str
    name: str
    password_hint: str  # e.g. “000135（单位编号 9901010000135）”


def password_hint(business: str, taxpayer_id: str, unit_nos: list[str], is_initial: bool = True) -> str:
    """What a demo user is told about the 申报密码 of a unit (or of the units of one 纳税人识别号)."""
    if not is_initial:
        return "已修改申报密码（初始申报密码不再有效）"
    if business == "collector":
        return f"初始申报密码：纳税人识别号后6位 {collector_initial_password(taxpayer_id)}"
    shown = "、".join(f"{no}→{initial_password(no)}" for no in unit_nos)
    return f"初始申报密码：任一单位编号后6位，不足6位末尾补0（{shown}）"


def _short_hint(business: str, taxpayer_id: str, unit_nos: list[str]) -> str:
    """The same, said in a table cell whose header already says 初始申报密码."""
    if business == "collector":
        return f"{collector_initial_password(taxpayer_id)}（纳税人识别号后6位）"
    return "；".join(f"{initial_password(no)}（单位编号 {no}）" for no in unit_nos)


def demo_taxpayers(region_id: str, business: str) -> list[DemoTaxpayer]:
    """The demo taxpayers of one region and business, one row per 纳税人识别号 (units sharing one are merged,
    as 添加单位 asks for the 纳税人识别号 and then offers 选择单位)."""
    grouped: dict[str, list[UnitSpec]] = {}
    for spec in UNITS:
        if spec.region_id == region_id and spec.business == business:
            grouped.setdefault(spec.taxpayer_id, []).append(spec)
    return [
        DemoTaxpayer(
            taxpayer_id,
            " / ".join(spec.name for spec in specs),
            _short_hint(business, taxpayer_id, [no for spec in specs for no, _agency in spec.unit_nos]),
        )
        for taxpayer_id, specs in grouped.items()
    ]
