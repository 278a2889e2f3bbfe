"""``sbf-client employees list|export``: the cached 职工参保信息, queried and exported as on the page.

Both read the unit's cache (no server needed; offline the 申报密码 is checked against this machine's verifier)
through the page's own ``ListSpec``: the same query fields, the same columns, the same Excel writer. ``list``
masks 证件号码 as the page does; ``export`` writes the unit's own data in full. ``--group`` takes a group's name,
or its path (``一级/二级``) where several groups share the name, and selects its sub-groups' employees too.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sbf_client.cli.common import MAX_PATH, Cli, emit, password_options
from sbf_client.cli.units import MAX_UNIT_TEXT
from sbf_client.core.cli_parsing import integer, text
from sbf_client.core.errors import InputError

STATUSES = {"正常缴费": "1", "停止缴费": "2"}
DEFAULT_LIMIT = 50
MAX_LIMIT = 100_000


def _query_values(args: argparse.Namespace, group_id: int | None = None) -> dict[str, Any]:
    return {
        "name": args.name or "",
        "id_number": args.id_number or "",
        "status": STATUSES.get(args.status) if args.status else None,
        "unit_no": args.unit_no,
        "group": group_id,
    }


def _group_id(engine: Any, name: str | None) -> int | None:
    """The group ``--group`` names: one group, or a one-line error saying what to write instead."""
    from ..store.groups import find_groups

    if name is None:
        return None
    found = find_groups(engine, name)
    if not found:
        raise InputError(f"没有名为“{name}”的分组，请核对分组名称（下级分组可写完整路径，如“一级分组/二级分组”）。")
    if len(found) > 1:
        paths = "、".join(g.path for g in found)
        raise InputError(f"有{len(found)}个名为“{name}”的分组（{paths}），请写出完整路径，如“{found[0].path}”。")
    return found[0].id


def _open(cli: Cli):  # type: ignore[no-untyped-def]
    """The unit's session, its list source and the query; imported here, since ``--help`` needs none of it."""
    from sbf_client.services.units import UnitService
    from sbf_client.store.lists import ListQuery, ListSource

    from ..services.lists import EMPLOYEES

    unit = UnitService(cli.context).find("employer", cli.args.unit)
    session = cli.unit_session(unit, server=None)  # personal data: the 申报密码 first, online or not
    engine = session.engine
    source = ListSource(engine, EMPLOYEES)
    return session, source, ListQuery(_query_values(cli.args, _group_id(engine, cli.args.group)))


def cmd_list(cli: Cli) -> None:
    from sbf_client.store.lists.cells import screen_formatter

    session, source, query = _open(cli)
    codes, offline = session.codes, session.offline
    shown = [screen_formatter(column, codes) or str for column in source.spec.columns]
    total = source.count(query)
    keys = source.window(query, 0, cli.args.limit)
    rows = [
        {c.key: ("" if v is None else fmt(v)) for c, fmt, v in zip(source.spec.columns, shown, row, strict=True)}
        for row in source.stream(query, keys)
    ]

    def table() -> None:
        print("  ".join(column.title for column in source.spec.columns))
        for row in rows:
            print("  ".join(row.values()))
        more = f"，显示前 {len(rows)} 名（--limit 可调整）" if total > len(rows) else ""
        print(f"共 {total} 名职工{more}")

    emit(cli, {"total": total, "shown": len(rows), "employees": rows, "offline": offline}, table)


def cmd_export(cli: Cli) -> None:
    from sbf_client.services.list_export import export_list

    out = Path(cli.args.out)
    if out.suffix.lower() != ".xlsx":
        raise InputError("导出文件须为 .xlsx 格式，请修改 --out 的文件名后重试。")
    session, source, query = _open(cli)
    count = export_list(source, query, out, session.codes)
    emit(
        cli, {"exported": count, "file": str(out), "offline": session.offline}, f"导出成功，共导出{count}名职工：{out}"
    )


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    parser.add_argument("--name", type=text("姓名", 50), help="姓名的一部分、拼音或拼音首字母")
    parser.add_argument("--id-number", type=text("证件号码", 30), help="证件号码（支持模糊查询）")
    parser.add_argument("--status", choices=list(STATUSES), help="参保状态")
    parser.add_argument("--unit-no", type=text("单位编号", 30), help="单位编号")
    parser.add_argument(
        "--group", type=text("分组", 100), help="分组名称或路径（如 一级分组/二级分组），含其下级分组的职工"
    )
    password_options(parser)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    employees = commands.add_parser("employees", help="职工参保信息（用人单位，本机缓存）", parents=[common])
    sub = employees.add_subparsers(dest="action", required=True, metavar="操作")

    listing = sub.add_parser("list", help="查询职工参保信息（证件号码部分隐藏）", parents=[common])
    _filters(listing)
    listing.add_argument(
        "--limit",
        type=integer("显示条数", 1, MAX_LIMIT),
        default=DEFAULT_LIMIT,
        help=f"最多显示多少名（默认{DEFAULT_LIMIT}）",
    )
    listing.set_defaults(handler=cmd_list)

    export = sub.add_parser("export", help="导出职工参保信息到Excel文件（.xlsx）", parents=[common])
    _filters(export)
    export.add_argument("--out", required=True, type=text("文件路径", MAX_PATH), help="导出的文件（.xlsx）")
    export.set_defaults(handler=cmd_export)
