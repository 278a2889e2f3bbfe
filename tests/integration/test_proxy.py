"""HTTP and SOCKS5 proxies, with and without credentials, against real pproxy servers on loopback."""

import pytest

from sbf_client.remote.errors import ProxyAuthError, ProxyUnavailableError, ServerUnavailableError
from sbf_client.remote.proxy import ProxySettings
from tests.helpers import api, free_port, pproxy

KINDS = ["http", "socks5"]


@pytest.fixture(scope="module")
def open_proxy():
    with pproxy() as port:
        yield port


@pytest.fixture(scope="module")
def locked_proxy():
    with pproxy("alice", "s3cret-密码") as port:
        yield port


@pytest.mark.parametrize("kind", KINDS)
def test_through_a_proxy_without_credentials(shared_sandbox, open_proxy, kind):
    remote = api(shared_sandbox, proxy=ProxySettings(kind, "127.0.0.1", open_proxy))
    assert remote.ping_mgmt().region_id == "demo-zizhu"
    assert remote.lookup_taxpayer("91990101MA5D000160", "employer")[0].unit_id == "Z0001"


@pytest.mark.parametrize("kind", KINDS)
def test_through_a_proxy_with_credentials(shared_sandbox, locked_proxy, kind):
    remote = api(shared_sandbox, proxy=ProxySettings(kind, "127.0.0.1", locked_proxy, "alice", "s3cret-密码"))
    assert remote.ping_coll().subsystem == "征收子系统"


# httpcore leaves the proxy socket of a failed SOCKS5 handshake for the garbage collector (its
# _init_socks5_connection raises without closing the stream); the warning is about that socket only.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("user", "password"), [("alice", "wrong"), ("bob", "s3cret-密码"), ("", "")])
def test_wrong_or_missing_credentials_are_a_proxy_auth_error(shared_sandbox, locked_proxy, kind, user, password):
    remote = api(shared_sandbox, proxy=ProxySettings(kind, "127.0.0.1", locked_proxy, user, password), attempts=1)
    with pytest.raises(ProxyAuthError, match="代理服务器身份验证失败"):
        remote.ping_mgmt()
    # A right login right after must still be asked for its password: the proxy keeps no memory.
    with pytest.raises(ProxyAuthError):
        remote.ping_mgmt()


@pytest.mark.parametrize("kind", KINDS)
def test_proxy_down(shared_sandbox, kind):
    remote = api(shared_sandbox, proxy=ProxySettings(kind, "127.0.0.1", free_port()), attempts=1)
    with pytest.raises(ProxyUnavailableError, match="无法连接到代理服务器"):
        remote.ping_mgmt()


@pytest.mark.parametrize("kind", KINDS)
def test_server_down_behind_a_working_proxy(sandbox, open_proxy, kind):
    remote = api(sandbox, proxy=ProxySettings(kind, "127.0.0.1", open_proxy), attempts=1)
    assert remote.ping_mgmt()
    sandbox.kill()
    with pytest.raises(ServerUnavailableError, match="代理服务器"):
        remote.ping_mgmt()


def test_settings_are_checked_before_use():
    assert ProxySettings("http", "", 8080).problem() == "请输入代理服务器地址"
    assert "端口" in ProxySettings("socks5", "proxy.local", 0).problem()
    assert "用户名" in ProxySettings("http", "proxy.local", 8080, "", "pw").problem()
    assert (
        ProxySettings("http", "proxy.local", 8080, "u", "p@ss:w/rd").url()
        == "http://u:p%40ss%3Aw%2Frd@proxy.local:8080"
    )
    assert "p@ss" not in ProxySettings("http", "proxy.local", 8080, "u", "p@ss").describe()
