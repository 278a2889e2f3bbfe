"""``ListPage``: any ``ListSpec`` rendered as a page — every kind of query field, toolbar buttons and drop-downs,
actions offline, 请先勾选, the statistics line, 查看, ``watches`` and 导出 (read back from the .xlsx).

The generic behaviour runs over a real SQLite table with a minimal page context; what is the employees' own
(code tables from the rule files, the unit's 单位编号, the ChangeHub through the main window) runs on the real
职工参保信息更新 page of a logged-in sandbox unit.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QMenu
from python_calamine import CalamineWorkbook
from sqlalchemy import create_engine, text

from sbf_client.core.ids import id_number_check_char, mask_id_number
from sbf_client.plugins.spec import MenuItem
from sbf_client.store.codes import CODES_SETTING, CodeTables
from sbf_client.store.lists import ListAction, ListColumn, ListSpec, QueryField
from sbf_client.store.lists.spec import ExportSpec
from sbf_client.ui import list_page
from sbf_client.ui.list_page import EXPORTED, NOTHING_CHOSEN, OFFLINE_TIP, ListPage
from sbf_client.ui.tasks import ChangeHub, TaskRunner
from sbf_client.ui.widgets.query_panel import NO_DATE
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, type_text

HERE = "tests.ui.test_list_page"
KIT = "sbf_client.ui.list_page"
REGISTRATIONS = ("9901020000017", "9901020000025", "9901020000033")
DEPARTMENTS = ("财务部", "人事部", "教务处")
SURNAMES = "张王李赵刘陈杨黄周吴"
GIVEN = ("伟", "芳", "建国", "秀英", "志强", "丽")
STAFF_COUNT = 60
RULE_FILES = {"tables": {"gender": {"1": "男", "2": "女"}, "staff_status": {"1": "在职", "2": "离职"}}}
CALLS: list[tuple[str, list[Any]]] = []
SLOW_STATISTICS = threading.Event()  # set: the unfiltered count takes a while (a superseded one)

SPEC = ListSpec(
    id="staff",
    title="员工名册",
    source="staff",
    order="person_no",
    columns=(
        ListColumn("name", "姓名", "name", width=100),
        ListColumn("gender", "性别", "gender", width=60, align="center", codes="gender"),
        ListColumn("id_number", "证件号码", "id_number", width=190, mask="id_number"),
        ListColumn("unit_no", "单位编号", "unit_no", width=130),
        ListColumn("dept", "部门", "dept", width=80),
        ListColumn("status", "状态", "status", width=70, codes="staff_status"),
        ListColumn("salary", "工资", "salary", width=100, align="right", kind="money"),
        ListColumn("month", "所属期", "month", width=80),
        ListColumn("updated_at", "更新时间", "updated_at", width=170, kind="datetime"),
    ),
    fields=(
        QueryField("name", "姓名", "search", filter=f"{HERE}:name_filter", live=True, placeholder="姓名"),
        QueryField("id_number", "证件号码", "like", sql="id_number", upper=True, placeholder="支持模糊查询"),
        QueryField("gender", "性别", "choice", sql="gender", choices="codes:gender"),
        QueryField("unit_no", "单位编号", "choice", sql="unit_no", choices="registrations"),
        QueryField("dept", "部门", "choice", sql="dept", choices=f"{HERE}:departments"),
        QueryField("status", "状态", "choice", sql="status", choices=(("在职", "1"), ("离职", "2"))),
        QueryField("person_no", "人员编号", "text", sql="person_no"),
        QueryField("updated_at", "更新时间", "date_range", sql="updated_at"),
        QueryField("month", "所属期", "month_range", sql="month"),
    ),
    toolbar=(
        ListAction("add", "新增", f"{HERE}:record_add"),
        ListAction("sync", "同步", f"{HERE}:record_sync", online_only=True),
        ListAction("delete", "删除", f"{HERE}:record_delete", needs_selection=True, secondary=True),
        ListAction(
            "export",
            "导出",
            menu=(
                ListAction("export_checked", "选中人员", f"{KIT}:export_checked", needs_selection=True),
                ListAction("export_all", "所有人员", f"{KIT}:export_all"),
                ListAction("upload", "上报", f"{HERE}:record_sync", online_only=True),
            ),
            secondary=True,
        ),
    ),
    row_actions=(
        ListAction("detail", "查看", f"{HERE}:record_detail", row=True),
        ListAction("edit", "修改", f"{HERE}:record_edit", row=True),
    ),
    detail=f"{HERE}:record_detail",
    statistics=f"{HERE}:statistics",
    watches=frozenset({"staff"}),
    export=ExportSpec("员工名册", "员工名册"),
    checkable=True,
)


# ----------------------------------------------------------------------------- what the spec names


def name_filter(value: str) -> tuple[str, dict]:
    return "name LIKE :staff_name", {"staff_name": f"%{value}%"}


def departments(engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        return [(d, d) for d in conn.execute(text("SELECT DISTINCT dept FROM staff ORDER BY dept")).scalars()]


def statistics(engine, where: str, params: dict) -> str:
    if SLOW_STATISTICS.is_set() and not params:
        time.sleep(0.8)
    with engine.connect() as conn:
        count = conn.execute(text(f"SELECT count(*) FROM staff{where}"), params).scalar_one()
        men = conn.execute(text(f"SELECT count(*) FROM staff{where or ' WHERE 1'} AND gender = '1'"), params)
        return f"人数：{count}人  男：{men.scalar_one()}人"


def _recorder(name: str):
    return lambda _page, keys: CALLS.append((name, list(keys)))


record_add, record_sync, record_delete = _recorder("add"), _recorder("sync"), _recorder("delete")
record_detail, record_edit = _recorder("detail"), _recorder("edit")


class StaffPage(ListPage):
    spec: ClassVar[ListSpec] = SPEC


# ----------------------------------------------------------------------------- the data and the page context


def staff(number: int) -> dict:
    first17 = f"110105{1970 + number % 30:04d}{1 + number % 12:02d}{1 + number % 28:02d}{number:03d}"
    return {
        "person_no": f"P{number:04d}",
        "name": SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)],
        "gender": "1" if number % 3 else "2",
        "id_number": first17 + id_number_check_char(first17),
        "unit_no": REGISTRATIONS[number % 3 if number % 5 else 0],
        "dept": DEPARTMENTS[number % len(DEPARTMENTS)],
        "status": "2" if number % 7 == 0 else "1",
        "salary": f"{3000 + number * 37.5:.2f}",
        "month": f"2026-{1 + number % 12:02d}",
        "updated_at": f"2026-{11 + number % 2}-{1 + number % 28:02d} {number % 24:02d}:30:00",
    }


ROWS = [staff(number) for number in range(STAFF_COUNT)]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('staff')}/unit.sqlite")
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE staff({', '.join(ROWS[0])})"))
        conn.execute(text(f"INSERT INTO staff VALUES ({', '.join(':' + k for k in ROWS[0])})"), ROWS)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def calls():
    CALLS.clear()
    SLOW_STATISTICS.clear()


class Store(dict):
    """The application store as a page sees it: settings, the cached rule files, the unit's registrations."""

    setting = dict.get
    set_setting = dict.__setitem__

    def registrations(self, unit_id):
        assert unit_id == 7
        return [SimpleNamespace(unit_no=number) for number in REGISTRATIONS]


