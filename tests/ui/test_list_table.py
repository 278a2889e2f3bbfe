"""The page kit's list over 100,000 people (``ListSpec`` → ``ListSource`` → ``ListTableModel`` / ``ListTable``):
query panel, sorting, paging, checks, widths, links, the first window before the total, background blocks."""

from __future__ import annotations

import dataclasses
import itertools
import time

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from sqlalchemy import create_engine, text

from sbf_client.core.ids import id_number_check_char, mask_id_number
from sbf_client.store.codes import CodeTables
from sbf_client.store.lists import ListColumn, ListQuery, ListSource, ListSpec, QueryField
from sbf_client.store.lists.cells import screen_formatter
from sbf_client.store.settings import PAGE_SIZE, Settings
from sbf_client.ui.tasks import TaskRunner
from sbf_client.ui.widgets import list_model
from sbf_client.ui.widgets.list_model import FIRST_WINDOW, ListTableModel
from sbf_client.ui.widgets.list_table import COUNTING_TEXT, LOADING_TEXT, QUERYING_TEXT, ListTable
from sbf_client.ui.widgets.query_panel import QueryPanel
from tests.ui.shell_helpers import type_text
from tests.unit.test_list_query import DictStore

PEOPLE = 100_000
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"
GIVEN = [a + b for a in "建国秀英志强丽华" for b in "明芳伟敏军"] + list("静磊洋勇艳杰娟涛超")
CODES = CodeTables({"employee_status": {"1": "正常缴费", "2": "停止缴费"}})
SPEC = ListSpec(
    id="people",
    title="人员",
    source="people",
    order="key",
    columns=(
        ListColumn("name", "姓名", "name", width=120),
        ListColumn("id_number", "证件号码", "id_number", width=200, mask="id_number"),
        ListColumn("status", "参保状态", "status", width=100, align="center", codes="employee_status"),
        ListColumn("key", "人员编号", "key", sortable=False, width=110, align="right"),
    ),
    fields=(
        QueryField("name", "姓名", "like", sql="name"),
        QueryField("id_number", "证件号码", "like", sql="id_number", upper=True, placeholder="支持模糊查询"),
        QueryField("status", "参保状态", "choice", sql="status", choices="codes:employee_status"),
    ),
)


def person(number: int) -> dict:
    first17 = f"440301{1960 + number % 40:04d}{1 + number % 12:02d}{1 + number % 28:02d}{number % 1000:03d}"
    return {
        "key": f"P{number:06d}",
        "name": SURNAMES[number % len(SURNAMES)] + GIVEN[(number // len(SURNAMES)) % len(GIVEN)],
        "id_number": first17 + id_number_check_char(first17),
        "status": "1" if number % 3 else "2",
    }


def rowid(row: dict) -> int:
    """The list's key of a person: the table's rowid (rows were inserted in order)."""
    return int(row["key"][1:]) + 1


@pytest.fixture(scope="module")
def people(tmp_path_factory):
    rows = [person(number) for number in range(PEOPLE)]
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('people')}/t.sqlite")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE people(key TEXT PRIMARY KEY, name TEXT, id_number TEXT, status TEXT)"))
        conn.execute(text("INSERT INTO people VALUES (:key, :name, :id_number, :status)"), rows)
    yield engine, rows
    engine.dispose()


class CountingSource(ListSource):
    """Records the size of every ``rows`` call; can make the unfiltered keys (and first window) slow."""

    def __init__(self, engine, spec: ListSpec = SPEC, slow_keys: float = 0.0, slow_window: float = 0.0) -> None:
        super().__init__(engine, spec)
        self.row_calls: list[int] = []
        self.slow_keys = slow_keys
        self.slow_window = slow_window

    def rows(self, keys):
        self.row_calls.append(len(keys))
        return super().rows(keys)

    def window(self, query, offset, limit):
        if not any(query.values.values()) and self.slow_window:
            time.sleep(self.slow_window)
        return super().window(query, offset, limit)

    def keys(self, query):
        if not any(query.values.values()) and self.slow_keys:
            time.sleep(self.slow_keys)
        return super().keys(query)


def formatters(spec: ListSpec = SPEC):
    return [screen_formatter(column, CODES) for column in spec.columns]


