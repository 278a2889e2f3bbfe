"""The embedded sandbox lives no longer than the client that started it, and a port it cannot have is said
in one line."""

import os
import signal
import subprocess
import sys
import time

from sbf_client.services.sandbox import sandbox_command
from tests.conftest import TEST_SCALE, TEST_SEED

LAUNCHER = """
import sys
from pathlib import Path
from sbf_client.services.sandbox import start_sandbox
running = start_sandbox(Path(sys.argv[1]), seed=int(sys.argv[2]), scale=int(sys.argv[3]))
print(running.process.pid, flush=True)
sys.stdin.read()  # until killed
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has ended: it only waits for its parent to reap it
        return stat.read().split(") ")[1][0] != "Z"


def test_a_client_killed_with_kill_9_leaves_no_sandbox_behind(sandbox_template, tmp_path):
    from tests.ui.shell_helpers import seed_embedded_sandbox

    seed_embedded_sandbox(sandbox_template, tmp_path)
    with subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, str(tmp_path / "sandbox"), str(TEST_SEED), str(TEST_SCALE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as client:
        sandbox_pid = int(client.stdout.readline())
        assert _alive(sandbox_pid)
        client.send_signal(signal.SIGKILL)
        client.wait(10)
    deadline = time.monotonic() + 30
    while _alive(sandbox_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(sandbox_pid)


def test_a_port_in_use_is_one_line(sandbox, tmp_path):
    port = sandbox.url.rsplit(":", 1)[1]
    result = subprocess.run(
        sandbox_command("serve", "--data", str(tmp_path / "other"), "--port", port, "--scale", str(TEST_SCALE)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [  # said before any demo data is generated
        f"错误：无法在 127.0.0.1:{port} 上启动服务（端口已被其他程序占用）。请换一个端口，或用 --port 0 任选空闲端口。"
    ]
