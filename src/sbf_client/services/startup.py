"""The 数据更新 page's work (manual 2.1.2 / 5.5): everything a login refreshes, behind one progress bar.

Steps: 规则文件 (every login, M5208), 单位信息 (参保登记信息), 通知公告, each dataset of the module (全量 on
the first login, 增量 after), then the module's own jobs of the region's 征收模式 (each ``run(session, progress)``
with the ``UnitSession``). A failed step does not stop the others; the user is told and continues with the
cached data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sbf_client.core.errors import SbfError
from sbf_client.core.references import load_object
from sbf_client.sync.engine import SyncResult
from sbf_client.sync.progress import Cancelled, Progress, ProgressUpdate, rows_text

from .notices import MessageCenter, refresh_notices
from .session import UnitSession
from .sync import UPDATE, SyncService
from .units import Session, UnitService

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    title: str
    weight: int
    run: Callable[[Progress], object]


@dataclass
class StartupReport:
    failures: list[tuple[str, str]] = field(default_factory=list)  # (step title, Chinese message)
    sync_results: list[SyncResult] = field(default_factory=list)


def _refresh_unit(session: UnitSession, server: Session) -> None:
    """参保登记信息 and 基本信息 (单位信息, manual 4.4) from the 管理子系统 into the app database."""
    unit = session.unit
    units = UnitService(session.context)
    units.keep_registration(unit.module, unit.taxpayer_id, unit.server_unit_id, units.registration(server))


def login_steps(session: UnitSession, report: StartupReport) -> list[Step]:
    """The steps of a login's 数据更新, for an online session; each dataset's result goes into ``report``."""
    context = session.context
    server = session.require_server(UPDATE)
    steps = [
        Step("下载规则文件", 2, lambda _p: context.refresh_code_tables()),
        Step("更新单位信息", 2, lambda _p: _refresh_unit(session, server)),
        Step("获取通知公告", 1, lambda _p: refresh_notices(context)),
    ]
    messages = MessageCenter(session.engine, session.clock)
    for engine in SyncService(session).engines():
        title = engine.dataset.title

        def run_sync(progress: Progress, engine=engine, title=title) -> None:  # type: ignore[no-untyped-def]
            result = engine.run(progress=progress)
            report.sync_results.append(result)
            if result.awaiting_confirmation:
                messages.add(
                    "数据更新",
                    f"{title}全量更新待确认",
                    f"全量更新将删除本地{result.deleted}条{title}记录，比例过高，已暂停。"
                    f"请在{title}参保信息更新页面核实后再更新。",
                )
            elif result.added or result.changed or result.deleted:
                messages.add(
                    "数据更新",
                    f"{title}参保信息已更新",
                    f"本次{'全量' if result.mode == 'full' else '增量'}更新：新增{result.added}人，"
                    f"变更{result.changed}人，删除{result.deleted}人，现有{result.total}人。",
                )

        steps.append(Step(f"更新{title}参保信息", 80, run_sync))
    mode = session.mode
    for job in session.module.startup:
        if not job.runs_in(mode):
            continue
        function = load_object(job.run)
        steps.append(Step(job.title, job.weight, lambda p, f=function: f(session, p)))  # type: ignore[misc]
    return steps


def run_steps(steps: list[Step], progress: Progress, report: StartupReport) -> StartupReport:
    """Run every step, mapping each one's own progress into one overall bar (0–1000 per weight unit)."""
    total = sum(step.weight for step in steps) * 1000
    done = 0
    for step in steps:
        progress.check()
        base = done

        def inner(update: ProgressUpdate, base: int = base, step: Step = step) -> None:
            share = (update.done / update.total) if update.total else 0.0
            # The overall bar counts weights, not rows: the step's rows are told in its words.
            rows = f"（{rows_text(update.done, update.total)}）" if update.total else ""
            message = f"{step.title}：{update.message}{rows}"
            progress.report(base + int(step.weight * 1000 * min(share, 1.0)), total, message)

        progress.report(done, total, f"正在{step.title}")
        try:
            step.run(Progress(inner, progress._cancel))
        except Cancelled:
            raise
        except SbfError as error:
            report.failures.append((step.title, error.message))
        except Exception as error:  # a broken step must not keep the user out of the cached data
            log.exception("login step %s failed", step.title)
            report.failures.append((step.title, f"{type(error).__name__}"))
        done += step.weight * 1000
        progress.report(done, total, f"{step.title}完成")
    progress.report(total, total, "数据更新完成")
    return report
