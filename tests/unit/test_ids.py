"""Identifier rules against vectors published in the standards and in real registrations."""

from datetime import date

import pytest

from sbf_client.core import ids

# GB 11643-1999, the standard's own examples (Annex A), and one with a lowercase check character.
STANDARD_ID_NUMBERS = ["11010519491231002X", "440524188001010014", "11010519491231002x"]


@pytest.mark.parametrize("number", STANDARD_ID_NUMBERS)
def test_standard_id_numbers_are_valid(number):
    assert ids.is_valid_id_number(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "wrong check character"),
        ("11010519491231002", "17 characters"),
        ("11010519490231002X", "1949-02-31 does not exist"),
        ("110105194913310028", "month 13"),
        ("00010519491231002X", "no such province"),
        ("11010519491231002Y", "check character must be a digit or X"),
        ("", "empty"),
        ("11010519491231002X ", "trailing space"),
    ],
)
def test_invalid_id_numbers(number, why):
    assert not ids.is_valid_id_number(number), why


def test_future_birth_date_rejected_only_when_today_is_given():
    first17 = "44030520300101001"
    number = first17 + ids.id_number_check_char(first17)
    assert ids.is_valid_id_number(number)
    assert not ids.is_valid_id_number(number, today=date(2026, 11, 23))


def test_birth_date_and_gender_are_read_from_the_number():
    assert ids.birth_date_of("11010519491231002X") == date(1949, 12, 31)
    assert ids.gender_of("11010519491231002X") == "女"  # 顺序码 002 is even
    assert ids.gender_of("440524188001010014") == "男"  # 001 is odd


# GB 32100-2015's worked example, the manual's 选择单位 sample (M817), and published registrations
# (华为技术有限公司, 深圳市腾讯计算机系统有限公司, 阿里巴巴（中国）有限公司).
REAL_USCC = [
    "91350100M000100Y43",
    "12440300455755717M",
    "914403001922038216",
    "91440300708461136T",
    "91330100716105852F",
]


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_unified_social_credit_codes_are_valid(code):
    assert ids.is_valid_uscc(code)
    assert ids.is_valid_org_code(code[8:17])


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y44",  # check character off by one
        "124403004557454470M",  # the manual's second sample has 19 characters
        "91350100M000100YI3",  # I is not in the GB 32100 character set
        "9135010OM000100Y43",  # letter O in the 行政区划 part
        "91350100m000100y43",  # lowercase is not a GB 32100 character
    ],
)
def test_invalid_unified_social_credit_codes(code):
    assert not ids.is_valid_uscc(code)


def test_every_single_character_error_is_detected():
    code = REAL_USCC[0]
    for position in range(18):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement == code[position]:
                continue
            mutated = code[:position] + replacement + code[position + 1 :]
            assert not ids.is_valid_uscc(mutated), mutated


def test_legacy_taxpayer_ids_are_accepted_without_a_check():
    assert ids.is_acceptable_taxpayer_id("440301192203821")  # 15: 行政区划 + 组织机构代码
    assert ids.is_acceptable_taxpayer_id("44030119220382100")  # 17
    assert ids.is_acceptable_taxpayer_id("44030519900101123401")  # 20: 身份证号 + 2
    assert not ids.is_acceptable_taxpayer_id("4403011922038")  # 13
    assert not ids.is_acceptable_taxpayer_id("91350100M000100Y44")  # 18 but a bad USCC


@pytest.mark.parametrize(
    "number",
    [
        "79927398713",  # ISO/IEC 7812-1 Annex B worked example
        "4111111111111111",  # Visa test card
        "6216261000000000018",  # UnionPay test card, 19 digits
    ],
)
def test_luhn_valid(number):
    assert ids.luhn_ok(number.replace(" ", ""))


def test_bank_card_length_and_luhn():
    assert ids.is_valid_bank_card("4111111111111111")
    assert ids.is_valid_bank_card("6216 2610 0000 0000 018")
    assert not ids.is_valid_bank_card("4111111111111112")
    assert not ids.is_valid_bank_card("79927398713")  # Luhn-valid, but 11 digits is no card
    assert not ids.is_valid_bank_card("62162610000000000180000")


def test_masks_keep_first_and_last_four_by_position():
    assert ids.mask_id_number("440305199001011234") == "4403**********1234"
    assert ids.mask_id_number("11010519491231002X") == "1101**********002X"
    assert ids.mask_account("6216 2610 0000 0000 018") == "6216***********0018"
    assert ids.mask_account("12345678") == "12****78"
    assert ids.mask_account("") == ""


def test_redact_masks_numbers_inside_text():
    text = "职工 440305199001011234 账号 6216261000000000018 金额 1234.56 单位编号 12345"
    out = ids.redact(text)
    assert "440305199001011234" not in out and "4403**********1234" in out
    assert "6216261000000000018" not in out
    assert "1234.56" in out and "12345" in out


def test_phone_numbers_are_masked_alike_in_lists_and_in_free_text():
    assert ids.mask_phone("13812345678") == "138****5678"
    out = ids.redact("联系电话 13812345678，单位编号 9901010000135")
    assert "13812345678" not in out and "138****5678" in out
    assert "9901010000135" not in out  # 13 digits: an account-like run, masked as one
