"""The main window of a logged-in unit: 职工参保信息更新 (query, 查看, 增量/全量更新 with the update details),
the title band's dialogs, pages not yet open, and the offline login to cached data."""

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from python_calamine import CalamineWorkbook

from sbf_client.modules.employer.ui import update_details
from sbf_client.services.context import ClientContext
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.controller import ShellController
from sbf_client.ui.widgets.menu_tree import MenuTree
from tests.helpers import CLI_PASSWORD, admin, logged_in
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, open_login, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal

WAIT = 30_000
MULTI = "129901014557560827"  # 演示市第一中学: 180 employees, three 单位编号


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def login_through_the_shell(qtbot, shell, password=CLI_PASSWORD):
    shell.show_units()
    log_in(qtbot, shell, password)


@pytest.fixture
def shell(qtbot, sandbox, tmp_path):
    controller = shell_with_unit(qtbot, sandbox, tmp_path / "home", MULTI, "9901020000017")
    yield controller
    close_shell(controller)


def open_employees(qtbot, window):
    node = next(
        window.tree.topLevelItem(i)
        for i in range(window.tree.topLevelItemCount())
        if window.tree.topLevelItem(i).text(0) == "职工参保信息更新"
    )
    window.tree.itemClicked.emit(node, 0)
    page = window.pages["employee_info"]
    qtbot.waitUntil(lambda: page.table.total() > 0 and page.stats.text().endswith("人"), timeout=WAIT)  # counted
    return page


def test_the_employee_list_and_its_updates(qtbot, shell, sandbox, screenshot, tmp_path, monkeypatch):
    login_through_the_shell(qtbot, shell)
    window = main_window_at_1366(qtbot, shell)
    page = open_employees(qtbot, window)
    assert page.table.total() == 180
    assert window.breadcrumb.text() == "首页 >> 职工参保信息更新"
    stats = page.stats.text()
    assert stats.startswith("职工总数：180人  正常缴费：")
    masked = page.table.model.index(0, 4).data()
    assert "**********" in masked and len(masked) == 18
    screenshot(window, "main-02-employee-info")

    with page.page.session.engine.connect() as conn:
        stopped = conn.exec_driver_sql("SELECT count(*) FROM employees WHERE status = '2'").scalar_one()
        someone = conn.exec_driver_sql("SELECT name, id_number FROM employees WHERE id_type = '01' LIMIT 1").one()
    page.run_query({"status": "2"})
    qtbot.waitUntil(lambda: page.table.total() == stopped, timeout=WAIT)
    page.run_query({"id_number": someone.id_number[-6:].lower()})
    qtbot.waitUntil(lambda: page.table.total() == 1, timeout=WAIT)
    page.run_query({"name": someone.name[:1]})
    qtbot.waitUntil(lambda: 1 <= page.table.total() < 180, timeout=WAIT)
    page.query_panel.reset()
    qtbot.waitUntil(lambda: page.table.total() == 180, timeout=WAIT)

    key = page.table.model.key_at(0)
    click_in_next_modal("关闭", lambda dialog: screenshot(dialog, "main-03-employee-detail"))
    page.show_detail(key)

    admin(sandbox, "POST", "/admin/units/Z0006/feeds/employees/mutate", {"hires": 3, "leaves": 2})
    seen = {}

    exported = tmp_path / "明细.xlsx"

    def details(dialog):
        seen["details"] = modal_texts(dialog)
        screenshot(dialog, "main-05-update-details")
        monkeypatch.setattr(update_details.QFileDialog, "getSaveFileName", lambda *a, **k: (str(exported), ""))
        click_in_next_modal("确定", lambda box: seen.update(exported=modal_texts(box)))
        click(qtbot, dialog.export_button)  # 【导出】 → 另存为 → written in the background
        qtbot.waitUntil(lambda: "exported" in seen, timeout=WAIT)

    def answer_yes(box):
        seen["prompt"] = modal_texts(box)
        screenshot(box, "main-04-update-prompt")
        # Behind the question, the statistics are already recounted (not left stale until it is answered).
        qtbot.waitUntil(lambda: page.stats.text().startswith("职工总数：183人"), timeout=WAIT)
        click_in_next_modal("关闭", details)

    click_in_next_modal("是", answer_yes)
    click(qtbot, page.incremental)
    qtbot.waitUntil(lambda: "details" in seen, timeout=WAIT)
    assert "本次共更新了5条职工信息，是否查看更新明细？" in seen["prompt"]
    assert "新增 3 人，变更 2 人，删除 0 人" in seen["details"]
    assert "导出成功，共导出5条记录。" in seen["exported"]
    sheet = CalamineWorkbook.from_path(str(exported)).get_sheet_by_name("更新数据明细").to_python()
    assert sheet[0] == ["序号", "姓名", "更新类型", "更新内容"]
    assert sorted(row[2] for row in sheet[1:]) == ["变更", "变更", "新增", "新增", "新增"]
    assert all(row[3] for row in sheet[1:])  # what changed, as the dialog shows it
    qtbot.waitUntil(lambda: page.stats.text().startswith("职工总数：183人"), timeout=WAIT)
    qtbot.waitUntil(lambda: page.table.total() == 183, timeout=WAIT)

    # The new hires have no 缴费工资 yet: the 首页 raises the manual's 异常提醒; its page is not built yet.
    home = window.pages["home"]
    alert = "存在缴费工资为空的职工，需要给该职工申报缴费工资。（【日常缴费工资申报】暂未开放）"
    qtbot.waitUntil(lambda: home.alerts.count() and home.alerts.item(0).text() == alert, timeout=WAIT)
    window.tabs.setCurrentWidget(home)
    screenshot(window, "main-11-home-with-alert")
    click_in_next_modal("确定", lambda box: seen.update(alert=modal_texts(box)))
    home.alerts.itemClicked.emit(home.alerts.item(0))  # its page is not built: says so, opens nothing
    assert "【日常缴费工资申报】该功能尚未开放。" in seen["alert"]
    assert window.tabs.currentWidget() is home and "daily_wages" not in window.pages
    window.tabs.setCurrentWidget(page)

    click_in_next_modal(
        "确定", lambda box: click_in_next_modal("确定", lambda done: seen.update(full=modal_texts(done)))
    )
    click(qtbot, page.full)
    qtbot.waitUntil(lambda: "full" in seen, timeout=WAIT)
    assert "职工信息没有变化" in seen["full"]


