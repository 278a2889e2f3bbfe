"""登录密码设置 in the window: the page sets, changes and cancels the client 登录密码; the next start of the shell
asks for it before anything else, refuses a wrong one and lets the right one through to 单位管理."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sbf_client.services.client_password import CHANGED, MISMATCH, REMOVED, SET, WRONG_OLD
from sbf_client.services.context import ClientContext
from sbf_client.services.regions import find_region
from sbf_client.store.home import DataHome
from sbf_client.ui.shell.client_lock import ClientLockCard
from sbf_client.ui.shell.controller import ShellController
from sbf_client.ui.shell.login_password import CANCEL_NEEDS_OLD, LoginPasswordPage
from sbf_client.ui.shell.unit_manager import UnitManagerCard
from sbf_client.ui.tasks import TaskRunner
from tests.helpers import ZIZHU
from tests.ui.shell_helpers import button_in, modal_texts, on_next_modal

PASSWORD = "Desk2026pw"
NEW_PASSWORD = "Desk2027pw"
WAIT = 30_000


@pytest.fixture
def home_dir(tmp_path, shared_sandbox):
    """A data home whose region is chosen (its servers at the test sandbox): a start goes to 单位管理."""
    context = ClientContext(DataHome(tmp_path / "home"))
    root = shared_sandbox.endpoints(ZIZHU).mgmt_url
    context.choose_region(find_region(ZIZHU), root, root)
    context.close()
    return tmp_path / "home"


def answer_modals(*buttons: str) -> list[str]:
    """Click ``buttons`` in the next modals, one each, in turn; returns the modals' texts as they come."""
    texts: list[str] = []

    def answer(index: int) -> None:
        def click(modal) -> None:  # type: ignore[no-untyped-def]
            texts.append(modal_texts(modal).strip())
            button_in(modal, buttons[index]).click()
            if index + 1 < len(buttons):
                answer(index + 1)

        on_next_modal(click, lambda modal: button_in(modal, buttons[index]) is not None)

    answer(0)
    return texts


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill(qtbot, page: LoginPasswordPage, old: str, new: str, again: str) -> None:  # type: ignore[no-untyped-def]
    for field, text in ((page.old, old), (page.new, new), (page.again, again)):
        field.clear()
        qtbot.keyClicks(field, text)


def said_after(qtbot, action, *buttons: str) -> list[str]:  # type: ignore[no-untyped-def]
    texts = answer_modals(*buttons)
    action()
    qtbot.waitUntil(lambda: len(texts) == len(buttons), timeout=WAIT)
    return texts


@pytest.fixture
def page_on(qtbot):
    """``page_on(home)``: the 登录密码设置 page over a context of that data home (closed after the test)."""
    contexts: list[ClientContext] = []

    def open_page(home) -> LoginPasswordPage:  # type: ignore[no-untyped-def]
        contexts.append(ClientContext(DataHome(home)))
        page = LoginPasswordPage(contexts[-1], TaskRunner())
        qtbot.addWidget(page)
        page.resize(760, 480)
        page.show()
        return page

    yield open_page
    for context in contexts:
        context.close()


def start_shell(qtbot, home) -> ShellController:  # type: ignore[no-untyped-def]
    shell = ShellController(ClientContext(DataHome(home)))
    qtbot.addWidget(shell.frame)
    shell.start()
    return shell


