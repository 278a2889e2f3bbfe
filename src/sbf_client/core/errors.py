"""Error types whose message is what the user reads: Chinese, saying what is wrong and what to do."""

from __future__ import annotations


class SbfError(Exception):
    """Base of every error the product shows to a user; ``message`` is the Chinese text."""

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class InputError(SbfError):
    """What the user entered or imported is not acceptable; nothing was changed."""


class NotFoundError(SbfError):
    """The thing asked for does not exist (on the server or in the local store)."""


class ConflictError(SbfError):
    """The request contradicts the current state (e.g. an idempotency key reused with other data)."""
