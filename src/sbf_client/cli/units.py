"""``sbf-client unit add|list|passwd``: the manual's 添加单位 flow and 单位管理 on the command line.

Passwords never come from arguments (``cli/common.py``): ``unit add`` verifies with the 申报密码 given
(``--password-stdin`` line 1, ``SBF_PASSWORD``), else with the initial one ``--unit-no`` (or ``--initial``)
points at, else a typed one; a new 申报密码, when the initial one must be changed, is line 2 of
``--password-stdin``, ``SBF_NEW_PASSWORD`` or typed twice. ``unit passwd`` takes the current one and the new
one the same way.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sbf_client.core.cli_parsing import checked, integer, text
from sbf_client.core.errors import InputError
from sbf_client.core.ids import check_taxpayer_id
from sbf_client.core.passwords import collector_initial_password, initial_password

if TYPE_CHECKING:
    from sbf_client.remote.contract.models import UnitSummary
    from sbf_client.services.units import UnitService

from .common import Cli, emit, password_options

CONFIRM_NOTICE = (
    "根据社会保险费征管职能划转的统一要求，我省税务机关统一接收社会保险费的征收权。请确认纳税人识别号、单位名称和"
    "社保经办机构、单位编号的对应关系。请务必认真核对，确认对应关系是否正确，确认无误后再使用本系统。"
)
WRONG_NOTICE = "如对应有误，请赴相关的税务办税大厅进行修正后再使用本系统。"
MAX_UNIT_NO = 30
MAX_UNIT_TEXT = 200  # a 纳税人名称, 纳税人识别号 or "识别号:单位标识" as --unit takes it


def check_unit_no(value: str) -> str:
    """A 单位编号 as typed: letters and digits only (its last six make the initial 申报密码)."""
    unit_no = (value or "").strip()
    if not unit_no:
        raise InputError("单位编号不能为空，请填写参保登记信息中的单位编号。")
    if len(unit_no) > MAX_UNIT_NO or not (unit_no.isascii() and unit_no.isalnum()):
        raise InputError(f"单位编号应为不超过{MAX_UNIT_NO}位的数字或字母，请核对参保登记信息中的单位编号。")
    return unit_no


def _choose(cli: Cli, service: UnitService, units: list[UnitSummary]) -> UnitSummary:
    """选择单位: the only unit, or the one ``--choice`` names, or the one this machine knows to hold
    ``--unit-no``. No password is tried on a unit to find out: each wrong one would bring that unit nearer to
    the server's lock."""
    if len(units) == 1:
        return units[0]
    if cli.args.choice:
        if not 1 <= cli.args.choice <= len(units):
            raise InputError(f"--choice 须在1到{len(units)}之间。")
        return units[cli.args.choice - 1]
    table = "；".join(
        f"{i} {u.name}（{u.taxpayer_id}，登记日期{u.registered_on}，{u.taxpayer_status}，{u.kind}）"
        for i, u in enumerate(units, start=1)
    )
    if cli.args.unit_no:
        try:
            return service.unit_numbered(cli.args.business, units, cli.args.unit_no)
        except InputError as unknown:
            raise InputError(f"{unknown.message}请用 --choice 序号选择单位：{table}") from None
    raise InputError(
        "您输入的纳税人识别号对应多家单位，请选择本次需要办理社保业务的单位（--choice 序号，或 --unit-no 单位编号）："
        + table
    )


def _password(cli: Cli, taxpayer_id: str) -> str:
    """The 申报密码 to verify with: one given (standard input, SBF_PASSWORD), else the initial one the
    options point at, else one typed at the prompt."""
    if cli.has_password():
        return cli.password()
    if cli.args.unit_no:
        return initial_password(cli.args.unit_no)
    if cli.args.business == "collector" and cli.args.initial:
        return collector_initial_password(taxpayer_id)
    return cli.password()


