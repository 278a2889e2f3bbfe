"""The sync engine against a real sandbox: full and incremental updates, fallbacks, guards, resume."""

import os

import pytest
from sqlalchemy import text

from sbf_client.core.clock import clock_from
from sbf_client.modules.employer.sync.datasets import EMPLOYEES
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync.engine import SyncEngine
from sbf_client.sync.progress import Cancelled, Progress
from sbf_client.sync.remote_feed import RemoteFeed
from tests.helpers import EMPLOYER_SCHEMA, admin, api, cached_records, login, server_rows

UNIT = "Z0006"  # 180 employees, three 单位编号


@pytest.fixture
def cache(tmp_path):
    engine = open_unit_db(tmp_path / "unit.sqlite", EMPLOYER_SCHEMA)
    yield engine
    engine.dispose()


@pytest.fixture
def feed(sandbox):
    remote = api(sandbox)
    return RemoteFeed(remote, UNIT, "employees", login(remote, UNIT, "000017"))


def make_engine(cache, source, page_size=40, **kwargs):
    return SyncEngine(cache, source, EMPLOYEES, clock_from(os.environ), page_size=page_size, **kwargs)


def assert_same(cache, sandbox):
    assert cached_records(cache) == server_rows(sandbox, UNIT)


def mutate(sandbox, **changes):
    return admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/mutate", changes)


def changes_of(cache, run_id):
    with cache.connect() as conn:
        kinds = dict(conn.execute(text("SELECT key, kind FROM sync_changes WHERE run_id = :r"), {"r": run_id}).all())
        fields = conn.execute(
            text("SELECT key, field, old, new FROM sync_change_fields WHERE run_id = :r"), {"r": run_id}
        ).all()
    return kinds, fields


def test_first_update_is_a_full_download(sandbox, cache, feed):
    result = make_engine(cache, feed).run()
    assert (result.mode, result.added, result.changed, result.deleted, result.total) == ("full", 180, 0, 0, 180)
    assert result.reason == "首次更新，下载全部数据"
    assert_same(cache, sandbox)
    kinds, _ = changes_of(cache, result.run_ids[0])
    assert kinds == {}  # an initial load is not 180 "changes" to review


def test_incremental_update_reports_exactly_the_mutations(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    done = mutate(sandbox, hires=4, leaves=3, removals=2, base_changes=5)
    result = engine.run()
    assert (result.mode, result.added, result.changed, result.deleted) == ("incremental", 4, 8, 2)
    assert result.total == 182
    assert_same(cache, sandbox)
    kinds, fields = changes_of(cache, result.run_ids[0])
    assert {k for k, v in kinds.items() if v == "新增"} == set(done["added"])
    assert {k for k, v in kinds.items() if v == "变更"} == set(done["changed"])
    assert {k for k, v in kinds.items() if v == "删除"} == set(done["deleted"])
    leaver = done["changed"][0]
    changed_fields = {f for k, f, _old, _new in fields if k == leaver}
    assert {"status", "insured", "updated_at"} <= changed_fields
    status = next((old, new) for k, f, old, new in fields if k == leaver and f == "status")
    assert status == ("1", "2")
    again = engine.run()
    assert (again.added, again.changed, again.deleted) == (0, 0, 0)


def test_a_new_epoch_falls_back_to_a_full_update_that_counts_nothing_twice(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/rekey")
    result = engine.run()
    assert result.mode == "full" and "409" in result.reason
    assert (result.added, result.changed, result.deleted, result.total) == (0, 0, 0, 180)
    assert_same(cache, sandbox)


def test_a_checkpoint_past_the_horizon_falls_back_to_a_full_update(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    mutate(sandbox, removals=3, hires=1)
    admin(sandbox, "POST", f"/admin/units/{UNIT}/feeds/employees/compact", {})
    result = engine.run()
    assert result.mode == "full" and "410" in result.reason
    assert (result.added, result.deleted, result.total) == (1, 3, 178)
    assert_same(cache, sandbox)


def test_a_count_mismatch_after_the_run_triggers_a_full_update(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    with cache.begin() as conn:  # the cache lost rows behind the engine's back
        conn.execute(text("DELETE FROM employees WHERE key IN (SELECT key FROM employees LIMIT 7)"))
    result = engine.run()
    assert result.mode == "full" and "不一致" in result.reason
    assert result.added == 7 and result.total == 180
    assert_same(cache, sandbox)


def test_a_full_update_that_would_delete_many_stops_and_asks(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    before = cached_records(cache)
    mutate(sandbox, removals=90)
    waiting = engine.run(full=True)
    assert waiting.awaiting_confirmation and waiting.deleted == 90
    assert cached_records(cache) == before  # nothing applied
    assert engine.run().awaiting_confirmation  # still waiting, nothing re-downloaded
    applied = engine.run(confirm_deletions=True)
    assert not applied.awaiting_confirmation and applied.deleted == 90 and applied.total == 90
    assert_same(cache, sandbox)


def test_a_declined_full_update_leaves_the_cache_as_it_was(sandbox, cache, feed):
    engine = make_engine(cache, feed)
    engine.run()
    before = cached_records(cache)
    mutate(sandbox, removals=100)
    assert engine.run(full=True).awaiting_confirmation
    engine.discard_pending()
    assert engine.pending_run() is None and cached_records(cache) == before


class Crashing:
    """A feed that dies after some pages, like a process killed mid-run."""

    def __init__(self, source, pages):
        self.source, self.pages, self.calls = source, pages, []

    def page(self, since, limit, epoch, full):
        self.calls.append(since)
        if len(self.calls) > self.pages:
            raise KeyboardInterrupt("killed")
        return self.source.page(since, limit, epoch, full)

    def info(self):
        return self.source.info()


def test_a_killed_run_leaves_old_data_and_resumes_from_its_last_staged_page(sandbox, cache, feed):
    make_engine(cache, feed).run()
    mutate(sandbox, hires=100, base_changes=30)
    before = cached_records(cache)
    crashing = Crashing(feed, pages=2)
    with pytest.raises(KeyboardInterrupt):
        make_engine(cache, crashing, page_size=20).run()
    assert cached_records(cache) == before
    staged_through = make_engine(cache, feed).pending_run().staged_through
    resumed = Crashing(feed, pages=100)
    result = make_engine(cache, resumed, page_size=20).run()
    assert resumed.calls[0] == staged_through > 180  # continued, did not start over
    assert (result.added, result.changed) == (100, 30)
    assert_same(cache, sandbox)


def test_cancel_stops_between_pages_and_keeps_the_old_data(sandbox, cache, feed):
    progress = Progress()
    seen = []

    def listener(update):
        seen.append(update)
        if update.done >= 80:
            progress.cancel()

    progress.listener = listener
    with pytest.raises(Cancelled, match="已取消"):
        make_engine(cache, feed).run(progress=progress)
    assert cached_records(cache) == {}
    assert seen[0].total == 180 and "职工" in seen[0].message
    result = make_engine(cache, feed).run()
    assert result.total == 180 and result.added == 180
    assert_same(cache, sandbox)


def test_readers_see_the_old_data_until_the_run_commits(sandbox, cache, feed):
    make_engine(cache, feed).run()
    mutate(sandbox, hires=50)
    counts = []

    class Watching(Crashing):
        def page(self, since, limit, epoch, full):
            with cache.connect() as conn:
                counts.append(conn.exec_driver_sql("SELECT count(*) FROM employees").scalar_one())
            return super().page(since, limit, epoch, full)

    make_engine(cache, Watching(feed, 100), page_size=10).run()
    assert counts and set(counts) == {180}
    assert_same(cache, sandbox)
