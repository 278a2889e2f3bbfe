"""Secrets never go to a plaintext or merely encoded keyring: such backends are refused by name."""

import keyring
import keyring.backends.fail
import keyring.core
import pytest
from keyring.backend import KeyringBackend

from sbf_client.services import secret_store
from tests.keyring_backend import SuiteFileKeyring


class _Base64File(KeyringBackend):
    """Stands for keyrings.alt's PlaintextKeyring (base64 in a file), which the suite does not install."""

    priority = 0  # type: ignore[assignment]

    def __init__(self):
        super().__init__()
        self.written = {}

    def get_password(self, service, username):
        return self.written.get(username)

    def set_password(self, service, username, password):
        self.written[username] = password

    def delete_password(self, service, username):
        self.written.pop(username, None)


_Base64File.__module__ = "keyrings.alt.file"


@pytest.fixture
def backend():
    previous = keyring.core._keyring_backend
    yield lambda b: keyring.set_keyring(b)
    keyring.core._keyring_backend = previous


def test_plaintext_and_dropping_backends_are_refused_by_name(tmp_path):
    assert secret_store.refused(_Base64File())
    assert secret_store.refused(keyring.backends.fail.Keyring())
    assert not secret_store.refused(SuiteFileKeyring(tmp_path / "k.json"))


def test_a_refused_backend_is_told_and_never_written(backend):
    base64_file = _Base64File()
    backend(base64_file)
    with pytest.raises(secret_store.KeyringUnavailableError, match="系统凭据管理器不可用，无法保存代理密码"):
        secret_store.write("proxy:user", "S3cret-proxy", "代理密码")
    assert base64_file.written == {}
    with pytest.raises(secret_store.KeyringUnavailableError, match="无法读取代理密码"):
        secret_store.read("proxy:user", "代理密码")


def test_an_accepted_backend_keeps_the_secret(backend, tmp_path):
    backend(SuiteFileKeyring(tmp_path / "k.json"))
    secret_store.write("proxy:user", "S3cret-proxy", "代理密码")
    assert secret_store.read("proxy:user", "代理密码") == "S3cret-proxy"
    secret_store.delete("proxy:user")
    assert secret_store.read("proxy:user", "代理密码") == ""
