"""The running sandbox's state: its database, seed, clock, fault switches and settings, and the businesses'
background work (feedback that matures), which it runs."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from sqlalchemy import Engine

from sbf_client.core.clock import Clock, clock_from
from sbf_client.remote.contract import models as m

from .business import businesses
from .faults import FaultState

log = logging.getLogger(__name__)


@dataclass
class SandboxState:
    engine: Engine
    seed: int
    clock: Clock = field(default_factory=lambda: clock_from(os.environ))
    faults: FaultState = field(default_factory=FaultState)
    settings: m.SandboxSettings = field(default_factory=m.SandboxSettings)

    def process_due(self, unit_id: str | None = None) -> None:
        """Mature the feedback whose delay has passed (every unit's, run every second by the server; or one
        unit's, before a read that could show it), for every business. A declaration that cannot be processed
        fails on its own."""
        now = self.clock.now()
        for part in businesses():
            if part.process_due is not None:
                part.process_due(self.engine, now, unit_id)

    def mature_for(self, unit_id: str) -> None:
        """Before a read: this unit's due feedback. A failure here is logged and the read goes on, showing
        待反馈 until the background tick manages; it never turns a read into an error."""
        try:
            self.process_due(unit_id)
        except Exception:
            log.exception("feedback for unit %s could not be matured before a read", unit_id)
