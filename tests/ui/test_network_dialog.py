"""网络设置 dialog against a real sandbox and real pproxy servers: 【测试】 before 【保存】, the password in the
keyring and never in the app database, and the Chinese messages of each failure.
"""

from __future__ import annotations

import json

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import text

from sbf_client.remote.proxy import ProxySettings
from sbf_client.services.context import ClientContext
from sbf_client.services.network import KEYRING_SERVICE, PROXY_SETTING, save_proxy
from sbf_client.services.regions import find_region
from sbf_client.ui.network_dialog import NetworkDialog
from sbf_client.ui.tasks import TaskRunner
from tests.helpers import ZIZHU, free_port, pproxy
from tests.ui.shell_helpers import type_text

USER, SECRET = "alice", "s3cret-密码"
# httpcore leaves the socket of a failed SOCKS5 handshake to the garbage collector (see test_proxy.py).
SOCKS_LEAK = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture(scope="module")
def open_proxy():
    with pproxy() as port:
        yield port


@pytest.fixture(scope="module")
def locked_proxy():
    with pproxy(USER, SECRET) as port:
        yield port


@pytest.fixture
def context(home, shared_sandbox):
    ctx = ClientContext(home)
    root = shared_sandbox.endpoints(ZIZHU).mgmt_url
    ctx.choose_region(find_region(ZIZHU), root, root)
    yield ctx
    ctx.close()


@pytest.fixture
def dialog(qtbot, context):
    runner = TaskRunner()
    window = NetworkDialog(context, runner)
    window.runner_ref = runner  # keep the runner alive as long as the dialog
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit: QLineEdit, value: str) -> None:
    """Replace the text as a user would: select all, delete, type (``type_text``)."""
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, value)
    assert edit.text() == value


def fill_proxy(qtbot, dialog, kind: str, port: int, user: str = "", password: str = "") -> None:
    click(qtbot, dialog.proxy_radio)
    click(qtbot, dialog.socks_radio if kind == "socks5" else dialog.http_radio)
    type_into(qtbot, dialog.host_edit, "127.0.0.1")
    type_into(qtbot, dialog.port_edit, str(port))
    type_into(qtbot, dialog.user_edit, user)
    type_into(qtbot, dialog.password_edit, password)


def run_test(qtbot, dialog) -> str:
    """Click 【测试】 and wait for its verdict; returns the result text."""
    click(qtbot, dialog.test_button)
    assert not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20_000)
    return dialog.result_label.text()


def save(qtbot, dialog) -> None:
    assert dialog.save_button.isEnabled()
    click(qtbot, dialog.save_button)
    assert dialog.result() == NetworkDialog.DialogCode.Accepted
    assert dialog.saved_notice is not None and dialog.saved_notice.text() == "保存成功"
    dialog.saved_notice.close()


def raw_settings(context) -> str:
    with context.store.engine.connect() as conn:
        return json.dumps([list(row) for row in conn.execute(text("SELECT * FROM settings"))], ensure_ascii=False)


def test_the_keyring_fixture_writes_into_the_test_folder(tmp_path):
    keyring.set_password(KEYRING_SERVICE, "proxy:probe", "x")
    assert str(keyring.get_keyring().path).startswith(str(tmp_path))
    assert keyring.get_password(KEYRING_SERVICE, "proxy:probe") == "x"


def test_direct_connection(qtbot, dialog, context, screenshot):
    assert dialog.windowTitle() == "网络设置"
    assert dialog.direct_radio.isChecked() and not dialog.proxy_box.isEnabled()
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.save_button.isEnabled()
    assert run_test(qtbot, dialog) == "测试成功：已直接连接到管理子系统和征收子系统。"
    screenshot(dialog, "network-dialog-direct")
    size = dialog.size()
    assert size.width() <= 1366 and size.height() <= 768
    save(qtbot, dialog)
    assert context.proxy() == ProxySettings()
    assert context.store.setting(PROXY_SETTING) == {"kind": "direct"}


@pytest.mark.parametrize("kind", ["http", "socks5"])
def test_proxy_without_credentials(qtbot, dialog, context, open_proxy, kind, screenshot):
    fill_proxy(qtbot, dialog, kind, open_proxy)
    assert dialog.proxy_box.isEnabled() and not dialog.save_button.isEnabled()
    label = "HTTP代理" if kind == "http" else "SOCKS5代理"
    expected = f"测试成功：已通过{label} 127.0.0.1:{open_proxy} 连接到管理子系统和征收子系统。"
    assert run_test(qtbot, dialog) == expected
    if kind == "http":
        screenshot(dialog, "network-dialog-http-ok")
    save(qtbot, dialog)
    assert context.proxy() == ProxySettings(kind, "127.0.0.1", open_proxy)
    # The saved proxy is what every network operation uses from now on.
    assert context.api().http.proxy == ProxySettings(kind, "127.0.0.1", open_proxy)
    assert context.api().ping_mgmt().region_id == ZIZHU


