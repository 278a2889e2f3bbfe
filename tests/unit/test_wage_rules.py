"""缴费工资申报 rules of the employer domain (manual 2.3–2.6), without a server."""

from decimal import Decimal

from sbf_client.core.periods import Period
from sbf_client.modules.employer.domain.wages import Employee, MonthWindow, check_rows, payload

ITEMS = {"10210": "企业职工基本养老保险费", "10212": "职工基本医疗保险费", "10213": "工伤保险费"}


def insured(end=None):
    return [
        {"item": "10210", "base": "7000.00", "start": "2019-01", "end": end, "mode": "1"},
        {"item": "10212", "base": "7200.00", "start": "2019-01", "end": end, "mode": "1"},
        {"item": "10213", "base": "7000.00", "start": "2019-01", "end": end, "mode": "2"},
    ]


STAFF = {
    "11010519491231002X": Employee("E1", "王芳", "01", "11010519491231002X", insured()),
    "440524188001010014": Employee("E2", "李强", "01", "440524188001010014", insured(end="2026-06")),
    "H12345678": Employee("E3", "陈美", "04", "H12345678", [dict(insured()[2])]),
}
NOW = Period(2026, 11)


def check(rows, kind="日常", by="按职工"):
    return check_rows(rows, list(range(2, len(rows) + 2)), STAFF, ITEMS, kind, by, NOW)


def test_a_good_daily_row():
    result = check([{"证件号码": "11010519491231002x", "新缴费工资": "8,000.5", "生效年月": "2026-12"}])
    assert result.ok and not result.warnings
    (line,) = result.lines
    assert (line.employee.key, line.new_wage, str(line.effective_month), line.old_wage) == (
        "E1",
        Decimal("8000.50"),
        "2026-12",
        Decimal("7000.00"),
    )
    assert payload(result.lines, "日常", "按职工") == {
        "declaration_type": "日常",
        "by": "按职工",
        "rows": [{"key": "E1", "item": None, "new_wage": "8000.50", "effective_month": "2026-12"}],
    }


def test_effective_month_after_the_stop_month_is_refused():
    result = check([{"证件号码": "440524188001010014", "新缴费工资": "8000", "生效年月": "2026-07"}])
    assert result.errors == ["第2行：生效年月不能大于该职工的停止缴费年月（李强的停止缴费年月为2026-06）"]


def test_an_earlier_month_warns_about_back_payment():
    result = check([{"证件号码": "11010519491231002X", "新缴费工资": "8000", "生效年月": "2026-03"}])
    assert result.ok and result.warnings == ["第2行：王芳的生效年月2026-03早于系统当前年月，将会产生补缴信息"]


def test_daizheng_items_are_filtered_out():
    only_daizheng = check([{"证件号码": "H12345678", "新缴费工资": "8000", "生效年月": "2026-12"}])
    assert only_daizheng.filtered == 1 and not only_daizheng.lines
    assert "税务代征" in only_daizheng.errors[0]
    by_item = check(
        [
            {"证件号码": "11010519491231002X", "险种": "工伤保险费", "新缴费工资": "8000"},
            {"证件号码": "11010519491231002X", "险种": "10212", "新缴费工资": "8000"},
        ],
        kind="年度",
        by="按险种",
    )
    assert by_item.ok and by_item.filtered == 1 and [line.item for line in by_item.lines] == ["10212"]
    assert by_item.lines[0].old_wage == Decimal("7200.00") and by_item.lines[0].effective_month is None


def test_annual_rows_carry_no_month_and_items_must_be_known():
    result = check(
        [
            {"证件号码": "11010519491231002X", "险种": "大病保险", "新缴费工资": "8000"},
            {
                "证件号码": "11010519491231002X",
                "险种": "职工基本医疗保险费",
                "新缴费工资": "8000",
                "生效年月": "2027-01",
            },
        ],
        kind="年度",
        by="按险种",
    )
    assert result.errors == [
        "第2行：险种“大病保险”无法识别，请填写征收项目名称或代码",
        "第3行：年度缴费工资申报不填写生效年月（由管理子系统按本地区规定确定）",
    ]


def test_wage_format_and_sign():
    result = check(
        [
            {"证件号码": "11010519491231002X", "新缴费工资": "-1", "生效年月": "2026-12"},
            {"证件号码": "440524188001010014", "新缴费工资": "八千", "生效年月": "2026-05"},
            {"新缴费工资": "8000"},
        ]
    )
    assert result.errors == [
        "第2行：新缴费工资须大于0",
        "第3行：新缴费工资须为金额，最多保留两位小数",
        "第4行：缺少证件号码",
    ]


def test_a_wage_beyond_any_real_amount_is_refused_with_its_limit():
    result = check(
        [
            {"证件号码": "11010519491231002X", "新缴费工资": "1" + "0" * 39, "生效年月": "2026-12"},
            {"证件号码": "440524188001010014", "新缴费工资": "100000000", "生效年月": "2026-05"},
        ]
    )
    assert result.errors == [
        "第2行：新缴费工资不能超过99,999,999.99元，请核对金额",
        "第3行：新缴费工资不能超过99,999,999.99元，请核对金额",
    ]


def test_an_effective_month_outside_the_regions_window_is_refused_naming_the_window():
    result = check(
        [
            {"证件号码": "11010519491231002X", "新缴费工资": "8000", "生效年月": "9999-12"},
            {"证件号码": "440524188001010014", "新缴费工资": "8000", "生效年月": "2021-10"},
        ]
    )
    assert result.errors == [
        "第2行：生效年月9999-12超出允许范围，须在2021-11至2027-11之间（当前年月2026-11之前60个月至之后12个月）",
        "第3行：生效年月2021-10超出允许范围，须在2021-11至2027-11之间（当前年月2026-11之前60个月至之后12个月）",
    ]
    edges = check(
        [
            {"证件号码": "11010519491231002X", "新缴费工资": "8000", "生效年月": "2027-11"},
            {"证件号码": "H12345678", "新缴费工资": "8000", "生效年月": "2021-11"},
        ]
    )
    assert not edges.errors and [str(line.effective_month) for line in edges.lines] == ["2027-11"]


def test_the_window_is_the_regions_own():
    rows = [{"证件号码": "11010519491231002X", "新缴费工资": "8000", "生效年月": "2026-08"}]
    narrow = check_rows(rows, [2], STAFF, ITEMS, "日常", "按职工", NOW, MonthWindow(back=2, ahead=0))
    assert narrow.errors == [
        "第2行：生效年月2026-08超出允许范围，须在2026-09至2026-11之间（当前年月2026-11之前2个月至之后0个月）"
    ]
    assert check_rows(rows, [2], STAFF, ITEMS, "日常", "按职工", NOW, MonthWindow(back=3, ahead=0)).ok
    assert MonthWindow() == MonthWindow(back=60, ahead=12)  # what an older 规则文件 without the table means


def test_the_window_stays_within_the_years_a_month_can_have():
    assert MonthWindow(back=60, ahead=12).bounds(Period(9999, 6)) == (Period(9994, 6), Period(9999, 12))
    assert MonthWindow(back=60, ahead=12).bounds(Period(1901, 1)) == (Period(1900, 1), Period(1902, 1))
