"""``sbf-sandbox``: serve the sandbox, list its demo accounts, move its data like real life.

Every error is one Chinese line on stderr (one JSON object on stdout with ``--json``) and a non-zero exit
status: 2 for a wrong command line, 1 otherwise. An error nobody foresaw gets the same one line; its
traceback goes to ``sandbox-errors.log`` in the data directory. While serving, the same log receives the
tracebacks behind a 500 answer and behind a feedback round that failed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
import traceback
from datetime import datetime
from pathlib import Path

from sbf_client.core.cli_parsing import ChineseArgumentParser, UsageError, integer, number, shorten
from sbf_client.core.clock import clock_from, format_timestamp
from sbf_client.core.errors import SbfError
from sbf_client.remote.contract.models import SandboxSettings
from sbf_client.remote.contract.sandbox import DEFAULT_SCALE, DEFAULT_SEED, PROGRESS_PREFIX

from . import db, mutations, registration
from .build import MAX_SCALE, MIN_SCALE, build_world
from .business import business, people_feed
from .catalog import REGION_BY_ID, UNITS
from .errors import ApiFailure

ERROR_LOG = "sandbox-errors.log"  # not sandbox.log: the client's launcher quotes that one's tail to people
MAX_COUNT = 1_000_000  # as the admin API's MutateRequest
USAGE_STATUS = 2


class CommandError(Exception):
    """What was asked cannot be done; the message is the Chinese line that says why and what to do."""


def _seconds(text: str) -> float:
    return number("秒数", 0, 86_400)(text)


def _data_dir(text: str) -> Path:
    """A data directory: an existing folder, or a new one (created with its parents when first used)."""
    if not text.strip() or len(text) > 4096:
        raise argparse.ArgumentTypeError("数据目录须为不超过4096个字符的路径")
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} 是一个文件，不是文件夹，请指定一个文件夹作为数据目录")
    return path


def _db_url(text: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except (ArgumentError, ValueError):
        example = "postgresql+psycopg://用户@主机:5432/库名"
        raise argparse.ArgumentTypeError(f"数据库地址格式不正确，例如 {example}") from None
    return text


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    data = Path(args.data)
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CommandError(f"无法创建数据目录 {data}（{reason}），请检查路径和权限。") from error
    return db.make_engine(args.db_url or db.sqlite_url(data))


def _scale(text: str) -> int:
    return integer("大规模单位的职工人数", MIN_SCALE, MAX_SCALE)(text)


def _progress(message: str) -> None:
    print(f"生成演示数据：{message}", file=sys.stderr, flush=True)


def _counted(done: int, total: int) -> None:
    """For the launcher (services/sandbox.py), which shows how far the demo data is."""
    print(f"{PROGRESS_PREFIX}{done} {total}", flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from .api import SandboxState, create_app
    from .server import bind, serve

    sock = bind(args.host, args.port)  # a port in use is said before minutes of generating data
    engine = _engine(args)
    _log_errors_to(Path(args.data) / ERROR_LOG)
    info = build_world(engine, args.seed, args.scale, _progress, _counted)
    if int(info["seed"]) != args.seed:
        print(f"注意：数据目录已有种子 {info['seed']} 生成的数据，沿用现有数据。", file=sys.stderr)
    state = SandboxState(
        engine=engine, seed=int(info["seed"]), settings=SandboxSettings(feedback_delay=args.feedback_delay)
    )
    ticker = threading.Thread(target=_tick, args=(state,), name="feedback", daemon=True)
    ticker.start()
    serve(create_app(state), sock, args.log_level, args.parent_pid)
    return 0


def _log_errors_to(path: Path) -> None:
    """Unexpected errors while serving go, with their tracebacks, to the data directory's error log rather
    than to stderr (``sandbox.log``, whose tail the client's launcher quotes to people)."""
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    # The businesses' parts of the sandbox (modules/<business>/sandbox) log under their own packages' names; in
    # the sandbox's process nothing else of sbf_client.modules runs.
    for name in ("sbf_sandbox", "sbf_client.modules"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False


def _tick(state) -> None:  # type: ignore[no-untyped-def]
    """Mature feedback once a second, as the real back end's batch jobs do. A declaration that cannot be
    processed already fails on its own (each business's ``process_due``); this guard keeps the loop alive whatever else
    happens (a database that is briefly unavailable), and the round is retried on the next tick."""
    while True:
        time.sleep(1)
        try:
            state.process_due()
        except Exception:
            logging.getLogger(__name__).exception("feedback processing failed")


def cmd_accounts(args: argparse.Namespace) -> int:
    engine = _engine(args)
    build_world(engine, args.seed, args.scale, _progress)
    accounts = registration.demo_accounts(engine, args.region)
    if args.json:
        print(json.dumps({"accounts": accounts}, ensure_ascii=False))
        return 0
    for a in accounts:
        part = business(a["business"])
        title, people = (part.title, part.people) if part else (a["business"], "人员")
        print(f"{a['region_name']}  {title}  纳税人识别号 {a['taxpayer_id']}  {a['name']}")
        print(f"    单位编号 {'、'.join(a['unit_nos'])}  {people} {a['people']} 人  {a['password_hint']}")
    return 0


def _unit_id(text: str) -> str:
    for spec in UNITS:
        if text in (spec.unit_id, spec.label):
            return spec.unit_id
    matches = [s.unit_id for s in UNITS if s.taxpayer_id == text]
    if len(matches) == 1:
        return matches[0]
    known = "、".join(f"{spec.unit_id}（{spec.label}）" for spec in UNITS)
    raise CommandError(
        f"未知单位：{shorten(text, 40)}（可用单位标识、标签或纳税人识别号；共用纳税人识别号时请用单位标识）。"
        f"可用的单位：{known}"
    )


def cmd_mutate(args: argparse.Namespace) -> int:
    unit_id = _unit_id(args.unit)  # what was asked is checked before the data directory is touched
    spec = next(s for s in UNITS if s.unit_id == unit_id)
    clock = clock_from(os.environ)
    engine = _engine(args)
    info = build_world(engine, args.seed, args.scale, _progress)
    result = mutations.mutate(
        engine,
        int(info["seed"]),
        unit_id,
        people_feed(spec.business),
        clock.now(),
        hires=args.hires,
        leaves=args.leaves,
        removals=args.removals,
        base_changes=args.base_changes,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(
            f"{spec.name}：新增 {len(result['added'])}，变更 {len(result['changed'])}，删除 {len(result['deleted'])}，"
            f"last_seq {result['last_seq']}（{format_timestamp(clock.now())}）"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="sbf-sandbox", description="管理子系统/征收子系统 沙箱")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def data_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, type=_data_dir, help="数据目录（首次启动时在此生成演示数据）")
        p.add_argument(
            "--db-url",
            type=_db_url,
            help="SQLAlchemy 数据库地址，例如 postgresql+psycopg://…；默认是数据目录中的 SQLite",
        )
        p.add_argument(
            "--seed", type=integer("随机种子", 0, 2**63 - 1), default=DEFAULT_SEED, help="生成数据的随机种子"
        )
        p.add_argument(
            "--scale",
            type=_scale,
            default=DEFAULT_SCALE,
            help=f"大规模单位（large）的职工人数，{MIN_SCALE}–{MAX_SCALE}",
        )

    serve = sub.add_parser("serve", help="启动沙箱服务")
    data_args(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=integer("端口", 0, 65535), default=8765, help="端口；0 表示任选空闲端口")
    serve.add_argument(
        "--parent-pid",
        type=integer("进程号", 1, 2**31 - 1),
        help="该进程结束时沙箱随之停止（客户端启动时传入自身进程号）",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug", "trace"]
    )
    serve.add_argument(
        "--feedback-delay", type=_seconds, default=20.0, help="申报提交后多少秒可获取反馈（手册为20秒；测试用0）"
    )
    serve.set_defaults(func=cmd_serve)

    accounts = sub.add_parser("accounts", help="列出演示纳税人及初始申报密码提示")
    data_args(accounts)
    accounts.add_argument("--region", choices=sorted(REGION_BY_ID), help="只列出此地区（demo-zizhu / demo-daizheng）")
    accounts.add_argument("--json", action="store_true")
    accounts.set_defaults(func=cmd_accounts)

    mutate = sub.add_parser("mutate", help="模拟人员变动：入职、停保、转出、缴费基数调整")
    data_args(mutate)
    mutate.add_argument("--unit", required=True, help="单位标识（如 Z0001）、标签（如 large）或纳税人识别号")
    mutate.add_argument("--hires", type=integer("入职人数", 0, MAX_COUNT), default=0, help="入职人数")
    mutate.add_argument(
        "--leaves", type=integer("停保人数", 0, MAX_COUNT), default=0, help="停保：参保状态改为停止缴费"
    )
    mutate.add_argument(
        "--removals", type=integer("转出人数", 0, MAX_COUNT), default=0, help="转出：从单位删除（留下删除标记）"
    )
    mutate.add_argument(
        "--base-changes", type=integer("缴费基数调整人数", 0, MAX_COUNT), default=0, help="缴费基数调整人数"
    )
    mutate.add_argument("--json", action="store_true")
    mutate.set_defaults(func=cmd_mutate)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    as_json = "--json" in argv  # known before parsing: a wrong command line answers in the form asked for
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except UsageError as error:
        _fail(as_json, error.message)
        return USAGE_STATUS
    except (CommandError, SbfError, ApiFailure) as error:
        _fail(as_json, getattr(error, "message", None) or str(error))
        return 1
    except KeyboardInterrupt:
        _fail(as_json, "已中断。")
        return 130
    except Exception as error:  # the last line of defence: one line here, the traceback in the data directory
        where = _log_traceback(getattr(args, "data", None), getattr(args, "command", ""))
        detail = f"详细信息已写入日志 {where}。" if where else "未能写入日志文件。"
        _fail(as_json, f"操作未能完成（{type(error).__name__}）。{detail}")
        return 1


def _fail(as_json: bool, message: str) -> None:
    if as_json:
        print(json.dumps({"ok": False, "error": {"code": None, "message": message}}, ensure_ascii=False))
    else:
        print(f"错误：{' '.join(message.split())}", file=sys.stderr, flush=True)


def _log_traceback(data: Path | None, command: str) -> Path | None:
    """Append the traceback being handled to the data directory's error log; None when there is none to
    write to. The sandbox holds only generated people, so there is nothing secret to scrub."""
    if data is None or not data.is_dir():
        return None
    where = data / ERROR_LOG
    try:
        with where.open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now():%Y-%m-%d %H:%M:%S} sbf-sandbox {command}\n")
            log.write(traceback.format_exc())
    except OSError:
        return None
    return where.resolve()


if __name__ == "__main__":
    raise SystemExit(main())
