"""What every command shares: options, the context, passwords, output and error handling."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sbf_client import logs
from sbf_client.core.errors import InputError, SbfError
from sbf_client.services.context import ClientContext
from sbf_client.services.sync import UnitDatabases
from sbf_client.services.units import Session, UnitService
from sbf_client.store.app_store import LocalUnit
from sbf_client.store.home import resolve_home

PASSWORD_ENV = "SBF_PASSWORD"


def common_options() -> argparse.ArgumentParser:
    """``--home`` and ``--json``, accepted before or after the command."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--home", default=argparse.SUPPRESS, help="数据目录（默认取 SBF_HOME 或系统用户数据目录）")
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
        if self._context is None:
            home = resolve_home(getattr(self.args, "home", None))
            logs.configure(home.ensure().logs_dir)
            self._context = ClientContext(home)
        return self._context

    @property
    def databases(self) -> UnitDatabases:
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
            return value
        if not sys.stdin.isatty():
            raise InputError(f"请输入申报密码：设置环境变量 {PASSWORD_ENV}，或在终端中运行以便输入。")
        return getpass.getpass(prompt)

    def new_password(self, given: str | None) -> tuple[str, str]:
        if given:
            return given, given
        if not sys.stdin.isatty():
            raise InputError("请用 --new-password 指定新申报密码，或在终端中运行以便输入。")
        return getpass.getpass("新申报密码："), getpass.getpass("再次输入新申报密码：")

    def confirm(self, question: str, assumed: bool) -> bool:
        if assumed:
            return True
        if not sys.stdin.isatty():
            return False
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes", "是")

    def login(self, unit: LocalUnit) -> Session:
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


def run(cli: Cli, handler: Callable[[Cli], int | None]) -> int:
    try:
        return handler(cli) or 0
    except SbfError as error:
        if cli.json:
            print(
                json.dumps({"ok": False, "error": {"code": error.code, "message": error.message}}, ensure_ascii=False)
            )
        else:
            print(f"错误：{error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    finally:
        cli.close()
