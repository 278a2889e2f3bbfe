"""申报密码 storage in the sandbox: salted PBKDF2, and the initial-password rule from the core."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sbf_client.core.passwords import collector_initial_password, initial_passwords
from sbf_client.remote.contract.demo import password_hint

_ROUNDS = 20_000


def hash_password(password: str, salt: str | None = None) -> tuple[str, str]:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), _ROUNDS).hex()
    return salt, digest


def matches(password: str, salt: str, digest: str) -> bool:
    return hmac.compare_digest(hash_password(password, salt)[1], digest)


def initial_set(business: str, taxpayer_id: str, unit_nos: list[str]) -> set[str]:
    """Every password that opens a unit that still has its initial password."""
    if business == "collector":
        return {collector_initial_password(taxpayer_id)}
    return initial_passwords(unit_nos)


def hint(business: str, taxpayer_id: str, unit_nos: list[str], is_initial: bool) -> str:
    """What the accounts list tells a demo user about the password (the same words as the client's list)."""
    return password_hint(business, taxpayer_id, unit_nos, is_initial)