def make_page(qtbot, engine, store=None, *, source=None, **spec_options):
    """A 1366×768 window: the query panel above the list, wired like a real page; the first query has run."""
    spec = dataclasses.replace(SPEC, **spec_options)
    window = QWidget()
    panel = QueryPanel(window)
    panel.add_text("name", "姓名：")
    panel.add_text("id_number", "证件号码：", placeholder="支持模糊查询")
    panel.add_choice("status", "参保状态：", [("全部", None), *CODES.choices("employee_status")])
    runner = TaskRunner(parent=window)
    source = source or CountingSource(engine, spec)
    view = ListTable(source, Settings(store or DictStore()), runner, formatters(spec), parent=window)
    panel.query.connect(lambda values: view.set_query(ListQuery(values, *view.model.sort_state())))
    layout = QVBoxLayout(window)
    layout.addWidget(panel)
    layout.addWidget(view, 1)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    with loading(qtbot, view):
        view.set_query(ListQuery())
    return window, panel, view


def loading(qtbot, view):
    return qtbot.waitSignal(view.model.loaded, timeout=20_000)


def column_of(view, key: str) -> int:
    return view.model.column_of(key)


def cell_text(view, row: int, key: str) -> str:
    return view.model.index(row, column_of(view, key)).data()


def wait_for_cell(qtbot, view, row: int, key: str) -> str:
    """A cell's text once its block has arrived (blocks are fetched in the background)."""
    qtbot.waitUntil(lambda: cell_text(view, row, key) != "", timeout=10_000)
    return cell_text(view, row, key)


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

    status_combo = panel.combo("status")
    qtbot.keyClick(status_combo, Qt.Key.Key_Down)
    qtbot.keyClick(status_combo, Qt.Key.Key_Down)
    assert panel.values() == {"name": "张建", "id_number": "", "status": "2"}
    with loading(qtbot, view):
        qtbot.keyClick(panel._texts["name"], Qt.Key.Key_Return)  # Enter in a text field queries too
    expected = sum("张建" in row["name"] and row["status"] == "2" for row in rows)
    assert 0 < view.total() == expected and view.total_label.text() == f"共 {expected} 条"
    assert {wait_for_cell(qtbot, view, row, "status") for row in range(view.model.rowCount())} == {"停止缴费"}

    type_text(qtbot, panel._texts["id_number"], "0101")
    with loading(qtbot, view):
        qtbot.keyClick(panel._texts["id_number"], Qt.Key.Key_Return)
    expected = sum("张建" in r["name"] and r["status"] == "2" and "0101" in r["id_number"] for r in rows)
    assert 0 < view.total() == expected

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

    panel.combo("status").setCurrentIndex(2)
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
    assert [view.model.key_at(r) for r in range(3)] == [rowid(row) for row in ascending[:3]]
    assert wait_for_cell(qtbot, view, 0, "name") == ascending[0]["name"]
    assert view.model.sort_state() == ("name", False)

    with loading(qtbot, view):
        click_header(qtbot, view, name_column)
    assert [view.model.key_at(r) for r in range(3)] == [rowid(row) for row in ascending[::-1][:3]]
    assert view.table.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    click_header(qtbot, view, column_of(view, "key"))  # not sortable: nothing starts
    assert not view.model.is_loading() and view.model.sort_state() == ("name", True)


def test_page_size_is_one_remembered_setting_and_the_pager_moves(qtbot, people):
    engine, rows = people
    store = DictStore()
    _window, _panel, view = make_page(qtbot, engine, store, numbered=True)
    assert view.page_size_combo.currentText() == "1000" and view.page_label.text() == "第 1 / 100 页"
    assert not view.previous_button.isEnabled()

    qtbot.keyClick(view.page_size_combo, Qt.Key.Key_Up)
    qtbot.keyClick(view.page_size_combo, Qt.Key.Key_Up)
    assert store.values["table.page_size"] == 100
    assert view.model.rowCount() == 100 and view.page_label.text() == "第 1 / 1000 页"

    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.page_label.text() == "第 2 / 1000 页" and view.previous_button.isEnabled()
    assert cell_text(view, 0, "_number") == "101" and view.model.key_at(0) == rowid(rows[100])
    assert wait_for_cell(qtbot, view, 0, "name") == rows[100]["name"]

    _other_window, _other_panel, other = make_page(qtbot, engine, store, id="other")
    assert other.page_size_combo.currentText() == "100" and other.model.rowCount() == 100


