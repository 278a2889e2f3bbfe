"""Money: ``Decimal`` only, rounded half-up to 分, and 人民币大写 for 票据.

人民币大写 follows the PBOC rules 《正确填写票据和结算凭证的基本规定》: 整 after 元 or 角 when there is no 分,
one 零 for a run of zeros inside the number, 零 after 元 when the 元 digit or the 角 digit is zero and a
fraction follows, and 壹拾 (never a bare 拾).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

FEN = Decimal("0.01")
_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = ("", "万", "亿", "万亿")
_MAX = Decimal(10) ** 16


class AmountError(ValueError):
    """An amount the user typed that is not a valid sum of money; the message is user-facing."""


def to_decimal(value: Decimal | int | str) -> Decimal:
    """An exact ``Decimal`` from an int, a string or a Decimal; floats are refused."""
    if isinstance(value, bool | float):
        raise TypeError("金额不能用浮点数表示")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise AmountError(f"“{value}”不是有效的金额") from exc
    if not d.is_finite():
        raise AmountError(f"“{value}”不是有效的金额")
    return d


def quantize_fen(value: Decimal | int | str) -> Decimal:
    """Round half-up to 分 (two decimal places), however many digits: a huge amount stays a number that rules
    can refuse with their own words, instead of overflowing the default 28-digit context."""
    amount = to_decimal(value)
    digits = Context(prec=max(28, amount.adjusted() + 4))
    return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=digits)


_AMOUNT_TEXT = re.compile(r"^-?[0-9]{1,3}(,[0-9]{3})*(\.[0-9]{1,2})?$|^-?[0-9]+(\.[0-9]{1,2})?$")


def parse_amount(text: str) -> Decimal:
    """Parse an amount a user typed (``1,234.5``): at most two decimals, else a Chinese error.

    Full-width digits and punctuation from a Chinese input method are read as their ASCII forms.
    """
    t = unicodedata.normalize("NFKC", text or "").strip()
    if not _AMOUNT_TEXT.match(t):
        raise AmountError(f"“{text}”不是有效的金额，请输入数字，最多保留两位小数")
    return quantize_fen(t)


def to_fen(value: Decimal | int | str) -> int:
    """Integer 分, the form amounts are stored in."""
    return int(quantize_fen(value) * 100)


def from_fen(fen: int) -> Decimal:
    """Back from integer 分 to a two-place ``Decimal``."""
    return (Decimal(fen) / 100).quantize(FEN)


def format_amount(value: Decimal | int | str) -> str:
    """``#,##0.00`` as the manual's tables print money."""
    return f"{quantize_fen(value):,.2f}"


def _section_upper(n: int) -> str:
    """Upper-case text of 1..9999 without its section unit; a zero run inside becomes one 零."""
    out: list[str] = []
    pending_zero = False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer_upper(n: int) -> str:
    sections = []
    while n:
        n, section = divmod(n, 10000)
        sections.append(section)
    out: list[str] = []
    pending_zero = False
    for index in range(len(sections) - 1, -1, -1):
        section = sections[index]
        if section == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or section < 1000):
            out.append("零")
        pending_zero = False
        unit = _SECTION_UNITS[index]
        if index == 3 and sections[2]:
            unit = "万"  # 9999万9999亿: the 亿 that follows carries the 亿
        out.append(_section_upper(section) + unit)
    return "".join(out)


def rmb_upper(amount: Decimal | int | str, *, prefix: bool = False) -> str:
    """人民币大写 of an amount, rounded half-up to 分; ``prefix`` puts 人民币 in front.

    0.20 → 贰角整, 3533.34 → 叁仟伍佰叁拾叁元叁角肆分, 1680.32 → 壹仟陆佰捌拾元零叁角贰分.
    A negative amount (a refund) is written with 负 before the digits.
    """
    value = quantize_fen(amount)
    if abs(value) >= _MAX:
        raise AmountError("金额超出可以大写的范围")
    fen_total = int(abs(value) * 100)
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    parts: list[str] = []
    if yuan:
        parts.append(_integer_upper(yuan) + "元")
    if jiao:
        if yuan and yuan % 10 == 0:
            parts.append("零")
        parts.append(_DIGITS[jiao] + "角")
    if fen:
        if yuan and not jiao:
            parts.append("零")
        parts.append(_DIGITS[fen] + "分")
    elif not parts:
        parts.append("零元整")
    else:
        parts.append("整")
    text = ("负" if value < 0 else "") + "".join(parts)
    return ("人民币" + text) if prefix else text
