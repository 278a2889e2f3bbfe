"""``sbf-client rules list`` (the 规则文件 kept on this machine) and ``rules update`` (【更新】: the newest from the
管理子系统), as 申报管理 › 规则文件更新 shows and does them (manual 4.5). Neither needs a unit's 申报密码: the rules
are the region's."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .common import Cli, emit

if TYPE_CHECKING:
    from sbf_client.services.rule_files import RuleFiles


def _print(files: RuleFiles) -> None:
    print(f"规则文件个数：{files.count}  最后更新时间：{files.updated_at or '尚未记录'}")
    for number, f in enumerate(files.files, start=1):
        print(f"{number:>2}. {f.title}（{f.description}）：{f.content}")


def cmd_list(cli: Cli) -> None:
    from sbf_client.services.rule_files import cached_rule_files

    files = cached_rule_files(cli.context.store)
    emit(cli, files.as_dict(), lambda: _print(files))


def cmd_update(cli: Cli) -> None:
    from sbf_client.services.rule_files import update_rule_files, updated_message

    files = update_rule_files(cli.context)

    def text() -> None:
        print(updated_message(files))
        _print(files)

    emit(cli, {"message": updated_message(files), **files.as_dict()}, text)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    rules = commands.add_parser("rules", help="规则文件（申报管理）", parents=[common])
    sub = rules.add_subparsers(dest="action", required=True, metavar="操作")
    sub.add_parser("list", help="查看本机保存的规则文件", parents=[common]).set_defaults(handler=cmd_list)
    sub.add_parser("update", help="从管理子系统下载最新的规则文件", parents=[common]).set_defaults(handler=cmd_update)
