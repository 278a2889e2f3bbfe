"""UI test fixtures: the application with the product's font and style, and screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def qapp_args():
    return ["sbf-client-tests"]


@pytest.fixture(autouse=True)
def styled(qapp):
    from sbf_client.ui.application import create_application

    create_application()
    yield


@pytest.fixture(autouse=True)
def keyring_in_tmp(tmp_path):
    """A keyring file in the test's folder (tests/keyring_backend.py), set explicitly: the product itself never
    uses a file."""
    import keyring
    import keyring.core

    from tests.keyring_backend import SuiteFileKeyring

    previous = keyring.core._keyring_backend  # None until first used: restored as is, nothing initialised
    keyring.set_keyring(SuiteFileKeyring(tmp_path / "keyring" / "secrets.json"))
    yield
    keyring.core._keyring_backend = previous


@pytest.fixture
def screenshot():
    """``screenshot(widget, "name")`` saves ``test-artifacts/screenshots/name.png`` (1366×768 is the manual's
    recommended resolution: windows are laid out for it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def save(widget, name: str) -> Path:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        path = ARTIFACTS / f"{name}.png"
        assert widget.grab().save(str(path)), path
        return path

    return save


def pytest_configure(config):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
