"""``kill -9`` of a running ``sbf-client sync`` at random moments after the run began: the cache is always the
old state or the new one, the database passes ``PRAGMA integrity_check``, and the next run ends with
cache == server (0 missing, 0 extra, 0 different). Kills must land inside the run (staging or applying)."""

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing

import pytest
from sqlalchemy.exc import OperationalError

from sbf_client.services.sandbox import start_sandbox
from sbf_client.sync.runs import APPLIED, STAGING
from tests.helpers import admin, cache_file_records, cli, cli_unit, server_rows, unit_db

LARGE = "91990101MA5D00040G"
SCALE = 8_000
SIGN_TIMEOUT_S = 180  # a ceiling for a loaded machine: how long the sync may take to begin, not a measure
# The killed sync's feed requests wait in the sandbox, so that its run stays in staging for a while after it
# began however fast the machine: info, then the one page (8,000 records), then the apply.
SLOW_FEED = {"latency_ms": 400, "methods": ["GET"], "path_prefix": "/mgmt/v1/units/Z0008/feeds"}


def sync_process(home):
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


def runs_as_left(home):
    """[(id, status, staged_through)] of the unit database's sync runs; [] while the process has not created
    the database or its tables. Opened read-write but never created: the process owns the file."""
    found = list((home / "units").glob("*.sqlite"))
    if not found:
        return []
    try:
        with closing(sqlite3.connect(f"file:{found[0]}?mode=rw", uri=True, timeout=30)) as conn:
            return conn.execute("SELECT id, status, staged_through FROM sync_runs ORDER BY id").fetchall()
    except sqlite3.OperationalError as error:
        assert "no such table" in str(error) or "unable to open" in str(error), error
        return []


def wait_for_a_new_run(process, home, last_run):
    """Wait for the sign that the sync began: its run row (committed before the first request)."""
    deadline = time.monotonic() + SIGN_TIMEOUT_S
    while not (runs := [run for run in runs_as_left(home) if run[0] > last_run]):
        assert process.poll() is None, "the sync ended before it started a run"
        assert time.monotonic() < deadline, "no sync run appeared"
        time.sleep(0.005)
    return runs[0][0]


def integrity(home):
    with closing(sqlite3.connect(unit_db(home))) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def feed_last_seq(sandbox, unit_id):
    with closing(sqlite3.connect(sandbox.data_dir / "sandbox.sqlite")) as conn:
        return conn.execute(
            "SELECT last_seq FROM feeds WHERE unit_id = ? AND feed = 'employees'", (unit_id,)
        ).fetchone()[0]


def soak(tmp_path, rounds, seed):
    rng = random.Random(seed)
    sandbox = start_sandbox(tmp_path / "sandbox", seed=seed, scale=SCALE)
    try:
        home = tmp_path / "home"
        cli_unit(home, sandbox, LARGE, "9901010000168")
        landed: Counter[str] = Counter()
        last_run = 0
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
            target = feed_last_seq(sandbox, "Z0008")
            admin(sandbox, "PUT", "/admin/faults", SLOW_FEED)
            process = sync_process(home)
            run_id = wait_for_a_new_run(process, home, last_run)
            # Half the kills aim at the run's first ~0.8 s (it cannot apply before two feed requests came
            # back), half anywhere up to well after it.
            time.sleep(rng.uniform(0, 0.7) if rng.random() < 0.5 else rng.uniform(0.7, 2.5))
            process.kill()
            process.wait()
            admin(sandbox, "PUT", "/admin/faults", {})  # the run that repairs needs no slowing down
            status, staged_through = next((r[1], r[2]) for r in runs_as_left(home) if r[0] == run_id)
            if status == STAGING:
                landed["applying" if staged_through == target else "staging"] += 1
            else:
                landed["after apply" if status == APPLIED else status] += 1
            assert integrity(home) == [("ok",)], f"round {round_no}"
            after_kill = cache_as_left(home)
            assert after_kill in (before, expected), f"round {round_no}: a half-applied run is visible"
            result = cli(home, "sync", "--unit", LARGE)
            assert result["total"] == len(expected)
            cached = cache_file_records(unit_db(home))
            missing = expected.keys() - cached.keys()
            extra = cached.keys() - expected.keys()
            different = [k for k in expected.keys() & cached.keys() if expected[k] != cached[k]]
            assert (len(missing), len(extra), len(different)) == (0, 0, 0), f"round {round_no}"
            last_run = max(run[0] for run in runs_as_left(home))
        print(f"where {rounds} kills landed: {dict(landed)}")
        # The point of the soak: kills inside the run, before its apply committed.
        assert landed["staging"] + landed["applying"] >= rounds // 4, landed
        return landed
    finally:
        sandbox.stop()


# A ceiling against a hang, not a measure: forty client processes on a loaded two-core machine take minutes.
@pytest.mark.timeout(1200)
def test_twenty_random_kills_never_corrupt_the_cache(tmp_path):
    soak(tmp_path, rounds=20, seed=3)


@pytest.mark.slow
def test_a_hundred_random_kills_never_corrupt_the_cache(tmp_path):
    soak(tmp_path, rounds=100, seed=11)
