"""Registration and login against a real sandbox: lookup, initial password, change, 20101."""

import httpx
import pytest

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.errors import ApiError
from sbf_sandbox.registration import LOCK_AFTER
from tests.conftest import _copy_template
from tests.helpers import DAIZHENG, ZIZHU, api, login

HOSPITAL = "129901014557557170"  # two units share this 纳税人识别号
WRONG_PASSWORD_MESSAGE = "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。"


def test_lookup_of_a_taxpayer_with_one_unit(shared_sandbox):
    units = api(shared_sandbox).lookup_taxpayer("91990101MA5D000160", "employer")
    assert [(u.unit_id, u.name) for u in units] == [("Z0001", "演示市云帆科技有限公司")]
    assert units[0].taxpayer_status == "正常" and units[0].kind == "单位"


def test_lookup_of_a_taxpayer_with_several_units(shared_sandbox):
    units = api(shared_sandbox).lookup_taxpayer(HOSPITAL, "employer")
    assert [u.name for u in units] == ["演示市妇幼保健院", "演示市妇幼保健院东院区"]
    assert all(u.taxpayer_id == HOSPITAL for u in units)
    assert [str(u.registered_on) for u in units] == ["2016-04-28", "2018-09-03"]


def test_legacy_taxpayer_id_is_found(shared_sandbox):
    assert api(shared_sandbox).lookup_taxpayer("990101592203821", "employer")[0].unit_id == "Z0007"


@pytest.mark.parametrize(
    ("taxpayer_id", "business", "code"),
    [
        ("91990101MA5D999999", "employer", codes.TAXPAYER_NOT_FOUND),
        ("11990101000012343M", "employer", codes.WRONG_BUSINESS),  # a 代收单位
        ("91990201MA6K00014L", "employer", codes.TAXPAYER_NOT_FOUND),  # registered in the other region
    ],
)
def test_lookup_failures_carry_code_and_chinese_message(shared_sandbox, taxpayer_id, business, code):
    with pytest.raises(ApiError) as failure:
        api(shared_sandbox, ZIZHU).lookup_taxpayer(taxpayer_id, business)
    assert failure.value.code == code
    assert failure.value.message == codes.MESSAGES[code]


def test_wrong_password_is_20101_with_the_manuals_words(shared_sandbox):
    with pytest.raises(ApiError) as failure:
        api(shared_sandbox).open_session("Z0004", "123401")
    assert failure.value.code == 20101
    assert str(failure.value) == WRONG_PASSWORD_MESSAGE
    assert failure.value.status == 401


@pytest.mark.parametrize(
    ("unit_id", "initial"),
    [
        ("Z0004", "123400"),  # 单位编号 1234
        ("Z0005", "123450"),  # 单位编号 12345
        ("Z0006", "000017"),  # any of the three 单位编号 …
        ("Z0006", "000143"),  # … opens the unit
    ],
)
def test_initial_password_is_last_six_of_any_unit_number(shared_sandbox, unit_id, initial):
    session = api(shared_sandbox).open_session(unit_id, initial)
    assert session.must_change_password
    assert session.unit.unit_id == unit_id


def test_collector_initial_password_is_last_six_of_taxpayer_id(shared_sandbox):
    session = api(shared_sandbox, DAIZHENG).open_session("D0101", "56784L")
    assert session.must_change_password and session.unit.business == "collector"


def test_initial_password_must_be_changed_before_data_is_served(sandbox):
    remote = api(sandbox)
    session = remote.open_session("Z0006", "000017")
    registration = remote.registration("Z0006", session.token)  # 确认参保登记信息 is allowed
    assert [r.unit_no for r in registration.registrations] == ["9901020000017", "9901030000021", "9901010000143"]
    assert {r.agency for r in registration.registrations} == {
        "演示市机关事业单位社会保险中心",
        "演示市医疗保障事业管理中心",
        "演示市高新区社会保险事业管理中心",
    }
    with pytest.raises(ApiError) as failure:
        remote.feed_info("Z0006", "employees", session.token)
    assert failure.value.code == codes.INITIAL_PASSWORD_MUST_CHANGE

    with pytest.raises(ApiError) as refused:
        remote.change_password("Z0006", session.token, "000017", "000143")  # another initial password
    assert refused.value.code == codes.NEW_PASSWORD_REJECTED and "初始申报密码" in refused.value.message
    with pytest.raises(ApiError) as wrong_old:
        remote.change_password("Z0006", session.token, "999999", "Sbf2026ok")
    assert wrong_old.value.code == codes.WRONG_PASSWORD

    remote.change_password("Z0006", session.token, "000017", "Sbf2026ok")
    assert remote.feed_info("Z0006", "employees", session.token).count == 180
    with pytest.raises(ApiError) as old_initial:
        remote.open_session("Z0006", "000017")
    assert old_initial.value.code == codes.WRONG_PASSWORD
    again = remote.open_session("Z0006", "Sbf2026ok")
    assert not again.must_change_password


