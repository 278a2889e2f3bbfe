"""用人单位's list pages as data (``ListSpec``): what each list shows, how it is queried, what it offers.

Shared by the pages (``ui/``), the command line and the exports; the search filters and the 分组 filter are the
employer store's. The 分组 column and field read the unit's own group tables (``store/groups.py``), which no update
replaces; the page watches them as the data set ``employee_groups``.
"""

from __future__ import annotations

from sbf_client.store.lists import ListAction, ListColumn, ListSpec, QueryField
from sbf_client.store.lists.spec import ExportSpec

from ..store.groups import GROUP_PATH_SQL, MEMBERS_INDEX

_UI = "sbf_client.modules.employer.ui"
_KIT = "sbf_client.ui.list_page"
_SEARCH = "sbf_client.modules.employer.store.search"
_GROUPS = "sbf_client.modules.employer.store.groups"
GROUPS_CHANGED = "employee_groups"  # the data set a change of groups or members names (``Changed``)

EMPLOYEES = ListSpec(
    id="employees",
    title="职工参保信息",
    source="employees",
    key="rowid",
    order="name",
    # Sized so that every column and 操作 fit beside the menu at 1366 px.
    columns=(
        ListColumn("name", "姓名", "name", width=90),
        ListColumn("gender", "性别", "gender", width=50, align="center", codes="gender"),
        ListColumn("id_type", "证件类型", "id_type", width=110, codes="id_type"),
        ListColumn("id_number", "证件号码", "id_number", width=170, mask="id_number"),
        ListColumn("status", "参保状态", "status", width=80, align="center", codes="employee_status"),
        ListColumn("unit_no", "单位编号", "unit_no", width=120),
        ListColumn("group", "分组", GROUP_PATH_SQL, width=100),
        ListColumn("updated_at", "更新时间", "updated_at", width=150, align="center", kind="datetime"),
    ),
    fields=(
        QueryField(
            "name",
            "姓名",
            "search",
            filter=f"{_SEARCH}:name_filter",
            live=True,
            placeholder="姓名、拼音或首字母",
            index="employee_names_fts / employee_names_by_initials / employees_by_name",
        ),
        QueryField("id_type", "证件类型", "choice", sql="id_type", choices="codes:id_type", index="employees_by_name"),
        QueryField(
            "id_number",
            "证件号码",
            "search",
            filter=f"{_SEARCH}:id_number_filter",
            placeholder="支持模糊查询",
            index="employees_by_name / employees_by_id_number",
        ),
        QueryField(
            "status",
            "参保状态",
            "choice",
            sql="status",
            choices=(("正常缴费", "1"), ("停止缴费", "2")),
            index="employees_by_name",
        ),
        QueryField("unit_no", "单位编号", "choice", sql="unit_no", choices="registrations", index="employees_by_name"),
        QueryField(
            "group",
            "分组",
            "group",
            choices=f"{_GROUPS}:group_choices",
            filter=f"{_GROUPS}:group_filter",
            index=f"{MEMBERS_INDEX} / employees_by_id_number",
        ),
        QueryField("updated_at", "更新时间", "date_range", sql="updated_at", index="employees_by_name"),
    ),
    toolbar=(
        ListAction("incremental", "增量更新", f"{_UI}.employee_info:update_incremental", online_only=True),
        ListAction("full", "全量更新", f"{_UI}.employee_info:update_full", online_only=True, secondary=True),
        ListAction(
            "export",
            "导出",
            menu=(
                ListAction("export_checked", "选中职工", f"{_KIT}:export_checked", needs_selection=True),
                ListAction("export_all", "所有职工", f"{_KIT}:export_all"),
            ),
            secondary=True,
        ),
        ListAction(
            "groups",
            "分组",
            menu=(
                ListAction("manage_groups", "分组管理", f"{_UI}.employee_info:manage_groups"),
                ListAction(
                    "group_template", "下载批量编辑职工分组模板", f"{_UI}.employee_info:download_group_template"
                ),
                ListAction("import_groups", "批量编辑职工分组", f"{_UI}.employee_info:import_group_file"),
            ),
            secondary=True,
        ),
    ),
    row_actions=(
        ListAction("detail", "查看", f"{_UI}.employee_info:show_detail", row=True),
        ListAction("edit", "编辑", f"{_UI}.employee_info:edit_employee", row=True),
    ),
    detail=f"{_UI}.employee_info:show_detail",
    statistics="sbf_client.modules.employer.services.employees:statistics",
    watches=frozenset({"employees", GROUPS_CHANGED}),
    export=ExportSpec("职工参保信息", "职工参保信息"),
    checkable=True,
)