@SOCKS_LEAK
@pytest.mark.parametrize("kind", ["http", "socks5"])
def test_proxy_with_credentials(qtbot, dialog, context, locked_proxy, kind, screenshot):
    fill_proxy(qtbot, dialog, kind, locked_proxy, USER, "wrong")
    result = run_test(qtbot, dialog)
    assert result.startswith("测试失败：代理服务器身份验证失败，请检查代理用户名和密码是否正确")
    assert not dialog.save_button.isEnabled()
    if kind == "socks5":
        screenshot(dialog, "network-dialog-socks5-auth-failed")

    type_into(qtbot, dialog.password_edit, SECRET)
    assert run_test(qtbot, dialog).startswith("测试成功：")
    save(qtbot, dialog)

    assert keyring.get_password(KEYRING_SERVICE, "proxy:" + USER) == SECRET
    saved = context.store.setting(PROXY_SETTING)
    assert saved == {"kind": kind, "host": "127.0.0.1", "port": locked_proxy, "username": USER}
    assert SECRET not in raw_settings(context) and "password" not in raw_settings(context)
    assert context.proxy() == ProxySettings(kind, "127.0.0.1", locked_proxy, USER, SECRET)
    assert context.api().ping_coll().subsystem == "征收子系统"


def test_the_saved_password_is_shown_again_and_removed_with_the_proxy(qtbot, context, locked_proxy):
    save_proxy(context.store, ProxySettings("http", "127.0.0.1", locked_proxy, USER, SECRET))
    reopened = NetworkDialog(context, TaskRunner())
    qtbot.addWidget(reopened)
    assert reopened.proxy_radio.isChecked() and reopened.password_edit.text() == SECRET
    save_proxy(context.store, ProxySettings())
    assert keyring.get_password(KEYRING_SERVICE, "proxy:" + USER) is None
    assert context.proxy() == ProxySettings()


def test_an_edit_after_a_passed_test_needs_a_new_test(qtbot, dialog, open_proxy):
    fill_proxy(qtbot, dialog, "http", open_proxy)
    assert run_test(qtbot, dialog).startswith("测试成功：")
    assert dialog.save_button.isEnabled()
    dialog.port_edit.setFocus()
    qtbot.keyClick(dialog.port_edit, Qt.Key.Key_End)
    qtbot.keyClick(dialog.port_edit, Qt.Key.Key_Backspace)
    assert not dialog.save_button.isEnabled()
    assert dialog.result_label.text() == "设置已修改，请重新测试。"
    qtbot.keyClicks(dialog.port_edit, str(open_proxy)[-1])  # back to the tested values: still untested
    assert dialog.port_edit.text() == str(open_proxy)
    assert not dialog.save_button.isEnabled()
    assert run_test(qtbot, dialog).startswith("测试成功：")
    click(qtbot, dialog.socks_radio)
    assert not dialog.save_button.isEnabled()


def test_values_are_checked_before_testing(qtbot, dialog):
    click(qtbot, dialog.proxy_radio)
    click(qtbot, dialog.test_button)
    assert dialog.result_label.text() == "请输入代理服务器地址"
    type_into(qtbot, dialog.host_edit, "127.0.0.1")
    click(qtbot, dialog.test_button)
    assert dialog.result_label.text() == "代理服务器端口须为1至65535之间的数字"
    assert dialog.test_button.isEnabled() and not dialog.save_button.isEnabled()


@pytest.mark.parametrize("kind", ["http", "socks5"])
def test_a_proxy_that_is_down(qtbot, dialog, kind):
    port = free_port()
    fill_proxy(qtbot, dialog, kind, port)
    label = "HTTP代理" if kind == "http" else "SOCKS5代理"
    assert run_test(qtbot, dialog).startswith(f"测试失败：无法连接到代理服务器（{label} 127.0.0.1:{port}）")
    assert not dialog.save_button.isEnabled()


def test_no_keyring_is_a_clear_error_on_save(qtbot, dialog, context, locked_proxy):
    fill_proxy(qtbot, dialog, "http", locked_proxy, USER, SECRET)
    assert run_test(qtbot, dialog).startswith("测试成功：")
    keyring.set_keyring(keyring.backends.fail.Keyring())
    click(qtbot, dialog.save_button)
    assert dialog.result_label.text().startswith("系统凭据管理器不可用，无法保存代理密码。")
    assert dialog.isVisible() and dialog.saved_notice is None
    assert context.store.setting(PROXY_SETTING) is None  # nothing saved, nothing written in plain text
    assert SECRET not in raw_settings(context)