def test_a_refresh_keeps_the_page_the_rows_and_the_checks(qtbot, people):
    engine, rows = people
    store = DictStore()
    Settings(store).set(PAGE_SIZE, 100)
    _window, _panel, view = make_page(qtbot, engine, store, checkable=True, numbered=True)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    click_cell(qtbot, view, 5, 0)
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    with loading(qtbot, view):
        view.refresh()  # the data changed: same query, same page
    assert view.page_label.text() == "第 3 / 1000 页" and view.model.key_at(0) == rowid(rows[200])
    assert view.checked_keys() == [rowid(rows[205])] and resets == []  # nothing changed: no reset of the view
    assert wait_for_cell(qtbot, view, 5, "name") == rows[205]["name"]
    assert view.total_label.text() == f"共 {PEOPLE} 条"


def test_checked_keys_survive_paging_and_sorting_and_clear_on_a_new_query(qtbot, people):
    engine, rows = people
    store = DictStore()
    Settings(store).set(PAGE_SIZE, 10)
    _window, panel, view = make_page(qtbot, engine, store, checkable=True, numbered=True)
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == ""
    click_cell(qtbot, view, 0, 0)
    click_cell(qtbot, view, 2, 0)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    click_cell(qtbot, view, 1, 0)
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    assert view.model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert view.checked_keys() == [rowid(rows[0]), rowid(rows[2]), rowid(rows[11])]

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


def test_column_widths_persist_per_list_and_never_drop_below_40(qtbot, people):
    engine, _rows = people
    store = DictStore()
    _window, _panel, view = make_page(qtbot, engine, store)
    header = view.table.horizontalHeader()
    name_column = column_of(view, "name")
    header.resizeSection(name_column, 230)
    qtbot.waitUntil(lambda: store.values.get("table.widths.people", {}).get("name") == 230)

    header.resizeSection(name_column, 0)
    assert header.sectionSize(name_column) == 40
    qtbot.waitUntil(lambda: store.values["table.widths.people"]["name"] == 40)

    store.values["table.widths.people"] = {"name": 230, "id_number": 0}
    _w, _p, again = make_page(qtbot, engine, store)
    again_header = again.table.horizontalHeader()
    assert again_header.sectionSize(name_column) == 230
    assert again_header.sectionSize(column_of(again, "id_number")) == 40
    _w2, _p2, other = make_page(qtbot, engine, store, id="people-elsewhere")
    assert other.table.horizontalHeader().sectionSize(name_column) == 120

    store.values["table.widths.people"] = {"name": "wide"}  # edited by hand: the defaults, not a crash
    _w3, _p3, edited = make_page(qtbot, engine, store)
    assert edited.table.horizontalHeader().sectionSize(name_column) == 120


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
    assert seen == [rowid(rows[3])] and edited == [rowid(rows[5])]

    with qtbot.waitSignal(view.activated) as activated:
        rect = view.table.visualRect(view.model.index(4, column_of(view, "name")))
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated.args == [rowid(rows[4])] and view.current_key() == rowid(rows[4])

    activations: list[int] = []
    view.activated.connect(activations.append)
    rect = view.table.visualRect(view.model.index(6, column))
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.right() - 4, rect.center().y()))
    assert activations == []  # a double click on the links' column is not 查看 of the row


def test_rows_are_fetched_lazily_in_blocks_in_the_background(qtbot, people):
    engine, rows = people
    source = CountingSource(engine, dataclasses.replace(SPEC, paged=False))
    _window, _panel, view = make_page(qtbot, engine, source=source, paged=False)
    QApplication.processEvents()
    assert view.total() == PEOPLE and view.model.rowCount() == PEOPLE and view.total_label.text() == "共 100000 条"
    assert view.page_size_combo.isHidden() and view.next_button.isHidden()
    # The first window's rows and the first block of the whole result: nothing beyond what the screen shows.
    assert 1 <= len(source.row_calls) <= 2 and max(source.row_calls) <= list_model.BLOCK_SIZE

    before = len(source.row_calls)
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: len(source.row_calls) > before)  # the view's paint asked; data() did not wait
    assert wait_for_cell(qtbot, view, PEOPLE - 1, "name") == rows[-1]["name"]
    assert 1 <= len(source.row_calls) - before <= 2
    assert max(source.row_calls) <= list_model.BLOCK_SIZE


def test_the_event_loop_keeps_running_while_100000_keys_load(qtbot, people):
    engine, _rows = people
    _window, _panel, view = make_page(qtbot, engine, paged=False)
    ticks: list[float] = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(60)
    with loading(qtbot, view):
        view.set_query(ListQuery({}, "name", descending=True))
    qtbot.wait(60)
    timer.stop()
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert view.total() == PEOPLE and max(gaps) < 0.25, max(gaps)


