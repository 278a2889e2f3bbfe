"""The sandbox's failure type: an HTTP status plus the contract's ``{code, message}`` body."""

from __future__ import annotations

from sbf_client.remote.contract.errors import MESSAGES


class ApiFailure(Exception):
    def __init__(self, status: int, code: int, message: str | None = None, headers: dict[str, str] | None = None):
        self.status = status
        self.code = code
        self.message = message or MESSAGES[code]
        self.headers = headers  # e.g. Retry-After with a 429
        super().__init__(f"{status} [{code}] {self.message}")
