"""申报管理 › 规则文件更新 (manual 4.5, M5204–5214): the 规则文件 this machine keeps, and 【更新】.

The rules are managed in the 管理子系统; the client only downloads them (every login does, M5208) and keeps
them in the app database (``ClientContext.refresh_code_tables``). Each table the 管理子系统 sends is one 规则文件:
the code tables (证件类型, 征收项目 i.e. 险种, 征收品目, …) that turn codes into names on every page, and the
region's limits (``wage_period_limits``: which 生效年月 a 缴费工资申报 may name). What each is, in the user's
words, is said here; a table this version does not know yet is still counted and listed, by its key.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sbf_client.core.errors import SbfError
from sbf_client.remote.contract.models import MONTHS_AHEAD, MONTHS_BACK, WAGE_PERIOD_TABLE
from sbf_client.store.codes import CODES_SETTING

from .context import ClientContext

# key → (规则文件名称, 说明); in the order they are listed.
RULE_FILE_TITLES: dict[str, tuple[str, str]] = {
    "item": ("征收项目（险种）代码表", "险种名称，用于参保信息、缴费工资申报、首页统计"),
    "category": ("征收品目代码表", "征收品目名称，用于职工参保明细、单位参保信息"),
    "sub": ("征收子目代码表", "征收子目名称，用于职工参保明细、单位参保信息"),
    "special": ("特殊类别代码表", "人员特殊类别名称，用于职工参保明细"),
    "id_type": ("证件类型代码表", "证件类型名称，用于职工信息查询和导出"),
    "gender": ("性别代码表", "性别名称"),
    "employee_status": ("职工参保状态代码表", "职工参保状态名称"),
    "resident_status": ("城乡居民参保状态代码表", "城乡居民参保状态名称"),
    "mode": ("征收模式代码表", "征收模式名称"),
    "grade": ("城乡居民缴费档次代码表", "城乡居民缴费档次名称"),
    WAGE_PERIOD_TABLE: ("缴费工资申报生效年月范围", "日常缴费工资申报可选的生效年月"),
}
SAMPLE_NAMES = 2  # names quoted from a code table in its 内容


@dataclass(frozen=True)
class RuleFile:
    key: str
    title: str
    description: str
    content: str  # what the file holds now, e.g. "共8项：企业职工基本养老保险费、失业保险费、…"
    entries: int


@dataclass(frozen=True)
class RuleFiles:
    """The 规则文件 kept on this machine; ``updated_at`` None: never downloaded (or before the time was kept)."""

    files: tuple[RuleFile, ...]
    version: str | None
    updated_at: str | None

    @property
    def count(self) -> int:
        return len(self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "version": self.version,
            "updated_at": self.updated_at,
            "files": [asdict(f) for f in self.files],
        }


def _content(key: str, table: dict[str, str]) -> str:
    if key == WAGE_PERIOD_TABLE:
        back, ahead = table.get(MONTHS_BACK), table.get(MONTHS_AHEAD)
        if back is not None and ahead is not None:
            return f"当前月份前{back}个月至后{ahead}个月"
    names = list(table.values())
    shown = "、".join(names[:SAMPLE_NAMES]) + ("、…" if len(names) > SAMPLE_NAMES else "")
    return f"共{len(names)}项：{shown}" if names else "共0项"


def _rule_file(key: str, table: dict[str, str]) -> RuleFile:
    title, description = RULE_FILE_TITLES.get(key, (key, "本版本客户端尚未使用"))
    return RuleFile(key, title, description, _content(key, table), len(table))


def cached_rule_files(store: Any) -> RuleFiles:
    """The 规则文件 as last downloaded (``store``: the app store, anything with ``setting``)."""
    cached = store.setting(CODES_SETTING) or {}
    tables: dict[str, dict[str, str]] = cached.get("tables") or {}
    order = list(RULE_FILE_TITLES)
    keys = sorted(tables, key=lambda k: (order.index(k) if k in order else len(order), k))
    return RuleFiles(
        tuple(_rule_file(key, dict(tables[key])) for key in keys), cached.get("version"), cached.get("updated_at")
    )


class RuleFilesUpdateFailed(SbfError):
    """【更新】 did not get the rule files: the ones kept before stay as they were."""


def update_rule_files(context: ClientContext) -> RuleFiles:
    """【更新】: the newest 规则文件 from the 管理子系统, kept for offline use; ``RuleFilesUpdateFailed`` says why
    not (“规则文件更新失败：<原因>”)."""
    try:
        context.refresh_code_tables()
    except SbfError as error:
        raise RuleFilesUpdateFailed(f"规则文件更新失败：{error.message}", code=error.code) from error
    return cached_rule_files(context.store)


def updated_message(files: RuleFiles) -> str:
    return f"规则文件更新成功，共{files.count}个"
