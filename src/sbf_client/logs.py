"""Logging set-up, and the scrubbing of secrets and personal data from everything the program writes out.

Every rendered log record — message, arguments, exception and stack text — is scrubbed before it is written:
the passwords and tokens this run has handled (``remember_secret``), anything rendered as a password, token
or pydantic ``input_value``, bearer tokens, and ID-number-, account- and phone-like digit runs. The same
``scrub`` cleans what the command line prints on an error. It is the last line of defence: code keeps
personal data out of log calls in the first place (ID numbers travel in request bodies, and log lines name
records by their server keys).
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import threading
from pathlib import Path

from sbf_client.core.ids import redact

HIDDEN = "***"
MIN_SECRET = 4  # shorter values would hide ordinary words and numbers, and are no secret worth the name
_secrets: set[str] = set()
_lock = threading.Lock()

# A value after a secret-sounding key: password=…, "new_password": "…", token: …, Authorization: …
_KEYED = re.compile(
    r"""(?ix)
    (["']?(?:[a-z_]*password|passwd|pwd|token|secret|authorization|api[_-]?key)["']?\s*[:=]\s*)
    ("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&)}\]]+)
    """
)
# pydantic renders what it refused: the input may be a password, an ID number, anything.
_PYDANTIC_INPUT = re.compile(r"""(input_value=)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,\]]+)""")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def remember_secret(value: str) -> str:
    """Note a password or token this run handles, so that no log line or printed error shows it; returns it,
    so that a value can be noted where it is read."""
    if value and len(value) >= MIN_SECRET:
        with _lock:
            _secrets.add(value)
    return value


def scrub(text: str) -> str:
    """``text`` without this run's secrets, secret-keyed values, pydantic inputs, bearer tokens, ID numbers,
    account numbers or phone numbers."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:  # longest first: a secret containing another is hidden whole
        text = text.replace(secret, HIDDEN)
    text = _KEYED.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _PYDANTIC_INPUT.sub(lambda m: m.group(1) + HIDDEN, text)
    text = _BEARER.sub(lambda m: m.group(1) + HIDDEN, text)
    return redact(text)  # ID, account and phone numbers


class RedactingFormatter(logging.Formatter):
    """Scrubs the whole rendered record: message and arguments, exception and stack text alike."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def configure(logs_dir: Path, level: int = logging.INFO) -> Path:
    """Log to ``sbf-client.log`` in ``logs_dir`` (rotating); once per process. Returns the file."""
    path = logs_dir / "sbf-client.log"
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    logs_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.setLevel(level)
    root.addHandler(handler)
    return path


def log_file() -> Path | None:
    """The file this process logs to, if ``configure`` has run."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and isinstance(
            handler.formatter, RedactingFormatter
        ):
            return Path(handler.baseFilename)
    return None
