"""A region's server addresses are checked — form, and both servers answering — before they are saved, and can
be corrected later: one bad address never leaves the data folder unusable."""

from sbf_client.services.regions import find_region
from tests.helpers import ZIZHU, cli, free_port


def test_an_address_nobody_answers_at_is_not_saved_and_a_good_one_can_replace_it(sandbox, tmp_path):
    home = tmp_path / "home"
    dead = f"http://127.0.0.1:{free_port()}/r/{ZIZHU}"
    region = find_region(ZIZHU).name
    refused = cli(home, "region", "set", region, "--mgmt-url", dead, "--coll-url", dead, check=False)
    assert "无法连接到管理子系统" in refused["error"]["message"] and "地址未保存" in refused["error"]["message"]
    assert cli(home, "region", "list")["chosen"] is None  # nothing was saved: the region can still be chosen

    good = sandbox.endpoints(ZIZHU).mgmt_url
    cli(home, "region", "set", region, "--mgmt-url", good, "--coll-url", good)
    wrong = f"{sandbox.url}/r/nowhere"
    refused = cli(home, "region", "addresses", "--mgmt-url", wrong, "--coll-url", wrong, check=False)
    assert "地址未保存" in refused["error"]["message"]
    listed = cli(home, "region", "list")
    assert listed["chosen"] == region
    assert next(r for r in listed["regions"] if r["chosen"])["mgmt_url"] == good

    moved = f"http://localhost:{sandbox.url.rsplit(':', 1)[1]}/r/{ZIZHU}"
    corrected = cli(home, "region", "addresses", "--mgmt-url", moved, "--coll-url", moved)
    assert corrected["region"]["mgmt_url"] == moved
    assert cli(home, "region", "list")["chosen"] == region  # the region stayed chosen
