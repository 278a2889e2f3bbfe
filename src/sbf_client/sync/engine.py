"""The sync engine: 全量更新 and 增量更新 of one dataset of one unit.

A run stages each page of the feed with its position in one transaction, so a run killed at any moment
resumes from its last staged page. It is then applied in one transaction (``apply.py``); readers see the
old data until that commit. A 409 (new epoch), a 410 (checkpoint past the tombstone horizon) or a live
count that disagrees with the server after the run starts a full update, with the reason recorded. A full
update that would delete a large share of the cache stops and waits for the user's confirmation, with
its staged data kept, because a partial read must never look like mass departures.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, insert, select, update

from sbf_client.core.clock import Clock, format_timestamp
from sbf_client.core.errors import SbfError
from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.models import FeedInfo
from sbf_client.remote.errors import ApiError
from sbf_client.store.engine import checkpoint_wal

from . import apply
from .dataset import Dataset
from .pages import FeedPage, decoder
from .progress import Progress
from .runs import AWAITING, DISCARDED, FULL, INCREMENTAL, STAGING, Counts, Run, sync_runs, sync_state

log = logging.getLogger(__name__)

PAGE_SIZE = 10_000
MASS_DELETE_SHARE = 0.3
MASS_DELETE_MIN = 10
MAX_ROUNDS = 4


class FeedSource(Protocol):
    """Where the records come from: one feed of one unit, with a live session."""

    def page(self, since: int, limit: int, epoch: str | None, full: bool) -> bytes: ...

    def info(self) -> FeedInfo: ...


class SyncError(SbfError):
    """The cache could not be brought in line with the server; the previous data is intact."""


@dataclass(frozen=True)
class SyncResult:
    dataset: str
    mode: str  # full / incremental
    reason: str
    added: int
    changed: int
    deleted: int
    total: int
    run_ids: tuple[int, ...]
    awaiting_confirmation: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "dataset": self.dataset,
            "mode": self.mode,
            "reason": self.reason,
            "added": self.added,
            "changed": self.changed,
            "deleted": self.deleted,
            "total": self.total,
            "awaiting_confirmation": self.awaiting_confirmation,
        }


class _Restart(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


class SyncEngine:
    def __init__(
        self,
        engine: Engine,
        source: FeedSource,
        dataset: Dataset,
        clock: Clock,
        *,
        page_size: int = PAGE_SIZE,
        mass_delete_share: float = MASS_DELETE_SHARE,
        mass_delete_min: int = MASS_DELETE_MIN,
    ) -> None:
        self.engine = engine
        self.source = source
        self.dataset = dataset
        self.clock = clock
        self.page_size = page_size
        self.mass_delete_share = mass_delete_share
        self.mass_delete_min = mass_delete_min
        self._housekeeping: threading.Thread | None = None

    # ------------------------------------------------------------------ public

    def run(
        self, *, full: bool = False, confirm_deletions: bool = False, progress: Progress | None = None, reason: str = ""
    ) -> SyncResult:
        """Bring the cache in line with the server; see the module docstring for the guarantees."""
        progress = progress or Progress()
        pending = self._pending()
        if pending is not None and pending.status == AWAITING:
            if confirm_deletions:
                counts = self._apply(pending, confirmed=True)
                assert counts is not None
                return self._result([(pending, counts)])
            if not full:
                return self._awaiting_result(pending)
        if pending is not None and full and (pending.mode != FULL or pending.status == AWAITING):
            self._discard(pending)
            pending = None
        outcomes: list[tuple[Run, Counts]] = []
        restart_reason: str | None = None
        for _ in range(MAX_ROUNDS):
            if pending is not None:
                run, pending = pending, None
            else:
                run = self._start(full or bool(restart_reason), restart_reason or reason)
            try:
                self._fetch(run, progress)
            except _Restart as restart:
                self._discard(run)
                restart_reason = restart.reason
                continue
            counts = self._apply(self._reload(run), confirmed=confirm_deletions)
            if counts is None:
                return self._awaiting_result(self._reload(run))
            outcomes.append((self._reload(run), counts))
            self._checkpoint_later()
            restart_reason = self._verify(progress)
            if restart_reason is None:
                return self._result(outcomes)
            full = False  # "": the server moved on during the run, catch up incrementally
        if restart_reason == "" and outcomes:
            return self._result(outcomes)  # consistent up to the checkpoint; the server keeps moving
        raise SyncError(f"多次更新后本地{self.dataset.title}数据仍与服务器不一致，请稍后重试。本地原有数据未受影响。")

    def pending_run(self) -> Run | None:
        return self._pending()

    def discard_pending(self) -> None:
        """The user declined a run waiting for confirmation: drop it, the cache stays as it was."""
        pending = self._pending()
        if pending is not None:
            self._discard(pending)

    # ------------------------------------------------------------------ runs

    def _checkpoint_later(self) -> None:
        """Fold the run's write-ahead log into the database file in the background: the data is already
        committed and visible, and a later small commit must not pay for the bulk job."""
        if self._housekeeping is not None and self._housekeeping.is_alive():
            return

        def work() -> None:
            try:
                checkpoint_wal(self.engine)
            except Exception:  # the next commit checkpoints anyway
                log.exception("background WAL checkpoint failed")

        self._housekeeping = threading.Thread(target=work, name="wal-checkpoint", daemon=True)
        self._housekeeping.start()

    def wait_housekeeping(self, timeout: float | None = None) -> None:
        if self._housekeeping is not None:
            self._housekeeping.join(timeout)

    def _writer(self) -> Connection:
        """A write connection: a lost sync transaction is redone by the next run, so no disk wait."""
        return self.engine.connect().execution_options(immediate=True, relaxed_durability=True)

    def _now(self) -> str:
        return format_timestamp(self.clock.now())

    def _state(self) -> tuple[str, int] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sync_state).where(sync_state.c.dataset == self.dataset.name)).first()
        return (row.epoch, row.checkpoint) if row else None

    def _pending(self) -> Run | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sync_runs)
                .where(sync_runs.c.dataset == self.dataset.name, sync_runs.c.status.in_([STAGING, AWAITING]))
                .order_by(sync_runs.c.id.desc())
            ).first()
        return _run(row) if row else None

    def _reload(self, run: Run) -> Run:
        with self.engine.connect() as conn:
            return _run(conn.execute(select(sync_runs).where(sync_runs.c.id == run.id)).one())

    def _start(self, full: bool, reason: str) -> Run:
        state = self._state()
        if state is None:
            full, reason = True, reason or "首次更新，下载全部数据"
        elif full and not reason:
            reason = "全量更新"
        epoch, since = (None, 0) if full else state  # type: ignore[misc]
        with self._writer() as conn, conn.begin():
            self._clear_staging(conn)
            inserted = conn.execute(
                insert(sync_runs).values(
                    dataset=self.dataset.name,
                    mode=FULL if full else INCREMENTAL,
                    reason=reason,
                    status=STAGING,
                    epoch=epoch,
                    since=since,
                    staged_through=since,
                    pages=0,
                    started_at=self._now(),
                    added=0,
                    changed=0,
                    deleted=0,
                    total=0,
                )
            ).inserted_primary_key
            assert inserted is not None  # a one-row INSERT always reports its key
            run_id = inserted[0]
        log.info(
            "sync %s: %s run %s from %s (%s)",
            self.dataset.name,
            "full" if full else "incremental",
            run_id,
            since,
            reason,
        )
        return self._reload(Run(run_id, "", "", "", "", None, 0, 0, 0))

    def _clear_staging(self, conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql(f"DELETE FROM {self.dataset.staging}")
        conn.exec_driver_sql(f"DELETE FROM {self.dataset.staging_deleted}")

    def _discard(self, run: Run) -> None:
        with self._writer() as conn, conn.begin():
            self._clear_staging(conn)
            conn.execute(
                update(sync_runs).where(sync_runs.c.id == run.id).values(status=DISCARDED, finished_at=self._now())
            )

    # ------------------------------------------------------------------ fetching

    def _fetch(self, run: Run, progress: Progress) -> None:
        """Stage pages from where the run stands; each page and its position commit together."""
        since, epoch, pages = run.staged_through, run.epoch, run.pages
        info = self._info()
        total = info.count if run.mode == FULL else max(info.last_seq - since, 0)
        done = 0
        progress.report(done, total, f"正在下载{self.dataset.title}数据")
        decode = decoder(self.dataset.record_type).decode
        with ThreadPoolExecutor(1, thread_name_prefix="feed") as fetcher:
            full = run.mode == FULL
            pending = fetcher.submit(self._get_page, since, epoch, full)
            while True:
                progress.check()
                page = decode(pending.result())
                if epoch is not None and page.epoch != epoch:
                    raise _Restart("服务器数据已重新整理，改为全量更新")
                epoch = page.epoch
                if page.more:
                    pending = fetcher.submit(self._get_page, page.last_seq, epoch, full)  # overlaps the staging
                self._stage(run, page, epoch, pages := pages + 1)
                done += len(page.records)
                progress.report(done, max(total, done), f"正在下载{self.dataset.title}数据")
                if not page.more:
                    return

    def _get_page(self, since: int, epoch: str | None, full: bool) -> bytes:
        try:
            return self.source.page(since, self.page_size, epoch if since > 0 else None, full)
        except ApiError as error:
            if error.code == codes.EPOCH_CHANGED:
                raise _Restart("服务器数据已重新整理（409），改为全量更新") from error
            if error.code == codes.HORIZON_PASSED:
                raise _Restart("距上次更新时间过久，删除记录已过保留期（410），改为全量更新") from error
            raise

    def _info(self) -> FeedInfo:
        return self.source.info()

    def _stage(self, run: Run, page: FeedPage[Any], epoch: str, pages: int) -> None:
        """Stage a page and its position in one transaction; a later version of a key replaces an earlier one."""
        dataset = self.dataset
        to_row = dataset.to_row
        columns = dataset.columns
        live = [(r.key, r.seq, *to_row(r.data)) for r in page.records if not r.deleted]
        gone = [(r.key, r.seq) for r in page.records if r.deleted]
        marks = ", ".join("?" * (2 + len(columns)))
        with self._writer() as conn, conn.begin():
            if live:
                conn.exec_driver_sql(
                    f"INSERT OR REPLACE INTO {dataset.staging} (key, seq, {', '.join(columns)}) VALUES ({marks})",
                    live,
                )
                if conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {dataset.staging_deleted})").scalar():
                    conn.exec_driver_sql(
                        f"DELETE FROM {dataset.staging_deleted} WHERE key = ?", [(key,) for key, *_ in live]
                    )
            if gone:
                conn.exec_driver_sql(f"INSERT OR REPLACE INTO {dataset.staging_deleted} (key, seq) VALUES (?, ?)", gone)
                conn.exec_driver_sql(f"DELETE FROM {dataset.staging} WHERE key = ?", [(key,) for key, _ in gone])
            conn.execute(
                update(sync_runs)
                .where(sync_runs.c.id == run.id)
                .values(staged_through=page.last_seq, epoch=epoch, pages=pages)
            )

    # ------------------------------------------------------------------ applying

    def _apply(self, run: Run, *, confirmed: bool) -> Counts | None:
        with self._writer() as conn, conn.begin():
            held, counts = apply.classify(conn, self.dataset, run)
            limit = max(self.mass_delete_min, int(held * self.mass_delete_share))
            if run.mode == FULL and counts.deleted > limit and not confirmed:
                conn.execute(
                    update(sync_runs)
                    .where(sync_runs.c.id == run.id)
                    .values(
                        status=AWAITING,
                        deleted=counts.deleted,
                        added=counts.added,
                        changed=counts.changed,
                        total=counts.total,
                    )
                )
                log.warning(
                    "sync %s: run %s would delete %s of %s records; waiting for confirmation",
                    self.dataset.name,
                    run.id,
                    counts.deleted,
                    held,
                )
                return None
            apply.record_changes(conn, self.dataset, run, include_added=held > 0)
            apply.write(conn, self.dataset, run, counts, self._now())
        log.info(
            "sync %s: run %s applied +%s ~%s -%s = %s",
            self.dataset.name,
            run.id,
            counts.added,
            counts.changed,
            counts.deleted,
            counts.total,
        )
        return counts

    def _verify(self, progress: Progress) -> str | None:
        """None when the cache matches the server; "" when the server moved on; else a reason for a full run."""
        info = self._info()
        state = self._state()
        assert state is not None
        epoch, checkpoint = state
        if info.epoch != epoch:
            return "服务器数据已重新整理，改为全量更新"
        if info.last_seq > checkpoint:
            return ""
        with self.engine.connect() as conn:
            held = conn.exec_driver_sql(f"SELECT count(*) FROM {self.dataset.table}").scalar_one()
        if held != info.count:
            progress.report(0, None, "本地数据与服务器不一致，正在全量更新")
            return f"本地{self.dataset.title}数（{held}）与服务器（{info.count}）不一致，改为全量更新"
        return None

    def _result(self, outcomes: list[tuple[Run, Counts]]) -> SyncResult:
        """One result for the rounds of a sync: mode and reason of the decisive (last full, else last) run."""
        decisive = next((run for run, _ in reversed(outcomes) if run.mode == FULL), outcomes[-1][0])
        return SyncResult(
            dataset=self.dataset.name,
            mode=decisive.mode,
            reason=decisive.reason,
            added=sum(c.added for _, c in outcomes),
            changed=sum(c.changed for _, c in outcomes),
            deleted=sum(c.deleted for _, c in outcomes),
            total=outcomes[-1][1].total,
            run_ids=tuple(run.id for run, _ in outcomes),
        )

    def _awaiting_result(self, run: Run) -> SyncResult:
        with self.engine.connect() as conn:
            row = conn.execute(select(sync_runs).where(sync_runs.c.id == run.id)).one()
        return SyncResult(
            self.dataset.name,
            run.mode,
            run.reason,
            row.added,
            row.changed,
            row.deleted,
            row.total,
            (run.id,),
            awaiting_confirmation=True,
        )


def _run(row) -> Run:  # type: ignore[no-untyped-def]
    return Run(
        row.id, row.dataset, row.mode, row.reason, row.status, row.epoch, row.since, row.staged_through, row.pages
    )
