"""The 职工参保信息更新 list on the page kit at 100,000 and 1,000,000 cached employees, as the user meets it.

Printed for both sizes, with the ratio 1M / 100k where the cost must not grow with the rows:
- first paint: from the query's start until the first window's rows are in the model and painted (≤ 100 ms,
  ratio ≤ 1.5); the exact total follows in the background and is printed on its own;
- jump: to the last page of 1,000 rows once the keys are in, until its rows are fetched (≤ 50 ms);
- a filter by name (3 characters, 2, 1, pinyin initials) and by 证件号码 fragment / 参保状态:
  until the first window of results is painted (≤ 50 / 200 ms);
- model memory: what the whole ordered key list costs (≤ 150 MB at 1M).
The units are built as ``bench_employee_search`` builds them: real migrations, the real sync engine.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

from sbf_client.modules.employer.declaration import MODULE as EMPLOYER
from sbf_client.modules.employer.sync.datasets import EMPLOYEES
from sbf_client.store.unit_store import open_unit_db

from .bench_employee_search import DiskFeed, employees, sync_run
from .report import emit

SIZES = (100_000, 1_000_000)
REPEATS = 3


def _build(scratch: Path, size: int):  # type: ignore[no-untyped-def]
    people = employees(size, seed=size)
    feed = DiskFeed(scratch / f"feed-{size}", people)
    engine = open_unit_db(scratch / f"unit-{size}.sqlite", EMPLOYER.migrations)
    sync_run(engine, feed, EMPLOYEES)
    # someone from the middle whose name has three characters or more (most names have two or three)
    sample = next(person for person in people[size // 2 :] if len(person["name"]) >= 3)
    return engine, sample


def _measure(engine, sample) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QElapsedTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from tests.unit.test_list_query import DictStore

    from sbf_client.modules.employer.services.lists import EMPLOYEES
    from sbf_client.store.lists import ListQuery, ListSource
    from sbf_client.store.settings import Settings
    from sbf_client.ui.tasks import TaskRunner
    from sbf_client.ui.widgets.list_table import ListTable

    app = QApplication.instance() or QApplication([])
    window = QWidget()
    source = ListSource(engine, EMPLOYEES)
    table = ListTable(source, Settings(DictStore()), TaskRunner(parent=window), parent=window)
    table.resize(1300, 700)
    window.show()
    clock = QElapsedTimer()

    def until(condition) -> float:  # type: ignore[no-untyped-def]
        while not condition():
            app.processEvents()
        table.table.viewport().repaint()
        return clock.nsecsElapsed() / 1e6

    shown: list[bool] = []  # the first window, or the whole of a small result, is in the model
    table.model.first_rows.connect(lambda: shown.append(True))
    table.model.loaded.connect(lambda _total: shown.append(True))

    def first_paint(values: dict) -> float:
        best = float("inf")
        for _ in range(REPEATS):
            shown.clear()
            clock.start()
            table.set_query(ListQuery(values))
            best = min(best, until(lambda: bool(shown)))
            until(lambda: table.model.is_complete() and not table.model.is_loading())
        return best

    figures = {"first_paint": first_paint({})}
    totals: list[int] = []
    table.model.loaded.connect(totals.append)
    clock.start()
    table.set_query(ListQuery({}))
    figures["total_after"] = until(lambda: bool(totals))
    model = table.model
    jumps = []
    for _ in range(REPEATS):
        model.set_page(0)
        until(lambda: model.row_values(0) is not None)
        clock.start()
        model.set_page(model.page_count() - 1)
        jumps.append(until(lambda: model.row_values(model.rowCount() - 1) is not None))
    figures["jump"] = min(jumps)
    name, id_number = sample["name"], sample["id_number"]
    figures["filter_name_3"] = first_paint({"name": name[:3]})
    figures["filter_name_2"] = first_paint({"name": name[:2]})
    figures["filter_name_1"] = first_paint({"name": name[:1]})
    figures["filter_initials"] = first_paint({"name": "zw"})
    figures["filter_id_number_6"] = first_paint({"id_number": id_number[6:12]})
    figures["filter_status"] = first_paint({"status": "2"})
    tracemalloc.start()
    source.keys(ListQuery())
    figures["keys_memory"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    window.close()
    return figures


TARGETS = {
    "first_paint": ("ms", 100),
    "jump": ("ms", 50),
    "filter_name_3": ("ms", 50),
    "filter_name_2": ("ms", 200),
    "filter_name_1": ("ms", 200),
    "filter_initials": ("ms", 200),
    "filter_id_number_6": ("ms", 200),
    "filter_status": ("ms", 200),
    "keys_memory": ("MB", 150),
}


def run(scratch: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results = {}
    for size in SIZES:
        engine, sample = _build(scratch, size)
        results[size] = _measure(engine, sample)
        engine.dispose()
    small, large = (results[size] for size in SIZES)
    emit("list_total_100k", small["total_after"], "ms")
    emit("list_total_1m", large["total_after"], "ms")
    for name, (unit, target) in TARGETS.items():
        emit(f"list_{name}_100k", small[name], unit, reference=target, reference_name=f"target_{target}{unit}")
        emit(f"list_{name}_1m", large[name], unit, reference=small[name], reference_name=f"list_{name}_100k")
