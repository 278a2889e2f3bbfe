"""申报管理 › 申报密码设置 (manual 4.5, M5216–5223): the logged-in unit's 申报密码 changed, old / new / new again.

The same change as the login's 修改申报密码 (``UnitService.change_password``): the rules are checked here before
anything is sent, then the 管理子系统 checks the 原申报密码 and the rules again; after a change the unit's offline
verifier on this machine is the new password's. A forgotten password is reset at the tax office only (P20).
"""

from __future__ import annotations

from sbf_client import logs
from sbf_client.core.errors import InputError
from sbf_client.core.passwords import MAX_STORED_LENGTH

from .session import UnitSession
from .units import UnitService

CHANGING = "修改申报密码"
CHANGED = "修改成功"
NOTES = (
    "（一）设定安全密码后需要点击【保存】按钮进行保存。",
    "（二）申报密码修改后，请牢记，未登录状态下，客户端暂不支持重置密码。",
)


def check_declaration_password(session: UnitSession, old: str, new: str, confirm: str) -> None:
    """``InputError`` when the 原申报密码 is missing or the new one breaks a rule: nothing is then sent."""
    for secret in (old, new, confirm):
        logs.remember_secret(secret)
    if not old:
        raise InputError("请输入原申报密码。")
    if len(old) > MAX_STORED_LENGTH:
        raise InputError(f"原申报密码不超过{MAX_STORED_LENGTH}位，您输入的有{len(old)}位，请检查后重新输入。")
    UnitService(session.context).check_new_password(old, new, confirm, _unit_nos(session))


def change_declaration_password(session: UnitSession, old: str, new: str, confirm: str) -> None:
    """【保存】: refused before anything is sent as ``check_declaration_password`` says; offline, refused with the
    reason the session is offline; refused by the server (``ApiError``, its code and message) when the
    原申报密码 is wrong. After the change the unit opens offline with the new password only."""
    check_declaration_password(session, old, new, confirm)
    server = session.require_server(CHANGING)
    UnitService(session.context).change_password(server, old, new, confirm, _unit_nos(session))


def _unit_nos(session: UnitSession) -> list[str]:
    """The unit's 单位编号: the initial 申报密码 of any of them may not be the new one."""
    return [r.unit_no for r in session.registrations()]
