"""职工参保信息更新 at 100,000 and 1,000,000 cached employees: every query field, and what the search costs the sync.

Targets (first window of 100 keys, ordered by name, on a 2-core machine): a name substring of 3+ characters
≤ 50 ms; 1–2 characters or pinyin initials ≤ 200 ms; a 证件号码 fragment or any other field ≤ 200 ms. A full
sync with the pinyin keys is no slower than without them.

``sync_full_without_pinyin`` is the same schema and sync with a dataset declaring no name keys (the names
table stays empty); ``sync_full_with_pinyin`` is the real full update: the names it brings in get their
pinyin keys and full-text entries. ``name_keys_from_scratch`` is that upkeep alone, for every name held.
``sync_full_again_unchanged`` is a 全量更新 of a cache that is already up to date (the usual case when a user
asks for one). Jumping: the list loads every key in order in the background (``all_keys_in_order``) and
jumps within that array; ``jump_offset_90pct`` is the window query at OFFSET 90 %, for a list without it.

The units are synthetic (names from the sandbox's generator, valid 18-digit ID numbers) and reach the unit
database through the real migrations and the real sync engine, fed from pages written to disk beforehand
(no HTTP: the feed's transport is measured by bench_sync). Each figure is the best of a few runs.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, text

from sbf_client.core.clock import SystemClock
from sbf_client.core.ids import id_number_check_char
from sbf_client.modules.employer.declaration import MODULE as EMPLOYER
from sbf_client.modules.employer.store.search import id_number_filter, name_filter
from sbf_client.modules.employer.sync.datasets import EMPLOYEES
from sbf_client.remote.contract.models import FeedInfo
from sbf_client.store.unit_store import open_unit_db
from sbf_client.sync import apply
from sbf_client.sync.dataset import Dataset
from sbf_client.sync.engine import SyncEngine
from sbf_sandbox.names import full_name

from .report import best_of, emit, timed

PAGE = 10_000
EPOCH = "bench-epoch"
AS_OF = date(2026, 10, 31)
UNIT_NOS = ("000168", "000169", "000170")
AREAS = "110105 310104 320583 330106 350203 410105 420106 440305 441900 500103 510104 610113 650102".split()
FOREIGN = (("04", "H"), ("05", "M"), ("06", "T"), ("08", "E"))
ITEMS = (("10210", "1", "100"), ("10211", "2", "200"), ("10212", "3", "300"), ("10213", "4", "400"))


def _insured(rng: random.Random) -> bytes:
    """An employee's 参保险种 rows as the feed sends them (about 600 bytes, like the sandbox's)."""
    base = f"{rng.randrange(4_000, 30_000)}.{rng.randrange(100):02d}"
    start = f"{rng.randrange(2008, 2027)}-{rng.randrange(1, 13):02d}"
    rows = [
        {"item": item, "category": category, "sub": sub, "special": "101", "base": base, "start": start, "end": None}
        for item, category, sub in ITEMS
    ]
    return orjson.dumps(rows)


def employees(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` employees: realistic names, valid 18-digit ID numbers (a few foreign documents)."""
    rng = random.Random(seed)
    variants = [_insured(rng) for _ in range(256)]
    start = datetime.combine(AS_OF, datetime.min.time())
    people = []
    for number in range(count):
        gender = "1" if rng.random() < 0.52 else "2"
        born = AS_OF - timedelta(days=rng.randrange(18 * 365, 60 * 365))
        if rng.random() < 0.015:
            id_type, letter = rng.choice(FOREIGN)
            id_number = f"{letter}{rng.randrange(10**7, 10**8)}"
        else:
            order = rng.randrange(0, 500) * 2 + (1 if gender == "1" else 0)
            first17 = f"{rng.choice(AREAS)}{born:%Y%m%d}{order:03d}"
            id_type, id_number = "01", first17 + id_number_check_char(first17)
        people.append(
            {
                "person_no": f"B{number:011d}",
                "name": full_name(rng, gender),
                "gender": gender,
                "id_type": id_type,
                "id_number": id_number,
                "birth_date": born.isoformat(),
                "unit_no": rng.choice(UNIT_NOS),
                "status": "2" if rng.random() < 0.1 else "1",
                "updated_at": (start - timedelta(seconds=rng.randrange(2 * 365 * 86400))).strftime("%Y-%m-%d %H:%M:%S"),
                "insured": orjson.Fragment(rng.choice(variants)),
            }
        )
    return people


