"""Every error of the ``sbf-sandbox`` command is one Chinese line and a non-zero exit, never a traceback."""

import shutil
import subprocess
import sys

import pytest

from tests.helpers import one_line_refusal

PROBES = {
    "too many removals": ["mutate", "--unit", "short4", "--removals", "100000"],
    "scale not a number": ["accounts", "--scale", "abc"],
    "scale too small": ["accounts", "--scale", "5"],
    "unknown unit": ["mutate", "--unit", "nobody", "--hires", "1"],
    "negative count": ["mutate", "--unit", "short4", "--hires", "-1"],
    "unknown command": ["bogus"],
    "missing command": [],
}


def run_sandbox(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "sbf_sandbox", *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


@pytest.fixture
def data(sandbox_template, tmp_path):
    shutil.copytree(sandbox_template, tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
@pytest.mark.parametrize("probe", list(PROBES))
def test_a_bad_command_line_is_one_line(data, probe, as_json):
    args = PROBES[probe]
    if args:
        args = [args[0], "--data", str(data), *args[1:]]
    result = run_sandbox(*args, *(["--json"] if as_json else []))
    one_line_refusal(result, as_json)


def test_mutate_says_how_many_people_there_are_and_changes_nothing(data):
    before = (data / "sandbox.sqlite").read_bytes()
    result = run_sandbox("mutate", "--data", str(data), "--unit", "short4", "--removals", "30", "--leaves", "80")
    message = one_line_refusal(result, as_json=False)
    assert "在册" in message and "合计110人，超过在册人数" in message
    assert result.returncode == 1
    assert (data / "sandbox.sqlite").read_bytes() == before


def test_usage_errors_exit_with_2_and_say_where_the_usage_is(data):
    result = run_sandbox("accounts", "--data", str(data), "--scale", "abc")
    message = one_line_refusal(result, as_json=False)
    assert result.returncode == 2
    assert message == (
        "错误：参数 --scale：大规模单位的职工人数须为整数，“abc”不是整数。查看用法：sbf-sandbox accounts --help"
    )
    missing = one_line_refusal(run_sandbox("mutate", "--data", str(data)), as_json=False)
    assert missing == "错误：缺少必需的参数：--unit。查看用法：sbf-sandbox mutate --help"


def test_data_pointing_at_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    message = one_line_refusal(run_sandbox("accounts", "--data", str(tmp_path / "file")), as_json=False)
    assert "是一个文件，不是文件夹" in message


def test_help_is_in_chinese():
    result = run_sandbox("mutate", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("用法：sbf-sandbox mutate")
    assert "选项" in result.stdout and "显示本帮助并退出" in result.stdout
    assert "usage:" not in result.stdout and "show this help" not in result.stdout


def test_an_unforeseen_error_is_one_line_and_its_traceback_goes_to_the_log(data):
    code = (
        "import sys, sbf_sandbox.cli as cli\n"
        "def boom(args):\n"
        "    raise RuntimeError('something nobody foresaw')\n"
        "cli.cmd_accounts = boom\n"
        "raise SystemExit(cli.main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "accounts", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    message = one_line_refusal(result, as_json=False)
    log = data / "sandbox-errors.log"
    assert message == f"错误：操作未能完成（RuntimeError）。详细信息已写入日志 {log.resolve()}。"
    assert result.returncode == 1
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "something nobody foresaw" in written
