"""``sbf-client wages template|declare|feedback|detail``: 导入模板下载, 缴费工资申报 from a file, 获取反馈 with
the 缴费工资申报记录, and one record's 申报明细.

Every command but ``template`` logs in first (the 申报密码 as ``cli/common.py`` takes it): ``declare`` and
``feedback`` need the server and say so when it cannot be reached; ``detail`` reads the cache and, without the
network, opens it with the offline verifier. ``declare`` refuses content declared before unless ``--again`` (or
a yes typed at the terminal), and with ``--error-file`` saves an annotated copy of a file with errors.
``template`` needs no login: the 险种 dropdown comes from the 规则文件.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from sbf_client.cli.common import MAX_PATH, Cli, emit, password_options
from sbf_client.cli.units import MAX_UNIT_TEXT
from sbf_client.core.cli_parsing import integer, number, text
from sbf_client.core.errors import InputError

MAX_ID = 2**63 - 1  # the largest record number SQLite can hold
SHOWN_ERRORS = 50


def _open(cli: Cli, server: str | None):  # type: ignore[no-untyped-def]
    """登录 to the unit ``--unit`` names (``server``: what needs the server; ``None``: the cache will do), and
    its wage service; imported here, since ``--help`` needs neither."""
    from sbf_client.services.units import UnitService

    from ..services.wages import WageService

    unit = UnitService(cli.context).find("employer", cli.args.unit)
    return WageService(cli.unit_session(unit, server=server))


def cmd_declare(cli: Cli) -> None:
    from sbf_client.documents.tabular import check_table_path

    from ..services.wages import DECLARING, DuplicateDeclaration

    path = check_table_path(Path(cli.args.file))  # a wrong path is said before the password is asked for
    service = _open(cli, DECLARING)
    unit = service.session.unit
    check = service.check_file(path, cli.args.type, cli.args.by)
    if check.errors:
        more = f"；另有{len(check.errors) - SHOWN_ERRORS}处" if len(check.errors) > SHOWN_ERRORS else ""
        saved = ""
        if cli.args.error_file and check.imported is not None:
            saved = f"标注了错误原因的文件已保存到 {check.annotate(Path(cli.args.error_file))}，修改后可直接导入。"
        raise InputError(
            f"申报数据有误，未提交（共{len(check.errors)}处）。{saved}请修改后重新导入："
            + "；".join(check.errors[:SHOWN_ERRORS])
            + more
        )
    for warning in check.warnings[:20]:
        cli.note(f"提示：{warning}")
    if check.filtered:
        cli.note(f"已自动过滤 {check.filtered} 行税务代征险种的数据。")
    earlier = service.earlier_same(check, cli.args.type, cli.args.by)
    if earlier is not None:
        same = DuplicateDeclaration(earlier).message
        if not cli.confirm(f"{same}是否再次申报？", cli.args.again):
            raise InputError(f"{same}如确需再次申报，请加 --again 重新运行。")
    if check.warnings and not cli.confirm("生效年月早于系统当前年月，将会产生补缴信息，是否确定？", cli.args.yes):
        raise InputError("已取消提交。生效年月早于系统当前年月将会产生补缴信息，确认后请加 --yes 重新提交。")
    try:
        record = service.declare(check, cli.args.type, cli.args.by, again=earlier is not None)
    except DuplicateDeclaration as same:  # declared meanwhile, by another run
        raise InputError(f"{same.message}如确需再次申报，请加 --again 重新运行。") from None
    emit(
        cli,
        {
            "declaration": record.as_dict(),
            "rows": len(check.lines),
            "filtered": check.filtered,
            "warnings": check.warnings,
        },
        f"提交成功：{record.total} 名职工，状态【{record.status}】。约20秒后可获取反馈：sbf-client wages feedback "
        f"--unit {unit.taxpayer_id}",
    )


def cmd_template(cli: Cli) -> None:
    """导入模板下载: the template needs the 规则文件's 险种 names, not a login."""
    from ..services.wages import write_wage_template

    target = Path(cli.args.file)
    if target.suffix.lower() != ".xlsx":
        raise InputError("导入模板保存为Excel工作簿，文件名须以 .xlsx 结尾。")
    if target.is_dir() or not target.parent.is_dir():
        raise InputError(f"无法保存到 {target}：请指定一个已存在的文件夹中的文件名。")
    written = write_wage_template(cli.context, target, cli.args.type, cli.args.by)
    emit(
        cli, {"template": str(written)}, f"导入模板已保存：{written}。填写后使用 sbf-client wages declare --file 导入。"
    )


