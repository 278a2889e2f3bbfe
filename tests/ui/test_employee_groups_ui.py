"""职工分组 in the window, used as a user would: 分组 ▾ 分组管理 (新建分组, 添加子分组, 删除 with its confirmation,
保存), 编辑 of a row, the 分组 filter and column, 查看 showing the group, and 批量编辑职工分组 with its error report.
Screenshots: 分组管理, 编辑人员信息 (and its drop-down), the page with the 分组 column, the import error report."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QLineEdit

from sbf_client.core.clock import CHINA_TZ
from sbf_client.documents.templates import write_template
from sbf_client.modules.employer.services.group_import import members_template
from sbf_client.modules.employer.services.groups import GroupDraft, save_groups
from sbf_client.modules.employer.store.groups import group_choices, load_groups
from sbf_client.modules.employer.ui import employee_info, import_report
from sbf_client.modules.employer.ui.employee_detail import EmployeeDetailDialog
from sbf_client.modules.employer.ui.employee_edit import EmployeeEditDialog, indented
from sbf_client.modules.employer.ui.group_manager import GroupManagerDialog
from sbf_client.modules.employer.ui.import_report import ImportReportDialog
from sbf_client.ui.widgets.table_delegates import LINK_PADDING, LINK_SPACING
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal

TAXPAYER, UNIT_NO = "91990101MA5D000160", "9901010000135"  # 演示市云帆科技有限公司: 60 employees
SAVED = datetime(2026, 12, 3, 9, 34, 6, tzinfo=CHINA_TZ)


@pytest.fixture
def employee_page(qtbot, sandbox, tmp_path):
    """The logged-in main window on 职工参保信息更新, its first query done."""
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", TAXPAYER, UNIT_NO)
    try:
        log_in(qtbot, shell)
        window = main_window_at_1366(qtbot, shell, 60_000)
        window.open_menu("employee_info")
        page = window.pages["employee_info"]
        qtbot.waitUntil(lambda: page.table.total() == 60, timeout=60_000)
        yield window, page
    finally:
        close_shell(shell)


def column_of(page, key: str) -> int:  # type: ignore[no-untyped-def]
    return page.table.model.column_of(key)


def cell(page, row: int, key: str) -> str:  # type: ignore[no-untyped-def]
    return page.table.model.index(row, column_of(page, key)).data() or ""


def click_link(qtbot, page, row: int, number: int) -> None:  # type: ignore[no-untyped-def]
    """Click the ``number``-th link (查看 0, 编辑 1) of a row's 操作 cell."""
    table = page.table.table
    column = page.table.model.columnCount() - 1
    rect = table.visualRect(page.table.model.index(row, column))
    metrics = QFontMetrics(table.font())
    x = rect.left() + LINK_PADDING + 4
    for label in ("查看", "编辑")[:number]:
        x += metrics.horizontalAdvance(label) + LINK_SPACING
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, rect.center().y()))


def menu_action(page, title: str):  # type: ignore[no-untyped-def]
    """An entry of the toolbar's 分组 ▾ drop-down."""
    return next(a for a in page.buttons["groups"].menu().actions() if a.text() == title)


def type_name(qtbot, dialog: GroupManagerDialog, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type a group's name into the open editor of the tree, then Enter."""
    editor = dialog.editor()
    assert isinstance(editor, QLineEdit), editor
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.editor() is None)  # the view commits the name after the key press


@pytest.fixture
def open_dialog(qtbot, employee_page):
    """A 分组管理 dialog of the page, shown; at the end closed without its 放弃修改？ question (a failed test must
    not leave a modal question behind)."""
    _window, page = employee_page
    opened: list[GroupManagerDialog] = []

    def make() -> GroupManagerDialog:
        dialog = GroupManagerDialog(page.page.session.engine, page.page.session.context.clock, page.page.runner, page)
        dialog.show()  # a child of the page (not qtbot's to close: pytest-qt closes its widgets first)
        opened.append(dialog)
        return dialog

    yield make
    for dialog in opened:
        dialog.draft = GroupDraft()
        dialog.done(0)


def saved_tree(page) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """B1 › B11, X1 › B11, saved through the service (the tests that are not about 分组管理)."""
    draft = GroupDraft()
    b1 = draft.add_group(None, "B1").key
    draft.add_group(b1, "B11")
    x1 = draft.add_group(None, "X1").key
    draft.add_group(x1, "B11")
    save_groups(page.page.session.engine, draft, SAVED)
    page.refresh()
    return dict(group_choices(page.page.session.engine))