class UnitSession(SimpleNamespace):
    """The unit's session as a list page sees it (``services.session.UnitSession``): its database, whether it is
    offline, its unit, and the application store behind its code tables and registrations."""

    @property
    def codes(self) -> CodeTables:
        return CodeTables.of(self.context.store)

    def registrations(self):
        return self.context.store.registrations(self.unit.id)


def open_page(qtbot, engine, *, online: bool = False) -> StaffPage:
    """The page over a minimal page context: what ``ListPage`` uses of a ``PageContext``."""
    runner = TaskRunner(ChangeHub())
    store = Store({CODES_SETTING: RULE_FILES})
    session = UnitSession(
        engine=engine, offline=not online, unit=SimpleNamespace(id=7), context=SimpleNamespace(store=store)
    )
    context = SimpleNamespace(session=session, runner=runner)
    page = StaffPage(context, MenuItem("staff", "员工名册", page=f"{HERE}:StaffPage"))
    runner.setParent(page)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    settled(qtbot, page)
    return page


def settled(qtbot, page: ListPage) -> None:
    """The query has its total and the statistics line its count."""
    model = page.table.model
    qtbot.waitUntil(lambda: model.has_loaded() and not model.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: page.stats.text().endswith("人"), timeout=10_000)


def queried(qtbot, page: ListPage, start) -> None:  # type: ignore[no-untyped-def]
    """Run ``start`` (a click, a key) and wait for its query and statistics."""
    with qtbot.waitSignal(page.table.model.loaded, timeout=10_000):
        start()
    settled(qtbot, page)


