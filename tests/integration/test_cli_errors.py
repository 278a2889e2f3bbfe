"""Every command-line error of ``sbf-client`` is one Chinese line (or one JSON object with ``--json``) and a
non-zero exit, never a traceback: each probe is refused where its value enters, not by the last-resort guard."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sbf_client.services.sandbox import start_sandbox
from tests.conftest import TEST_SCALE, TEST_SEED
from tests.helpers import CLI_PASSWORD, cli, cli_unit, one_line_refusal, unit_db

UNIT = "91990101MA5D000160"
LONG = "x" * 50_000
MAX_ID = str(2**63)  # one more than SQLite's largest integer


def run_client(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sbf_client", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def ready(sandbox_template: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A data home with a unit added and synced against a sandbox of this module's own; the probes only
    ever get refused, so they can share it."""
    folder = tmp_path_factory.mktemp("cli-errors")
    shutil.copytree(sandbox_template, folder / "sandbox")
    running = start_sandbox(folder / "sandbox", seed=TEST_SEED, scale=TEST_SCALE)
    try:
        home = folder / "home"
        cli_unit(home, running, UNIT, "9901010000135")
        cli(home, "sync", "--unit", UNIT)
        with sqlite3.connect(unit_db(home)) as conn:
            name, id_number = conn.execute(
                "SELECT name, id_number FROM employees WHERE status='1' AND id_type='01' LIMIT 1"
            ).fetchone()
        files = folder / "files"
        files.mkdir()
        (files / "wages.csv").write_text(
            f"姓名,证件号码,新缴费工资,生效年月\n{name},{id_number},{'1' * 40},2026-12\n", encoding="utf-8"
        )
        (files / "huge-cell.csv").write_text(
            f"姓名,证件号码,新缴费工资,生效年月\n{name},{id_number},{'9' * 140_000},2026-12\n", encoding="utf-8"
        )
        (files / "folder.csv").mkdir()
        yield home, files
    finally:
        running.stop()


def _offline(tmp_path: Path, name: str) -> tuple[Path, list[str], dict[str, str]]:
    """A probe that needs no server: (home, arguments, environment)."""
    home = tmp_path / "home"
    if name == "SBF_SANDBOX_SCALE=abc":
        # the 演示地区 without addresses: its sandbox would start, but the variable is refused first
        cli(home, "region", "set", "演示地区（税务自主模式）")
        return home, ["unit", "add", UNIT, "--unit-no", "1234", "--yes"], {"SBF_SANDBOX_SCALE": "abc"}
    (tmp_path / "a-file").write_text("")
    probes: dict[str, tuple[list[str], dict[str, str]]] = {
        "blank --unit-no": (["unit", "add", UNIT, "--unit-no", " "], {}),
        "50,000-character search": (["unit", "list", "--search", LONG], {}),
        "50,000-character unit": (["sync", "--unit", LONG], {}),
        "malformed region URL": (
            ["region", "set", "演示地区（税务自主模式）", "--mgmt-url", "ht!tp://x", "--coll-url", "http://x"],
            {},
        ),
        "very long region URL": (
            [
                "region",
                "set",
                "演示地区（税务自主模式）",
                "--mgmt-url",
                "http://" + "a" * 3000,
                "--coll-url",
                "http://x",
            ],
            {},
        ),
        "--home is a file": (["--home", str(tmp_path / "a-file"), "unit", "list"], {}),
        "--home's parent is missing": (["--home", str(tmp_path / "missing" / "home"), "unit", "list"], {}),
        "--id beyond SQLite": (["wages", "detail", "--unit", UNIT, "--id", MAX_ID], {}),
        "SBF_TODAY=garbage": (["unit", "list"], {"SBF_TODAY": "garbage"}),
        "unknown command": (["frobnicate"], {}),
        "missing required argument": (["sync"], {}),
        "unrecognized argument": (["unit", "list", "--bogus"], {}),
        "not an integer": (["unit", "add", UNIT, "--choice", "abc"], {}),
    }
    args, env = probes[name]
    return home, args, env


