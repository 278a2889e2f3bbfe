"""代收单位业务 as data: the manual's chapter 3 menu tree, 首页 providers, datasets, and the module's part of the
sandbox."""

from sbf_client.plugins.spec import DAIZHENG, ZIZHU, MenuItem, ModuleSpec, leaf

MENU = (
    leaf("home", "首页", "3.1", page="sbf_client.ui.home_page:HomePage"),
    leaf("resident_info", "城乡居民参保信息更新", "3.2"),
    leaf("external_residents", "外部参保城乡居民导入", "3.3"),
    leaf("grades", "城乡居民缴费档次查询", "3.4"),
    leaf("declare_status", "城乡居民申报缴费状态查询（自主）", "3.5", modes=(ZIZHU,)),
    leaf("collect_zizhu", "社保费代收代报（自主）", "3.6", modes=(ZIZHU,)),
    leaf("collect_hedi", "社保费代收代报（核定）", "3.7", modes=(DAIZHENG,)),
    leaf("declaration_records", "社保费申报记录", "3.8"),
    MenuItem(
        "payment",
        "费款缴纳",
        children=(
            leaf("pay", "缴费", "3.9"),
            leaf("voucher_records", "缴费凭证打印记录", "3.10"),
            leaf("agreement_payments", "三方协议缴费记录", "3.11"),
        ),
    ),
    leaf("payment_certificate", "社保费缴费证明打印", "3.12"),
    MenuItem(
        "tax_certificates",
        "社保费完税证明",
        children=(
            leaf("tax_certificate", "税收完税证明（非印刷）开具", "3.13"),
            leaf("tax_certificate_reissue", "税收完税证明（非印刷）补开", "3.14"),
            leaf("certificate_check", "税收完税证明查验", "3.24"),
            leaf("personal_certificate", "个人税收完税证明（非印刷）开具", "3.25"),
            leaf("personal_certificate_reissue", "个人税收完税证明（非印刷）补开", "3.26"),
        ),
    ),
    MenuItem(
        "queries",
        "查询统计",
        children=(
            leaf("declaration_details", "社保费申报明细查询", "3.15"),
            leaf("unit_insurance", "单位参保信息查询", "3.16"),
        ),
    ),
    MenuItem(
        "authorization",
        "缴费授权",
        children=(
            leaf("debit_amounts", "社保费批扣费额设置", "3.17"),
            leaf("bank_accounts", "居民银行账户管理", "3.18"),
            leaf("two_party", "居民两两协议签订", "3.19"),
            leaf("debit_lists", "社保费批扣清册查询", "3.20"),
        ),
    ),
    MenuItem(
        "personal",
        "城乡居民个人缴费",
        children=(
            leaf("personal_pay_zizhu", "社保费缴纳（自主）", "3.21", modes=(ZIZHU,)),
            leaf("personal_pay_hedi", "社保费缴纳（核定）", "3.22", modes=(DAIZHENG,)),
            leaf("personal_records", "缴费记录查询", "3.23"),
        ),
    ),
)

MODULE = ModuleSpec(
    id="collector",
    title="代收单位",
    migrations="sbf_client.modules.collector.store.migrations",
    password_hint="初始化申报密码为纳税人识别号后6位。如您已修改申报密码，请输入新申报密码。",
    datasets=("sbf_client.modules.collector.sync.datasets:RESIDENTS",),
    menu=MENU,
    shortcuts=("resident_info", "grades", "declaration_records", "pay", "payment_certificate"),
    home_chart="sbf_client.modules.collector.services.home:chart",
    sandbox="sbf_client.modules.collector.sandbox:SANDBOX",
    order=2,
)
