"""The window says a lock of the 管理子系统 (20104, HTTP 429) as the server words it, and counts it in its own
wait; a changed password moves the offline verifier (the desktop's calls of the services)."""

from PySide6.QtCore import Qt

from sbf_client.services.login import LoginService
from tests.helpers import CLI_PASSWORD, LOCKED_MESSAGE, locking_front
from tests.ui.shell_fixtures import close_shell, log_in, shell_with_unit
from tests.ui.shell_helpers import click_in_next_modal, modal_texts

WAIT = 30_000


def test_a_locked_unit_is_said_as_the_server_says_it(qtbot, sandbox, tmp_path):
    with locking_front(sandbox) as front:
        shell = shell_with_unit(qtbot, front, tmp_path / "home", "91990101MA5D000160", "9901010000135")
        try:
            front.lock("Z0001")
            seen: dict[str, str] = {}
            click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
            log_in(qtbot, shell, CLI_PASSWORD)
            qtbot.waitUntil(lambda: "text" in seen, timeout=WAIT)
            assert seen["text"].strip() == LOCKED_MESSAGE
            card = shell.current
            qtbot.waitUntil(card.ok.isEnabled, timeout=WAIT)  # the card is usable again
            (unit,) = shell.context.store.units("employer")
            service = LoginService(shell.context)
            assert service.security.failures(unit.id).count == 5 and service.wait_seconds(unit) > 0
            seen.clear()
            click_in_next_modal("确定", lambda box: seen.update(text=modal_texts(box)))
            qtbot.mouseClick(card.ok, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: "text" in seen, timeout=WAIT)
            assert "秒后再试" in seen["text"]  # the client's own wait: not sent
        finally:
            close_shell(shell)