OFFLINE = {
    "blank --unit-no": "单位编号不能为空",
    "50,000-character search": "搜索关键字最多100个字符，现为50000个",
    "50,000-character unit": "单位最多200个字符",
    "malformed region URL": "管理子系统地址须以 http:// 或 https:// 开头",
    "very long region URL": "最多2000个字符",
    "--home is a file": "是一个文件，不是文件夹",
    "--home's parent is missing": "的上级文件夹",
    "SBF_SANDBOX_SCALE=abc": "环境变量 SBF_SANDBOX_SCALE 的值“abc”无效",
    "--id beyond SQLite": "申报记录编号须在1到",  # the bound is a long digit run: a printed error masks it
    "SBF_TODAY=garbage": "SBF_TODAY 的值“garbage”不是日期",
    "unknown command": "无效的取值 'frobnicate'",
    "missing required argument": "缺少必需的参数：--unit",
    "unrecognized argument": "无法识别的参数：--bogus",
    "not an integer": "序号须为整数",
}
ONLINE = {
    "password over 64 characters": "超过64位",
    "--file is a folder": "是一个文件夹，不是文件",
    "40-digit wage": "新缴费工资不能超过99,999,999.99元",
    "CSV cell over 128 KiB": "超过128KB",
}


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("probe", list(OFFLINE))
def test_a_bad_input_is_refused_in_one_line(tmp_path, probe, as_json):
    home, args, env = _offline(tmp_path, probe)
    result = run_client(home, *args, *(["--json"] if as_json else []), env=env)
    message = one_line_refusal(result, as_json)
    assert OFFLINE[probe] in message and "操作未能完成" not in message
    assert result.returncode == (2 if "查看用法" in message else 1)


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("probe", list(ONLINE))
def test_a_bad_input_of_a_logged_in_unit_is_refused_in_one_line(ready, probe, as_json):
    home, files = ready
    args, env = {
        "password over 64 characters": (["sync", "--unit", UNIT], {"SBF_PASSWORD": "p" * 65}),
        "--file is a folder": (["wages", "declare", "--unit", UNIT, "--file", str(files / "folder.csv")], {}),
        "40-digit wage": (["wages", "declare", "--unit", UNIT, "--file", str(files / "wages.csv")], {}),
        "CSV cell over 128 KiB": (["wages", "declare", "--unit", UNIT, "--file", str(files / "huge-cell.csv")], {}),
    }[probe]
    result = run_client(home, *args, *(["--json"] if as_json else []), env=env)
    message = one_line_refusal(result, as_json)
    assert ONLINE[probe] in message and "操作未能完成" not in message
    assert result.returncode == 1
    assert cli(home, "wages", "feedback", "--unit", UNIT)["declarations"] == []  # nothing was submitted


def test_a_usage_error_names_the_usage_and_exits_with_2(tmp_path):
    result = run_client(tmp_path / "home", "sync")
    assert one_line_refusal(result, as_json=False) == "错误：缺少必需的参数：--unit。查看用法：sbf-client sync --help"
    assert result.returncode == 2


def test_help_is_in_chinese(tmp_path):
    result = run_client(tmp_path / "home", "unit", "add", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("用法：sbf-client unit add")
    assert "位置参数" in result.stdout and "选项" in result.stdout and "显示本帮助并退出" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_an_unforeseen_error_is_one_line_and_its_traceback_goes_to_the_log_without_secrets(tmp_path):
    home = tmp_path / "home"
    code = (
        "import sys, sbf_client.cli.regions as regions\n"
        "def boom(cli):\n"
        "    cli.context  # the data home is open, as in a real command\n"
        f"    raise ValueError('nobody foresaw 11010519491231002X with {CLI_PASSWORD}')\n"
        "regions.cmd_list = boom\n"
        "from sbf_client.app import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    for as_json in (False, True):
        result = subprocess.run(
            [sys.executable, "-c", code, "region", "list", *(["--json"] if as_json else [])],
            capture_output=True,
            text=True,
            env={**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD},
            timeout=120,
            check=False,
        )
        message = one_line_refusal(result, as_json)
        log = home.resolve() / "logs" / "sbf-client.log"
        assert message.removeprefix("错误：") == f"操作未能完成（ValueError）。详细信息已写入日志 {log}。"
        assert result.returncode == 1
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "ValueError: nobody foresaw" in written and "boom" in written
    assert "11010519491231002X" not in written and CLI_PASSWORD not in written
