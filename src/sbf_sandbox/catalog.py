"""The sandbox's world: regions, code tables (规则文件) and the demo taxpayers and units.

Identities (纳税人识别号, 单位编号, names) are fixed so that documentation and users can rely on them;
the people inside each unit come from the seed. The 行政区划 part of every synthetic 统一社会信用代码 is
99xxxx, which no real registration uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from sbf_client.remote.contract.demo import (  # noqa: F401  (the sandbox's modules import them from here)
    DAIZHENG_AREA,
    LARGE_LABEL,
    UNIT_BY_ID,
    UNITS,
    ZIZHU_AREA,
    UnitSpec,
)
from sbf_client.remote.contract.models import MONTHS_AHEAD, MONTHS_BACK, WAGE_PERIOD_TABLE

CODE_TABLES_VERSION = "2026.12.01"  # wage_period_limits added

CODE_TABLES: dict[str, dict[str, str]] = {
    "id_type": {
        "01": "居民身份证",
        "02": "中国人民解放军军官证",
        "03": "中国人民武装警察警官证",
        "04": "香港特区护照/身份证明",
        "05": "澳门特区护照/身份证明",
        "06": "台湾居民来往大陆通行证",
        "07": "外国人永久居留身份证",
        "08": "外国护照",
    },
    "gender": {"1": "男", "2": "女"},
    "employee_status": {"1": "正常缴费", "2": "停止缴费"},
    "resident_status": {"1": "正常参保", "2": "暂停参保", "3": "终止参保"},
    "mode": {"1": "税务自主", "2": "税务代征"},
    "item": {
        "10210": "企业职工基本养老保险费",
        "10211": "失业保险费",
        "10212": "职工基本医疗保险费",
        "10213": "工伤保险费",
        "10214": "生育保险费",
        "10216": "城乡居民基本养老保险费",
        "10217": "城乡居民基本医疗保险费",
        "10218": "机关事业单位基本养老保险费",
    },
    "category": {
        "102100001": "企业职工基本养老保险（单位缴纳）",
        "102110001": "失业保险（单位缴纳）",
        "102120001": "职工基本医疗保险（单位缴纳）",
        "102130001": "工伤保险",
        "102140001": "生育保险",
        "102160001": "城乡居民基本养老保险（个人缴纳）",
        "102170001": "城乡居民基本医疗保险（个人缴纳）",
        "102180001": "机关事业单位基本养老保险（单位缴纳）",
    },
    "sub": {
        "1021000011": "城镇企业职工",
        "1021100011": "城镇企业职工失业",
        "1021200011": "城镇职工基本医疗",
        "1021300011": "城镇职工工伤",
        "1021400011": "城镇职工生育",
        "1021600011": "城乡居民养老",
        "1021700011": "城乡居民医疗",
        "1021800011": "机关事业单位工作人员",
    },
    "special": {
        "101": "城镇职工在职",
        "102": "城镇职工生育在职",
        "103": "城镇职工机关事业在编",
        "201": "农民合同制工人",
        "301": "退休返聘人员",
    },
    "grade": {
        "01": "一档（每年200元）",
        "02": "二档（每年300元）",
        "03": "三档（每年500元）",
        "04": "四档（每年1000元）",
        "05": "五档（每年2000元）",
        "11": "城乡居民医保（每年380元）",
    },
    # The 生效年月 a 日常 缴费工资申报 may name, in months around the current one (the 管理子系统 refuses others).
    WAGE_PERIOD_TABLE: {MONTHS_BACK: "60", MONTHS_AHEAD: "12"},
}

NOTICES: tuple[tuple[str, str, str], ...] = (
    (
        "2026-01-05 09:00:00",
        "关于启用社保费管理客户端的公告",
        "为方便缴费人办理社会保险费业务，本地区已启用社保费管理客户端。缴费单位可通过客户端办理职工参保信息更新、"
        "缴费工资申报、社保费申报与缴纳、证明打印等业务。使用中如有疑问，请咨询主管税务机关。",
    ),
    (
        "2026-06-20 10:30:00",
        "关于2026年度社会保险缴费基数上下限的通知",
        "根据本地区2025年全口径城镇单位就业人员平均工资，2026年度职工社会保险缴费基数下限为社会平均工资的60%，"
        "上限为社会平均工资的300%。请各用人单位于规定期限内完成年度缴费工资申报。",
    ),
    (
        "2026-11-01 08:30:00",
        "关于做好2027年度城乡居民基本医疗保险费征收工作的通知",
        "2027年度城乡居民基本医疗保险集中征收期为2026年9月1日至12月31日。请各代收单位做好宣传和代收工作，"
        "及时为城乡居民办理参保缴费。",
    ),
)


@dataclass(frozen=True)
class RegionSpec:
    region_id: str
    name: str
    mode: str
    avg_wage_fen: int
    area: str  # 行政区划 of the synthetic registrations
    tax_authority: str
    tax_branch: str


REGIONS = (
    RegionSpec(
        "demo-zizhu",
        "演示地区（税务自主模式）",
        "税务自主模式",
        900_000,
        ZIZHU_AREA,
        "国家税务总局演示市高新区税务局",
        "国家税务总局演示市高新区税务局第一税务所",
    ),
    RegionSpec(
        "demo-daizheng",
        "演示地区（税务代征模式）",
        "税务代征模式",
        750_000,
        DAIZHENG_AREA,
        "国家税务总局演示县税务局",
        "国家税务总局演示县税务局石桥税务分局",
    ),
)
REGION_BY_ID = {r.region_id: r for r in REGIONS}
