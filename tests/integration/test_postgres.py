"""The sandbox on PostgreSQL (``--db-url``): the same contract behaviour as on SQLite."""

import orjson
import pytest

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.errors import ApiError
from sbf_client.services.sandbox import start_sandbox
from tests.conftest import TEST_SCALE, TEST_SEED
from tests.helpers import admin, api, login, postgres_server

pytestmark = pytest.mark.slow


def test_sandbox_on_postgresql(tmp_path):
    with postgres_server(tmp_path / "pg") as url:
        sandbox = start_sandbox(tmp_path / "sandbox", seed=TEST_SEED, scale=TEST_SCALE, extra=("--db-url", url))
        try:
            remote = api(sandbox)
            assert [u.unit_id for u in remote.lookup_taxpayer("129901014557557170", "employer")] == ["Z0002", "Z0003"]
            token = login(remote, "Z0001", "000135")
            info = remote.feed_info("Z0001", "employees", token)
            assert info.count == 60
            result = admin(
                sandbox,
                "POST",
                "/admin/units/Z0001/feeds/employees/mutate",
                {"hires": 2, "leaves": 1, "removals": 1, "base_changes": 2},
            )
            page = orjson.loads(
                remote.feed_page("Z0001", "employees", token, since=info.last_seq, limit=100, epoch=info.epoch)
            )
            assert len(page["records"]) == 6 and page["last_seq"] == result["last_seq"] and not page["more"]
            admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/compact", {})
            with pytest.raises(ApiError) as gone:
                remote.feed_page("Z0001", "employees", token, since=info.last_seq, limit=10, epoch=info.epoch)
            assert gone.value.code == codes.HORIZON_PASSED
            admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/rekey")
            with pytest.raises(ApiError) as moved:
                remote.feed_page("Z0001", "employees", token, since=page["last_seq"], limit=10, epoch=info.epoch)
            assert moved.value.code == codes.EPOCH_CHANGED
        finally:
            sandbox.stop()
