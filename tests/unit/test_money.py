"""人民币大写 and amount handling against the PBOC examples and the seed documents."""

from decimal import Decimal

import pytest

from sbf_client.core import money

# 《正确填写票据和结算凭证的基本规定》 (中国人民银行《支付结算办法》附件一) gives these amounts. The rules let
# 整 follow 角; the product writes it, as the seed voucher does ("贰角整", M2166).
PBOC_EXAMPLES = [
    ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("1680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("15.80", "人民币壹拾伍元捌角整"),
    ("1004.56", "人民币壹仟零肆元伍角陆分"),
]


@pytest.mark.parametrize(("amount", "expected"), PBOC_EXAMPLES)
def test_pboc_examples(amount, expected):
    assert money.rmb_upper(Decimal(amount), prefix=True) == expected


def test_seed_documents():
    assert money.rmb_upper(Decimal("0.20")) == "贰角整"  # 银行端查询缴税凭证, M2166
    assert money.rmb_upper(Decimal("3533.34"), prefix=True) == "人民币叁仟伍佰叁拾叁元叁角肆分"  # 完税证明, M3079


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0", "零元整"),
        ("0.04", "肆分"),
        ("10", "壹拾元整"),
        ("10.02", "壹拾元零贰分"),
        ("100000005", "壹亿零伍元整"),
        ("1000500", "壹佰万零伍佰元整"),
        ("100010000", "壹亿零壹万元整"),
        ("1010", "壹仟零壹拾元整"),
        ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
        ("1000000000000", "壹万亿元整"),
    ],
)
def test_zeros_and_units(amount, expected):
    assert money.rmb_upper(amount) == expected


def test_rounds_half_up_to_fen():
    assert money.rmb_upper("0.005") == "壹分"
    assert money.rmb_upper("0.004") == "零元整"
    assert money.rmb_upper("2.675") == "贰元陆角捌分"  # float would give 2.67


def test_negative_amounts_for_refunds():
    assert money.rmb_upper("-300", prefix=True) == "人民币负叁佰元整"
    assert money.rmb_upper("-0.20") == "负贰角整"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        money.rmb_upper(1.5)  # type: ignore[arg-type]


def test_too_large():
    with pytest.raises(money.AmountError):
        money.rmb_upper(Decimal(10) ** 16)


def test_fen_round_trip_and_format():
    assert money.to_fen("1234.565") == 123457
    assert money.from_fen(123457) == Decimal("1234.57")
    assert money.format_amount("10001452") == "10,001,452.00"
    assert money.format_amount("0") == "0.00"


@pytest.mark.parametrize("text", ["1,234.5", "1234.50", "-3", "0.01", "10,001,452.00"])
def test_parse_amount_accepts(text):
    assert money.parse_amount(text) == Decimal(text.replace(",", "")).quantize(Decimal("0.01"))


def test_parse_amount_reads_full_width_input():
    assert money.parse_amount("１，２３４．５") == Decimal("1234.50")


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1,23", "NaN", "1e3", "١٢٣"])
def test_parse_amount_rejects_with_chinese_message(text):
    with pytest.raises(money.AmountError, match="不是有效的金额"):
        money.parse_amount(text)


@pytest.mark.parametrize("digits", [29, 40, 400])
def test_an_amount_longer_than_the_decimal_context_is_still_a_number(digits):
    """Rules refuse a huge amount in their own words; parsing must not overflow on the way (InvalidOperation)."""
    amount = money.parse_amount("9" * digits + ".5")
    assert amount == Decimal("9" * digits + ".50") and amount > Decimal("99999999.99")