def test_data_needs_a_session_of_that_unit(sandbox):
    remote = api(sandbox)
    token = login(remote, "Z0001", "000135")
    with pytest.raises(ApiError) as other_unit:
        remote.feed_info("Z0004", "employees", token)
    assert other_unit.value.code == codes.NOT_LOGGED_IN and other_unit.value.status == 401
    with pytest.raises(ApiError) as no_session:
        remote.feed_info("Z0001", "employees", "not-a-token")
    assert no_session.value.message == "登录已失效，请重新登录。"


def test_demo_accounts_tell_a_new_user_what_to_type(shared_sandbox):
    accounts = {a.unit_id: a for a in api(shared_sandbox).demo_accounts()}
    assert set(accounts) == {"Z0001", "Z0002", "Z0003", "Z0004", "Z0005", "Z0006", "Z0007", "Z0008", "Z0101"}
    assert "1234→123400" in accounts["Z0004"].password_hint
    assert "12345→123450" in accounts["Z0005"].password_hint
    assert accounts["Z0101"].business == "collector" and "12343M" in accounts["Z0101"].password_hint
    assert accounts["Z0008"].people == 10  # the large unit at the test scale


LOCKED_ONE_MINUTE = "申报密码连续输错次数过多，为保护单位数据安全，请1分钟后再试。"


def test_ten_wrong_passwords_in_a_row_lock_the_unit(sandbox):
    """As a real 管理子系统: from the tenth wrong 申报密码 in a row, a unit refuses every try (the right password
    too) for a while, 429 with 20104 and Retry-After. Opening a session and changing the password count alike."""
    remote = api(sandbox)
    session = remote.open_session("Z0004", "123400")  # the initial password: right, and counted as such
    for attempt in range(1, LOCK_AFTER + 1):
        with pytest.raises(ApiError) as wrong:
            if attempt % 2:
                remote.open_session("Z0004", f"wrong{attempt}")
            else:
                remote.change_password("Z0004", session.token, f"wrong{attempt}", "Sbf2026ok")
        assert (wrong.value.status, wrong.value.code) == (401, codes.WRONG_PASSWORD), attempt
    url = f"{sandbox.url}/r/demo-zizhu/mgmt/v1/units/Z0004/session"
    locked = httpx.post(url, json={"password": "123400"}, trust_env=False)
    assert locked.status_code == 429
    assert locked.json() == {"code": codes.PASSWORD_LOCKED, "message": LOCKED_ONE_MINUTE}
    assert 1 <= int(locked.headers["Retry-After"]) <= 60
    with pytest.raises(ApiError) as change:
        remote.change_password("Z0004", session.token, "123400", "Sbf2026ok")
    assert (change.value.status, change.value.code, str(change.value)) == (429, 20104, LOCKED_ONE_MINUTE)
    # Other units are not affected, nor is the session opened before.
    assert remote.open_session("Z0005", "123450").must_change_password
    assert remote.registration("Z0004", session.token).taxpayer_id


def test_the_lock_grows_and_a_right_password_resets_the_count(sandbox_template, tmp_path):
    """The lock by the sandbox's clock: 1 minute after the tenth wrong password, then twice as long after each
    further wrong one, up to 30 minutes; the right password outside a lock starts the count again."""
    from datetime import datetime, timedelta

    from sbf_client.core.clock import CHINA_TZ
    from sbf_sandbox import db, registration
    from sbf_sandbox.errors import ApiFailure

    engine = db.make_engine(db.sqlite_url(_copy_template(sandbox_template, tmp_path)))
    now = datetime(2026, 12, 3, 10, 0, tzinfo=CHINA_TZ)

    def attempt(password: str) -> int | str:
        try:
            registration.open_session(engine, ZIZHU, "Z0004", password, now)
        except ApiFailure as failure:
            return failure.message if failure.code == codes.PASSWORD_LOCKED else failure.code
        return "ok"

    assert [attempt("wrong") for _ in range(LOCK_AFTER)] == [codes.WRONG_PASSWORD] * LOCK_AFTER
    assert attempt("123400") == LOCKED_ONE_MINUTE
    for minutes in (1, 2, 4, 8, 16, 30, 30):
        now += timedelta(minutes=minutes)  # the lock has just ended: the next wrong one locks for longer
        assert attempt("wrong") == codes.WRONG_PASSWORD
        expected = min(30, minutes * 2) if minutes < 30 else 30
        assert attempt("123400") == f"申报密码连续输错次数过多，为保护单位数据安全，请{expected}分钟后再试。"
    now += timedelta(minutes=30)
    assert attempt("123400") == "ok"
    assert [attempt("wrong") for _ in range(LOCK_AFTER - 1)] == [codes.WRONG_PASSWORD] * (LOCK_AFTER - 1)
    assert attempt("123400") == "ok"  # nine wrong ones after a reset: no lock
    engine.dispose()