class DiskFeed:
    """A change feed served from pages written to disk beforehand (the sync's FeedSource, without HTTP)."""

    def __init__(self, folder: Path, people: list[dict[str, Any]]) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.count = self.last_seq = 0
        self.append([(f"B-{number:07d}", data) for number, data in enumerate(people)])
        self.count = len(people)

    def append(self, changes: list[tuple[str, dict[str, Any]]]) -> None:
        """New versions of records (key, data), as pages after the last one."""
        for start in range(0, len(changes), PAGE):
            chunk = changes[start : start + PAGE]
            since = self.last_seq
            records = [
                {"seq": since + offset + 1, "key": key, "deleted": False, "data": data}
                for offset, (key, data) in enumerate(chunk)
            ]
            self.last_seq = since + len(chunk)
            more = start + PAGE < len(changes)
            page = {"epoch": EPOCH, "records": records, "last_seq": self.last_seq, "more": more}
            (self.folder / f"{since}.json").write_bytes(orjson.dumps(page))

    def page(self, since: int, limit: int, epoch: str | None, full: bool) -> bytes:
        assert limit == PAGE
        return (self.folder / f"{since}.json").read_bytes()

    def info(self) -> FeedInfo:
        return FeedInfo(epoch=EPOCH, count=self.count, last_seq=self.last_seq, horizon_seq=0)


def sync_run(engine: Engine, feed: DiskFeed, dataset: Dataset, *, full: bool = False) -> float:
    """Seconds one sync run takes (full into an empty cache or when asked, else incremental), the WAL folded
    in after."""
    sync = SyncEngine(engine, feed, dataset, SystemClock(), page_size=PAGE)
    elapsed, _result = timed(lambda: sync.run(full=full))
    sync.wait_housekeeping()
    return elapsed


def name_keys_from_scratch(engine: Engine) -> float:
    """Seconds the apply takes to give every name held its keys and full-text entries (rolled back after)."""
    keys = EMPLOYEES.value_keys
    assert keys is not None and keys.text_index
    with engine.connect().execution_options(immediate=True, relaxed_durability=True) as conn:
        transaction = conn.begin()
        conn.exec_driver_sql(f"INSERT INTO {keys.text_index}({keys.text_index}) VALUES ('delete-all')")
        conn.exec_driver_sql(f"DELETE FROM {keys.table}")
        elapsed, _ = timed(lambda: apply.add_value_keys(conn, keys, EMPLOYEES.table))
        transaction.rollback()
    return elapsed


def _where(fragment: tuple[str, dict[str, Any]] | str) -> tuple[str, dict[str, Any]]:
    return (fragment, {}) if isinstance(fragment, str) else fragment


def window(engine: Engine, fragment: tuple[str, dict[str, Any]] | str = "1", offset: int = 0) -> list[int]:
    """The list's keys: ``ORDER BY name, rowid``, 100 of them from ``offset``."""
    where, params = _where(fragment)
    sql = f"SELECT rowid FROM employees WHERE {where} ORDER BY name, rowid LIMIT 100 OFFSET :sbf_offset"
    with engine.connect() as conn:
        return list(conn.execute(text(sql), {**params, "sbf_offset": offset}).scalars())


def all_keys(engine: Engine) -> int:
    """Every key in list order (what the list loads in the background to page and jump)."""
    with engine.connect() as conn:
        return len(conn.execute(text("SELECT rowid FROM employees ORDER BY name, rowid")).all())


def count(engine: Engine, fragment: tuple[str, dict[str, Any]] | str = "1") -> int:
    where, params = _where(fragment)
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM employees WHERE {where}"), params).scalar_one())


def _sample(engine: Engine) -> tuple[str, str]:
    """A three-character name and an 18-digit ID number held in the unit (for realistic fragments)."""
    with engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM employees WHERE length(name) = 3 LIMIT 1 OFFSET 777")).scalar_one()
        number = conn.execute(
            text("SELECT id_number FROM employees WHERE length(id_number) = 18 LIMIT 1 OFFSET 555")
        ).scalar_one()
    return name, number


