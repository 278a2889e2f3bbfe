"""The command line logs in as the window does (``LoginService``): the same throttle across runs, the same
offline verifier, kept current by adding a unit and by every password change; a unit the server locked is said
as the server says it; finding a unit by its 单位编号 tries no password on another unit; and no password is
ever a command-line argument."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.helpers import (
    CLI_PASSWORD,
    LOCKED_MESSAGE,
    ZIZHU,
    admin,
    cli,
    cli_unit,
    locking_front,
    one_line_refusal,
    unit_db,
)

UNIT = "91990101MA5D000160"
HOSPITAL = "129901014557557170"


def wage_sheet(home, folder):
    """A one-row 缴费工资 file for an active employee of the unit's cache."""
    with sqlite3.connect(unit_db(home)) as conn:
        name, id_number = conn.execute(
            "SELECT name, id_number FROM employees WHERE status='1' AND id_type='01' LIMIT 1"
        ).fetchone()
    sheet = folder / "wages.csv"
    sheet.write_text(f"姓名,证件号码,新缴费工资,生效年月\n{name},{id_number},9000,2026-12\n", encoding="utf-8")
    return sheet


def test_eight_wrong_passwords_then_the_right_one_must_wait_on_the_command_line_too(sandbox, tmp_path):
    with locking_front(sandbox, limit=100) as front:  # a server without a lock of its own: the client's alone
        home = tmp_path / "home"
        cli_unit(home, front, UNIT, "9901010000135")
        before = front.attempts["Z0001"]
        answers = [cli(home, "sync", "--unit", UNIT, password=f"wrong-{n}", check=False) for n in range(8)]
        assert [a["error"]["code"] for a in answers[:5]] == [20101] * 5
        for refused in answers[5:]:
            assert "申报密码已连续输错多次，为保护单位数据安全，请5秒后再试" in refused["error"]["message"]
        right = cli(home, "sync", "--unit", UNIT, check=False)
        assert "请5秒后再试" in right["error"]["message"]
        detail = cli(home, "wages", "detail", "--unit", UNIT, "--id", "1", check=False)
        assert "请5秒后再试" in detail["error"]["message"]  # a reading command waits like every other
        assert front.attempts["Z0001"] - before == 5  # the throttled tries never reached the server


