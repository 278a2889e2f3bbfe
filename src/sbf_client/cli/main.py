"""The parser: shell commands, plus the commands each installed business module contributes; and ``main``,
which turns every failure into one line (or one JSON object) and an exit status, never a traceback."""

from __future__ import annotations

import argparse
import logging
import os

from sbf_client.core.cli_parsing import ChineseArgumentParser, UsageError
from sbf_client.core.errors import SbfError
from sbf_client.core.references import load_object
from sbf_client.logs import remember_secret
from sbf_client.plugins.registry import discover

from . import backup, regions, rules, sync, units
from .common import (
    NEW_PASSWORD_ENV,
    PASSWORD_ENV,
    STDIN_OPTION,
    Cli,
    common_options,
    fail,
    run,
    unexpected,
)

log = logging.getLogger(__name__)
USAGE_STATUS = 2  # argparse's convention for a wrong command line
INTERRUPTED_STATUS = 130
# Options that once took a password (--new-password), or look as if they would: a password in the arguments is
# in every user's process list. They are refused by name, before argparse would echo the value as an
# unrecognized argument (or take --password for an abbreviation of --password-stdin).
SECRET_OPTIONS = {"--new-password": ("新申报密码", NEW_PASSWORD_ENV), "--password": ("申报密码", PASSWORD_ENV)}


def _secret_option(argv: list[str]) -> str | None:
    """The refusal of a password given as an argument, if one is."""
    for arg in argv:
        if arg == "--":
            break
        found = SECRET_OPTIONS.get(arg.split("=", 1)[0])
        if found:
            what, variable = found
            return (
                f"{what}不能写在命令行参数中（本机其他用户可在进程列表中看到），请改用环境变量 {variable}、"
                f"{STDIN_OPTION}（从标准输入读取）或按提示输入。查看用法：sbf-client --help"
            )
    return None


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = ChineseArgumentParser(prog="sbf-client", description="社保费管理客户端（命令行）", parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")
    for shell in (regions, units, sync, rules, backup):
        shell.register(commands, common)
    for spec in discover().modules:
        for reference in spec.cli:
            try:
                load_object(reference)(commands, common)
            except Exception:  # a broken module must not take the command line down
                log.exception("module %s could not add its commands", spec.id)
    return parser


def main(argv: list[str]) -> int:
    # Known before parsing, so that even a wrong command line answers in the form the caller asked for.
    as_json = "--json" in argv
    for variable in (PASSWORD_ENV, NEW_PASSWORD_ENV):  # secrets of this run whether or not a command reads them
        remember_secret(os.environ.get(variable, ""))
    args: argparse.Namespace | None = None
    try:
        refusal = _secret_option(argv)
        if refusal:
            fail(as_json, refusal)
            return USAGE_STATUS
        args = build_parser().parse_args(argv)
        return run(Cli(args), args.handler)
    except UsageError as error:
        fail(as_json, error.message)
        return USAGE_STATUS
    except SbfError as error:
        fail(as_json, error.message, error.code)
        return 1
    except KeyboardInterrupt:
        fail(as_json, "已中断。")
        return INTERRUPTED_STATUS
    except Exception as error:
        home = getattr(args, "home", None)
        command = " ".join(str(getattr(args, name, "")) for name in ("command", "action")).strip()
        return unexpected(error, as_json or bool(getattr(args, "json", False)), home, command or "sbf-client")
