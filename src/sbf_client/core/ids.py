"""Identifiers: 居民身份证号 (GB 11643), 统一社会信用代码 (GB 32100), 组织机构代码 (GB 11714), bank cards.

Also the masking rules for lists and the redaction used as a last line of defence in logs.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import InputError

# GB/T 2260 province-level codes that open a 居民身份证号 (83 = 台湾居民 with a 居住证).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dXx]$")


def id_number_check_char(first17: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("需要17位数字")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def birth_date_of(id_number: str) -> date | None:
    """The birth date written in an 18-digit 居民身份证号, or None when it is not a real date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def gender_of(id_number: str) -> str:
    """性别 from the 顺序码: odd is 男, even is 女."""
    return "男" if int(id_number[16]) % 2 else "女"


def is_valid_id_number(s: str, *, today: date | None = None) -> bool:
    """True for an 18-character 居民身份证号 with a real birth date and a correct check character.

    A lowercase ``x`` is accepted. With ``today`` given, a birth date after it is rejected.
    """
    if not isinstance(s, str) or not _ID_SHAPE.match(s):
        return False
    if s[:2] not in _PROVINCES:
        return False
    born = birth_date_of(s)
    if born is None or born.year < 1800 or (today is not None and born > today):
        return False
    return id_number_check_char(s[:17]) == s[17].upper()


def normalize_id_number(s: str) -> str:
    """Trimmed, with the check character upper-cased: the form the client stores and compares."""
    return s.strip().upper()


# GB 32100: 31 characters (no I, O, Z, S, V); weights are 3**i mod 31.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$")


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a 统一社会信用代码."""
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError("需要17位统一社会信用代码字符")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(s: str) -> bool:
    """True for an 18-character 统一社会信用代码 with a correct GB 32100 check character."""
    if not isinstance(s, str) or not _USCC_SHAPE.match(s):
        return False
    return uscc_check_char(s[:17]) == s[17]


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_SHAPE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for the 8-character body of a 组织机构代码."""
    if len(first8) != 8 or not re.match(r"^[0-9A-Z]{8}$", first8):
        raise ValueError("需要8位组织机构代码本体")
    total = sum(int(c, 36) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_org_code(s: str) -> bool:
    """True for a 9-character 组织机构代码 (hyphen allowed before the check character)."""
    if not isinstance(s, str):
        return False
    s = s.replace("-", "")
    return bool(_ORG_SHAPE.match(s)) and org_code_check_char(s[:8]) == s[8]


_LEGACY_TAXPAYER_ID = re.compile(r"^[0-9A-Z]+$")


def is_legacy_taxpayer_id(s: str) -> bool:
    """A pre-2015 纳税人识别号 of 15, 17 or 20 characters (no check character to verify)."""
    return isinstance(s, str) and len(s) in (15, 17, 20) and bool(_LEGACY_TAXPAYER_ID.match(s))


def is_acceptable_taxpayer_id(s: str) -> bool:
    """What the add-unit flow accepts: a valid 统一社会信用代码 or a legacy 纳税人识别号."""
    return is_valid_uscc(s) or is_legacy_taxpayer_id(s)


def luhn_ok(digits: str) -> bool:
    """The Luhn (ISO/IEC 7812-1 Annex B) check over a string of digits."""
    if not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def is_valid_bank_card(s: str) -> bool:
    """A bank card number: 12 to 19 digits (spaces allowed) passing the Luhn check."""
    if not isinstance(s, str):
        return False
    digits = s.replace(" ", "")
    return 12 <= len(digits) <= 19 and luhn_ok(digits)


def _mask(s: str) -> str:
    if not s:
        return s
    keep = 4 if len(s) > 8 else len(s) // 4
    if keep == 0:
        return "*" * len(s)
    return s[:keep] + "*" * (len(s) - 2 * keep) + s[-keep:]


def mask_id_number(s: str) -> str:
    """Keep the first 4 and the last 4 characters by position: ``4403**********1234``."""
    return _mask(s)


def mask_account(s: str) -> str:
    """Mask a bank account the same way as an ID number, ignoring spaces."""
    return _mask((s or "").replace(" ", ""))


def mask_phone(s: str) -> str:
    """Keep a mobile number's first 3 and last 4 digits (``138****5678``); anything shorter as an account."""
    return s[:3] + "****" + s[-4:] if len(s) >= 11 else mask_account(s)


# Runs of 12+ digits (accounts, cards) and 17 digits + check char (ID numbers) inside free text.
_SENSITIVE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{12,})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")


def redact(text: str) -> str:
    """Mask every ID-number-like, account-like or mobile-number-like digit run inside free text."""
    text = _SENSITIVE.sub(lambda m: _mask(m.group(1)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


def check_taxpayer_id(first: str, second: str | None = None) -> str:
    """The 纳税人识别号 as typed twice: trimmed, upper-cased, equal, and of an accepted form."""
    value = (first or "").strip().upper()
    if not value:
        raise InputError("请输入纳税人识别号。")
    if second is not None and value != (second or "").strip().upper():
        raise InputError("两次输入的纳税人识别号不一致，请重新输入。")
    if not is_acceptable_taxpayer_id(value):
        raise InputError(
            "纳税人识别号格式不正确：应为18位统一社会信用代码，或15、17、20位纳税人识别号。请核对后重新输入。"
        )
    return value
