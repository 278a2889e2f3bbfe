"""What every command shares: options, the context, passwords, output and error handling.

An error is one line on stderr (or one JSON object on stdout with ``--json``) and a non-zero exit status:
1 when the command failed, 2 when the command line itself is wrong, 130 when interrupted. An error nobody
foresaw gets the same one line; its traceback goes to the log file only, without passwords or ID numbers.

A password is never a command-line argument (every user of the machine can read those in the process list):
the 申报密码 comes from the first line of standard input (``--password-stdin``), ``SBF_PASSWORD`` or a hidden
prompt; a new 申报密码 from the second line of standard input, ``SBF_NEW_PASSWORD`` or a hidden prompt, twice.
Every command that shows or changes a unit's data logs in first through ``LoginService``, as the window does,
and works with the ``UnitSession`` built from that login (``Cli.unit_session``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sbf_client import logs
from sbf_client.core.cli_parsing import ChineseArgumentParser, shorten, text
from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.passwords import MAX_STORED_LENGTH as MAX_PASSWORD
from sbf_client.logs import remember_secret
from sbf_client.store.home import resolve_home

# The services (and the database and network libraries behind them) are imported when a command first
# needs them: ``--help`` and a wrong command line answer without loading them.
if TYPE_CHECKING:
    from sbf_client.services.context import ClientContext
    from sbf_client.services.session import UnitSession
    from sbf_client.store.app_store import LocalUnit

PASSWORD_ENV = "SBF_PASSWORD"
NEW_PASSWORD_ENV = "SBF_NEW_PASSWORD"
STDIN_OPTION = "--password-stdin"
MAX_PATH = 4096
MAX_ERROR = 4000  # an error line longer than this is cut in the middle
log = logging.getLogger(__name__)


def common_options() -> argparse.ArgumentParser:
    """``--home`` and ``--json``, accepted before or after the command."""
    parent = ChineseArgumentParser(add_help=False)
    parent.add_argument(
        "--home",
        type=text("数据目录", MAX_PATH),
        default=argparse.SUPPRESS,
        help="数据目录（默认取 SBF_HOME 或系统用户数据目录）",
    )
    parent.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="以一个JSON对象输出结果（stdout 不输出其他内容）"
    )
    return parent


def password_options(parser: argparse.ArgumentParser, *, new: bool = False) -> None:
    """``--password-stdin`` for a command that needs the 申报密码 (``new``: and may need a new one)."""
    lines = "第1行为申报密码" + ("；需要设置新申报密码时，第2行为新申报密码" if new else "")
    sources = f"申报密码取自 {STDIN_OPTION}、环境变量 {PASSWORD_ENV} 或终端输入" + (
        f"；新申报密码取自 {STDIN_OPTION}、环境变量 {NEW_PASSWORD_ENV} 或终端输入（两次）" if new else ""
    )
    parser.add_argument(
        STDIN_OPTION,
        action="store_true",
        help=f"从标准输入读取密码，每行一个：{lines}。{sources}；密码不能写在命令行参数中",
    )


@dataclass
class Cli:
    """One command's run: arguments, output mode, and lazily opened services."""

    args: argparse.Namespace
    _context: ClientContext | None = None
    _sessions: list[UnitSession] = field(default_factory=list)
    _password: str | None = field(default=None, repr=False)
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def context(self) -> ClientContext:
        from sbf_client.services.context import open_context

        if self._context is None:
            self._context = open_context(getattr(self.args, "home", None))
        return self._context

    def note(self, text: str) -> None:
        """Progress for people, on stderr, so that stdout stays clean."""
        if not self.json:
            print(text, file=sys.stderr, flush=True)

    @property
    def password_from_stdin(self) -> bool:
        return bool(getattr(self.args, "password_stdin", False))

    def has_password(self) -> bool:
        """Whether a 申报密码 was given (standard input or ``SBF_PASSWORD``), not to be asked for."""
        return self.password_from_stdin or bool(os.environ.get(PASSWORD_ENV))

    def _stdin_line(self, number: int, what: str) -> str:
        """Line ``number`` of standard input (``--password-stdin``), which holds the ``what``."""
        if sys.stdin is None or sys.stdin.closed:
            raise InputError(f"{STDIN_OPTION}：没有可读取的标准输入，请通过管道或文件提供{what}。")
        if sys.stdin.isatty():  # typed here it would show on the screen: the prompt hides it
            raise InputError(f"{STDIN_OPTION} 须从管道或文件读取密码；在终端中请去掉该选项，按提示输入（输入不显示）。")
        line = sys.stdin.readline()
        if not line:
            raise InputError(f"{STDIN_OPTION}：标准输入中没有第{number}行（{what}），请每行提供一个密码。")
        value = remember_secret(line.removesuffix("\n").removesuffix("\r"))
        if len(value) > MAX_PASSWORD:
            raise InputError(
                f"标准输入第{number}行的{what}有{len(value)}位，超过{MAX_PASSWORD}位，不是有效的申报密码。请检查后重试。"
            )
        return value

    def password(self, prompt: str = "申报密码：") -> str:
        """The 申报密码, read once: standard input's first line (``--password-stdin``), else ``SBF_PASSWORD``,
        else typed at a hidden prompt. Never a command-line argument, which every user of the machine could
        read in the process list."""
        if self._password is not None:
            return self._password
        if self.password_from_stdin:
            value = self._stdin_line(1, "申报密码")
        elif value := remember_secret(os.environ.get(PASSWORD_ENV, "")):
            if len(value) > MAX_PASSWORD:
                raise InputError(
                    f"环境变量 {PASSWORD_ENV} 中的申报密码有{len(value)}位，超过{MAX_PASSWORD}位，"
                    "不是有效的申报密码。请检查后重新设置。"
                )
        elif sys.stdin is not None and sys.stdin.isatty():
            value = remember_secret(getpass.getpass(prompt))
            if len(value) > MAX_PASSWORD:
                raise InputError(f"输入的申报密码超过{MAX_PASSWORD}位，不是有效的申报密码。请重新输入。")
        else:
            raise InputError(
                f"请输入申报密码：设置环境变量 {PASSWORD_ENV}，或加 {STDIN_OPTION} 从标准输入读取，"
                "或在终端中运行以便输入。"
            )
        self._password = value
        return value

    def new_password(self) -> tuple[str, str]:
        """A new 申报密码 and its confirmation: standard input's second line (``--password-stdin``; the first
        is the 申报密码), else ``SBF_NEW_PASSWORD``, else typed twice at a hidden prompt."""
        if self.password_from_stdin:
            self.password()  # line 1 is the 申报密码, whether or not it was needed yet
            new = self._stdin_line(2, "新申报密码")
            return new, new
        if value := remember_secret(os.environ.get(NEW_PASSWORD_ENV, "")):
            return value, value
        if sys.stdin is None or not sys.stdin.isatty():
            raise InputError(
                f"请提供新申报密码：设置环境变量 {NEW_PASSWORD_ENV}，或加 {STDIN_OPTION} 从标准输入读取（第2行），"
                "或在终端中运行以便输入。"
            )
        new = remember_secret(getpass.getpass("新申报密码："))
        return new, remember_secret(getpass.getpass("再次输入新申报密码："))

    def confirm(self, question: str, assumed: bool) -> bool:
        """``assumed`` (an option such as ``--yes``), or a yes typed at the terminal; never a yes read from a
        pipe, which may hold passwords."""
        if assumed:
            return True
        if self.password_from_stdin or sys.stdin is None or not sys.stdin.isatty():
            return False
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")

    def unit_session(self, unit: LocalUnit, *, server: str | None, initial_ok: bool = False) -> UnitSession:
        """登录 as the window does (``LoginService``: the same throttle, the same offline verifier), and the
        unit's session built from it as the window builds it. ``server``: what the command needs the server for
        (e.g. "更新数据"); an unreachable server is then the error, and the session is online. ``None``: the
        cached data are enough, and without the network the 申报密码 is checked against the verifier of the
        last password verified on this machine (the session is then offline)."""
        from sbf_client.services.login import UNREACHABLE, LoginService
        from sbf_client.services.session import open_unit_session, server_needed

        password = self.password()
        try:
            result = LoginService(self.context).login(unit, password, offline=server is None)
        except UNREACHABLE as error:
            raise server_needed(error.message, str(server), error.code) from error
        if result.session is not None and result.session.must_change_password and not initial_ok:
            raise InputError(
                f"当前使用的是初始申报密码，请先修改申报密码：sbf-client unit passwd --unit {unit.taxpayer_id}"
            )
        if result.offline:
            self.note(f"{result.offline_reason} 已进入离线模式：以下为本机已保存的数据。")
        session = open_unit_session(self.context, result)
        self._sessions.append(session)
        return session

    def close(self) -> None:
        for closer in self.closers:
            closer()
        for session in self._sessions:
            session.close()
        if self._context is not None:
            self._context.close()