def cmd_add(cli: Cli) -> None:
    """lookup → 选择单位 → verify → 参保登记信息 shown → confirmation → the initial password changed → saved:
    a refusal anywhere before the confirmation leaves the server as it was."""
    from sbf_client.services.units import UnitService

    service = UnitService(cli.context)
    taxpayer_id = check_taxpayer_id(cli.args.taxpayer_id)
    summary = _choose(cli, service, service.lookup(taxpayer_id, cli.args.business))
    password = _password(cli, taxpayer_id)
    session = service.verify(summary.unit_id, password)
    info = service.registration(session)
    unit_nos = [r.unit_no for r in info.registrations]
    if cli.args.unit_no and cli.args.unit_no not in unit_nos:
        raise InputError(
            f"单位【{info.name}】的参保登记信息中没有单位编号{cli.args.unit_no}（为{'、'.join(unit_nos)}），"
            "未添加。请核对单位编号，或用 --choice 选择其他单位。"
        )
    new_password = None
    if session.must_change_password:
        cli.note("首次使用初始申报密码，须修改申报密码（确认参保登记信息后修改）。")
        new_password = cli.new_password()
        service.check_new_password(password, *new_password, unit_nos)
    cli.note(f"确认参保登记信息\n{CONFIRM_NOTICE}\n纳税人识别号：{info.taxpayer_id}（{info.name}）")
    for r in info.registrations:
        cli.note(f"  单位编号 {r.unit_no}  社保经办机构 {r.agency}  主管税务机关 {r.tax_authority}")
    cli.note(WRONG_NOTICE)
    if not cli.confirm("我已确认无误？", cli.args.yes):
        raise InputError(
            "参保登记信息未确认（我已确认无误），单位未添加，申报密码未修改。核对无误后请加 --yes 重新运行，"
            "或在终端中运行以便确认。"
        )
    local = service.finish_adding(
        cli.args.business, summary, session, info, password=password, confirmed=True, new_password=new_password
    )
    if new_password is not None:
        cli.note("修改成功")
    emit(
        cli,
        {
            "unit": {
                "taxpayer_id": local.taxpayer_id,
                "name": local.name,
                "server_unit_id": local.server_unit_id,
                "tax_authority": local.tax_authority,
                "tax_branch": local.tax_branch,
                "module": local.module,
            },
            "registrations": [r.model_dump() for r in info.registrations],
            "password_changed": new_password is not None,
        },
        f"单位【{local.name}】添加成功。",
    )


def cmd_list(cli: Cli) -> None:
    units = cli.context.store.units(cli.args.business, cli.args.search or "")
    rows = [
        {
            "taxpayer_id": u.taxpayer_id,
            "name": u.name,
            "tax_authority": u.tax_authority,
            "tax_branch": u.tax_branch,
            "remark": u.remark,
            "server_unit_id": u.server_unit_id,
        }
        for u in units
    ]

    def text() -> None:
        print("序号  纳税人识别号  纳税人名称  主管税务机关  主管科所分局  备注")
        for i, u in enumerate(units, start=1):
            print(f"{i}  {u.taxpayer_id}  {u.name}  {u.tax_authority}  {u.tax_branch}  {u.remark}")

    emit(cli, {"units": rows}, text)


def cmd_passwd(cli: Cli) -> None:
    """修改申报密码 of a unit of this machine: the new password is checked before anything is sent, the old
    one through the same login as every command; the offline verifier follows the change."""
    from sbf_client.services.units import UnitService

    service = UnitService(cli.context)
    unit = service.find(cli.args.business, cli.args.unit)
    old = cli.password("原申报密码：")
    new, again = cli.new_password()
    unit_nos = [r.unit_no for r in cli.context.store.registrations(unit.id)]
    service.check_new_password(old, new, again, unit_nos)
    changing = "修改申报密码"
    session = cli.unit_session(unit, server=changing, initial_ok=True)
    service.change_password(session.require_server(changing), old, new, again, unit_nos)
    emit(cli, {"unit": unit.taxpayer_id}, "修改成功")


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    unit = commands.add_parser("unit", help="单位管理", parents=[common])
    sub = unit.add_subparsers(dest="action", required=True, metavar="操作")

    def business(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--business",
            choices=["employer", "collector"],
            default="employer",
            help="业务：employer 用人单位（默认）或 collector 代收单位",
        )

    add = sub.add_parser("add", help="添加单位", parents=[common])
    add.add_argument("taxpayer_id", type=checked(check_taxpayer_id), help="纳税人识别号")
    business(add)
    add.add_argument(
        "--unit-no",
        type=checked(check_unit_no),
        help="单位编号：初始申报密码取其后6位（不足6位末尾补0）；多家单位时，按本机已添加单位的参保登记信息据此选择"
        "（不在其他单位上试密码），无法确定时请用 --choice",
    )
    add.add_argument("--choice", type=integer("序号", 1, 999), help="一个纳税人识别号对应多家单位时，选择单位的序号")
    add.add_argument("--initial", action="store_true", help="代收单位：使用初始申报密码（纳税人识别号后6位）")
    add.add_argument("--yes", action="store_true", help="参保登记信息已确认无误（否则在终端中询问）")
    password_options(add, new=True)
    add.set_defaults(handler=cmd_add)

    listing = sub.add_parser("list", help="单位列表", parents=[common])
    business(listing)
    listing.add_argument(
        "--search", type=text("搜索关键字", 100, may_be_empty=True), help="按纳税人识别号/纳税人名称/备注关键字搜索"
    )
    listing.set_defaults(handler=cmd_list)

    passwd = sub.add_parser("passwd", help="修改申报密码", parents=[common])
    business(passwd)
    passwd.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    password_options(passwd, new=True)
    passwd.set_defaults(handler=cmd_passwd)
