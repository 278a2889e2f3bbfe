"""The ``sbf-sandbox`` command: accounts, mutate, determinism of the generated world."""

import json
import shutil
import subprocess
import sys

import orjson
import pytest
from sqlalchemy import select

from sbf_sandbox import db
from sbf_sandbox.build import build_world
from tests.conftest import TEST_SCALE, TEST_SEED
from tests.helpers import api, login


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "sbf_sandbox", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_accounts_json_is_one_object_listing_the_demo_taxpayers(sandbox_template, tmp_path):
    shutil.copytree(sandbox_template, tmp_path / "data")
    result = run_cli("accounts", "--data", str(tmp_path / "data"), "--json")
    assert result.returncode == 0, result.stderr
    accounts = json.loads(result.stdout)["accounts"]
    by_unit = {a["unit_id"]: a for a in accounts}
    assert len(accounts) == 11
    assert by_unit["Z0004"]["unit_nos"] == ["1234"] and "123400" in by_unit["Z0004"]["password_hint"]
    shared = [a for a in accounts if a["taxpayer_id"] == "129901014557557170"]
    assert [a["name"] for a in shared] == ["演示市妇幼保健院", "演示市妇幼保健院东院区"]
    assert {a["business"] for a in accounts} == {"employer", "collector"}
    assert {a["region_name"] for a in accounts} == {"演示地区（税务自主模式）", "演示地区（税务代征模式）"}


def test_accounts_text_is_for_people(sandbox_template, tmp_path):
    shutil.copytree(sandbox_template, tmp_path / "data")
    result = run_cli("accounts", "--data", str(tmp_path / "data"), "--region", "demo-daizheng")
    assert "演示县丰收农业发展有限公司" in result.stdout and "初始申报密码" in result.stdout
    assert "演示市" not in result.stdout


def test_scale_out_of_range_is_refused(tmp_path):
    result = run_cli("accounts", "--data", str(tmp_path), "--scale", "5")
    assert result.returncode == 2 and "须在10到1000000之间" in result.stderr


def test_mutate_from_the_command_line_while_serving(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0004", "123400")
    before = remote.feed_info("Z0004", "employees", token)
    result = run_cli(
        "mutate", "--data", str(sandbox.data_dir), "--unit", "short4", "--hires", "2", "--base-changes", "1", "--json"
    )
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)
    assert len(changes["added"]) == 2 and len(changes["changed"]) == 1
    after = remote.feed_info("Z0004", "employees", token)
    assert after.count == before.count + 2 and after.last_seq == before.last_seq + 3


def test_mutate_refuses_an_ambiguous_taxpayer_id(sandbox_template, tmp_path):
    shutil.copytree(sandbox_template, tmp_path / "data")
    result = run_cli("mutate", "--data", str(tmp_path / "data"), "--unit", "129901014557557170", "--hires", "1")
    assert result.returncode != 0 and "共用纳税人识别号" in result.stderr


def _records(folder, seed):
    folder.mkdir(exist_ok=True)
    engine = db.make_engine(db.sqlite_url(folder))
    build_world(engine, seed, TEST_SCALE)
    with engine.connect() as conn:
        rows = conn.execute(
            select(db.records.c.key, db.records.c.data).order_by(db.records.c.unit_id, db.records.c.key)
        ).all()
    engine.dispose()
    return rows


@pytest.mark.parametrize("other_seed", [TEST_SEED, TEST_SEED + 1])
def test_the_world_is_deterministic_for_a_seed(sandbox_template, tmp_path, other_seed):
    shutil.copytree(sandbox_template, tmp_path / "template")
    original = _records(tmp_path / "template", TEST_SEED)
    rebuilt = _records(tmp_path / "fresh", other_seed)
    assert len(original) == len(rebuilt)
    same = original == rebuilt
    assert same == (other_seed == TEST_SEED)
    names = {orjson.loads(data)["name"] for _, data in rebuilt}
    assert len(names) > 1000  # realistic variety of names