def emit(cli: Cli, result: dict[str, Any], text: str | Callable[[], None]) -> None:
    """The command's one result: a JSON object, or text for people."""
    if cli.json:
        print(json.dumps({"ok": True, **result}, ensure_ascii=False, default=str))
    elif callable(text):
        text()
    else:
        print(text)


def fail(as_json: bool, message: str, code: int | None = None) -> None:
    """Report an error: one JSON object on stdout, or one line on stderr; scrubbed as a log line is."""
    message = logs.scrub(message)
    if as_json:
        print(json.dumps({"ok": False, "error": {"code": code, "message": message}}, ensure_ascii=False))
    else:
        # a message from deeper down may span lines (a table, a server's log tail); the console gets one
        print(f"错误：{shorten(' '.join(message.split()), MAX_ERROR)}", file=sys.stderr, flush=True)


def run(cli: Cli, handler: Callable[[Cli], int | None]) -> int:
    try:
        return handler(cli) or 0
    except SbfError as error:
        fail(cli.json, error.message, error.code)
        return 1
    finally:
        cli.close()


def unexpected(error: BaseException, as_json: bool, home: str | None, command: str) -> int:
    """The last line of defence: an error nobody foresaw becomes one line, its traceback goes to the log."""
    where = _log_traceback(error, home, command)
    detail = f"详细信息已写入日志 {where}。" if where else "未能写入日志文件。"
    fail(as_json, f"操作未能完成（{type(error).__name__}）。{detail}")
    return 1


def _log_file(home: str | None) -> Path | None:
    """The log file this run writes to, set up now if the command did not get that far."""
    where = logs.log_file()
    if where is None:
        try:
            where = logs.configure(resolve_home(home).logs_dir)
        except (SbfError, OSError):  # the data home itself is what is wrong: there is no log to write to
            return None
    return where


def _log_traceback(error: BaseException, home: str | None, command: str) -> Path | None:
    """The traceback goes to the log, whose formatter scrubs it (this run's passwords, ID numbers, …)."""
    where = _log_file(home)
    if where is not None:
        log.error("unexpected error in `%s`", command, exc_info=error)
    return where
