"""代收单位业务: the collecting-agent module (manual chapter 3)."""

from sbf_client.plugins.spec import ModuleSpec

MODULE = ModuleSpec(
    id="collector",
    title="代收单位",
    migration_branch="collector",
    feed="residents",
    password_hint="初始化申报密码为纳税人识别号后6位。如您已修改申报密码，请输入新申报密码。",
    datasets=("sbf_client.modules.collector.sync.datasets:RESIDENTS",),
    order=2,
)
