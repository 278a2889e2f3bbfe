"""``sbf-client sync --unit X [--full] [--dataset NAME]``: 增量更新 (or 全量更新) of a unit's cached data: every
dataset its module declares, or the ones ``--dataset`` names. With ``--json`` the object lists each dataset's
result under ``datasets``; when one dataset was updated, its result's fields are also the object's own."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sbf_client.core.cli_parsing import text

if TYPE_CHECKING:
    from sbf_client.sync.progress import ProgressUpdate

from .common import Cli, emit, password_options
from .units import MAX_UNIT_TEXT


def cmd_sync(cli: Cli) -> None:
    from sbf_client.services.sync import UPDATE, SyncService, declared_datasets
    from sbf_client.services.units import UnitService
    from sbf_client.sync.progress import Progress

    unit = UnitService(cli.context).find(cli.args.business, cli.args.unit)
    names = cli.args.dataset or None
    declared_datasets(cli.context.module(unit.module), names)  # a wrong --dataset is said before the password
    service = SyncService(cli.unit_session(unit, server=UPDATE))
    cli.context.refresh_code_tables()
    last = [-1]

    def show(update: ProgressUpdate) -> None:
        if cli.json or not sys.stderr.isatty():
            return
        percent = int(update.done * 100 / update.total) if update.total else 0
        if percent != last[0]:
            last[0] = percent
            print(f"\r{update.message} {percent}%", end="", file=sys.stderr, flush=True)

    results = service.sync(
        names, full=cli.args.full, confirm_deletions=cli.args.confirm_deletions, progress=Progress(show)
    )
    if last[0] >= 0:
        print(file=sys.stderr)
    only = next(iter(results.values())).as_dict() if len(results) == 1 else {}
    summary = {**only, "datasets": [r.as_dict() for r in results.values()]}

    def text() -> None:
        for r in results.values():
            kind = "全量更新" if r.mode == "full" else "增量更新"
            if r.awaiting_confirmation:
                print(
                    f"{kind}将删除本地 {r.deleted} 条{r.dataset}记录，比例过高，未执行。核实后如需继续，"
                    "请加 --confirm-deletions 重新运行。"
                )
                continue
            reason = f"（{r.reason}）" if r.reason else ""
            print(f"{kind}完成{reason}：新增 {r.added}，变更 {r.changed}，删除 {r.deleted}，共 {r.total} 条。")

    emit(cli, summary, text)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    sync = commands.add_parser("sync", help="更新本地数据（增量更新；--full 全量更新）", parents=[common])
    sync.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    sync.add_argument("--business", choices=["employer", "collector"], default="employer")
    sync.add_argument("--full", action="store_true", help="全量更新")
    sync.add_argument(
        "--dataset",
        action="append",
        type=text("数据集", 50),
        help="只更新这个数据集（如 employees；可重复；默认更新本业务的全部数据集）",
    )
    sync.add_argument("--confirm-deletions", action="store_true", help="全量更新将删除大量本地记录时，确认继续")
    password_options(sync)
    sync.set_defaults(handler=cmd_sync)
