"""申报密码 rules: the initial password and what a new password must satisfy."""

from __future__ import annotations

INITIAL_LENGTH = 6
MIN_LENGTH = 6
MAX_LENGTH = 20  # of a new 申报密码 set in this client
MAX_STORED_LENGTH = 64  # of any 申报密码 a server may hold (set elsewhere, under older rules)


def initial_password(unit_no: str) -> str:
    """用人单位: the last six characters of a 单位编号, padded at the end with 0 when shorter.

    "1234" → "123400", "12345" → "123450", "3301060012345678" → "345678".
    """
    unit_no = (unit_no or "").strip()
    if not unit_no:
        raise ValueError("单位编号为空")
    return unit_no[-INITIAL_LENGTH:].ljust(INITIAL_LENGTH, "0")


def collector_initial_password(taxpayer_id: str) -> str:
    """代收单位: the last six characters of the 纳税人识别号, letters kept as they are."""
    taxpayer_id = (taxpayer_id or "").strip()
    if len(taxpayer_id) < INITIAL_LENGTH:
        raise ValueError("纳税人识别号不足6位")
    return taxpayer_id[-INITIAL_LENGTH:]


def initial_passwords(unit_nos: list[str]) -> set[str]:
    """Every password that counts as initial for a unit: one per 单位编号 ("任一单位编号")."""
    return {initial_password(n) for n in unit_nos if n and n.strip()}


def new_password_problem(new: str, confirm: str, *, initial: set[str], current: str | None = None) -> str | None:
    """The Chinese message saying what is wrong with a new 申报密码, or None when it may be saved."""
    if not new:
        return "请输入新申报密码"
    if new != confirm:
        return "两次输入的新申报密码不一致，请重新输入"
    if not MIN_LENGTH <= len(new) <= MAX_LENGTH:
        return f"新申报密码长度须为{MIN_LENGTH}至{MAX_LENGTH}位"
    if any(c.isspace() for c in new) or not new.isascii() or not new.isprintable():
        return "新申报密码只能包含字母、数字和英文符号，不能包含空格"
    if new in initial:
        return "新申报密码不能与初始申报密码相同，请重新设置"
    if current is not None and new == current:
        return "新申报密码不能与原申报密码相同，请重新设置"
    return None
