"""登录 safeguards: growing delays after wrong passwords, offline login with the last verified password."""

from datetime import datetime

import pytest

from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import InputError, SbfError
from sbf_client.remote.errors import ApiError
from sbf_client.services.context import ClientContext
from sbf_client.services.login import LoginService, LoginThrottled, delay_after
from sbf_client.store.home import DataHome
from tests.helpers import CLI_PASSWORD, context_with_unit


def test_delays_grow_after_five_failures():
    assert [delay_after(n) for n in range(1, 11)] == [0, 0, 0, 0, 5, 10, 20, 40, 80, 160]
    assert delay_after(30) == 15 * 60


@pytest.fixture
def login(sandbox, tmp_path):
    context, unit, _session = context_with_unit(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))
    context.close()
    context = ClientContext(DataHome(tmp_path / "home"), clock=clock)
    yield LoginService(context), context.store.unit(unit.id), clock
    context.close()


def test_five_wrong_passwords_then_the_user_must_wait(login):
    service, unit, clock = login
    for _ in range(5):
        with pytest.raises(ApiError, match=r"\[20101\]"):
            service.login(unit, "wrong-one")
    with pytest.raises(LoginThrottled, match="请5秒后再试") as throttled:
        service.login(unit, CLI_PASSWORD)  # even the right password waits
    assert throttled.value.seconds == 5
    clock.advance(seconds=5)
    with pytest.raises(ApiError):
        service.login(unit, "wrong-again")
    with pytest.raises(LoginThrottled, match="请10秒后再试"):
        service.login(unit, CLI_PASSWORD)
    clock.advance(seconds=10)
    result = service.login(unit, CLI_PASSWORD)
    assert not result.offline and service.wait_seconds(unit) == 0


def test_offline_login_uses_the_last_verified_password(login, sandbox):
    service, unit, _clock = login
    service.login(unit, CLI_PASSWORD)  # online: the verifier is kept
    sandbox.kill()
    offline = service.login(unit, CLI_PASSWORD)
    assert offline.offline and "无法连接到管理子系统" in offline.offline_reason
    with pytest.raises(InputError, match="本机上次联网登录的密码"):
        service.login(unit, "not-the-password")


def test_offline_without_an_earlier_online_login_is_refused(sandbox, tmp_path):
    context, unit, _session = context_with_unit(tmp_path / "home", sandbox, "91990101MA5D00024T", "1234")
    service = LoginService(context)
    service.security.engine.dispose()
    with service.security.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM offline_verifiers")
    sandbox.kill()
    with pytest.raises(SbfError, match="无法离线查看"):
        service.login(unit, CLI_PASSWORD)
    context.close()
