"""What can go wrong talking to the remote systems, each with the Chinese message the user reads."""

from __future__ import annotations

from sbf_client.core.errors import SbfError


class RemoteError(SbfError):
    """Any failure to get an answer from the 管理子系统 or 征收子系统."""


class ServerUnavailableError(RemoteError):
    """The server could not be reached (refused, reset, DNS, or the proxy could not reach it)."""


class RequestTimeoutError(RemoteError):
    """No answer in time. For a submission this means the outcome is unknown, not that it failed."""


class ProxyUnavailableError(RemoteError):
    """The configured proxy server could not be reached."""


class ProxyAuthError(RemoteError):
    """The proxy refused the user name or password."""


class ConnectionDroppedError(RemoteError):
    """The connection broke after the request was sent: the server may or may not have acted on it."""


class ApiError(RemoteError):
    """The server answered with an error body ``{code, message}``; ``status`` is the HTTP status."""

    def __init__(self, message: str, *, code: int, status: int) -> None:
        super().__init__(message, code=code)
        self.status = status
