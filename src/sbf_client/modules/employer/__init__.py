"""用人单位业务: the employer module (manual chapter 2)."""

from sbf_client.plugins.spec import ModuleSpec

MODULE = ModuleSpec(
    id="employer",
    title="用人单位",
    migration_branch="employer",
    feed="employees",
    password_hint="初始化申报密码为任一单位编号后6位。若单位编号不足6位，则单位编号末尾补0。"
    "如单位编号为“12345”，则初始申报密码为“123450”。",
    datasets=("sbf_client.modules.employer.sync.datasets:EMPLOYEES",),
    cli=("sbf_client.modules.employer.cli.wages:register",),
    order=1,
)
