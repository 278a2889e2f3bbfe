"""用人单位业务 as data: the manual's chapter 2 menu tree, 首页 providers, datasets, jobs, commands, and the
module's part of the sandbox."""

from sbf_client.plugins.spec import DAIZHENG, ZIZHU, MenuItem, ModuleSpec, StartupJob, leaf

_UI = "sbf_client.modules.employer.ui"
_SERVICES = "sbf_client.modules.employer.services"


MENU = (
    leaf("home", "首页", "2.1", page="sbf_client.ui.home_page:HomePage"),
    leaf("employee_info", "职工参保信息更新", "2.2", page=f"{_UI}.employee_info:EmployeeInfoPage"),
    MenuItem(
        "wages",
        "缴费工资申报",
        children=(
            leaf("daily_wages", "日常缴费工资申报", "2.3、2.4"),
            leaf("annual_wages", "年度缴费工资申报", "2.5、2.6"),
            leaf("wage_records", "缴费工资申报记录", "2.7"),
        ),
    ),
    MenuItem(
        "declaration",
        "社保费申报",
        children=(
            leaf("daily_declaration", "日常申报", "2.8"),
            leaf("special_declaration", "特殊缴费申报", "2.9"),
            leaf("declaration_records", "申报记录", "2.10"),
            leaf("assessed_declaration", "社保费申报（核定）", "2.27", modes=(DAIZHENG,)),
        ),
    ),
    MenuItem(
        "payment",
        "费款缴纳",
        children=(
            leaf("pay", "缴费", "2.11"),
            leaf("voucher_records", "缴费凭证打印记录", "2.12"),
            leaf("payment_records", "缴费记录", "2.13"),
        ),
    ),
    MenuItem(
        "certificates",
        "证明打印",
        children=(
            leaf("tax_certificate", "税收完税证明（非印刷）开具", "2.14"),
            leaf("tax_certificate_reissue", "税收完税证明（非印刷）补开", "2.15"),
            leaf("employee_certificate", "职工缴费证明打印", "2.16"),
            leaf("unit_certificate", "单位缴费证明打印", "2.17"),
            leaf("certificate_check", "税收完税证明查验", "2.26"),
        ),
    ),
    leaf("agreements", "单位三方协议管理", "2.18"),
    MenuItem(
        "queries",
        "查询统计",
        children=(
            leaf("unit_insurance", "单位参保信息查询", "2.19", page=f"{_UI}.unit_insurance:UnitInsurancePage"),
            leaf("declaration_details", "社保费申报明细查询", "2.20"),
            leaf("dues", "社保费应缴信息查询", "2.21"),
            leaf("arrivals", "社保费到账信息查询", "2.22"),
            leaf("project_insurance", "工程项目参保信息查询", "2.25"),
        ),
    ),
    MenuItem(
        "projects",
        "工程项目工伤保险费申报",
        children=(
            leaf("project_declaration", "工程项目社保费申报", "2.23"),
            leaf("project_records", "工程项目社保费申报记录", "2.24"),
        ),
    ),
    leaf("refunds", "单位退费申请管理", "2.28"),
)

MODULE = ModuleSpec(
    id="employer",
    title="用人单位",
    migrations="sbf_client.modules.employer.store.migrations",
    password_hint="初始化申报密码为任一单位编号后6位。若单位编号不足6位，则单位编号末尾补0。"
    "如单位编号为“12345”，则初始申报密码为“123450”。",
    datasets=("sbf_client.modules.employer.sync.datasets:EMPLOYEES",),
    cli=("sbf_client.modules.employer.cli.wages:register", "sbf_client.modules.employer.cli.employees:register"),
    menu=MENU,
    shortcuts=("employee_info", "daily_wages", "daily_declaration", "pay", "declaration_records", "payment_records"),
    home_reminders=f"{_SERVICES}.home:reminders",
    home_chart=f"{_SERVICES}.home:chart",
    startup=(
        # M2666: 登录的过程中会下载单位参保信息 (a small list, fetched whole: no change feed to follow).
        StartupJob("更新单位参保信息", f"{_SERVICES}.unit_insurance:startup_refresh", weight=2),
        # 税务代征 regions do not declare 缴费工资 in the client (the tax bureau assesses them): no feedback to fetch.
        StartupJob("缴费工资申报反馈", f"{_SERVICES}.wages:startup_feedback", weight=5, modes=(ZIZHU,)),
    ),
    sandbox="sbf_client.modules.employer.sandbox:SANDBOX",
    order=1,
)
