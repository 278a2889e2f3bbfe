"""``kill -9`` of a running ``sbf-client sync`` at random moments: the cache is always the old state or
the new one, and the next run ends with cache == server (0 missing, 0 extra, 0 different)."""

import random
import subprocess
import sys
import time

import pytest
from sqlalchemy.exc import OperationalError

from sbf_client.services.sandbox import start_sandbox
from tests.helpers import admin, cache_file_records, cli, cli_unit, server_rows, unit_db

LARGE = "91990101MA5D00040G"
SCALE = 8_000


def sync_process(home):
    import os

    env = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": "Sbf2026ok"}
    return subprocess.Popen(
        [sys.executable, "-m", "sbf_client", "sync", "--unit", LARGE, "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def cache_as_left(home):
    """The cached employees; none when the first run was killed before its database (or table) existed."""
    found = list((home / "units").glob("*.sqlite"))
    if not found:
        return {}
    try:
        return cache_file_records(found[0])
    except OperationalError as error:
        assert "no such table" in str(error)
        return {}


def soak(tmp_path, rounds, seed):
    rng = random.Random(seed)
    sandbox = start_sandbox(tmp_path / "sandbox", seed=seed, scale=SCALE)
    try:
        home = tmp_path / "home"
        cli_unit(home, sandbox, LARGE, "9901010000168")
        killed_while_applying_or_after = 0
        for round_no in range(rounds):
            if round_no % 3 != 2:
                admin(
                    sandbox,
                    "POST",
                    "/admin/units/Z0008/feeds/employees/mutate",
                    {
                        "hires": rng.randrange(0, 300),
                        "leaves": rng.randrange(0, 50),
                        "removals": rng.randrange(0, 50),
                        "base_changes": rng.randrange(0, 400),
                    },
                )
            before = cache_as_left(home)
            expected = server_rows(sandbox, "Z0008")
            process = sync_process(home)
            time.sleep(rng.uniform(0.4, 2.0))
            process.kill()
            process.wait()
            after_kill = cache_as_left(home)
            assert after_kill in (before, expected), f"round {round_no}: a half-applied run is visible"
            killed_while_applying_or_after += after_kill == expected
            result = cli(home, "sync", "--unit", LARGE)
            assert result["total"] == len(expected)
            cached = cache_file_records(unit_db(home))
            missing = expected.keys() - cached.keys()
            extra = cached.keys() - expected.keys()
            different = [k for k in expected.keys() & cached.keys() if expected[k] != cached[k]]
            assert (len(missing), len(extra), len(different)) == (0, 0, 0), f"round {round_no}"
        return killed_while_applying_or_after
    finally:
        sandbox.stop()


def test_twenty_random_kills_never_corrupt_the_cache(tmp_path):
    soak(tmp_path, rounds=20, seed=3)


@pytest.mark.slow
def test_a_hundred_random_kills_never_corrupt_the_cache(tmp_path):
    soak(tmp_path, rounds=100, seed=11)
