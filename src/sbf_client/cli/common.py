"""What every command shares: options, the context, passwords, output and error handling.

An error is one line on stderr (or one JSON object on stdout with ``--json``) and a non-zero exit status:
1 when the command failed, 2 when the command line itself is wrong, 130 when interrupted. An error nobody
foresaw gets the same one line; its traceback goes to the log file only, without passwords or ID numbers.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sbf_client import logs
from sbf_client.core.cli_parsing import ChineseArgumentParser, shorten, text
from sbf_client.core.errors import InputError, SbfError
from sbf_client.core.ids import redact
from sbf_client.store.health import check_data_folder
from sbf_client.store.home import resolve_home

# The services (and the database and network libraries behind them) are imported when a command first
# needs them: ``--help`` and a wrong command line answer without loading them.
if TYPE_CHECKING:
    from sbf_client.services.context import ClientContext
    from sbf_client.services.sync import UnitDatabases
    from sbf_client.services.units import Session
    from sbf_client.store.app_store import LocalUnit

PASSWORD_ENV = "SBF_PASSWORD"
MAX_PASSWORD = 64  # the longest 申报密码 the servers' contract accepts
MAX_PATH = 4096
MAX_ERROR = 4000  # an error line longer than this is cut in the middle
_secrets: set[str] = set()  # every password this run handled, kept out of the log
log = logging.getLogger(__name__)


def remember_secret(value: str) -> str:
    """Note a password, so that a traceback that happens to carry it is logged without it."""
    if value:
        _secrets.add(value)
    return value


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


@dataclass
class Cli:
    """One command's run: arguments, output mode, and lazily opened services."""

    args: argparse.Namespace
    _context: ClientContext | None = None
    _databases: UnitDatabases | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    @property
    def context(self) -> ClientContext:
        from sbf_client.services.context import ClientContext

        if self._context is None:
            home = resolve_home(getattr(self.args, "home", None))
            check_data_folder(home)
            logs.configure(home.ensure().logs_dir)
            self._context = ClientContext(home)
        return self._context

    @property
    def databases(self) -> UnitDatabases:
        from sbf_client.services.sync import UnitDatabases

        if self._databases is None:
            self._databases = UnitDatabases(self.context)
        return self._databases

    def note(self, text: str) -> None:
        """Progress for people, on stderr, so that stdout stays clean."""
        if not self.json:
            print(text, file=sys.stderr, flush=True)

    def password(self, prompt: str = "申报密码：") -> str:
        value = os.environ.get(PASSWORD_ENV)
        if value:
            if len(value) > MAX_PASSWORD:
                raise InputError(
                    f"环境变量 {PASSWORD_ENV} 中的申报密码有{len(value)}位，超过{MAX_PASSWORD}位，"
                    "不是有效的申报密码。请检查后重新设置。"
                )
            return remember_secret(value)
        if not sys.stdin.isatty():
            raise InputError(f"请输入申报密码：设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入。")
        typed = remember_secret(getpass.getpass(prompt))
        if len(typed) > MAX_PASSWORD:
            raise InputError(f"输入的申报密码超过{MAX_PASSWORD}位，不是有效的申报密码。请重新输入。")
        return typed

    def new_password(self, given: str | None) -> tuple[str, str]:
        if given:
            return remember_secret(given), given
        if not sys.stdin.isatty():
            raise InputError("请用 --new-password 指定新申报密码，或在终端中运行以便输入。")
        new = remember_secret(getpass.getpass("新申报密码："))
        return new, remember_secret(getpass.getpass("再次输入新申报密码："))

    def confirm(self, question: str, assumed: bool) -> bool:
        if assumed:
            return True
        if not sys.stdin.isatty():
            return False
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")

    def login(self, unit: LocalUnit) -> Session:
        from sbf_client.services.units import UnitService

        session = UnitService(self.context).login(unit, self.password())
        if session.must_change_password:
            raise InputError(
                f"当前使用的是初始申报密码，请先修改申报密码：sbf-client unit passwd --unit {unit.taxpayer_id}"
            )
        return session

    def close(self) -> None:
        for closer in self.closers:
            closer()
        if self._databases is not None:
            self._databases.close()
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
    """Report an error: one JSON object on stdout, or one line on stderr."""
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
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    if not handlers:
        try:
            logs.configure(resolve_home(home).logs_dir)
        except (SbfError, OSError):  # the data home itself is what is wrong: there is no log to write to
            return None
        handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    return Path(handlers[0].baseFilename) if handlers else None


def _log_traceback(error: BaseException, home: str | None, command: str) -> Path | None:
    where = _log_file(home)
    if where is not None:
        log.error("unexpected error in `%s`\n%s", command, _traceback_text(error))
    return where


def _traceback_text(error: BaseException) -> str:
    """Every exception of the chain, oldest first: frames as Python prints them, each message scrubbed."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = [
        "Traceback (most recent call last):\n"
        + "".join(traceback.format_tb(exc.__traceback__))
        + f"{type(exc).__module__}.{type(exc).__qualname__}: {_scrub(str(exc))}"
        for exc in reversed(chain)
    ]
    return "\nwhich led to:\n".join(parts)


def _scrub(message: str) -> str:
    """An exception message without the passwords of this run and without ID numbers."""
    secrets = {s for s in (*_secrets, os.environ.get(PASSWORD_ENV, "")) if s}
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, "***")
    # a message may quote a value shortened (pydantic cuts long inputs): any six characters of a password
    if any(s[i : i + 6] in message for s in secrets for i in range(max(1, len(s) - 5))):
        return "（消息中含有申报密码的片段，未记录）"
    return redact(message)
