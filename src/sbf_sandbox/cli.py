"""``sbf-sandbox``: serve the sandbox, list its demo accounts, move its data like real life."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from sbf_client.core.clock import SystemClock
from sbf_client.remote.contract.models import SandboxSettings
from sbf_client.remote.contract.sandbox import DEFAULT_SCALE, DEFAULT_SEED

from . import db, mutations, registration
from .build import FEED_OF_BUSINESS, MAX_SCALE, MIN_SCALE, build_world
from .catalog import UNITS


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    return db.make_engine(args.db_url or db.sqlite_url(data))


def _scale(text: str) -> int:
    value = int(text)
    if not MIN_SCALE <= value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"scale must be between {MIN_SCALE} and {MAX_SCALE}")
    return value


def _progress(message: str) -> None:
    print(f"生成演示数据：{message}", file=sys.stderr, flush=True)


def cmd_serve(args: argparse.Namespace) -> int:
    from .api import SandboxState, create_app
    from .server import serve

    engine = _engine(args)
    info = build_world(engine, args.seed, args.scale, _progress)
    if int(info["seed"]) != args.seed:
        print(f"注意：数据目录已有种子 {info['seed']} 生成的数据，沿用现有数据。", file=sys.stderr)
    state = SandboxState(
        engine=engine, seed=int(info["seed"]), settings=SandboxSettings(feedback_delay=args.feedback_delay)
    )
    ticker = threading.Thread(target=_tick, args=(state,), name="feedback", daemon=True)
    ticker.start()
    serve(create_app(state), args.host, args.port, args.log_level)
    return 0


def _tick(state) -> None:  # type: ignore[no-untyped-def]
    """Mature feedback once a second, as the real back end's batch jobs do."""
    while True:
        time.sleep(1)
        try:
            state.process_due()
        except Exception:  # a failed round is retried on the next tick
            logging.getLogger(__name__).exception("feedback processing failed")


def cmd_accounts(args: argparse.Namespace) -> int:
    engine = _engine(args)
    build_world(engine, args.seed, args.scale, _progress)
    accounts = registration.demo_accounts(engine, args.region)
    if args.json:
        print(json.dumps({"accounts": accounts}, ensure_ascii=False))
        return 0
    for a in accounts:
        business = "用人单位" if a["business"] == "employer" else "代收单位"
        people = "职工" if a["business"] == "employer" else "城乡居民"
        print(f"{a['region_name']}  {business}  纳税人识别号 {a['taxpayer_id']}  {a['name']}")
        print(f"    单位编号 {'、'.join(a['unit_nos'])}  {people} {a['people']} 人  {a['password_hint']}")
    return 0


def _unit_id(text: str) -> str:
    for spec in UNITS:
        if text in (spec.unit_id, spec.label):
            return spec.unit_id
    matches = [s.unit_id for s in UNITS if s.taxpayer_id == text]
    if len(matches) == 1:
        return matches[0]
    raise SystemExit(f"未知单位：{text}（可用单位标识、标签或纳税人识别号；共用纳税人识别号时请用单位标识）")


def cmd_mutate(args: argparse.Namespace) -> int:
    engine = _engine(args)
    info = build_world(engine, args.seed, args.scale, _progress)
    unit_id = _unit_id(args.unit)
    spec = next(s for s in UNITS if s.unit_id == unit_id)
    result = mutations.mutate(
        engine,
        int(info["seed"]),
        unit_id,
        FEED_OF_BUSINESS[spec.business],
        SystemClock().now(),
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
            f"last_seq {result['last_seq']}（{datetime.now():%Y-%m-%d %H:%M:%S}）"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sbf-sandbox", description="管理子系统/征收子系统 沙箱")
    sub = parser.add_subparsers(dest="command", required=True)

    def data_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", required=True, help="数据目录（首次启动时在此生成演示数据）")
        p.add_argument("--db-url", help="SQLAlchemy 数据库地址，例如 postgresql+psycopg://…；默认是数据目录中的 SQLite")
        p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="生成数据的随机种子")
        p.add_argument(
            "--scale",
            type=_scale,
            default=DEFAULT_SCALE,
            help=f"大规模单位（large）的职工人数，{MIN_SCALE}–{MAX_SCALE}",
        )

    serve = sub.add_parser("serve", help="启动沙箱服务")
    data_args(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="端口；0 表示任选空闲端口")
    serve.add_argument("--log-level", default="warning")
    serve.add_argument(
        "--feedback-delay", type=float, default=20.0, help="申报提交后多少秒可获取反馈（手册为20秒；测试用0）"
    )
    serve.set_defaults(func=cmd_serve)

    accounts = sub.add_parser("accounts", help="列出演示纳税人及初始申报密码提示")
    data_args(accounts)
    accounts.add_argument("--region", help="只列出此地区（demo-zizhu / demo-daizheng）")
    accounts.add_argument("--json", action="store_true")
    accounts.set_defaults(func=cmd_accounts)

    mutate = sub.add_parser("mutate", help="模拟人员变动：入职、停保、转出、缴费基数调整")
    data_args(mutate)
    mutate.add_argument("--unit", required=True, help="单位标识（如 Z0001）、标签（如 large）或纳税人识别号")
    mutate.add_argument("--hires", type=int, default=0)
    mutate.add_argument("--leaves", type=int, default=0, help="停保：参保状态改为停止缴费")
    mutate.add_argument("--removals", type=int, default=0, help="转出：从单位删除（留下删除标记）")
    mutate.add_argument("--base-changes", type=int, default=0)
    mutate.add_argument("--json", action="store_true")
    mutate.set_defaults(func=cmd_mutate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
