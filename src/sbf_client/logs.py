"""Logging set-up: a rotating file in the data home, and redaction of anything that looks like an
ID number or an account number before a line is written.

Redaction is the last line of defence; code keeps personal data out of log calls in the first place
(ID numbers travel in request bodies, and log lines name records by their server keys).
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from sbf_client.core.ids import redact


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def configure(logs_dir: Path, level: int = logging.INFO) -> None:
    logs_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        logs_dir / "sbf-client.log", maxBytes=5_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
