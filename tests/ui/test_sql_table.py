"""The shared list widgets over 100,000 people: query panel, sorting, paging, checks, widths, links, laziness."""

from __future__ import annotations

import itertools
import time

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFontMetrics, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from sqlalchemy import create_engine, text

from sbf_client.core.ids import id_number_check_char, mask_id_number
from sbf_client.ui.tasks import TaskRunner
from sbf_client.ui.widgets.query_panel import QueryPanel
from sbf_client.ui.widgets.sql_source import Column, Filter, SqlSource
from sbf_client.ui.widgets.sql_table import AppSettings, SqlTableView

PEOPLE = 100_000
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
GIVEN = [a + b for a in "建国秀英志强丽华" for b in "明芳伟敏军"] + list("静磊洋勇艳杰娟涛超")
STATUS_TEXT = "CASE status WHEN '1' THEN '正常缴费' ELSE '停止缴费' END"
COLUMNS = [
    Column("name", "姓名", "name", width=120),
    Column("id_number", "证件号码", "id_number", width=200, format=mask_id_number),
    Column("status", "参保状态", STATUS_TEXT, width=100, align="center"),
    Column("key", "人员编号", "key", sortable=False, width=110, align="right"),
]


def person(number: int) -> dict:
    first17 = f"440301{1960 + number % 40:04d}{1 + number % 12:02d}{1 + number % 28:02d}{number % 1000:03d}"
    return {
        "key": f"P{number:06d}",
        "name": SURNAMES[number % len(SURNAMES)] + GIVEN[(number // len(SURNAMES)) % len(GIVEN)],
        "id_number": first17 + id_number_check_char(first17),
        "status": "1" if number % 3 else "2",
    }


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    rows = [person(number) for number in range(PEOPLE)]
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('people')}/t.sqlite")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE people(key TEXT PRIMARY KEY, name TEXT, id_number TEXT, status TEXT)"))
        conn.execute(text("INSERT INTO people VALUES (:key, :name, :id_number, :status)"), rows)
    yield engine, rows
    engine.dispose()


class DictSettings:
    def __init__(self) -> None:
        self.values: dict = {}

    def get(self, key, default):
        return self.values.get(key, default)

    def set(self, key, value):
        self.values[key] = value


class CountingSource(SqlSource):
    """Records the size of every ``rows`` call, and can make the keys query slow for chosen filters."""

    def __init__(self, engine, slow_when_unfiltered: float = 0.0) -> None:
        super().__init__(engine, "people", "key", COLUMNS, default_order="key")
        self.row_calls: list[int] = []
        self.slow_when_unfiltered = slow_when_unfiltered

    def rows(self, keys):
        self.row_calls.append(len(keys))
        return super().rows(keys)

    def keys(self, filters, order_column, descending):
        if not filters and self.slow_when_unfiltered:
            time.sleep(self.slow_when_unfiltered)
        return super().keys(filters, order_column, descending)


def filters_of(values: dict) -> list[Filter]:
    filters = []
    if values["name"]:
        filters.append(Filter("name LIKE :name", {"name": f"%{values['name']}%"}))
    if values["id_number"]:
        filters.append(Filter("id_number LIKE :id_number", {"id_number": f"%{values['id_number']}%"}))
    if values["status"] is not None:
        filters.append(Filter("status = :status", {"status": values["status"]}))
    return filters


def make_page(qtbot, engine, settings=None, *, source=None, table_id="people", **options):
    """A 1366×768 window: the query panel above the list, wired like a real page; the first query has run."""
    window = QWidget()
    panel = QueryPanel(window)
    panel.add_text("name", "姓名：")
    panel.add_text("id_number", "证件号码：", placeholder="支持模糊查询")
    panel.add_choice("status", "参保状态：", [("全部", None), ("正常缴费", "1"), ("停止缴费", "2")])
    runner = TaskRunner(parent=window)
    source = source or CountingSource(engine)
    view = SqlTableView(table_id, source, settings or DictSettings(), runner, parent=window, **options)
    panel.query.connect(lambda values: view.set_query(filters_of(values)))
    layout = QVBoxLayout(window)
    layout.addWidget(panel)
    layout.addWidget(view, 1)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with qtbot.waitSignal(view.model.loaded, timeout=10_000):
        view.set_query([])
    return window, panel, view


def type_text(qtbot, edit, value: str) -> None:
    """Type as a user would; Chinese arrives from the input method (QTest.keyClicks aborts outside Latin-1)."""
    edit.setFocus()
    for char in value:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(edit, event)


