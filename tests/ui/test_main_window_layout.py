"""The main window on the manual's 1366×768 screen: maximized on a screen that size or smaller (so the status
bar stays above the taskbar), the menu tree fits without scrolling, and closing it while work runs asks
first, then stops the work before it closes."""

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.shell_fixtures import close_shell, log_in, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

WAIT = 30_000


@pytest.fixture
def window(qtbot, sandbox, tmp_path):
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", "129901014557560827", "9901020000017")
    log_in(qtbot, shell)
    qtbot.waitUntil(lambda: shell.main_window is not None and shell.main_window.isVisible(), timeout=WAIT)
    yield shell.main_window
    close_shell(shell)


def visible_rows_height(tree) -> int:  # type: ignore[no-untyped-def]
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    while last.isExpanded() and last.childCount():
        last = last.child(last.childCount() - 1)
    return tree.visualItemRect(last).bottom() + tree.verticalOffset()


def test_maximized_on_a_small_screen_with_the_status_bar_on_it(qtbot, window):
    available = QGuiApplication.primaryScreen().availableGeometry()
    assert available.width() <= 1366  # the test screen: smaller than the manual's
    qtbot.waitUntil(window.isMaximized, timeout=WAIT)
    bar = window.statusBar()
    assert bar.isVisible() and bar.mapToGlobal(bar.rect().bottomLeft()).y() <= available.bottom()  # above a taskbar
    assert window.minimumSizeHint().width() <= 1366  # and, maximized there, it fits the manual's screen


def test_the_menu_tree_fits_1366x768_with_its_groups_collapsed(qtbot, window, screenshot):
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, 728)  # maximized on 1366×768 above a 40 px taskbar
    qtbot.waitUntil(lambda: window.height() == 728, timeout=WAIT)
    tree = window.tree
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).childCount()]
    assert groups and not any(group.isExpanded() for group in groups)
    assert visible_rows_height(tree) <= tree.viewport().height()

    declaration = next(group for group in groups if group.text(0) == "社保费申报")
    tree.itemClicked.emit(declaration, 0)  # a group's title opens it
    assert declaration.isExpanded()
    tree.itemClicked.emit(declaration, 0)
    assert not declaration.isExpanded()

    window.open_menu("pay")  # as a 常用功能 button does: the group holding the page opens, the item is current
    payment = next(group for group in groups if group.text(0) == "费款缴纳")
    assert payment.isExpanded() and tree.currentItem().text(0) == "缴费"
    assert [g.text(0) for g in groups if g.isExpanded()] == ["费款缴纳"]
    screenshot(window, "main-menu-tree-1366")


def test_closing_while_work_runs_asks_then_stops_the_work_and_closes(qtbot, window, screenshot):
    runner = window.page_context.runner
    saw_cancel = threading.Event()

    def long_work(progress):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + WAIT / 1000
        while time.monotonic() < deadline:
            if progress.cancelled:
                saw_cancel.set()
                progress.check()
            time.sleep(0.02)

    runner.run(long_work, show_progress=False)
    seen = {}
    click_in_next_modal("取消", lambda box: seen.update(text=modal_texts(box)) or screenshot(box, "main-quit-ask"))
    window.close()
    assert "正在处理数据，确定要退出吗？" in seen["text"]
    assert window.isVisible() and runner.busy()  # 取消: nothing stops, nothing closes

    click_in_next_modal("确定")
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    assert saw_cancel.is_set() and not runner.busy()