def test_a_stale_query_result_is_ignored(qtbot, people):
    engine, rows = people
    source = CountingSource(engine)
    _window, _panel, view = make_page(qtbot, engine, source=source)
    source.slow_keys = source.slow_window = 0.4
    totals: list[int] = []
    firsts: list[int] = []
    view.model.loaded.connect(totals.append)
    view.model.first_rows.connect(lambda: firsts.append(view.model.rowCount()))
    view.set_query(ListQuery())  # slow, superseded by the next one
    with loading(qtbot, view):
        view.set_query(ListQuery({"status": "2"}))
    qtbot.wait(900)
    expected = sum(row["status"] == "2" for row in rows)
    assert totals == [expected] and view.total() == expected
    assert len(firsts) <= 1  # only the second query's first window, if it came before its keys
    assert wait_for_cell(qtbot, view, 0, "status") == "停止缴费"


def test_formats_and_alignment_apply(qtbot, people):
    engine, rows = people
    _window, _panel, view = make_page(qtbot, engine)
    shown = wait_for_cell(qtbot, view, 0, "id_number")
    assert shown == mask_id_number(rows[0]["id_number"]) and rows[0]["id_number"] not in shown
    assert cell_text(view, 0, "status") == "停止缴费" and cell_text(view, 1, "status") == "正常缴费"  # code names
    alignment = view.model.index(0, column_of(view, "key")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    alignment = view.model.index(0, column_of(view, "status")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignHCenter
    with pytest.raises(ValueError):
        view.set_query(ListQuery(order_column="no_such_column"))


def test_the_source_binds_user_text_and_fetches_rows_in_chunks(people):
    engine, rows = people
    source = ListSource(engine, SPEC)
    assert list(source.keys(ListQuery({"name": "%' OR 1=1 --%"}))) == []
    assert list(source.keys(ListQuery({"status": "2' OR '1'='1"}))) == []
    wanted = [rowid(row) for row in rows[:1200]]
    fetched = source.rows(wanted)
    assert len(fetched) == 1200 and fetched[wanted[700]][0] == rows[700]["name"]

    store = DictStore()
    settings = Settings(store)
    settings.set(PAGE_SIZE, 20)
    assert settings.get(PAGE_SIZE) == 20 and store.values == {"table.page_size": 20}


def test_the_first_window_shows_rows_before_the_total_is_counted(qtbot, people, screenshot):
    engine, rows = people
    window = QWidget()
    source = CountingSource(engine, slow_keys=1.0)
    view = ListTable(source, Settings(DictStore()), TaskRunner(parent=window), formatters(), parent=window)
    QVBoxLayout(window).addWidget(view)
    qtbot.addWidget(window)
    window.resize(1000, 500)
    window.show()
    with qtbot.waitSignal(view.model.first_rows, timeout=10_000):
        view.set_query(ListQuery())
    assert not view.model.is_complete() and view.model.rowCount() == FIRST_WINDOW
    assert view.total_label.text() == COUNTING_TEXT and view.overlay.isHidden()
    assert wait_for_cell(qtbot, view, 0, "name") == rows[0]["name"]
    assert view.page_label.text() == "第 1 页" and not view.next_button.isEnabled()  # not "1 / 1": not known yet
    click_cell(qtbot, view, 3, column_of(view, "name"))
    assert view.current_key() == rowid(rows[3])
    screenshot(window, "widgets-list-table-counting")

    with loading(qtbot, view):
        pass
    assert view.total_label.text() == f"共 {PEOPLE} 条" and view.model.rowCount() == 1000
    assert view.page_label.text() == "第 1 / 100 页" and view.next_button.isEnabled()
    assert view.current_key() == rowid(rows[3])  # the total followed without losing the row the user was on


def test_the_list_says_it_is_loading_until_its_first_rows(qtbot, people, screenshot):
    engine, _rows = people
    window = QWidget()
    source = CountingSource(engine, slow_keys=0.6, slow_window=0.6)
    view = ListTable(source, Settings(DictStore()), TaskRunner(parent=window), formatters(), parent=window)
    QVBoxLayout(window).addWidget(view)
    qtbot.addWidget(window)
    window.resize(1000, 500)
    window.show()
    view.set_query(ListQuery())
    assert view.total_label.text() == LOADING_TEXT and view.overlay.isVisible()  # not "共 0 条": not known yet
    screenshot(window, "widgets-list-table-loading")
    assert view.overlay.geometry() == view.table.viewport().rect()
    qtbot.waitUntil(lambda: view.total_label.text() == f"共 {PEOPLE} 条", timeout=10_000)
    assert view.overlay.isHidden()

    view.refresh()  # slow again: the rows stay, the count says it is being queried once that takes a while
    assert view.total_label.text() == f"共 {PEOPLE} 条" and view.overlay.isHidden()
    qtbot.waitUntil(lambda: view.total_label.text() == QUERYING_TEXT, timeout=10_000)
    qtbot.waitUntil(lambda: view.total_label.text() == f"共 {PEOPLE} 条", timeout=10_000)


def test_screenshot_of_a_list(qtbot, people, screenshot):
    engine, _rows = people
    store = DictStore()
    Settings(store).set(PAGE_SIZE, 50)
    window, panel, view = make_page(qtbot, engine, store, checkable=True, numbered=True)
    panel.add_text("unit", "单位编号：")
    view.add_action_column("操作", [("查看", print), ("修改", print)])
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    for row in (1, 3):
        click_cell(qtbot, view, row, 0)
    view.table.selectRow(2)
    wait_for_cell(qtbot, view, 0, "name")
    screenshot(window, "widgets-list-table")
    list_height = view.height()
    qtbot.mouseClick(panel.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.height() > list_height)  # layouts settle over a few event-loop turns
    screenshot(window, "widgets-list-table-collapsed")


# ---------------------------------------------------------------------------------------- the model's contract


def checked_model(qtbot, qtmodeltester, engine, query: ListQuery, *, page_size=None, actions=False, **options):
    """A ``ListTableModel`` under Qt's model tester, from before its query until its rows are in."""
    spec = dataclasses.replace(SPEC, **options)
    holder = QWidget()
    qtbot.addWidget(holder)
    model = ListTableModel(
        ListSource(engine, spec), TaskRunner(parent=holder), formatters(spec), page_size=page_size, parent=holder
    )
    if actions:
        model.add_action_column("操作", ["查看", "修改"])
    qtmodeltester.check(model, force_py=True)  # stays connected: every later signal is checked (in Python)
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.set_query(query)
    qtbot.waitUntil(lambda: model.rowCount() == 0 or model.index(0, model._data_start).data() != "")
    qtmodeltester.check(model)
    return model


def test_the_model_keeps_qts_contract_with_data(qtbot, qtmodeltester, people):
    model = checked_model(qtbot, qtmodeltester, people[0], ListQuery({"name": "张建"}), paged=False)
    assert model.rowCount() == sum("张建" in row["name"] for row in people[1])
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.sort(0, Qt.SortOrder.DescendingOrder)
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.refresh()
    qtmodeltester.check(model)


def test_the_model_keeps_qts_contract_when_empty(qtbot, qtmodeltester, people):
    model = checked_model(qtbot, qtmodeltester, people[0], ListQuery({"name": "无此人"}), checkable=True)
    assert model.rowCount() == 0 and model.total() == 0
    model.check_all_on_page(True)
    assert model.checked_keys() == []


def test_the_model_keeps_qts_contract_when_paged(qtbot, qtmodeltester, people):
    model = checked_model(qtbot, qtmodeltester, people[0], ListQuery(), page_size=500)
    assert model.rowCount() == 500 and model.page_count() == PEOPLE // 500
    model.set_page(model.page_count() - 1)
    model.set_page_size(100)
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.set_query(ListQuery({"status": "2"}))  # fewer rows than a page now
    qtmodeltester.check(model)


def test_the_model_keeps_qts_contract_with_checks_numbers_and_actions(qtbot, qtmodeltester, people):
    model = checked_model(
        qtbot, qtmodeltester, people[0], ListQuery(), page_size=20, actions=True, checkable=True, numbered=True
    )
    assert model.columnCount() == 2 + len(SPEC.columns) + 1
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in (0, 1, 6)] == ["", "序号", "操作"]
    first = model.index(0, 0)
    assert model.setData(first, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert not model.setData(model.index(0, 2), "x", Qt.ItemDataRole.EditRole)  # nothing else is editable
    assert (
        first.flags() & Qt.ItemFlag.ItemIsUserCheckable and not model.index(0, 2).flags() & Qt.ItemFlag.ItemIsEditable
    )
    model.set_page(1)
    with qtbot.waitSignal(model.loaded, timeout=20_000):
        model.refresh()
    qtmodeltester.check(model)
    assert model.checked_keys() == [1] and model.index(0, 1).data() == "21"