def queries(engine: Engine, size: int) -> dict[str, Callable[[], object]]:
    """Each query of the page, as the list runs it: its first window of 100 keys (unless said otherwise)."""
    name, number = _sample(engine)
    first = {
        "window_default": "1",
        "name_3chars": name_filter(name),
        "name_1char": name_filter("林"),
        "name_2chars": name_filter("林婷"),
        "name_2chars_no_match": name_filter("垚鑫"),
        "initials_2": name_filter("lt"),
        "initials_1": name_filter("z"),
        "initials_3": name_filter("zxm"),
        "pinyin_piece_3_common": name_filter("ang"),
        "pinyin_piece_4": name_filter("ting"),
        "full_pinyin_4": name_filter("lint"),
        "full_pinyin_7": name_filter("linting"),
        "full_pinyin_no_match": name_filter("qqqq"),
        "id_number_2chars": id_number_filter(number[8:10]),
        "id_number_6chars": id_number_filter(number[10:16]),
        "id_number_6chars_no_match": id_number_filter("ZZZZZZ"),
        "id_number_12chars": id_number_filter(number[2:14]),
        "id_number_exact": ("id_number = :n", {"n": number}),
        "status_alone": ("status = :s", {"s": "2"}),
        "status_no_match": ("status = :s", {"s": "3"}),  # a unit where no one has that 参保状态
        "id_type_alone": ("id_type = :t", {"t": "04"}),
        "id_type_no_match": ("id_type = :t", {"t": "99"}),
        "unit_no_alone": ("unit_no = :u", {"u": UNIT_NOS[1]}),
        "unit_no_no_match": ("unit_no = :u", {"u": "000999"}),  # a 单位编号 registered without employees
        "updated_at_one_month": (
            "updated_at >= :a AND updated_at <= :b",
            {"a": "2026-03-01", "b": "2026-03-31 23:59:59"},
        ),
        "updated_at_two_years": (
            "updated_at >= :a AND updated_at <= :b",
            {"a": "2024-11-01", "b": "2026-10-31 23:59:59"},
        ),
        "updated_at_one_day": (
            "updated_at >= :a AND updated_at <= :b",
            {"a": "2026-03-01", "b": "2026-03-01 23:59:59"},
        ),
        "updated_at_no_match": (
            "updated_at >= :a AND updated_at <= :b",
            {"a": "2030-01-01", "b": "2030-01-31 23:59:59"},
        ),
        "status_and_name_1char": ("status = '2' AND " + name_filter("林")[0], name_filter("林")[1]),
    }
    measured: dict[str, Callable[[], object]] = {label: (lambda f=f: window(engine, f)) for label, f in first.items()}
    measured["count_all"] = lambda: count(engine)
    measured["count_name_1char"] = lambda: count(engine, name_filter("林"))
    measured["count_id_number_6chars"] = lambda: count(engine, id_number_filter(number[10:16]))
    measured["jump_offset_90pct"] = lambda: window(engine, offset=size * 9 // 10)
    measured["all_keys_in_order"] = lambda: all_keys(engine)
    return measured


def run(scratch: Path) -> None:
    without_pinyin = dataclasses.replace(EMPLOYEES, value_keys=None)
    with_pinyin = EMPLOYEES
    at_100k: dict[str, float] = {}

    def report(name: str, label: str, value: float, unit: str) -> None:
        """A figure at 100k; at 1m with its ratio to the same figure at 100k."""
        if label == "100k":
            at_100k[name] = value
            emit(f"{name}_{label}", value, unit)
        else:
            emit(f"{name}_{label}", value, unit, reference=at_100k[name], reference_name=f"{name}_100k")

    for size, label in ((100_000, "100k"), (1_000_000, "1m")):
        print(f"# {label}: generating {size:,} employees", file=sys.stderr, flush=True)
        people = employees(size, seed=2026)
        feed = DiskFeed(scratch / f"pages-{label}", people)
        # 10,000 employees spread over the unit, each renamed (new pinyin, new full-text entries).
        step = size // 10_000
        renamed = [(f"B-{n:07d}", {**people[n], "name": "林" + people[n]["name"][1:]}) for n in range(0, size, step)]
        del people
        print(f"# {label}: full updates without and with the pinyin keys", file=sys.stderr, flush=True)
        without, with_keys = [], []
        for attempt in range(2):  # best of two, in turn first: the machine is shared, a run's writes linger
            bare = open_unit_db(scratch / f"without-{label}-{attempt}" / "unit.sqlite", EMPLOYER.migrations)
            engine = open_unit_db(scratch / f"with-{label}-{attempt}" / "unit.sqlite", EMPLOYER.migrations)
            runs = [(bare, without_pinyin, without), (engine, with_pinyin, with_keys)]
            for database, dataset, timings in runs if attempt == 0 else runs[::-1]:
                timings.append(sync_run(database, feed, dataset))
            if attempt == 0:
                for spent in (bare, engine):
                    spent.dispose()
                    shutil.rmtree(Path(str(spent.url.database)).parent)
        emit(f"sync_full_without_pinyin_{label}", min(without), "s")
        emit(
            f"sync_full_with_pinyin_{label}",
            min(with_keys),
            "s",
            reference=min(without),
            reference_name="without_pinyin",
        )
        report("name_keys_from_scratch", label, name_keys_from_scratch(engine), "s")
        for name, action in queries(engine, size).items():
            report(f"search_{name}", label, milliseconds(action), "ms")
        # 全量更新 again, nothing changed since: no difference to copy, the table keeps its indexes.
        report("sync_full_again_unchanged", label, sync_run(engine, feed, EMPLOYEES, full=True), "s")
        feed.append(renamed)
        report("sync_10k_renames_without_search", label, sync_run(bare, feed, without_pinyin), "s")
        report("sync_10k_renames_with_search", label, sync_run(engine, feed, EMPLOYEES), "s")
        bare.dispose()
        engine.dispose()


def milliseconds(action: Callable[[], object], repeats: int = 3) -> float:
    return best_of(repeats, action) * 1000
