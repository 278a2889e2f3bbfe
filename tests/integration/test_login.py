"""登录 safeguards: growing delays after wrong passwords (on every path that checks one), a unit the server
locked, offline login with the last verified password, and that verifier following every change."""

from datetime import datetime

import pytest

from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import InputError, SbfError
from sbf_client.modules.employer.services.wages import WageService
from sbf_client.remote.errors import ApiError
from sbf_client.services.context import ClientContext
from sbf_client.services.login import LoginService, LoginThrottled, delay_after
from sbf_client.services.session import open_unit_session
from sbf_client.services.sync import SyncService
from sbf_client.services.units import UnitService
from sbf_client.store.home import DataHome
from tests.helpers import CLI_PASSWORD, LOCKED_MESSAGE, locking_front, logged_in


def test_delays_grow_after_five_failures():
    assert [delay_after(n) for n in range(1, 11)] == [0, 0, 0, 0, 5, 10, 20, 40, 80, 160]
    assert delay_after(30) == 15 * 60


@pytest.fixture
def login(sandbox, tmp_path):
    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D000160", "9901010000135")
    unit = session.unit
    clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))
    session.context.close()
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
    session = logged_in(tmp_path / "home", sandbox, "91990101MA5D00024T", "1234")
    context, unit = session.context, session.unit
    service = LoginService(context)
    service.security.engine.dispose()
    with service.security.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM offline_verifiers")
    sandbox.kill()
    with pytest.raises(SbfError, match="无法离线查看"):
        service.login(unit, CLI_PASSWORD)
    context.close()


def test_there_is_one_login_path():
    # The command line once logged in through UnitService.login: no throttle, no offline verifier.
    assert not hasattr(UnitService, "login")


def test_checking_a_password_of_a_unit_of_this_machine_is_throttled_on_every_path(login):
    service, unit, clock = login
    adding = UnitService(service.context)  # 添加单位 again verifies a unit this machine already has
    for _ in range(5):
        with pytest.raises(ApiError, match=r"\[20101\]"):
            adding.verify(unit.server_unit_id, "wrong-one")
    with pytest.raises(LoginThrottled, match="请5秒后再试"):
        service.login(unit, CLI_PASSWORD)
    with pytest.raises(LoginThrottled, match="请5秒后再试"):
        adding.verify(unit.server_unit_id, CLI_PASSWORD)
    clock.advance(seconds=5)
    assert adding.verify(unit.server_unit_id, CLI_PASSWORD).token and service.wait_seconds(unit) == 0


def test_a_unit_the_server_locked_is_said_as_the_server_says_it_and_engages_the_wait(sandbox, tmp_path):
    with locking_front(sandbox) as front:
        session = logged_in(tmp_path / "home", front, "91990101MA5D000160", "9901010000135")
        unit = session.unit
        session.context.close()
        clock = FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))
        context = ClientContext(DataHome(tmp_path / "home"), clock=clock)
        service = LoginService(context)
        front.lock(unit.server_unit_id)  # five wrong passwords on another machine
        before = front.attempts[unit.server_unit_id]
        with pytest.raises(ApiError) as locked:
            service.login(unit, CLI_PASSWORD)
        assert (locked.value.code, locked.value.status, locked.value.message) == (20104, 429, LOCKED_MESSAGE)
        # Not a wrong password (the server checked none), but no reason to ask again at once either.
        assert service.security.failures(unit.id).count == 5 and service.wait_seconds(unit) == 5
        with pytest.raises(LoginThrottled):
            service.login(unit, CLI_PASSWORD)
        clock.advance(seconds=5)
        with pytest.raises(ApiError, match="请15分钟后再试"):
            service.login(unit, CLI_PASSWORD)
        assert service.security.failures(unit.id).count == 5  # a lock answered again adds no failure
        assert front.attempts[unit.server_unit_id] - before == 2  # the throttled try never reached the server
        front.unlock(unit.server_unit_id)
        clock.advance(seconds=5)
        assert not service.login(unit, CLI_PASSWORD).offline and service.wait_seconds(unit) == 0
        context.close()


def test_an_offline_session_reads_the_cache_and_refuses_what_needs_the_server(login, sandbox):
    """The session of an offline login opens the cached data; what needs the server is refused in the command
    line's words, with the reason the server could not be reached."""
    service, unit, _clock = login
    service.login(unit, CLI_PASSWORD)
    sandbox.kill()
    session = open_unit_session(service.context, service.login(unit, CLI_PASSWORD))
    try:
        assert session.offline and session.server is None and session.module.id == "employer"
        with pytest.raises(SbfError) as refused:
            SyncService(session).sync()
        assert refused.value.message == f"{session.offline_reason} 更新数据需要连接服务器，离线时无法办理。"
        assert "无法连接到管理子系统" in refused.value.message
        with pytest.raises(SbfError, match="获取反馈需要连接服务器，离线时无法办理"):
            WageService(session).feedback()
        assert WageService(session).records() == []  # the cache itself opens offline
    finally:
        session.close()


def test_a_password_change_moves_the_offline_verifier_with_it(login, sandbox):
    service, unit, _clock = login
    session = service.login(unit, CLI_PASSWORD).session
    registrations = [r.unit_no for r in service.context.store.registrations(unit.id)]
    UnitService(service.context).change_password(session, CLI_PASSWORD, "Another2026", "Another2026", registrations)
    sandbox.kill()
    with pytest.raises(InputError, match="本机上次联网登录的密码"):
        service.login(unit, CLI_PASSWORD)  # the old password no longer opens the cache
    assert service.login(unit, "Another2026").offline


def test_an_added_unit_opens_offline_with_the_password_it_was_added_with(sandbox, tmp_path):
    from sbf_client.services.regions import find_region

    context = ClientContext(DataHome(tmp_path / "home"))
    root = sandbox.endpoints("demo-zizhu").mgmt_url
    context.choose_region(find_region("demo-zizhu"), root, root)
    units = UnitService(context)
    (summary,) = units.lookup("91990101MA5D000160", "employer")
    session = units.verify(summary.unit_id, "000135")
    info = units.registration(session)
    with pytest.raises(InputError, match="我已确认无误"):
        units.finish_adding("employer", summary, session, info, password="000135", confirmed=False)
    assert units.verify(summary.unit_id, "000135").must_change_password  # the refusal changed nothing
    unit = units.finish_adding(
        "employer", summary, session, info, password="000135", confirmed=True, new_password=(CLI_PASSWORD,) * 2
    )
    sandbox.kill()  # never logged in: the verifier is the one adding it stored
    assert LoginService(context).login(unit, CLI_PASSWORD).offline
    with pytest.raises(InputError, match="本机上次联网登录的密码"):
        LoginService(context).login(unit, "000135")
    context.close()


def test_a_clock_set_back_locks_nobody_out(login):
    service, unit, clock = login
    for _ in range(2):
        with pytest.raises(ApiError):
            service.login(unit, "wrong-one")
    clock.advance(hours=-1)  # the failures now look as if they came later than "now"
    assert service.wait_seconds(unit) == 0
    for _ in range(3):
        with pytest.raises(ApiError):
            service.login(unit, "wrong-one")
    clock.advance(hours=-1)
    assert service.wait_seconds(unit) == 5  # the delay, not the hour between
