"""登录密码设置 (manual 4.3): an optional password that protects the whole desktop client on a shared PC.

It is not the 申报密码: it never leaves this machine and opens no unit. When it is set, the window asks for it
at start, before 选择地区 and 单位管理; without it nothing of the client is reachable. The command line is not
gated: every command that touches a unit asks for that unit's own 申报密码.

The password is kept only as an Argon2id verifier in the app database (``store/client_password.py``).
Every check of it — at start, and the 原密码 when changing or removing it — counts against the same
failure counter: after five wrong passwords in a row each try waits 5 s, 10 s, 20 s… up to 15 minutes
(``store/security.delay_after``, the unit login's rule), and the count survives a restart. The time comes
from the context's clock.
"""

from __future__ import annotations

from sbf_client import logs
from sbf_client.core.clock import format_timestamp
from sbf_client.core.errors import InputError
from sbf_client.core.passwords import MAX_LENGTH, MIN_LENGTH
from sbf_client.store.client_password import ClientPasswordStore
from sbf_client.store.security import FREE_ATTEMPTS, delay_after

from .context import ClientContext

WRONG_OLD = "原密码错误"
MISMATCH = "两次输入的密码不一致"
CHANGED = "密码修改成功"
SET = "登录密码已设置"
REMOVED = "登录密码已取消"
RULE = f"登录密码须为{MIN_LENGTH}至{MAX_LENGTH}位字母、数字或英文符号，且不能全部是同一个字符。"


def wait_text(seconds: int) -> str:
    """A wait as a person says it: "40秒", "5分钟", "2分30秒"."""
    minutes, rest = divmod(max(0, seconds), 60)
    if not minutes:
        return f"{rest}秒"
    return f"{minutes}分钟" if not rest else f"{minutes}分{rest}秒"


class ClientPasswordLocked(InputError):
    """Too many wrong 登录密码 in a row: the next try must wait ``seconds``."""

    def __init__(self, failures: int, seconds: int, lead: str = "") -> None:
        super().__init__(f"{lead}登录密码已连续输错{failures}次，请{wait_text(seconds)}后再试。")
        self.failures = failures
        self.seconds = seconds


def new_password_problem(new: str, again: str) -> str | None:
    """What is wrong with a new 登录密码 typed twice, or None when it may be saved."""
    if not new:
        return "请输入新密码。"
    if new != again:
        return MISMATCH
    if not MIN_LENGTH <= len(new) <= MAX_LENGTH:
        return RULE
    if any(c.isspace() for c in new) or not new.isascii() or not new.isprintable():
        return RULE
    if len(set(new)) == 1:
        return RULE
    return None


class ClientPasswordService:
    def __init__(self, context: ClientContext) -> None:
        self.context = context
        self.store = ClientPasswordStore(context.store.engine)

    def is_set(self) -> bool:
        return self.store.is_set()

    def wait_seconds(self) -> int:
        """How long the next check of the 登录密码 must wait (0: none)."""
        return self.store.failures().wait_seconds(self.context.clock.now())

    def check(self, password: str) -> None:
        """Pass when ``password`` is the 登录密码 (or none is set); otherwise an ``InputError`` saying so, with
        the wait when wrong passwords in a row have locked it."""
        self._verify(password, wrong="登录密码错误，请重新输入。", empty="请输入登录密码。")

    def set_password(self, new: str, again: str, old: str | None = None) -> str:
        """Set the 登录密码, or change it (``old`` is then required and checked); returns what to tell the user."""
        for typed in (new, again, old or ""):
            logs.remember_secret(typed)
        was_set = self.is_set()
        if was_set and not old:
            raise InputError("请输入原密码。")
        problem = new_password_problem(new, again)
        if problem:
            raise InputError(problem)
        if was_set:
            assert old is not None
            self._verify(old, wrong=WRONG_OLD, empty="请输入原密码。")
            if new == old:
                raise InputError("新密码不能与原密码相同。")
        self.store.set_password(new, self._now())
        return CHANGED if was_set else SET

    def clear_password(self, old: str) -> str:
        """Remove the 登录密码 after checking it; the client then starts without asking."""
        if not self.is_set():
            raise InputError("尚未设置登录密码。")
        self._verify(old, wrong=WRONG_OLD, empty="请输入原密码。")
        self.store.remove()
        return REMOVED

    def _verify(self, password: str, *, wrong: str, empty: str) -> None:
        logs.remember_secret(password)
        if not self.is_set():
            return
        if not password:
            raise InputError(empty)
        failures = self.store.failures()
        waiting = failures.wait_seconds(self.context.clock.now())
        if waiting:
            raise ClientPasswordLocked(failures.count, waiting)
        if self.store.verifies(password):
            if failures.count:
                self.store.clear_failures()
            return
        count = self.store.record_failure(self._now())
        said = wrong.split("，")[0].rstrip("。")  # "原密码错误", "登录密码错误"
        if delay_after(count):
            raise ClientPasswordLocked(count, delay_after(count), lead=f"{said}。")
        if count < FREE_ATTEMPTS - 2:
            raise InputError(wrong)
        raise InputError(f"{said}。再输错{FREE_ATTEMPTS - count}次后须等待一段时间才能再试。")

    def _now(self) -> str:
        return format_timestamp(self.context.clock.now())
