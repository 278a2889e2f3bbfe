"""Shared fixtures: real sandbox processes on free loopback ports, data homes, proxies."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sbf_client.core.clock import TODAY_VARIABLE
from sbf_client.services.sandbox import RunningSandbox, start_sandbox
from sbf_client.store.home import DataHome

# The suite's today. Set before any clock exists, so the in-process client, every sandbox and every
# ``python -m sbf_client`` the tests start (children inherit the environment) agree on it whatever the
# machine's date (2026-12 is the current 生效年月, 2027-01 the month a 年度 declaration takes effect).
TODAY = "2026-12-03 10:00:00"
os.environ[TODAY_VARIABLE] = TODAY

TEST_SEED = 4242
TEST_SCALE = 10


@pytest.fixture(scope="session")
def sandbox_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sandbox data directory with the generated world, built once per test worker."""
    from sbf_sandbox import db
    from sbf_sandbox.build import build_world

    folder = tmp_path_factory.mktemp("sandbox-template")
    engine = db.make_engine(db.sqlite_url(folder))
    build_world(engine, TEST_SEED, TEST_SCALE)
    engine.dispose()
    return folder


def _copy_template(template: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("sandbox.sqlite", "sandbox.sqlite-wal", "sandbox.sqlite-shm"):
        if (template / name).exists():
            shutil.copy2(template / name, target / name)
    return target


@pytest.fixture
def sandbox(sandbox_template: Path, tmp_path: Path) -> Iterator[RunningSandbox]:
    """A fresh sandbox for one test: its data may be changed freely."""
    running = start_sandbox(_copy_template(sandbox_template, tmp_path / "sandbox"), seed=TEST_SEED, scale=TEST_SCALE)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def shared_sandbox(sandbox_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningSandbox]:
    """One sandbox for tests that only read and never change passwords or data."""
    running = start_sandbox(
        _copy_template(sandbox_template, tmp_path_factory.mktemp("shared-sandbox")), seed=TEST_SEED, scale=TEST_SCALE
    )
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    from tests.helpers import OPEN_CLIENTS

    yield
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()


@pytest.fixture
def home(tmp_path: Path) -> DataHome:
    return DataHome(tmp_path / "home").ensure()


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The product's own log file set-up (``logs.configure``) in this test's folder, at DEBUG; the handler is
    removed afterwards, so that later tests do not write into it."""
    import logging

    from sbf_client import logs

    path = logs.configure(tmp_path / "logs", level=logging.DEBUG)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", None) == str(path)]:
        root.removeHandler(handler)
        handler.close()