def test_group_manager_builds_a_tree_refuses_what_the_rules_refuse_and_saves(
    qtbot, employee_page, open_dialog, screenshot
):
    _window, page = employee_page
    on_next_modal(lambda dialog: dialog.reject(), lambda modal: isinstance(modal, GroupManagerDialog))
    menu_action(page, "分组管理").trigger()  # the menu opens the dialog (closed again at once)

    dialog = open_dialog()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    type_name(qtbot, dialog, "B1")
    b1 = dialog.draft.find_path("B1")
    qtbot.mouseClick(dialog.action_button(b1, "添加子分组"), Qt.MouseButton.LeftButton)
    type_name(qtbot, dialog, "B11")
    b11 = dialog.draft.find_path("B1/B11")
    qtbot.mouseClick(dialog.action_button(b11, "添加子分组"), Qt.MouseButton.LeftButton)
    type_name(qtbot, dialog, "B111")
    b111 = dialog.draft.find_path("B1/B11/B111")
    assert not dialog.action_button(b111, "添加子分组").isEnabled()  # 分组层级最多为3级
    assert dialog.action_button(b111, "添加子分组").toolTip() == "分组层级最多为3级"
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    type_name(qtbot, dialog, "X1")
    qtbot.mouseClick(dialog.action_button(dialog.draft.find_path("X1"), "添加子分组"), Qt.MouseButton.LeftButton)
    type_name(qtbot, dialog, "B11")  # the same name under another parent is allowed
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)  # a group left without a name …

    seen: dict[str, str] = {}
    click_in_next_modal("确定", lambda box: seen.update(empty=modal_texts(box)))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # … is refused at 保存
    qtbot.waitUntil(lambda: "empty" in seen)
    assert "分组名称不能为空：新分组。请修改后再保存。" in seen["empty"]
    type_name(qtbot, dialog, "Y1")  # its name is being edited again
    assert load_groups(page.page.session.engine) == []  # nothing saved yet
    screenshot(dialog, "group-manager")

    click_in_next_modal("确定", lambda box: seen.update(delete=modal_texts(box)))
    qtbot.mouseClick(dialog.action_button(b1, "删除"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "delete" in seen and dialog.tree.isEnabled())  # the members are counted on a worker
    assert "删除该分组将同时删除其下所有子分组（共2个），是否确定删除？" in seen["delete"]
    assert dialog.draft.find_path("B1/B11/B111") is None and dialog.draft.find_path("X1/B11") is not None

    click_in_next_modal("确定", lambda box: seen.update(saved=modal_texts(box)))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "保存成功。" in seen["saved"]
    assert [g.path for g in load_groups(page.page.session.engine)] == ["X1", "X1/B11", "Y1"]
    combo = page.group_field  # the page heard of the change: its 分组 drop-down lists the new groups
    qtbot.waitUntil(lambda: [combo.itemText(i) for i in range(combo.count())] == ["全部", "X1", "X1/B11", "Y1"])


def test_deleting_a_group_with_employees_says_how_many_lose_it(qtbot, employee_page, open_dialog, screenshot):
    _window, page = employee_page
    ids = saved_tree(page)
    from sbf_client.modules.employer.services.groups import set_employee_group

    for row in range(3):
        set_employee_group(page.page.session.engine, page.table.model.key_at(row), ids["B1/B11"], SAVED)
    dialog = open_dialog()
    assert dialog.items[ids["B1"]].text(1) == "2026-12-03 09:34:06"  # 保存时间
    screenshot(dialog, "group-manager-saved")
    item = dialog.items[ids["X1"]]  # a double-click renames (the members stay with the group)
    where = dialog.tree.visualItemRect(item).center()
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: dialog.editor() is not None)
    dialog.editor().selectAll()
    type_name(qtbot, dialog, "X2")
    assert dialog.draft.groups[ids["X1"]].name == "X2" and dialog.draft.dirty
    seen: dict[str, str] = {}
    click_in_next_modal("取消", lambda box: seen.update(text=modal_texts(box)))
    qtbot.mouseClick(dialog.action_button(ids["B1/B11"], "删除"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "text" in seen and dialog.tree.isEnabled())
    assert "是否确定删除分组“B1/B11”？" in seen["text"] and "中的3名职工将不再属于任何分组" in seen["text"]
    assert dialog.draft.find_path("B1/B11") == ids["B1/B11"]  # 取消: kept
    click_in_next_modal("确定")
    qtbot.mouseClick(dialog.action_button(ids["B1"], "删除"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.draft.find_path("B1") is None and dialog.tree.isEnabled())
    click_in_next_modal("确定", lambda box: seen.update(discard=modal_texts(box)))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # 取消 of the dialog: discarded
    assert "确定放弃修改吗" in seen["discard"] and not dialog.isVisible()
    assert [g.path for g in load_groups(page.page.session.engine)] == ["B1", "B1/B11", "X1", "X1/B11"]


def test_edit_puts_a_row_in_a_group_and_the_filter_finds_it(qtbot, employee_page, screenshot):
    window, page = employee_page
    ids = saved_tree(page)
    name = cell(page, 2, "name")
    shots: dict[str, object] = {}

    def edit(dialog: EmployeeEditDialog) -> None:
        assert dialog.windowTitle() == "编辑人员信息" and dialog.name.text() == name and dialog.name.isReadOnly()
        assert [dialog.group.itemText(i) for i in range(dialog.group.count())] == [
            "（不分组）", "B1", "B1/B11", "X1", "X1/B11",
        ]  # fmt: skip
        dialog.group.showPopup()
        popup = dialog.group.view()
        shots["popup"] = screenshot(popup.window(), "employee-edit-dropdown")
        index = dialog.group.findText("X1/B11")
        qtbot.mouseClick(
            popup.viewport(), Qt.MouseButton.LeftButton, pos=popup.visualRect(popup.model().index(index, 0)).center()
        )
        assert dialog.group.currentText() == "X1/B11"
        shots["dialog"] = screenshot(dialog, "employee-edit")
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    on_next_modal(edit, lambda modal: isinstance(modal, EmployeeEditDialog))
    click_link(qtbot, page, 2, 1)
    qtbot.waitUntil(lambda: "dialog" in shots)
    qtbot.waitUntil(lambda: any(cell(page, r, "group") == "X1/B11" for r in range(page.table.model.rowCount())))
    assert indented("X1/B11") == "\u3000\u3000B11"

    page.group_field.setCurrentIndex(page.group_field.findText("X1"))  # a group with its sub-groups
    qtbot.mouseClick(page.query_panel.query_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.total() == 1)
    assert cell(page, 0, "name") == name and cell(page, 0, "group") == "X1/B11"
    page.group_field.setCurrentIndex(page.group_field.findText("B1"))
    qtbot.mouseClick(page.query_panel.query_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.total() == 0)
    draft = GroupDraft.load(page.page.session.engine)  # the group being shown is deleted (as 分组管理 would)
    draft.remove(ids["B1"])
    save_groups(page.page.session.engine, draft, SAVED)
    page.refresh()  # what the page does when told groups changed
    assert page.group_field.currentText() == "全部"
    qtbot.waitUntil(lambda: page.table.total() == 60)
    row = next(r for r in range(page.table.model.rowCount()) if cell(page, r, "group"))
    screenshot(window, "employee-info-groups")

    details: dict[str, str] = {}

    def look(dialog: EmployeeDetailDialog) -> None:
        details["text"] = modal_texts(dialog)
        dialog.reject()

    on_next_modal(look, lambda modal: isinstance(modal, EmployeeDetailDialog))
    click_link(qtbot, page, row, 0)  # 查看: 基本信息 shows the group
    qtbot.waitUntil(lambda: "text" in details)
    assert "分组：" in details["text"] and "X1/B11" in details["text"]
    assert ids["X1/B11"]


def test_a_group_import_with_bad_rows_shows_each_error_and_saves_a_report(
    qtbot, employee_page, screenshot, tmp_path, monkeypatch
):
    _window, page = employee_page
    ids = saved_tree(page)
    first, second = page.table.model.key_at(0), page.table.model.key_at(1)
    with page.page.session.engine.connect() as conn:
        people = [
            conn.exec_driver_sql("SELECT name, id_number FROM employees WHERE rowid = ?", (key,)).one()
            for key in (first, second)
        ]
    bad = write_template(
        members_template(),
        tmp_path / "分组.xlsx",
        [
            (people[0].name, people[0].id_number, "X1/B11"),
            ("某人", "110101199001011234", "B1"),
            (people[1].name, people[1].id_number, "B1/B12"),
        ],
    )
    monkeypatch.setattr(employee_info.QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(import_report.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "报告"), ""))
    seen: dict[str, str] = {}

    def report(dialog: ImportReportDialog) -> None:
        seen["summary"] = dialog.summary.text()
        seen["rows"] = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
        screenshot(dialog, "group-import-errors")
        click_in_next_modal("确定", lambda box: seen.update(saved=modal_texts(box)))
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
        dialog.reject()

    on_next_modal(report, lambda modal: isinstance(modal, ImportReportDialog))
    menu_action(page, "批量编辑职工分组").trigger()
    qtbot.waitUntil(lambda: "saved" in seen, timeout=20_000)
    assert seen["summary"].startswith("文件中有2行数据有误（共2处），未导入任何数据。")
    assert seen["rows"] == [
        "证件号码1101**********1234在本单位职工中未找到，请核对证件号码，或先更新职工参保信息",
        "分组“B1/B12”不存在，请先在【分组管理】中新建该分组，或从下拉列表中选择",
    ]
    assert "错误报告已保存" in seen["saved"]
    sheet = openpyxl.load_workbook(tmp_path / "报告.xlsx").active
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)][1].startswith("证件号码1101")
    with page.page.session.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM employee_group_members").scalar() == 0  # none applied

    good = write_template(members_template(), tmp_path / "好.xlsx", [(people[0].name, people[0].id_number, "X1/B11")])
    monkeypatch.setattr(employee_info.QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    click_in_next_modal("确定", lambda box: seen.update(done=modal_texts(box)))
    menu_action(page, "批量编辑职工分组").trigger()
    qtbot.waitUntil(lambda: "done" in seen, timeout=20_000)
    assert "导入成功：共1行，1名职工设置了新的分组" in seen["done"]
    qtbot.waitUntil(lambda: cell(page, 0, "group") == "X1/B11")
    assert ids["X1/B11"]
    assert [label.text() for label in page.query_panel.findChildren(QLabel) if label.text() == "分组："]


def test_group_manager_imports_groups_from_its_template(qtbot, employee_page, open_dialog, tmp_path, monkeypatch):
    from sbf_client.modules.employer.ui import group_manager

    _window, page = employee_page
    saved_tree(page)
    dialog = open_dialog()
    monkeypatch.setattr(group_manager.QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "g.xlsx"), ""))
    click_in_next_modal("确定")  # 模板已保存
    next(a for a in dialog.import_button.menu().actions() if a.text() == "下载导入模板").trigger()
    book = openpyxl.load_workbook(tmp_path / "g.xlsx")
    assert [r[0] for r in book.active.iter_rows(min_row=2, values_only=True)] == ["B1", "B1/B11", "X1", "X1/B11"]
    book.active.append(["B1/B11/B111/B1111"])
    book.save(tmp_path / "g.xlsx")
    monkeypatch.setattr(group_manager.QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "g.xlsx"), ""))
    seen: dict[str, object] = {}

    def report(box: ImportReportDialog) -> None:
        seen["rows"] = [box.table.item(r, 2).text() for r in range(box.table.rowCount())]
        box.reject()

    on_next_modal(report, lambda modal: isinstance(modal, ImportReportDialog))
    importing = next(a for a in dialog.import_button.menu().actions() if a.text() == "导入分组文件")
    importing.trigger()
    assert seen["rows"] == ["分组层级最多为3级：“B1/B11/B111/B1111”"] and not dialog.draft.dirty
    book.active.delete_rows(6)
    book.active.append(["B1/B11/B111"])
    book.active.append(["Z1"])
    book.save(tmp_path / "g.xlsx")
    click_in_next_modal("确定", lambda box: seen.update(done=modal_texts(box)))
    importing.trigger()
    assert "已添加2个分组，点击【保存】后生效。" in str(seen["done"])
    assert dialog.draft.find_path("B1/B11/B111") is not None and dialog.items[dialog.draft.find_path("Z1")]
    assert not dialog.action_button(dialog.draft.find_path("B1/B11/B111"), "添加子分组").isEnabled()
