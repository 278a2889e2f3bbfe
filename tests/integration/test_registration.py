"""Registration and login against a real sandbox: lookup, initial password, change, 20101."""

import pytest

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.errors import ApiError
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