def test_a_unit_the_server_locked_is_said_as_the_server_says_it(sandbox, tmp_path):
    with locking_front(sandbox) as front:
        home = tmp_path / "home"
        cli_unit(home, front, UNIT, "9901010000135")
        front.lock("Z0001")
        for command in (("sync", "--unit", UNIT), ("wages", "detail", "--unit", UNIT, "--id", "1")):
            front.unlock("Z0001")
            front.lock("Z0001")
            with sqlite3.connect(home / "app.sqlite") as conn:
                conn.execute("DELETE FROM login_failures")
            locked = cli(home, *command, check=False)
            assert locked["error"] == {"code": 20104, "message": LOCKED_MESSAGE}  # not taken for offline
            throttled = cli(home, *command, check=False)  # the client's own wait engaged
            assert "请5秒后再试" in throttled["error"]["message"]
        text = subprocess.run(
            [sys.executable, "-m", "sbf_client", "sync", "--unit", UNIT],
            env={**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "请5秒后再试" in one_line_refusal(text, as_json=False)


def test_reading_the_cache_needs_the_password_and_works_offline(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    home = tmp_path / "home"
    cli_unit(home, sandbox, UNIT, "9901010000135")
    cli(home, "sync", "--unit", UNIT)
    declared = cli(home, "wages", "declare", "--unit", UNIT, "--file", str(wage_sheet(home, tmp_path)))
    record = str(declared["declaration"]["id"])
    cli(home, "wages", "feedback", "--unit", UNIT, "--wait", "10")
    detail = ("wages", "detail", "--unit", UNIT, "--id", record)
    assert "请输入申报密码" in cli(home, *detail, password=None, check=False)["error"]["message"]
    assert cli(home, *detail, password="not-it", check=False)["error"]["code"] == 20101
    online = cli(home, *detail)
    assert not online["offline"] and [i["status"] for i in online["items"]] == ["成功"]
    sandbox.kill()
    offline = cli(home, *detail)
    assert offline["offline"] and offline["items"] == online["items"]
    wrong = cli(home, *detail, password="not-it", check=False)
    assert "已按本机上次联网登录的密码验证" in wrong["error"]["message"]
    for command, purpose in (
        (("sync", "--unit", UNIT), "更新数据需要连接服务器"),
        (("wages", "feedback", "--unit", UNIT), "获取反馈需要连接服务器"),
        (("unit", "passwd", "--unit", UNIT), "修改申报密码需要连接服务器"),
    ):
        needs = cli(home, *command, new_password="Another2026", check=False)["error"]["message"]
        assert "无法连接到管理子系统" in needs and purpose in needs


def test_the_offline_verifier_is_the_password_of_the_add_and_then_of_each_change(sandbox, tmp_path):
    home = tmp_path / "home"
    cli_unit(home, sandbox, UNIT, "9901010000135")  # never logged in after: the add stored the verifier
    other = tmp_path / "other"
    cli_unit(other, sandbox, "91990101MA5D00024T", "1234")
    cli(home, "unit", "passwd", "--unit", UNIT, "--password-stdin", password=None, stdin=f"{CLI_PASSWORD}\nNew2026ok\n")
    sandbox.kill()
    detail = ("wages", "detail", "--unit", UNIT, "--id", "1")
    assert "本机上次联网登录的密码" in cli(home, *detail, check=False)["error"]["message"]  # the old one
    assert "没有编号为1的缴费工资申报记录" in cli(home, *detail, password="New2026ok", check=False)["error"]["message"]
    added_only = ("wages", "detail", "--unit", "91990101MA5D00024T", "--id", "1")
    assert "没有编号为1的" in cli(other, *added_only, check=False)["error"]["message"]  # opened offline


def test_finding_a_unit_by_its_number_tries_no_password_on_another_unit(sandbox, tmp_path):
    with locking_front(sandbox) as front:
        home = tmp_path / "home"
        root = front.endpoints(ZIZHU).mgmt_url
        cli(home, "region", "set", "演示地区（税务自主模式）", "--mgmt-url", root, "--coll-url", root)
        add = ("unit", "add", HOSPITAL, "--yes")
        for _ in range(6):  # more than the server's limit: before, each run spent a wrong password on Z0002
            unknown = cli(home, *add, "--unit-no", "9901010000225", password=None, check=False)
            assert "本机尚不知道单位编号" in unknown["error"]["message"]
        cli(home, *add, "--choice", "2", "--unit-no", "9901010000225", password=None, new_password=CLI_PASSWORD)
        for _ in range(2):
            again = cli(home, *add, "--unit-no", "9901010000225", password=None, check=False)
            assert again["error"]["code"] == 20101  # its initial password is no more: tried on Z0003 alone
        main = cli(home, *add, "--unit-no", "9901010000217", password=None, new_password=CLI_PASSWORD)
        assert main["unit"]["name"] == "演示市妇幼保健院"
        assert front.wrong["Z0002"] == 0 and not front.locked
        assert set(front.attempts) == {"Z0002", "Z0003"} and front.attempts["Z0002"] == 1


def test_a_refused_confirmation_leaves_the_server_password_as_it_was(sandbox, tmp_path):
    home = tmp_path / "home"
    root = sandbox.endpoints(ZIZHU).mgmt_url
    cli(home, "region", "set", "演示地区（税务自主模式）", "--mgmt-url", root, "--coll-url", root)
    add = ("unit", "add", UNIT, "--unit-no", "9901010000135")
    piped = cli(home, *add, "--password-stdin", password=None, stdin=f"000135\n{CLI_PASSWORD}\n", check=False)
    assert "申报密码未修改" in piped["error"]["message"]  # a pipe is no yes
    refused = cli(home, *add, password=None, new_password=CLI_PASSWORD, check=False)
    assert "申报密码未修改" in refused["error"]["message"]
    added = cli(home, *add, "--yes", password=None, new_password=CLI_PASSWORD)  # as the message says
    assert added["password_changed"]


def test_no_password_is_a_command_line_argument(tmp_path):
    home = tmp_path / "home"
    for args in (
        ("unit", "add", UNIT, "--unit-no", "9901010000135", "--new-password", CLI_PASSWORD),
        ("unit", "passwd", "--unit", UNIT, f"--new-password={CLI_PASSWORD}"),
        ("sync", "--unit", UNIT, "--password", CLI_PASSWORD),  # no abbreviation of --password-stdin
    ):
        result = subprocess.run(
            [sys.executable, "-m", "sbf_client", *args],
            env={**os.environ, "SBF_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert "不能写在命令行参数中" in one_line_refusal(result, as_json=False) and result.returncode == 2
        assert CLI_PASSWORD not in result.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "sbf_client", "unit", "add", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--password-stdin" in help_text and "SBF_NEW_PASSWORD" in help_text and "--new-password" not in help_text


def test_password_stdin_says_which_line_is_missing(sandbox, tmp_path):
    home = tmp_path / "home"
    root = sandbox.endpoints(ZIZHU).mgmt_url
    cli(home, "region", "set", "演示地区（税务自主模式）", "--mgmt-url", root, "--coll-url", root)
    add = ("unit", "add", UNIT, "--unit-no", "9901010000135", "--password-stdin", "--yes")
    one_line = cli(home, *add, password=None, stdin="000135\n", check=False)
    assert "标准输入中没有第2行（新申报密码）" in one_line["error"]["message"]
    nothing = cli(home, *add, password=None, stdin="", check=False)
    assert "标准输入中没有第1行（申报密码）" in nothing["error"]["message"]
    too_long = cli(home, *add, password=None, stdin="p" * 65 + "\n", check=False)
    assert "超过64位" in too_long["error"]["message"]
    assert cli(home, "unit", "list")["units"] == []