def shown_keys(page: ListPage) -> list[int]:
    return list(page.table.model.all_keys())


def keys_where(predicate) -> list[int]:  # type: ignore[no-untyped-def]
    """Rowids of the matching rows, in the list's default order (person_no, as inserted)."""
    return [number + 1 for number, row in enumerate(ROWS) if predicate(row)]


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def choose(page: ListPage, key: str, shown: str) -> None:
    combo = page.query_panel.combo(key)
    combo.setCurrentIndex(combo_texts(combo).index(shown))


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def column_of(page: ListPage, key: str) -> int:
    return page.table.model.column_of(key)


def click_link(qtbot, page: ListPage, row: int, number: int) -> None:
    """Click the ``number``-th link (查看, 修改) of a row's 操作 cell."""
    table = page.table.table
    rect = table.visualRect(page.table.model.index(row, page.table.model.columnCount() - 1))
    metrics = QFontMetrics(table.font())
    x = rect.left() + 6 + sum(metrics.horizontalAdvance(t) + 12 for t in ("查看", "修改")[:number]) + 4
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, rect.center().y()))


def click_check(qtbot, page: ListPage, row: int) -> None:
    rect = page.table.table.visualRect(page.table.model.index(row, 0))
    qtbot.mouseClick(page.table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def read_xlsx(path: Path, sheet: str) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def exported(qtbot, start) -> str:  # type: ignore[no-untyped-def]
    """Run an export and answer its 导出成功 message; returns what the message said."""
    said: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: said.update(text=modal_texts(box)))
    start()
    qtbot.waitUntil(lambda: "text" in said, timeout=20_000)
    return said["text"]


# ----------------------------------------------------------------------------- the tests


