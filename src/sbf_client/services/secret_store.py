"""Secrets at rest: the OS credential store (Windows Credential Manager, macOS Keychain, Secret Service on
Linux) through ``keyring``, and never a file of the program's own.

A backend that keeps secrets in plain or merely encoded text (``keyrings.alt``'s files, which store base64)
is refused by name, as are the ones that drop what they are given (``fail``, ``null``): a secret is then not
stored at all, and the user is told why, rather than written where anyone can read it.
"""

from __future__ import annotations

import logging

import keyring
import keyring.backend
import keyring.backends.chainer
import keyring.errors

from sbf_client.core.errors import SbfError

log = logging.getLogger(__name__)
SERVICE = "sbf-client"
# Module prefixes of backends that may never hold a secret of this program.
REFUSED = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")
NO_KEYRING = "系统凭据管理器不可用，无法{action}{what}。请启用系统的凭据管理器（钥匙串）后重试{otherwise}。"


class KeyringUnavailableError(SbfError):
    """No usable OS credential store: the secret is never written anywhere else instead."""


def refused(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether a backend (or every backend of a chain) is one this program may not use."""
    if isinstance(backend, keyring.backends.chainer.ChainerBackend):
        return not [b for b in backend.backends if not refused(b)]
    return type(backend).__module__.startswith(REFUSED)


def _unavailable(action: str, what: str, otherwise: str) -> KeyringUnavailableError:
    return KeyringUnavailableError(NO_KEYRING.format(action=action, what=what, otherwise=otherwise))


def _backend() -> keyring.backend.KeyringBackend | None:
    backend = keyring.get_keyring()
    if refused(backend):
        log.warning("keyring backend refused: %s.%s", type(backend).__module__, type(backend).__name__)
        return None
    return backend


def read(user: str, what: str, otherwise: str = "") -> str:
    """The stored secret of ``user`` ("" when none). ``what`` names it for the user (代理密码), ``otherwise``
    says what else the user may do (，或使用无需密码的代理服务器)."""
    try:
        backend = _backend()
        if backend is None:
            raise _unavailable("读取", what, otherwise)
        return backend.get_password(SERVICE, user) or ""
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable while reading %s: %s", user.split(":")[0], type(exc).__name__)
        raise _unavailable("读取", what, otherwise) from exc


def write(user: str, secret: str, what: str, otherwise: str = "") -> None:
    """Store and read back: a backend that silently drops a secret is found out now, not at the next start."""
    try:
        backend = _backend()
        if backend is None:
            raise _unavailable("保存", what, otherwise)
        backend.set_password(SERVICE, user, secret)
        stored = backend.get_password(SERVICE, user)
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable while saving %s: %s", user.split(":")[0], type(exc).__name__)
        raise _unavailable("保存", what, otherwise) from exc
    if stored != secret:
        log.warning("the keyring did not keep %s", user.split(":")[0])
        raise _unavailable("保存", what, otherwise)


def delete(user: str) -> None:
    """Remove a stored secret; nothing stored, or no keyring at all, is not an error (nothing to remove)."""
    try:
        backend = _backend()
        if backend is not None:
            backend.delete_password(SERVICE, user)
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable while removing %s: %s", user.split(":")[0], type(exc).__name__)
