"""Starting the sandbox subsystem as a child process: the 演示地区's servers, and every test's.

The sandbox runs in its own process so that its work never competes with the UI thread, and so that
stopping it is as real as a server going down.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sbf_client.core.errors import SbfError
from sbf_client.remote.contract.sandbox import DEFAULT_SCALE, DEFAULT_SEED, READY_PREFIX
from sbf_client.remote.http import Endpoints

LOG_NAME = "sandbox.log"


@dataclass(frozen=True)
class SandboxOptions:
    """How the embedded sandbox of the 演示地区 is started; ``SBF_SANDBOX_SCALE``, ``SBF_SANDBOX_SEED`` and
    ``SBF_SANDBOX_FEEDBACK_DELAY`` change it (e.g. a smaller demo world on a slow machine)."""

    seed: int = DEFAULT_SEED
    scale: int = DEFAULT_SCALE
    feedback_delay: float = 20.0

    @classmethod
    def from_environment(cls) -> SandboxOptions:
        return cls(
            seed=int(os.environ.get("SBF_SANDBOX_SEED", DEFAULT_SEED)),
            scale=int(os.environ.get("SBF_SANDBOX_SCALE", DEFAULT_SCALE)),
            feedback_delay=float(os.environ.get("SBF_SANDBOX_FEEDBACK_DELAY", 20.0)),
        )


class SandboxStartError(SbfError):
    """The embedded sandbox did not come up."""


def sandbox_command(*args: str) -> list[str]:
    """The command that runs ``sbf-sandbox`` with this interpreter, or this frozen program."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--embedded-sandbox", *args]
    return [sys.executable, "-m", "sbf_sandbox", *args]


@dataclass
class RunningSandbox:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def endpoints(self, region_id: str) -> Endpoints:
        root = f"{self.url}/r/{region_id}"
        return Endpoints(mgmt_url=root, coll_url=root)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)

    def kill(self) -> None:
        """Stop it the hard way (a crashed server)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def start_sandbox(
    data_dir: Path,
    *,
    port: int = 0,
    host: str = "127.0.0.1",
    seed: int = DEFAULT_SEED,
    scale: int = DEFAULT_SCALE,
    extra: tuple[str, ...] = (),
    timeout: float = 300.0,
) -> RunningSandbox:
    """Start ``sbf-sandbox serve`` on loopback and wait until it says where it listens.

    The first start in a data directory generates the demo data, which takes a few seconds for the
    default 100,000-employee unit; later starts reuse it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / LOG_NAME
    log = log_path.open("ab")
    start_offset = log.tell()
    command = sandbox_command(
        "serve",
        "--data",
        str(data_dir),
        "--host",
        host,
        "--port",
        str(port),
        "--seed",
        str(seed),
        "--scale",
        str(scale),
        *extra,
    )
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
    process = subprocess.Popen(command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, creationflags=flags, env=env)
    log.close()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with log_path.open("rb") as reader:
            reader.seek(start_offset)
            for raw in reader:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith(READY_PREFIX):
                    return RunningSandbox(line[len(READY_PREFIX) :], data_dir, process)
        if process.poll() is not None:
            break
        time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    tail = log_path.read_bytes()[start_offset:][-2000:].decode("utf-8", "replace")
    raise SandboxStartError(f"演示地区服务启动失败，请查看日志 {log_path}。\n{tail}")