def test_every_kind_of_query_field(qtbot, engine, screenshot):
    page = open_page(qtbot, engine)
    panel = page.query_panel
    assert page.table.total() == STAFF_COUNT and page.stats.text() == f"人数：{STAFF_COUNT}人  男：40人"
    assert combo_texts(panel.combo("gender")) == ["全部", "男", "女"]  # a code table's names
    assert combo_texts(panel.combo("unit_no")) == ["全部", *REGISTRATIONS]  # the unit's 单位编号
    assert combo_texts(panel.combo("dept")) == ["全部", *sorted(DEPARTMENTS)]  # the module's own
    assert combo_texts(panel.combo("status")) == ["全部", "在职", "离职"]  # literal
    page.codes = CodeTables()  # before the rule files are downloaded: only 全部
    assert page.choices(SPEC.query_field("gender")) == [("全部", None)]
    screenshot(page, "list-page-staff")

    choose(page, "gender", "女")
    choose(page, "unit_no", REGISTRATIONS[0])
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    wanted = keys_where(lambda r: r["gender"] == "2" and r["unit_no"] == REGISTRATIONS[0])
    assert len(wanted) > 0 and shown_keys(page) == wanted
    assert page.stats.text() == f"人数：{len(wanted)}人  男：0人"  # the statistics follow the query
    assert {page.table.model.index(r, column_of(page, "gender")).data() for r in range(len(wanted))} == {"女"}

    choose(page, "dept", "教务处")
    choose(page, "status", "离职")
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    narrowed = {"gender": "2", "unit_no": REGISTRATIONS[0], "dept": "教务处", "status": "2"}
    assert shown_keys(page) == keys_where(lambda r: all(r[k] == v for k, v in narrowed.items()))
    queried(qtbot, page, lambda: click(qtbot, panel.reset_button))
    assert page.table.total() == STAFF_COUNT and panel.values()["gender"] is None

    type_text(qtbot, panel._texts["person_no"], "P0012")  # exact
    queried(qtbot, page, lambda: qtbot.keyClick(panel._texts["person_no"], Qt.Key.Key_Return))
    assert shown_keys(page) == [13]
    panel._texts["person_no"].clear()

    x_number = next(r for r in ROWS if r["id_number"].endswith("X"))["id_number"]
    type_text(qtbot, panel._texts["id_number"], x_number[-5:].lower())  # a substring, x folded to X
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    assert shown_keys(page) == keys_where(lambda r: x_number[-5:] in r["id_number"])
    panel._texts["id_number"].clear()

    start, end = panel._ranges["updated_at"][:2]
    start.setDate(QDate(2026, 11, 20))
    end.setDate(QDate(2026, 12, 2))  # the whole of the last day
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    in_range = keys_where(lambda r: "2026-11-20" <= r["updated_at"][:10] <= "2026-12-02")
    assert shown_keys(page) == in_range and any(ROWS[k - 1]["updated_at"] > "2026-12-02 01" for k in in_range)
    start.setDate(NO_DATE)  # emptied: only the end bounds it
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    assert shown_keys(page) == keys_where(lambda r: r["updated_at"][:10] <= "2026-12-02")
    end.setDate(NO_DATE)

    month_from, month_to = panel._ranges["month"][:2]
    assert month_from.displayFormat() == "yyyy-MM"
    month_from.setDate(QDate(2026, 3, 1))
    month_to.setDate(QDate(2026, 5, 1))
    queried(qtbot, page, lambda: click(qtbot, panel.query_button))
    assert shown_keys(page) == keys_where(lambda r: "2026-03" <= r["month"] <= "2026-05")
    screenshot(page, "list-page-staff-ranges")
    queried(qtbot, page, lambda: click(qtbot, panel.reset_button))
    assert panel.values()["month"] == ("", "") and page.table.total() == STAFF_COUNT


def test_a_live_search_follows_the_typing(qtbot, engine):
    page = open_page(qtbot, engine)
    totals: list[int] = []
    page.table.model.loaded.connect(totals.append)
    with qtbot.waitSignal(page.table.model.loaded, timeout=10_000):
        type_text(qtbot, page.query_panel._texts["name"], "张建")  # no 查询, no Enter
    settled(qtbot, page)
    wanted = keys_where(lambda r: "张建" in r["name"])
    assert len(wanted) > 0 and shown_keys(page) == wanted
    assert totals == [len(wanted)]  # one query once the typing paused, not one per character


def test_toolbar_buttons_drop_downs_and_chosen_rows(qtbot, engine, screenshot):
    page = open_page(qtbot, engine)
    assert [b.text() for b in page.buttons.values()] == ["新增", "同步", "删除", "导出 ▾"]
    menu = page.buttons["export"].menu()
    assert isinstance(menu, QMenu) and [a.text() for a in menu.actions()] == ["选中人员", "所有人员", "上报"]

    click(qtbot, page.buttons["add"])
    assert CALLS == [("add", [])]

    said: dict[str, str] = {}

    def told(box):  # type: ignore[no-untyped-def]
        said.update(text=modal_texts(box))
        screenshot(box, "list-page-none-chosen")

    click_in_next_modal("确定", told)
    click(qtbot, page.buttons["delete"])
    assert NOTHING_CHOSEN in said["text"] and CALLS == [("add", [])]

    for row in (4, 1):
        click_check(qtbot, page, row)
    click(qtbot, page.buttons["delete"])
    assert CALLS[-1] == ("delete", [2, 5])  # the checked keys, in the list's order

    said.clear()
    click_in_next_modal("确定", lambda box: said.update(text=modal_texts(box)))
    page.table.model.check_all_on_page(False)
    menu.actions()[0].trigger()  # 选中人员 with nothing checked
    assert NOTHING_CHOSEN in said["text"]