def test_title_band_dialogs_and_pages_not_yet_open(qtbot, shell, screenshot):
    login_through_the_shell(qtbot, shell)
    window = main_window_at_1366(qtbot, shell)
    window.open_menu("daily_declaration")
    assert window.breadcrumb.text() == "首页 >> 社保费申报 >> 日常申报"
    placeholder = window.pages["daily_declaration"]
    assert "该功能尚未开放" in modal_texts(placeholder)
    screenshot(window, "main-06-not-yet-open")
    assert "assessed_declaration" not in [  # 社保费申报（核定） is for 税务代征 regions only
        window.tree.topLevelItem(3).child(i).data(0, Qt.ItemDataRole.UserRole)
        for i in range(window.tree.topLevelItem(3).childCount())
    ]
    buttons = {b.text().split("（")[0]: b for b in window.findChildren(type(shell.units.add_button))}
    click_in_next_modal("关闭", lambda d: screenshot(d, "main-07-notices"))
    click(qtbot, buttons["通知公告"])
    click_in_next_modal("关闭", lambda d: screenshot(d, "main-08-message-center"))
    click(qtbot, buttons["消息中心"])
    assert buttons["消息中心"].text() == "消息中心"  # read after opening
    click_in_next_modal("关闭", lambda d: screenshot(d, "main-09-about"))
    click(qtbot, buttons["关于"])

    def settings(dialog):
        screenshot(dialog, "main-10-settings-center")
        dialog.reject()

    on_next_modal(settings, lambda modal: modal.windowTitle() == "参数设置中心")
    click(qtbot, buttons["系统设置"])
    window.maximize_page()
    assert not window.tree.isVisible()
    window.restore_page()
    window.close_current()
    assert "daily_declaration" not in window.pages


def test_switching_unit_waits_for_running_work(qtbot, shell, screenshot):
    login_through_the_shell(qtbot, shell)
    window = main_window_at_1366(qtbot, shell)
    switch = next(b for b in window.findChildren(type(shell.units.add_button)) if b.text() == "单位管理")
    release = threading.Event()
    shell.runner.run(lambda _progress: release.wait(WAIT / 1000), show_progress=False)
    seen = {}
    click_in_next_modal(
        "确定", lambda box: seen.update(text=modal_texts(box)) or screenshot(box, "main-12-still-working")
    )
    click(qtbot, switch)
    assert "请等待处理完成后再切换单位" in seen["text"]
    assert shell.main_window is window
    release.set()
    qtbot.waitUntil(lambda: not shell.runner.busy(), timeout=WAIT)
    click(qtbot, switch)
    assert shell.main_window is None


