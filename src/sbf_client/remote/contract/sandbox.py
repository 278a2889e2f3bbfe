"""How a launcher and a sandbox process find each other: the ready line the sandbox prints."""

READY_PREFIX = "SBF-SANDBOX READY "
DEFAULT_SEED = 20261123
DEFAULT_SCALE = 100_000
