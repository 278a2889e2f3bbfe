"""The initial 申报密码 rule (M827, M843, P19) and 年月 periods."""

from datetime import date

import pytest

from sbf_client.core import passwords
from sbf_client.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("unit_no", "expected"),
    [
        ("1234", "123400"),  # M827
        ("12345", "123450"),  # M843
        ("123456", "123456"),
        ("3301060012345678", "345678"),
        ("7", "700000"),
        (" 1234 ", "123400"),
    ],
)
def test_initial_password(unit_no, expected):
    assert passwords.initial_password(unit_no) == expected


def test_initial_password_needs_a_unit_number():
    with pytest.raises(ValueError):
        passwords.initial_password("")


def test_collector_initial_password_is_last_six_of_taxpayer_id():
    assert passwords.collector_initial_password("12440300455755717M") == "55717M"
    with pytest.raises(ValueError):
        passwords.collector_initial_password("12345")


def test_any_unit_number_gives_an_initial_password():
    assert passwords.initial_passwords(["1234", "440300123456"]) == {"123400", "123456"}


def test_new_password_problems():
    initial = {"123400"}
    problem = passwords.new_password_problem
    assert problem("", "", initial=initial) == "请输入新申报密码"
    assert "不一致" in problem("abc123x", "abc123y", initial=initial)
    assert "长度" in problem("a1", "a1", initial=initial)
    assert "初始申报密码" in problem("123400", "123400", initial=initial)
    assert "原申报密码" in problem("Abc12345", "Abc12345", initial=initial, current="Abc12345")
    assert "空格" in problem("abc 1234", "abc 1234", initial=initial)
    assert problem("Abc12345", "Abc12345", initial=initial) is None


def test_period_parse_format_and_arithmetic():
    p = Period.parse("2026-11")
    assert str(p) == "2026-11" and Period.parse("202611") == p
    assert p.add(2) == Period(2027, 1) and p.add(-11) == Period(2025, 12)
    assert p.months_until(Period(2027, 2)) == 3
    assert Period.of(date(2024, 2, 29)).last_day() == date(2024, 2, 29)
    assert [str(x) for x in Period(2025, 11).through(Period(2026, 1))] == ["2025-11", "2025-12", "2026-01"]
    assert Period(2025, 12) < Period(2026, 1)


@pytest.mark.parametrize("text", ["2026-13", "2026/11", "26-11", "", "2026-1"])
def test_period_rejects(text):
    with pytest.raises(PeriodError, match="年月"):
        Period.parse(text)
