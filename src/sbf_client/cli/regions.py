"""``sbf-client region list`` / ``region set NAME [--mgmt-url URL --coll-url URL]`` / ``region addresses
--mgmt-url URL --coll-url URL`` (the chosen region's server addresses, corrected; the region stays chosen)."""

from __future__ import annotations

import argparse
from functools import partial

from sbf_client.core.cli_parsing import checked, text
from sbf_client.services.regions import available_regions, check_server_url, find_region

from .common import Cli, emit


def cmd_list(cli: Cli) -> None:
    chosen = cli.context.store.region()
    regions = available_regions()
    rows = [
        {
            "id": r.id,
            "name": r.name,
            "mode": r.mode,
            "sandbox": r.is_sandbox,
            "chosen": chosen is not None and chosen.region_id == r.id,
        }
        for r in regions
    ]
    if chosen is not None and chosen.mgmt_url:
        for row in rows:
            if row["chosen"]:
                row.update(mgmt_url=chosen.mgmt_url, coll_url=chosen.coll_url)

    def text() -> None:
        for row in rows:
            mark = "★" if row["chosen"] else " "
            print(f"{mark} {row['name']}（{row['mode']}）{'  内置演示服务' if row['sandbox'] else ''}")
            if row.get("mgmt_url"):
                print(f"    管理子系统 {row['mgmt_url']}  征收子系统 {row['coll_url']}")
        if chosen is None:
            print("尚未选择地区：sbf-client region set 地区名称")

    emit(cli, {"regions": rows, "chosen": chosen.name if chosen else None}, text)


def cmd_set(cli: Cli) -> None:
    entry = find_region(cli.args.name)
    choice = cli.context.choose_region(entry, cli.args.mgmt_url, cli.args.coll_url)
    emit(
        cli,
        {
            "region": {
                "id": choice.region_id,
                "name": choice.name,
                "mode": choice.mode,
                "mgmt_url": choice.mgmt_url,
                "coll_url": choice.coll_url,
            }
        },
        f"已选择地区【{choice.name}】。地区一经确定不能更改。",
    )


def cmd_addresses(cli: Cli) -> None:
    choice = cli.context.set_region_addresses(cli.args.mgmt_url, cli.args.coll_url)
    emit(
        cli,
        {"region": {"id": choice.region_id, "mgmt_url": choice.mgmt_url, "coll_url": choice.coll_url}},
        f"已更新地区【{choice.name}】的服务器地址：管理子系统 {choice.mgmt_url}，征收子系统 {choice.coll_url}。",
    )


def _address_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--mgmt-url",
        required=required,
        type=checked(partial(check_server_url, what="管理子系统地址")),
        help="管理子系统地址，http:// 或 https:// 开头（演示地区默认使用内置服务）",
    )
    parser.add_argument(
        "--coll-url",
        required=required,
        type=checked(partial(check_server_url, what="征收子系统地址")),
        help="征收子系统地址",
    )


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    region = commands.add_parser("region", help="地区", parents=[common])
    sub = region.add_subparsers(dest="action", required=True, metavar="操作")
    listing = sub.add_parser("list", help="列出可选地区", parents=[common])
    listing.set_defaults(handler=cmd_list)
    choose = sub.add_parser("set", help="选择地区（一经确定不能更改）", parents=[common])
    choose.add_argument("name", type=text("地区名称", 100), help="地区名称或标识，例如 演示地区（税务自主模式）")
    _address_options(choose, required=False)
    choose.set_defaults(handler=cmd_set)
    addresses = sub.add_parser("addresses", help="更正已选地区的服务器地址（地区不变）", parents=[common])
    _address_options(addresses, required=True)
    addresses.set_defaults(handler=cmd_addresses)
