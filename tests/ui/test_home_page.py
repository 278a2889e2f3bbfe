"""首页 常用功能 whose page is not built yet say so (暂未开放) and, clicked, tell 该功能尚未开放 instead of opening
an empty page; the 该功能尚未开放 page speaks of the left menu only where there is one."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from sbf_client.ui.page import MENU_HINT, PlaceholderPage
from tests.ui.shell_fixtures import close_shell, log_in, main_window_at_1366, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts, on_next_modal

WAIT = 30_000


@pytest.fixture
def window(qtbot, sandbox, tmp_path):
    shell = shell_with_unit(qtbot, sandbox, tmp_path / "home", "129901014557560827", "9901020000017")
    log_in(qtbot, shell)
    yield main_window_at_1366(qtbot, shell, WAIT)
    close_shell(shell)


def shortcuts(home) -> dict[str, QPushButton]:  # type: ignore[no-untyped-def]
    box = next(b for b in home.findChildren(type(home.chart.parentWidget())) if b.title() == "常用功能")
    return {button.text(): button for button in box.findChildren(QPushButton)}


def test_shortcuts_to_pages_not_built_say_so(qtbot, window, screenshot):
    home = window.pages["home"]
    buttons = shortcuts(home)
    assert "职工参保信息更新" in buttons  # built: opens its page
    assert "日常申报\n（暂未开放）" in buttons and "缴费\n（暂未开放）" in buttons
    screenshot(window, "home-shortcuts")

    seen = {}
    click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
    qtbot.mouseClick(buttons["日常申报\n（暂未开放）"], Qt.MouseButton.LeftButton)
    assert "【日常申报】该功能尚未开放。" in seen["text"]
    assert window.tabs.currentWidget() is home and "daily_declaration" not in window.pages

    qtbot.mouseClick(buttons["职工参保信息更新"], Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.pages["employee_info"]


def test_the_not_open_page_points_where_it_is_shown(qtbot, window, screenshot):
    window.open_menu("daily_declaration")  # from the left menu, which is there
    assert MENU_HINT in window.pages["daily_declaration"].note.text()
    seen = {}

    def settings(dialog):  # type: ignore[no-untyped-def]
        seen["placeholders"] = dialog.findChildren(PlaceholderPage)
        seen["tabs"] = [dialog.system_tabs.tabText(i) for i in range(dialog.system_tabs.count())]
        dialog.reject()

    on_next_modal(settings, lambda modal: modal.windowTitle() == "参数设置中心")
    settings_button = next(b for b in window.findChildren(QPushButton) if b.text() == "系统设置")
    qtbot.mouseClick(settings_button, Qt.MouseButton.LeftButton)
    assert seen["placeholders"] == []  # 参数设置中心: every page of chapter 4 is there
    assert seen["tabs"] == ["网络管理", "备份恢复", "登录密码设置"]
