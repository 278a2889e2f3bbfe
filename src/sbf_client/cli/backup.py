"""``sbf-client backup [--to FOLDER]``, ``backup list [--from FOLDER]``, ``backup password`` and
``sbf-client restore FILE [--yes]``: 备份恢复 on the command line, each with ``--json``.

The backup password is never an argument: it comes from ``SBF_BACKUP_PASSWORD``, else the OS keyring (where
``backup password`` keeps it), else — for ``restore`` at a terminal — a hidden prompt. These commands first
finish or roll back a restore a kill interrupted, before any database of the data home is opened.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sbf_client.core.cli_parsing import text
from sbf_client.core.errors import InputError
from sbf_client.logs import remember_secret

from .common import MAX_PATH, Cli, emit

if TYPE_CHECKING:
    from sbf_client.services.backup import BackupService
    from sbf_client.store.backup.archive import UnitEntry
    from sbf_client.sync.progress import ProgressUpdate

BACKUP_PASSWORD_ENV = "SBF_BACKUP_PASSWORD"
RESTORE_QUESTION = "恢复将覆盖当前数据（恢复前会先备份当前数据），是否继续？"


def _service(cli: Cli) -> BackupService:
    from sbf_client.services.backup import BackupService
    from sbf_client.store.backup.archive import recover_interrupted_restore
    from sbf_client.store.home import resolve_home

    if recover_interrupted_restore(resolve_home(getattr(cli.args, "home", None))):
        cli.note("已处理上次未完成的恢复操作。")
    return BackupService(cli.context)


def _given_password() -> str | None:
    return remember_secret(os.environ.get(BACKUP_PASSWORD_ENV, "")) or None


def _progress(cli: Cli) -> Any:
    from sbf_client.sync.progress import Progress

    last = [""]

    def show(update: ProgressUpdate) -> None:
        if not cli.json and sys.stderr.isatty() and update.message != last[0]:
            last[0] = update.message
            print(f"{update.message}……", file=sys.stderr, flush=True)

    return Progress(show)


def _units(units: list[UnitEntry]) -> list[dict[str, str]]:
    return [{"taxpayer_id": u.taxpayer_id, "name": u.name, "module": u.module} for u in units]


def _counts_text(counts: dict[str, int]) -> str:
    main = {name: number for name, number in counts.items() if number}
    return "，".join(f"{name} {number} 条" for name, number in sorted(main.items())) or "无记录"


def cmd_backup(cli: Cli) -> None:
    service = _service(cli)
    password = _given_password()
    if password is None and not service.has_backup_password():
        raise InputError(
            "尚未设置备份密码。请先运行 sbf-client backup password 设置（保存在系统凭据管理器中），"
            f"或通过环境变量 {BACKUP_PASSWORD_ENV} 提供。"
        )
    folder = Path(cli.args.to).expanduser().resolve() if cli.args.to else None
    result = service.backup(folder, _progress(cli), password=password)
    names = "、".join(u.name for u in result.units) or "无"
    emit(
        cli,
        {
            "path": str(result.path),
            "size": result.size,
            "created_at": result.created_at,
            "units": _units(result.units),
            "counts": result.counts,
        },
        f"备份成功，备份文件：{result.path}（{result.size} 字节；单位：{names}；{_counts_text(result.counts)}）",
    )


def cmd_list(cli: Cli) -> None:
    service = _service(cli)
    folder = Path(cli.args.source).expanduser().resolve() if cli.args.source else None
    entries = service.list_backups(folder)
    rows = [
        {
            "path": str(e.path),
            "size": e.size,
            "created_at": e.created_at,
            "units": list(e.units),
            "product_version": e.product_version,
            "readable": e.readable,
            "problem": e.problem,
        }
        for e in entries
    ]

    def show() -> None:
        if not entries:
            print("该文件夹中没有备份文件。")
        for e in entries:
            if e.readable:
                print(f"{e.created_at}  {e.size} 字节  {'、'.join(e.units) or '无单位'}  {e.path}")
            else:
                print(f"（无法使用）{e.path}：{e.problem}")

    emit(cli, {"backups": rows}, show)


def cmd_password(cli: Cli) -> None:
    service = _service(cli)
    given = _given_password()
    if given is not None:
        password, again = given, given
    elif sys.stdin is not None and sys.stdin.isatty():
        password = remember_secret(getpass.getpass("备份密码（8到64个字符）："))
        again = remember_secret(getpass.getpass("再次输入备份密码："))
    else:
        raise InputError(f"请提供备份密码：设置环境变量 {BACKUP_PASSWORD_ENV}，或在终端中运行以便输入。")
    service.set_backup_password(password, again)
    done = "备份密码已设置，保存在系统凭据管理器中。请牢记该密码：在其他电脑上恢复时需要输入。"
    emit(cli, {"password_set": True}, done)


def _restore_password(service: BackupService) -> str | None:
    """``SBF_BACKUP_PASSWORD``, else the stored one (None: the service reads it), else a prompt."""
    given = _given_password()
    if given is not None or service.has_backup_password():
        return given
    if sys.stdin is not None and sys.stdin.isatty():
        return remember_secret(getpass.getpass("备份密码：")) or None
    raise InputError(f"请提供备份密码：设置环境变量 {BACKUP_PASSWORD_ENV}，或在终端中运行以便输入。")


def cmd_restore(cli: Cli) -> None:
    path = Path(cli.args.file).expanduser().resolve()
    if not path.is_file():
        raise InputError(f"找不到备份文件 {path}，请检查路径后重试。")
    service = _service(cli)
    password = _restore_password(service)
    if not cli.confirm(RESTORE_QUESTION, cli.args.yes):
        raise InputError(f"{RESTORE_QUESTION}未确认，未做任何更改。确认后请在终端中回答 y，或加 --yes 运行。")
    result = service.restore(path, password, _progress(cli))
    names = "、".join(u.name for u in result.units) or "无"
    emit(
        cli,
        {
            "path": str(result.path),
            "created_at": result.created_at,
            "units": _units(result.units),
            "counts": result.counts,
            "safety_backup": str(result.safety_backup),
        },
        f"恢复成功，请重新启动客户端。已恢复 {result.created_at} 的备份（单位：{names}）；"
        f"恢复前的数据已备份到 {result.safety_backup}。",
    )


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    folder = text("文件夹", MAX_PATH)
    backup = commands.add_parser(
        "backup",
        help=f"备份本地数据（加密；备份密码取自系统凭据管理器或环境变量 {BACKUP_PASSWORD_ENV}）",
        parents=[common],
    )
    backup.add_argument("--to", type=folder, metavar="文件夹", help="备份到这个文件夹（默认为备份设置中的备份路径）")
    backup.set_defaults(handler=cmd_backup)
    sub = backup.add_subparsers(dest="action", required=False, metavar="操作")
    listing = sub.add_parser("list", help="列出备份文件（时间、大小、单位）", parents=[common])
    listing.add_argument(
        "--from", dest="source", type=folder, metavar="文件夹", help="列出这个文件夹中的备份（默认为备份路径）"
    )
    listing.set_defaults(handler=cmd_list)
    password = sub.add_parser(
        "password",
        help=f"设置备份密码（8到64个字符；取自环境变量 {BACKUP_PASSWORD_ENV} 或终端输入两次）",
        parents=[common],
    )
    password.set_defaults(handler=cmd_password)

    restore = commands.add_parser(
        "restore",
        help=f"从备份文件恢复本地数据（备份密码取自环境变量 {BACKUP_PASSWORD_ENV}、系统凭据管理器或终端输入）",
        parents=[common],
    )
    restore.add_argument("file", type=text("备份文件", MAX_PATH), metavar="备份文件", help="备份文件（.sbfbak）")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复（恢复前仍会先备份当前数据）")
    restore.set_defaults(handler=cmd_restore)