def test_set_then_the_next_start_asks_for_it(qtbot, home_dir, page_on, screenshot):
    page = page_on(home_dir)
    assert not page.is_set and not page.cancel_button.isVisible() and not page.old.isVisible()
    fill(qtbot, page, "", PASSWORD, PASSWORD)
    assert said_after(qtbot, lambda: click(qtbot, page.save_button), "确定") == [SET]
    assert page.is_set and page.old.isVisible() and page.cancel_button.isVisible()
    assert page.new.text() == ""  # nothing typed stays in the fields
    screenshot(page, "login-password-page")

    shell = start_shell(qtbot, home_dir)
    try:
        card = shell.current
        assert isinstance(card, ClientLockCard)
        assert shell.units is None and not shell.frame.network_button.isVisible()  # nothing else reachable
        screenshot(shell.frame, "client-lock-card")
        qtbot.keyClicks(card.password, "Wrong2026pw")
        assert said_after(qtbot, lambda: click(qtbot, card.ok), "确定") == ["登录密码错误，请重新输入。"]
        qtbot.waitUntil(card.ok.isEnabled, timeout=WAIT)
        assert shell.current is card and card.password.selectedText() == "Wrong2026pw"
        qtbot.keyClicks(card.password, PASSWORD)  # replaces the selected wrong one
        click(qtbot, card.ok)
        qtbot.waitUntil(lambda: isinstance(shell.current, UnitManagerCard), timeout=WAIT)
        assert shell.frame.network_button.isVisible()
    finally:
        shell.context.close()


def test_five_wrong_passwords_make_the_lock_card_wait(qtbot, home_dir, page_on):
    page = page_on(home_dir)
    fill(qtbot, page, "", PASSWORD, PASSWORD)
    said_after(qtbot, lambda: click(qtbot, page.save_button), "确定")
    shell = start_shell(qtbot, home_dir)
    try:
        card = shell.current
        for _ in range(5):
            qtbot.waitUntil(card.ok.isEnabled, timeout=WAIT)
            card.password.setText("Wrong2026pw")
            (said,) = said_after(qtbot, lambda: click(qtbot, card.ok), "确定")
        assert said == "登录密码错误。登录密码已连续输错5次，请5秒后再试。"
        qtbot.waitUntil(card.ok.isEnabled, timeout=WAIT)
        card.password.setText(PASSWORD)
        (said,) = said_after(qtbot, lambda: click(qtbot, card.ok), "确定")
        assert said.startswith("登录密码已连续输错5次，请") and said.endswith("秒后再试。")
        assert isinstance(shell.current, ClientLockCard)
    finally:
        shell.context.close()


def test_change_and_cancel_on_the_page(qtbot, home_dir, page_on):
    page = page_on(home_dir)
    fill(qtbot, page, "", PASSWORD, PASSWORD)
    said_after(qtbot, lambda: click(qtbot, page.save_button), "确定")

    fill(qtbot, page, "Wrong2026pw", NEW_PASSWORD, NEW_PASSWORD)
    assert said_after(qtbot, lambda: click(qtbot, page.save_button), "确定") == [WRONG_OLD]
    qtbot.waitUntil(page.save_button.isEnabled, timeout=WAIT)
    fill(qtbot, page, PASSWORD, NEW_PASSWORD, "Desk2028pw")
    assert said_after(qtbot, lambda: click(qtbot, page.save_button), "确定") == [MISMATCH]
    qtbot.waitUntil(page.save_button.isEnabled, timeout=WAIT)
    fill(qtbot, page, PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert said_after(qtbot, lambda: click(qtbot, page.save_button), "确定") == [CHANGED]
    assert page.service.is_set()

    page.old.clear()
    assert said_after(qtbot, lambda: click(qtbot, page.cancel_button), "确定") == [CANCEL_NEEDS_OLD]
    qtbot.keyClicks(page.old, PASSWORD)  # the old one no longer opens
    assert said_after(qtbot, lambda: click(qtbot, page.cancel_button), "确定", "确定")[1] == WRONG_OLD
    qtbot.waitUntil(page.cancel_button.isEnabled, timeout=WAIT)
    page.old.setText(NEW_PASSWORD)
    asked, said = said_after(qtbot, lambda: click(qtbot, page.cancel_button), "确定", "确定")
    assert "是否继续" in asked and said == REMOVED
    assert not page.is_set and not page.cancel_button.isVisible()

    shell = start_shell(qtbot, home_dir)  # no 登录密码: straight to 单位管理
    try:
        assert isinstance(shell.current, UnitManagerCard)
    finally:
        shell.context.close()