def cmd_feedback(cli: Cli) -> None:
    from ..services.wages import FEEDBACK, PENDING, SUBMITTING

    service = _open(cli, FEEDBACK)
    unit = service.session.unit
    deadline = time.monotonic() + cli.args.wait
    records = service.feedback()
    while any(r.status in (PENDING, SUBMITTING) for r in records) and time.monotonic() < deadline:
        time.sleep(1)
        records = service.feedback()

    def text() -> None:
        print("序号  申报时间  申报类型  主管税务机关  职工总数  状态")
        for i, r in enumerate(records, start=1):
            print(
                f"{i}  {r.submitted_at}  {r.declaration_type}缴费工资申报  {unit.tax_authority}  {r.total}  {r.status}"
                + (f"（{r.message}）" if r.message else "")
            )

    emit(cli, {"declarations": [r.as_dict() for r in records]}, text)


def cmd_detail(cli: Cli) -> None:
    service = _open(cli, None)  # personal data: the 申报密码 first, online or not
    offline = service.session.offline
    items = service.items(cli.args.id)
    if not items:
        raise InputError(f"没有编号为{cli.args.id}的缴费工资申报记录。")

    def text() -> None:
        from sbf_client.core.ids import mask_id_number

        print("姓名  证件号码  原缴费工资(元)  新缴费工资(元)  生效年月  状态  原因")
        for i in items:
            print(
                f"{i['name']}  {mask_id_number(i['id_number'])}  {i['old_wage'] or ''}  {i['new_wage']}  "
                f"{i['effective_month'] or ''}  {i['status']}  {i['reason']}"
            )

    emit(cli, {"items": items, "offline": offline}, text)


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    wages = commands.add_parser("wages", help="缴费工资申报（用人单位）", parents=[common])
    sub = wages.add_subparsers(dest="action", required=True, metavar="操作")

    declare = sub.add_parser("declare", help="从文件导入并提交缴费工资申报", parents=[common])
    declare.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    declare.add_argument(
        "--file",
        required=True,
        type=text("文件路径", MAX_PATH),
        help="导入模板（wages template 下载），或含相同列的Excel/CSV文件：证件号码、姓名、新缴费工资、生效年月",
    )
    declare.add_argument("--type", choices=["日常", "年度"], default="日常", help="日常（默认）或年度缴费工资申报")
    declare.add_argument("--by", choices=["按职工", "按险种"], default="按职工")
    declare.add_argument("--yes", action="store_true", help="确认提示（如生效年月早于当前年月会产生补缴）")
    declare.add_argument(
        "--again", action="store_true", help="已提交过内容完全相同的申报时，确认再次申报（否则在终端中询问）"
    )
    declare.add_argument(
        "--error-file",
        type=text("错误标注文件路径", MAX_PATH),
        help="数据有误时，把标注了错误原因（红色单元格和“错误原因”列）的副本保存到此.xlsx文件",
    )
    password_options(declare)
    declare.set_defaults(handler=cmd_declare)

    template = sub.add_parser("template", help="导入模板下载：保存缴费工资申报的Excel导入模板", parents=[common])
    template.add_argument("--file", required=True, type=text("文件路径", MAX_PATH), help="保存到的.xlsx文件")
    template.add_argument("--type", choices=["日常", "年度"], default="日常", help="日常（默认）或年度缴费工资申报")
    template.add_argument("--by", choices=["按职工", "按险种"], default="按职工")
    template.set_defaults(handler=cmd_template)

    feedback = sub.add_parser("feedback", help="获取反馈并列出缴费工资申报记录", parents=[common])
    feedback.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    feedback.add_argument(
        "--wait", type=number("等待秒数", 0, 3600), default=0, help="最多等待多少秒直到没有待反馈的记录（0–3600）"
    )
    password_options(feedback)
    feedback.set_defaults(handler=cmd_feedback)

    detail = sub.add_parser("detail", help="查看一条申报记录的申报明细", parents=[common])
    detail.add_argument("--unit", required=True, type=text("单位", MAX_UNIT_TEXT), help="纳税人识别号或纳税人名称")
    detail.add_argument(
        "--id", type=integer("申报记录编号", 1, MAX_ID), required=True, help="申报记录编号（feedback 输出中的 id）"
    )
    password_options(detail)
    detail.set_defaults(handler=cmd_detail)