def loading(qtbot, view):
    return qtbot.waitSignal(view.model.loaded, timeout=10_000)


def column_of(view, key: str) -> int:
    return next(c for c in range(view.model.columnCount()) if view.model.column_key(c) == key)


def cell_text(view, row: int, key: str) -> str:
    return view.model.index(row, column_of(view, key)).data()


def click_cell(qtbot, view, row: int, column: int, x: int | None = None) -> None:
    rect = view.table.visualRect(view.model.index(row, column))
    point = rect.center() if x is None else QPoint(x, rect.center().y())
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def click_header(qtbot, view, column: int) -> None:
    header = view.table.horizontalHeader()
    point = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_query_panel_filters_give_exact_totals_and_reset_restores_all(qtbot, people):
    engine, rows = people
    _window, panel, view = make_page(qtbot, engine)
    assert view.total() == PEOPLE and view.total_label.text() == f"共 {PEOPLE} 条"

    type_text(qtbot, panel._texts["name"], " 张建 ")
    with loading(qtbot, view):
        qtbot.mouseClick(panel.query_button, Qt.MouseButton.LeftButton)
    assert view.total() == sum("张建" in row["name"] for row in rows)

    status_combo = panel._choices["status"][0]
    qtbot.keyClick(status_combo, Qt.Key.Key_Down)
    qtbot.keyClick(status_combo, Qt.Key.Key_Down)
    assert panel.values() == {"name": "张建", "id_number": "", "status": "2"}
    with loading(qtbot, view):
        qtbot.keyClick(panel._texts["name"], Qt.Key.Key_Return)  # Enter in a text field queries too
    expected = sum("张建" in row["name"] and row["status"] == "2" for row in rows)
    assert 0 < view.total() == expected and view.total_label.text() == f"共 {expected} 条"
    assert {cell_text(view, row, "status") for row in range(view.model.rowCount())} == {"停止缴费"}

    with loading(qtbot, view):
        qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert view.total() == PEOPLE
    assert panel.values() == {"name": "", "id_number": "", "status": None}


def test_query_panel_collapses_fields_but_keeps_buttons_and_replaces_choices(qtbot, people):
    _window, panel, view = make_page(qtbot, people[0])
    list_height = view.height()
    qtbot.mouseClick(panel.toggle_button, Qt.MouseButton.LeftButton)
    assert panel.fields.isHidden() and panel.query_button.isVisible() and panel.toggle_button.text() == "展开查询条件"
    qtbot.waitUntil(lambda: view.height() > list_height)  # the list takes the room
    qtbot.mouseClick(panel.toggle_button, Qt.MouseButton.LeftButton)
    assert panel.fields.isVisible() and panel.toggle_button.text() == "收起查询条件"

    panel._choices["status"][0].setCurrentIndex(2)
    panel.set_choices("status", [("全部", None), ("停止缴费", "2"), ("暂停缴费", "3")])
    assert panel.values()["status"] == "2"
    panel.set_choices("status", [("全部", None), ("正常缴费", "1")])
    assert panel.values()["status"] is None


def test_clicking_a_header_sorts_and_clicking_again_reverses(qtbot, people):
    engine, rows = people
    _window, _panel, view = make_page(qtbot, engine)
    name_column = column_of(view, "name")
    with loading(qtbot, view):
        click_header(qtbot, view, name_column)
    ascending = sorted(rows, key=lambda row: (row["name"], row["key"]))
    assert [view.model.key_at(r) for r in range(3)] == [row["key"] for row in ascending[:3]]
    assert cell_text(view, 0, "name") == ascending[0]["name"]

    with loading(qtbot, view):
        click_header(qtbot, view, name_column)
    assert [view.model.key_at(r) for r in range(3)] == [row["key"] for row in ascending[::-1][:3]]
    assert view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    click_header(qtbot, view, column_of(view, "key"))  # not sortable: nothing starts
    assert not view.model.is_loading()


