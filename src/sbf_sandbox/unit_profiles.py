"""The demo units' 基本信息 as the 管理子系统 registered them (单位信息, manual 4.4): fixed, like their identities.

Some are blank, as in the manual's sample (a 个体 registers no 财务负责人, 邮政编码 or 电子邮箱). The addresses,
telephone numbers and people are made up; the e-mail domains are under ``example.com``, reserved for examples.
"""

from __future__ import annotations

from typing import Any

_NO, _YES = False, True

# unit_id → (财务负责人, 法定代表人（或单位负责人）, 行业, 企业类型, 地址, 邮政编码, 联系电话, 电子邮箱, 上市公司)
_PROFILES: dict[str, tuple[str, str, str, str, str, str, str, str, bool]] = {
    "Z0001": (
        "周敏",
        "陈志远",
        "软件和信息技术服务业",
        "有限责任公司（自然人投资或控股）",
        "演示市高新区科创大道88号云帆大厦12层",
        "990101",
        "0990-86012345",
        "caiwu@yunfan.example.com",
        _NO,
    ),
    "Z0002": (
        "刘静",
        "王淑芬",
        "卫生",
        "事业单位",
        "演示市高新区健康路16号",
        "990101",
        "0990-86023120",
        "",
        _NO,
    ),
    "Z0003": ("", "王淑芬", "卫生", "事业单位", "演示市高新区东湖路203号", "", "0990-86023388", "", _NO),
    "Z0004": (
        "",
        "李青禾",
        "餐饮业",
        "有限责任公司（自然人独资）",
        "演示市高新区美食街5号",
        "",
        "0990-86337021",
        "",
        _NO,
    ),
    "Z0005": ("", "赵晨光", "文具用品零售", "内资个体", "演示市高新区学府路21号", "", "", "", _NO),
    "Z0006": (
        "孙建国",
        "郑宏伟",
        "中等教育",
        "事业单位",
        "演示市老城区文昌路1号",
        "990102",
        "0990-86105500",
        "office@yizhong.example.com",
        _NO,
    ),
    "Z0007": ("", "钱德厚", "金属制品业", "集体所有制", "演示市老城区铁匠巷12号", "990103", "0990-83312456", "", _NO),
    "Z0008": (
        "吴海燕",
        "黄宏远",
        "道路运输业",
        "股份有限公司（上市）",
        "演示市高新区物流园区宏远路1号",
        "990101",
        "0990-86998888",
        "ir@hongyuan.example.com",
        _YES,
    ),
    "Z0101": (
        "林秀英",
        "何建军",
        "国家机构",
        "机关",
        "演示市高新区桃源街道桃源路100号",
        "990101",
        "0990-86201100",
        "",
        _NO,
    ),
    "D0001": (
        "",
        "张丰收",
        "农业",
        "有限责任公司（自然人投资或控股）",
        "演示县石桥镇丰收路8号",
        "",
        "0991-5123456",
        "",
        _NO,
    ),
    "D0101": ("马玉兰", "杨振华", "国家机构", "机关", "演示县石桥镇人民路1号", "990201", "0991-5100001", "", _NO),
}
_FIELDS = (
    "finance_officer",
    "legal_representative",
    "industry",
    "enterprise_type",
    "address",
    "postcode",
    "phone",
    "email",
    "listed",
)


def basic_info(unit_id: str) -> dict[str, Any]:
    """A unit's 基本信息 (``UnitBasicInfo``); a unit without one registers only blanks."""
    values = _PROFILES.get(unit_id)
    return dict(zip(_FIELDS, values, strict=True)) if values else {}
