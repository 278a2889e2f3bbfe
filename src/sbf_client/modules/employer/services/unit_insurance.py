"""单位参保信息查询 (manual 2.19): the list as data (``UNIT_INSURANCE``), its statistics line, what the page says
about an empty cache (M2666–2668), and the download — at login (a start-up job) and on 【更新】.

The list is read from the unit database only, so the page works offline; the download needs the server. Its
declaration sits here rather than in ``lists.py`` so that this page is one file of each layer.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from sbf_client.services.session import UnitSession
from sbf_client.store.lists import ListAction, ListColumn, ListSpec, QueryField
from sbf_client.store.lists.spec import ExportSpec
from sbf_client.sync.progress import Progress

from ..remote.unit_insurance import UnitInsuranceApi
from ..store.unit_insurance import Cached, cached
from ..sync.unit_insurance import download_unit_insurance

_UI = "sbf_client.modules.employer.ui.unit_insurance"
_STORE = "sbf_client.modules.employer.store.unit_insurance"
CHANGED = "unit_insurance"  # the data set a download names (``Changed``); the page watches it
UPDATE = "更新单位参保信息"  # what needs the server, in the words of its refusal offline
LONG_TERM = "长期"

UNIT_INSURANCE = ListSpec(
    id="unit_insurance",
    title="单位参保信息",
    source="unit_insurance",
    key="rowid",
    order="unit_no",  # then the key: within a 单位编号, the 险种 in the 管理子系统's order (养老 first)
    columns=(
        ListColumn("unit_no", "单位编号", "unit_no", width=115),
        ListColumn("agency", "社保经办机构", "agency", width=190),
        ListColumn("tax_authority", "主管税务机关", "tax_authority", width=190),
        ListColumn("item", "征收项目", "item", width=150, codes="item"),
        ListColumn("category", "征收品目", "category", width=200, codes="category"),
        ListColumn("sub", "征收子目", "sub", width=100, codes="sub"),
        ListColumn("status", "参保状态", "status", width=75, align="center", codes="employee_status"),
        ListColumn("start_month", "开始缴费月份", "start_month", width=95, align="center"),
        # '长期' sorts after every month: an open 险种 comes last in ascending order.
        ListColumn("end_month", "终止缴费月份", f"coalesce(end_month, '{LONG_TERM}')", width=95, align="center"),
        # Decimal text sorts as text ("900.00" after "12000.00"): no sorting rather than a wrong one.
        ListColumn("base", "缴费基数", "base", width=120, align="right", kind="money", sortable=False),
    ),
    fields=(
        QueryField(
            "unit_no", "单位编号", "choice", sql="unit_no", choices="registrations", index="unit_insurance_by_unit_no"
        ),
        QueryField(
            "agency",
            "社保经办机构",
            "choice",
            sql="agency",
            choices=f"{_STORE}:agency_choices",
            index="unit_insurance_by_agency",
        ),
        QueryField(
            "item", "征收项目", "choice", sql="item", choices=f"{_STORE}:item_choices", index="unit_insurance_by_item"
        ),
    ),
    toolbar=(
        ListAction("export", "导出", f"{_UI}:export_results", secondary=True),
        ListAction("update", "更新", f"{_UI}:update", online_only=True),
    ),
    statistics="sbf_client.modules.employer.services.unit_insurance:statistics",
    watches=frozenset({CHANGED}),
    export=ExportSpec("单位参保信息", "单位参保信息"),
    numbered=True,
)

NEVER_DOWNLOADED = (
    "未下载到单位参保信息，本页面为空。本软件在登录的过程中会下载单位参保信息，没有下载到可能是网络故障或者"
    "管理子系统的问题，请在联网状态下点击【更新】重新获取。"
)
NOTHING_REGISTERED = "管理子系统中没有本单位的参保信息，请确认单位已完成参保登记。"
UNNAMED_CATEGORIES = (
    "部分征收品目在规则文件中没有名称，可能是规则文件不正确。规则文件在每次登录时自动更新，请重新登录后再查看。"
)


def statistics(engine: Engine, _where: str = "", _params: dict[str, Any] | None = None) -> str:
    """The line above the list, for the whole cache whatever the query: 单位编号, 险种, and when downloaded."""
    state = cached(engine)
    if state.downloaded_at is None:
        return "尚未下载单位参保信息"
    with engine.connect() as conn:
        numbers, paying, stopped = conn.exec_driver_sql(
            "SELECT count(DISTINCT unit_no), coalesce(sum(status = '1'), 0), coalesce(sum(status = '2'), 0)"
            " FROM unit_insurance"
        ).one()
    return f"单位编号：{numbers}个  正常缴费：{paying}项  停止缴费：{stopped}项  下载时间：{state.downloaded_at}"


def empty_note(state: Cached) -> str:
    """What the page says instead of an empty list (M2666–2668); blank when there is a list to show."""
    if state.downloaded_at is None:
        return NEVER_DOWNLOADED
    return NOTHING_REGISTERED if state.rows == 0 else ""


def refresh_unit_insurance(session: UnitSession, progress: Progress | None = None) -> int:
    """Download the unit's 参保信息 from the 管理子系统 into its database; returns how many rows it has."""
    server = session.require_server(UPDATE)
    api = UnitInsuranceApi(session.context.api())
    return download_unit_insurance(
        api, session.engine, session.unit.server_unit_id, server.token, session.clock.now(), progress
    )


def startup_refresh(session: UnitSession, progress: Progress) -> None:
    """Login job (M2666: 登录的过程中会下载单位参保信息); a failure is reported and the cached list stays."""
    refresh_unit_insurance(session, progress)