def test_page_size_is_one_remembered_setting_and_the_pager_moves(qtbot, people):
    engine, rows = people
    settings = DictSettings()
    _window, _panel, view = make_page(qtbot, engine, settings, numbered=True)
    assert view.page_size_combo.currentText() == "1000" and view.page_label.text() == "第 1 / 100 页"
    assert not view.previous_button.isEnabled()

    qtbot.keyClick(view.page_size_combo, Qt.Key.Key_Up)
    qtbot.keyClick(view.page_size_combo, Qt.Key.Key_Up)
    assert settings.values["table.page_size"] == 100
    assert view.model.rowCount() == 100 and view.page_label.text() == "第 1 / 1000 页"

    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.page_label.text() == "第 2 / 1000 页" and view.previous_button.isEnabled()
    assert cell_text(view, 0, "_number") == "101" and view.model.key_at(0) == rows[100]["key"]

    with loading(qtbot, view):
        view.refresh()  # the data changed: same query, same page
    assert view.page_label.text() == "第 2 / 1000 页"

    _other_window, _other_panel, other = make_page(qtbot, engine, settings, table_id="other")
    assert other.page_size_combo.currentText() == "100" and other.model.rowCount() == 100


def test_checked_keys_survive_paging_and_sorting_and_clear_on_a_new_query(qtbot, people):
    engine, rows = people
    settings = DictSettings()
    settings.set("table.page_size", 10)
    _window, panel, view = make_page(qtbot, engine, settings, checkable=True, numbered=True)
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == ""
    click_cell(qtbot, view, 0, 0)
    click_cell(qtbot, view, 2, 0)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    click_cell(qtbot, view, 1, 0)
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    assert view.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert view.checked_keys() == [rows[0]["key"], rows[2]["key"], rows[11]["key"]]

    click_cell(qtbot, view, 2, 0)  # unchecks
    view.model.check_all_on_page(True)
    assert len(view.checked_keys()) == 11

    with loading(qtbot, view):
        click_header(qtbot, view, column_of(view, "name"))  # the same rows in another order
    assert len(view.checked_keys()) == 11

    type_text(qtbot, panel._texts["name"], "王")
    with loading(qtbot, view):
        qtbot.mouseClick(panel.query_button, Qt.MouseButton.LeftButton)
    assert view.checked_keys() == []


def test_column_widths_persist_per_table_and_never_drop_below_40(qtbot, people):
    engine, _rows = people
    settings = DictSettings()
    _window, _panel, view = make_page(qtbot, engine, settings)
    header = view.table.horizontalHeader()
    name_column = column_of(view, "name")
    header.resizeSection(name_column, 230)
    qtbot.waitUntil(lambda: settings.values.get("table.widths.people", {}).get("name") == 230)

    header.resizeSection(name_column, 0)
    assert header.sectionSize(name_column) == 40
    qtbot.waitUntil(lambda: settings.values["table.widths.people"]["name"] == 40)

    settings.values["table.widths.people"] = {"name": 230, "id_number": 0}
    _w, _p, again = make_page(qtbot, engine, settings)
    again_header = again.table.horizontalHeader()
    assert again_header.sectionSize(name_column) == 230
    assert again_header.sectionSize(column_of(again, "id_number")) == 40
    _w2, _p2, other = make_page(qtbot, engine, settings, table_id="people-elsewhere")
    assert other.table.horizontalHeader().sectionSize(name_column) == 120


def test_action_links_call_back_with_the_row_key_and_double_click_activates(qtbot, people):
    engine, rows = people
    _window, _panel, view = make_page(qtbot, engine)
    seen, edited = [], []
    column = view.add_action_column("操作", [("查看", seen.append), ("修改", edited.append)])
    assert view.model.headerData(column, Qt.Orientation.Horizontal) == "操作"
    left = view.table.visualRect(view.model.index(3, column)).left()
    view_width = QFontMetrics(view.table.font()).horizontalAdvance("查看")
    click_cell(qtbot, view, 3, column, x=left + 6 + 4)
    click_cell(qtbot, view, 5, column, x=left + 6 + view_width + 12 + 4)
    assert seen == [rows[3]["key"]] and edited == [rows[5]["key"]]

    with qtbot.waitSignal(view.activated) as activated:
        rect = view.table.visualRect(view.model.index(4, column_of(view, "name")))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [rows[4]["key"]] and view.current_key() == rows[4]["key"]


def test_rows_are_fetched_lazily_in_blocks(qtbot, people):
    engine, rows = people
    source = CountingSource(engine)
    _window, _panel, view = make_page(qtbot, engine, source=source, paged=False)
    QApplication.processEvents()
    assert view.total() == PEOPLE and view.model.rowCount() == PEOPLE and view.total_label.text() == "共 100000 条"
    assert view.page_size_combo.isHidden() and view.next_button.isHidden()
    assert 1 <= len(source.row_calls) <= 2 and max(source.row_calls) <= 500

    before = len(source.row_calls)
    view.table.scrollToBottom()
    QApplication.processEvents()
    assert 1 <= len(source.row_calls) - before <= 2
    assert cell_text(view, PEOPLE - 1, "name") == rows[-1]["name"]
    assert len(source.row_calls) <= 4


