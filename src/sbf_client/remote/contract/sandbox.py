"""How a launcher and a sandbox process find each other: the lines the sandbox prints while it starts.

``SBF-SANDBOX PROGRESS <done> <total>`` while it generates the demo world (people written of all), then
``SBF-SANDBOX READY <url>`` once it listens.
"""

READY_PREFIX = "SBF-SANDBOX READY "
PROGRESS_PREFIX = "SBF-SANDBOX PROGRESS "
DEFAULT_SEED = 20261123
DEFAULT_SCALE = 100_000