def test_offline_login_opens_the_cached_data(qtbot, shell, sandbox, screenshot):
    login_through_the_shell(qtbot, shell)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
    shell.switch_unit()
    sandbox.kill()
    seen = {}
    click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)) or screenshot(box, "offline-01-notice"))
    login_through_the_shell(qtbot, shell)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
    assert "离线模式" in seen["text"] and "无法连接到管理子系统" in seen["text"]
    window = main_window_at_1366(qtbot, shell)
    assert window.page_context.session.offline
    badge = window.findChild(QLabel, "Offline")
    band = badge.parentWidget()
    assert badge.text() == "离线" and badge.height() <= band.height() // 2  # a badge, not a block
    assert abs(badge.geometry().center().y() - band.rect().center().y()) <= 2
    qtbot.waitUntil(lambda: window.pages["home"].chart.chart is not None, timeout=WAIT)  # the cached data shows
    screenshot(window, "main-window-offline")
    page = open_employees(qtbot, window)
    assert page.table.total() == 180 and not page.incremental.isEnabled() and not page.full.isEnabled()
    page.run_query({"status": "1"})
    qtbot.waitUntil(lambda: 0 < page.table.total() < 180, timeout=WAIT)
    screenshot(window, "offline-02-employee-info")

    shell.switch_unit()
    click_in_next_modal("确定", lambda box: seen.update(wrong=modal_texts(box)))
    login_through_the_shell(qtbot, shell, password="wrong-password")
    qtbot.waitUntil(lambda: "wrong" in seen, timeout=WAIT)
    assert "申报密码有误" in seen["wrong"] and "本机上次联网登录的密码" in seen["wrong"]


def menu_titles(tree):
    """Every group's title with the titles of its items, as the tree shows them."""

    def titles(node):
        return [node.child(i).text(0) for i in range(node.childCount())]

    root = tree.invisibleRootItem()
    return {root.child(i).text(0): titles(root.child(i)) for i in range(root.childCount())}


def test_region_of_the_daizheng_mode_shows_its_menus(qtbot, sandbox, tmp_path):
    logged_in(tmp_path / "home", sandbox, "91990201MA6K00014L", "9902010000084", region="demo-daizheng").context.close()
    shell = ShellController(ClientContext(DataHome(tmp_path / "home")))
    shell.start()
    qtbot.addWidget(shell.frame)
    try:
        assert shell.context.region().mode == "税务代征模式"
        login_through_the_shell(qtbot, shell)
        qtbot.waitUntil(lambda: shell.main_window is not None, timeout=WAIT)
        window = shell.main_window
        shown = menu_titles(window.tree)
        assert shown["社保费申报"] == ["日常申报", "特殊缴费申报", "申报记录", "社保费申报（核定）"]
        assert shown["缴费工资申报"] == ["日常缴费工资申报", "年度缴费工资申报", "缴费工资申报记录"]
        window.tree.itemClicked.emit(window.tree.nodes["assessed_declaration"], 0)
        assert window.breadcrumb.text() == "首页 >> 社保费申报 >> 社保费申报（核定）"
        # The tree the main window builds for a 税务自主模式 region lacks that item, and only that item.
        elsewhere = menu_titles(MenuTree(window.module.menu, "税务自主模式"))
        assert elsewhere["社保费申报"] == ["日常申报", "特殊缴费申报", "申报记录"]
        assert {k: v for k, v in elsewhere.items() if k != "社保费申报"} == {
            k: v for k, v in shown.items() if k != "社保费申报"
        }
    finally:
        close_shell(shell)


def test_a_collector_logs_in_to_its_own_menu(qtbot, sandbox, tmp_path, screenshot):
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", "11990101000012343M", "12343M", module="collector")
    shell.units.switch("collector")
    assert shell.units.table.rowCount() == 1
    screenshot(shell.frame, "collector-01-unit-manager")
    assert "纳税人识别号后6位" in open_login(qtbot, shell).hint.text()
    qtbot.keyClicks(shell.current.password, CLI_PASSWORD)
    click(qtbot, shell.current.ok)
    window = main_window_at_1366(qtbot, shell)
    tops = [window.tree.topLevelItem(i).text(0) for i in range(window.tree.topLevelItemCount())]
    assert tops[:4] == ["首页", "城乡居民参保信息更新", "外部参保城乡居民导入", "城乡居民缴费档次查询"]
    assert "社保费代收代报（自主）" in tops and "社保费代收代报（核定）" not in tops  # a 税务自主 region
    home = window.pages["home"]
    qtbot.waitUntil(lambda: home.chart.chart is not None, timeout=WAIT)
    assert home.chart.chart.series[0][1][0][1] > 400  # 正常参保 residents
    screenshot(window, "collector-02-home")
    close_shell(shell)