def test_the_event_loop_keeps_running_while_100000_keys_load(qtbot, people):
    engine, _rows = people
    _window, _panel, view = make_page(qtbot, engine, paged=False)
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(60)
    with loading(qtbot, view):
        view.set_query([], "name", descending=True)
    qtbot.wait(60)
    timer.stop()
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert view.total() == PEOPLE and max(gaps) < 0.25, max(gaps)


def test_a_stale_query_result_is_ignored(qtbot, people):
    engine, rows = people
    source = CountingSource(engine)
    _window, _panel, view = make_page(qtbot, engine, source=source)
    source.slow_when_unfiltered = 0.4
    totals: list[int] = []
    view.model.loaded.connect(totals.append)
    view.set_query([])  # slow, superseded by the next one
    with loading(qtbot, view):
        view.set_query([Filter("status = :status", {"status": "2"})])
    qtbot.wait(600)
    expected = sum(row["status"] == "2" for row in rows)
    assert totals == [expected] and view.total() == expected


def test_formats_and_alignment_apply(qtbot, people):
    engine, rows = people
    _window, _panel, view = make_page(qtbot, engine)
    shown = cell_text(view, 0, "id_number")
    assert shown == mask_id_number(rows[0]["id_number"]) and rows[0]["id_number"] not in shown
    assert cell_text(view, 0, "status") == "停止缴费"
    alignment = view.model.index(0, column_of(view, "key")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    with pytest.raises(ValueError):
        view.set_query([], "no_such_column")


def test_sql_source_binds_user_text_and_fetches_rows_in_chunks(people):
    engine, rows = people
    source = SqlSource(engine, "people", "key", COLUMNS, default_order="key")
    assert source.keys([Filter("name LIKE :name", {"name": "%' OR 1=1 --%"})], None, False) == []
    wanted = [row["key"] for row in rows[:1200]]
    fetched = source.rows(wanted)
    assert len(fetched) == 1200 and fetched[wanted[700]][0] == rows[700]["name"]

    class Store:
        def __init__(self):
            self.saved = {}

        def setting(self, key, default=None):
            return self.saved.get(key, default)

        def set_setting(self, key, value):
            self.saved[key] = value

    settings = AppSettings(Store())
    settings.set("table.page_size", 20)
    assert settings.get("table.page_size", 1000) == 20 and settings.get("missing", 7) == 7


def test_screenshot_of_a_list_page(qtbot, people, screenshot):
    engine, _rows = people
    settings = DictSettings()
    settings.set("table.page_size", 50)
    window, panel, view = make_page(qtbot, engine, settings, checkable=True, numbered=True)
    panel.add_text("unit", "单位编号：")
    view.add_action_column("操作", [("查看", print), ("修改", print)])
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    for row in (1, 3):
        click_cell(qtbot, view, row, 0)
    view.table.selectRow(2)
    screenshot(window, "widgets-sql-table")
    list_height = view.height()
    qtbot.mouseClick(panel.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.height() > list_height)  # layouts settle over a few event-loop turns
    screenshot(window, "widgets-sql-table-collapsed")


def test_the_list_says_it_is_loading_until_its_first_count(qtbot, people, screenshot):
    engine, _rows = people
    window = QWidget()
    source = CountingSource(engine, slow_when_unfiltered=0.6)
    view = SqlTableView("people", source, DictSettings(), TaskRunner(parent=window), parent=window)
    QVBoxLayout(window).addWidget(view)
    qtbot.addWidget(window)
    window.resize(1000, 500)
    window.show()
    view.set_query([])
    assert view.total_label.text() == "正在加载…" and view.overlay.isVisible()  # not "共 0 条": not known yet
    screenshot(window, "widgets-sql-table-loading")
    assert view.overlay.geometry() == view.table.viewport().rect()
    qtbot.waitUntil(lambda: view.total_label.text() == f"共 {PEOPLE} 条", timeout=10_000)
    assert view.overlay.isHidden()

    view.refresh()  # slow again: the rows stay, the count says it is being queried once that takes a while
    assert view.total_label.text() == f"共 {PEOPLE} 条" and view.overlay.isHidden()
    qtbot.waitUntil(lambda: view.total_label.text() == "正在查询…", timeout=10_000)
    qtbot.waitUntil(lambda: view.total_label.text() == f"共 {PEOPLE} 条", timeout=10_000)