def test_online_only_actions_are_disabled_offline_with_the_reason(qtbot, engine):
    offline = open_page(qtbot, engine)
    assert not offline.buttons["sync"].isEnabled() and offline.buttons["sync"].toolTip() == OFFLINE_TIP
    assert offline.buttons["add"].isEnabled() and offline.buttons["add"].toolTip() == ""
    upload = offline.buttons["export"].menu().actions()[2]
    assert not upload.isEnabled() and upload.toolTip() == OFFLINE_TIP
    said: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: said.update(text=modal_texts(box)))
    offline.trigger(SPEC.toolbar[1])  # reached another way (a shortcut): still refused, with the reason
    assert OFFLINE_TIP in said["text"] and CALLS == []

    online = open_page(qtbot, engine, online=True)
    assert online.buttons["sync"].isEnabled() and online.buttons["sync"].toolTip() == ""
    assert online.buttons["export"].menu().actions()[2].isEnabled()
    click(qtbot, online.buttons["sync"])
    assert CALLS == [("sync", [])]


def test_view_by_link_and_by_double_click(qtbot, engine):
    page = open_page(qtbot, engine)
    model = page.table.model
    assert model.headerData(model.columnCount() - 1, Qt.Orientation.Horizontal) == "操作"
    click_link(qtbot, page, 2, 0)
    click_link(qtbot, page, 3, 1)
    assert CALLS == [("detail", [3]), ("edit", [4])]
    rect = page.table.table.visualRect(model.index(5, column_of(page, "name")))
    qtbot.mouseClick(page.table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a double click's
    qtbot.mouseDClick(page.table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # first press
    assert CALLS[-1] == ("detail", [6])


def test_the_statistics_line_says_it_is_recounting_and_ignores_a_superseded_count(qtbot, engine):
    page = open_page(qtbot, engine)
    SLOW_STATISTICS.set()
    page.refresh()
    assert page.stats.text() == f"人数：{STAFF_COUNT}人  男：40人（正在统计…）"  # the last count stays, marked
    choose(page, "gender", "女")
    queried(qtbot, page, lambda: click(qtbot, page.query_panel.query_button))  # counted while the slow one runs
    women = len(keys_where(lambda r: r["gender"] == "2"))
    assert page.stats.text() == f"人数：{women}人  男：0人"
    qtbot.wait(1000)  # the superseded count arrives now
    assert page.stats.text() == f"人数：{women}人  男：0人"


def test_a_page_watches_its_own_data_only_and_a_refresh_keeps_its_page(qtbot, engine):
    page = open_page(qtbot, engine)
    assert page.watches(frozenset({"staff", "payments"})) and not page.watches(frozenset({"payments"}))
    page.table.model.set_page_size(20)
    page.table.model.set_page(2)
    click_check(qtbot, page, 0)
    with qtbot.waitSignal(page.table.model.loaded, timeout=10_000):
        page.refresh()
    settled(qtbot, page)
    assert page.table.model.page() == 2 and page.table.checked_keys() == [41]


def test_export_writes_the_rows_as_on_screen_with_numbers_in_full(qtbot, engine, tmp_path, monkeypatch):
    page = open_page(qtbot, engine)
    headers = ["姓名", "性别", "证件号码", "单位编号", "部门", "状态", "工资", "所属期", "更新时间"]
    assert headers == [page.table.model.headerData(c, Qt.Orientation.Horizontal) for c in range(1, 10)]

    chosen = tmp_path / "chosen.xlsx"
    said = exported(qtbot, lambda: page.export_to(chosen, [30, 3]))
    assert EXPORTED.format(count=2) in said
    header, *rows = read_xlsx(chosen, "员工名册")
    assert header == headers and [row[0] for row in rows] == [ROWS[29]["name"], ROWS[2]["name"]]  # keys' order
    first = rows[0]
    assert first[1] == ("男" if ROWS[29]["gender"] == "1" else "女") and first[5] in ("在职", "离职")  # names
    assert first[2] == ROWS[29]["id_number"]  # in full: the unit's own data
    assert first[6] == float(ROWS[29]["salary"]) and first[7] == ROWS[29]["month"]  # money is a number
    assert first[8].isoformat(sep=" ") == ROWS[29]["updated_at"]  # a real date-time cell

    choose(page, "dept", "财务部")  # the current query, sorted by the header the user clicked
    queried(qtbot, page, lambda: click(qtbot, page.query_panel.query_button))
    with qtbot.waitSignal(page.table.model.loaded, timeout=10_000):
        page.table.model.sort(column_of(page, "salary"), Qt.SortOrder.DescendingOrder)
    current = tmp_path / "current.xlsx"
    assert EXPORTED.format(count=20) in exported(qtbot, lambda: page.export_to(current, None, full=False))
    header, *rows = read_xlsx(current, "员工名册")
    finance = sorted((r for r in ROWS if r["dept"] == "财务部"), key=lambda r: -float(r["salary"]))
    assert [row[0] for row in rows] == [r["name"] for r in finance]
    assert [row[2] for row in rows] == [mask_id_number(r["id_number"]) for r in finance]  # masked, as on screen

    everything = tmp_path / "everything.xlsx"
    monkeypatch.setattr(list_page.QFileDialog, "getSaveFileName", lambda *a: (str(everything), ""))
    menu = page.buttons["export"].menu()
    assert EXPORTED.format(count=STAFF_COUNT) in exported(qtbot, menu.actions()[1].trigger)  # 所有人员
    header, *rows = read_xlsx(everything, "员工名册")
    assert [row[0] for row in rows] == [r["name"] for r in ROWS]  # whatever the query: every row
    assert [row[2] for row in rows] == [r["id_number"] for r in ROWS]

    click_check(qtbot, page, 1)
    click_check(qtbot, page, 0)
    checked = page.table.checked_keys()
    picked = tmp_path / "picked.xlsx"
    monkeypatch.setattr(list_page.QFileDialog, "getSaveFileName", lambda *a: (str(picked), ""))
    assert EXPORTED.format(count=2) in exported(qtbot, menu.actions()[0].trigger)  # 选中人员
    assert [row[0] for row in read_xlsx(picked, "员工名册")[1:]] == [ROWS[k - 1]["name"] for k in checked]

    monkeypatch.setattr(list_page.QFileDialog, "getSaveFileName", lambda *a: ("", ""))  # 取消 in the dialog
    menu.actions()[1].trigger()
    assert not (tmp_path / "员工名册.xlsx").exists()


class PlainPage(ListPage):
    """A list with nothing to query, no statistics, no checks: only its rows (and a pager)."""

    spec: ClassVar[ListSpec] = ListSpec("plain", "名册", "staff", SPEC.columns[:2], "person_no", numbered=True)


def test_collapsing_the_query_is_remembered_and_a_list_without_fields_has_no_panel(qtbot, engine):
    page = open_page(qtbot, engine)
    store = page.page.session.context.store
    click(qtbot, page.query_panel.toggle_button)
    assert page.query_panel.is_collapsed() and store["table.query_collapsed"] is True
    again = StaffPage(page.page, MenuItem("staff", "员工名册"))  # opened again, on this machine
    qtbot.addWidget(again)
    assert again.query_panel.is_collapsed() and again.query_panel.toggle_button.text() == "展开查询条件"
    click(qtbot, again.query_panel.toggle_button)
    assert not again.query_panel.is_collapsed() and store["table.query_collapsed"] is False

    plain = PlainPage(page.page, MenuItem("plain", "名册"))
    qtbot.addWidget(plain)
    assert plain.query_panel.isHidden()
    qtbot.waitUntil(lambda: plain.table.model.has_loaded(), timeout=10_000)
    assert plain.table.total() == STAFF_COUNT and plain.stats.text() == "" and plain.buttons == {}
    assert plain.table.model.headerData(0, Qt.Orientation.Horizontal) == "序号"


# ----------------------------------------------------------------------------- the real page of a real unit

MULTI, MULTI_NO = "129901014557560827", "9901020000017"  # 演示市第一中学: 180 employees, three 单位编号


def test_the_employee_page_its_codes_registrations_changes_and_export(qtbot, sandbox, tmp_path, screenshot):
    from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit

    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", MULTI, MULTI_NO)
    try:
        log_in(qtbot, shell)
        window = main_window_at_1366(qtbot, shell)
        window.open_menu("employee_info")
        page = window.pages["employee_info"]
        settled(qtbot, page)
        engine, store = page.page.session.engine, page.page.session.context.store
        with engine.connect() as conn:
            employees = conn.execute(
                text(
                    "SELECT rowid, name, gender, id_type, id_number, unit_no, updated_at FROM employees"
                    " ORDER BY name, rowid"
                )
            ).all()
        assert page.table.total() == len(employees) == 180

        codes = CodeTables.of(store)
        id_types = page.query_panel.combo("id_type")
        assert combo_texts(id_types) == ["全部", *(name for name, _code in codes.choices("id_type"))]
        assert "居民身份证" in combo_texts(id_types)  # names, not the codes stored
        registrations = [r.unit_no for r in store.registrations(page.page.session.unit.id)]
        assert len(registrations) == 3
        assert combo_texts(page.query_panel.combo("unit_no")) == ["全部", *registrations]
        gender_column = column_of(page, "gender")
        shown_genders = {page.table.model.index(r, gender_column).data() for r in range(20)}
        assert shown_genders <= {"男", "女"}

        someone = employees[7]
        choose(page, "id_type", codes.name("id_type", someone.id_type))
        choose(page, "unit_no", someone.unit_no)
        queried(qtbot, page, lambda: click(qtbot, page.query_panel.query_button))
        wanted = [e.rowid for e in employees if e.id_type == someone.id_type and e.unit_no == someone.unit_no]
        assert shown_keys(page) == wanted and someone.rowid in wanted
        screenshot(window, "list-page-employees-queried")

        last_day = someone.updated_at[:10]  # 更新时间 carries the time of day: the end takes the whole day
        start, end = page.query_panel._ranges["updated_at"][:2]
        start.setDate(QDate.fromString(last_day, "yyyy-MM-dd").addDays(-200))
        end.setDate(QDate.fromString(last_day, "yyyy-MM-dd"))
        queried(qtbot, page, lambda: click(qtbot, page.query_panel.query_button))
        first_day = start.date().toString("yyyy-MM-dd")
        in_range = [e.rowid for e in employees if e.rowid in wanted and first_day <= e.updated_at[:10] <= last_day]
        assert shown_keys(page) == in_range and someone.rowid in in_range

        everything = tmp_path / "employees.xlsx"
        assert EXPORTED.format(count=180) in exported(qtbot, lambda: page.export_to(everything, None, everything=True))
        header, *rows = read_xlsx(everything, "职工参保信息")
        on_screen = [page.table.model.headerData(c, Qt.Orientation.Horizontal) for c in range(1, len(header) + 1)]
        assert header == on_screen and header[:4] == ["姓名", "性别", "证件类型", "证件号码"]
        unit_no = header.index("单位编号")
        assert [(r[0], r[3], r[unit_no]) for r in rows] == [(e.name, e.id_number, e.unit_no) for e in employees]
        assert [(r[1], r[2]) for r in rows] == [
            (codes.name("gender", e.gender), codes.name("id_type", e.id_type)) for e in employees
        ]  # code names; the ID numbers in full above
        masked = tmp_path / "masked.xlsx"
        count = len(in_range)  # the current query
        assert EXPORTED.format(count=count) in exported(qtbot, lambda: page.export_to(masked, None, full=False))
        assert [r[3] for r in read_xlsx(masked, "职工参保信息")[1:]] == [
            mask_id_number(e.id_number) for e in employees if e.rowid in in_range
        ]

        # A change of another data set leaves the page alone; a change of the employees refreshes it.
        queried(qtbot, page, lambda: click(qtbot, page.query_panel.reset_button))
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM employees WHERE rowid = :id"), {"id": someone.rowid})
        refreshed: list[int] = []
        page.table.model.loading_changed.connect(lambda loading: loading and refreshed.append(1))
        window.page_context.hub.changed.emit(frozenset({"payments"}))
        qtbot.wait(300)
        assert refreshed == [] and page.table.total() == 180
        with qtbot.waitSignal(page.table.model.loaded, timeout=10_000):
            window.page_context.hub.changed.emit(frozenset({"employees"}))
        settled(qtbot, page)
        assert refreshed == [1] and page.table.total() == 179 and page.stats.text().startswith("职工总数：179人")
    finally:
        close_shell(shell)
