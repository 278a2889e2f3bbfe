"""Canaries — a long password, an ID number, a bank account, a phone number, a session token — pushed through
every path that can fail: validation, HTTP errors, a failing background task, ``log.exception``, and the
command line's error output. None may reach a log file, stderr, stdout, a dialog or the temp folder."""

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from sbf_client.core.errors import SbfError
from sbf_client.remote.contract.models import SessionRequest
from sbf_client.remote.errors import ApiError
from sbf_client.services.login import LoginService
from sbf_client.services.units import UnitService
from sbf_client.ui.tasks import TaskRunner, error_text
from tests.helpers import logged_in

PASSWORD = "Canary-Pw-" + "q7" * 40  # 90 characters: over the 64 a 申报密码 may have
ID_NUMBER = "11010519491231002X"
ACCOUNT = "6222021234567890123"
PHONE = "13812345678"
SHORT_PASSWORD = "Canary-Pw-7"  # a wrong one of a valid length: it reaches the server


def leaked(text: str, canaries: list[str]) -> list[str]:
    return [c for c in canaries if c in text or c[:24] in text]


def test_validation_http_errors_tasks_and_log_exception_leak_nothing(qtbot, sandbox, tmp_path, log_file):
    logged = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    context, unit, session = logged.context, logged.unit, logged.server
    canaries = [PASSWORD, SHORT_PASSWORD, ID_NUMBER, ACCOUNT, PHONE, session.token]
    shown: list[str] = []
    log = logging.getLogger("canary")
    try:
        # validation, in the service and in a request model built directly
        with pytest.raises(SbfError) as too_long:
            LoginService(context).login(unit, PASSWORD)
        shown.append(too_long.value.message)
        with pytest.raises(ValidationError) as refused:
            SessionRequest(password=PASSWORD)
        log.error("request refused: %s", refused.value)
        # HTTP errors: a wrong password, a forged token
        with pytest.raises(ApiError) as wrong:
            UnitService(context).verify(unit.server_unit_id, SHORT_PASSWORD)
        shown.append(wrong.value.message)
        with pytest.raises(SbfError) as forged:
            context.api().registration(unit.server_unit_id, session.token + "x")
        shown.append(forged.value.message)
        # a background task that fails with everything in its exception
        runner = TaskRunner()
        failures: list[BaseException] = []
        done = threading.Event()

        def work(_progress):
            try:
                SessionRequest(password=PASSWORD)
            except ValidationError as error:
                raise RuntimeError(f"{ID_NUMBER} {ACCOUNT} {PHONE} token={session.token}") from error

        runner.run(work, on_error=lambda e: failures.append(e) or done.set() or True, show_progress=False)
        qtbot.waitUntil(done.is_set, timeout=30_000)
        shown.append(error_text(failures[0]))
        # log.exception with personal data in the exception and in the arguments
        try:
            raise ValueError(f"account {ACCOUNT} of {ID_NUMBER}, phone {PHONE}, password={SHORT_PASSWORD}")
        except ValueError:
            log.exception("saving %s failed for %s", ACCOUNT, ID_NUMBER)
    finally:
        context.close()
    written = log_file.read_text(encoding="utf-8")
    assert "background task failed" in written and "saving" in written  # the lines are there, scrubbed
    assert leaked(written, canaries) == []
    assert leaked("\n".join(shown), canaries) == []


def _client(home: Path, temp: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": password, "TMPDIR": str(temp)}
    return subprocess.run(
        [sys.executable, "-m", "sbf_client", *args], capture_output=True, text=True, env=env, timeout=180, check=False
    )


def test_the_command_line_leaks_nothing_on_its_errors(sandbox, tmp_path):
    from tests.helpers import cli_unit

    home, temp = tmp_path / "home", tmp_path / "tmp"
    temp.mkdir()
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    runs = [
        _client(home, temp, "sync", "--unit", "91990101MA5D000160", password=PASSWORD),
        _client(home, temp, "sync", "--unit", "91990101MA5D000160", "--json", password=PASSWORD),
        _client(home, temp, "sync", "--unit", "91990101MA5D000160", password=SHORT_PASSWORD),
        _client(home, temp, "sync", "--unit", ID_NUMBER, "--json", password=SHORT_PASSWORD),
    ]
    sandbox.kill()  # and once more with the server gone
    runs.append(_client(home, temp, "sync", "--unit", "91990101MA5D000160", password=SHORT_PASSWORD))
    assert all(run.returncode != 0 and "Traceback" not in run.stderr for run in runs)
    outputs = "\n".join(run.stdout + run.stderr for run in runs)
    files = [p for folder in (home / "logs", temp) for p in folder.rglob("*") if p.is_file()]
    written = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    canaries = [PASSWORD, SHORT_PASSWORD, ID_NUMBER]
    assert leaked(outputs, canaries) == [] and leaked(written, canaries) == []


def test_the_data_folder_is_private(sandbox, tmp_path):
    from tests.helpers import cli_unit

    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    assert _client(home, tmp_path, "sync", "--unit", "91990101MA5D000160", password="Sbf2026ok").returncode == 0
    folders = [home, *(p for p in home.rglob("*") if p.is_dir())]
    files = [p for p in home.rglob("*") if p.is_file()]
    assert files and {oct(f.stat().st_mode & 0o777) for f in files} == {"0o600"}
    assert {oct(d.stat().st_mode & 0o777) for d in folders} == {"0o700"}
