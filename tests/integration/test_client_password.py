"""登录密码设置 (manual 4.3) in the services: set, change, remove; the rules and messages; the growing wait
after five wrong passwords, counted across restarts; only an Argon2id verifier in the data folder."""

from datetime import datetime

import pytest

from sbf_client.core.clock import CHINA_TZ, FixedClock
from sbf_client.core.errors import InputError
from sbf_client.services.client_password import (
    CHANGED,
    MISMATCH,
    REMOVED,
    RULE,
    SET,
    WRONG_OLD,
    ClientPasswordLocked,
    ClientPasswordService,
    wait_text,
)
from sbf_client.services.context import ClientContext
from sbf_client.store.home import DataHome

PASSWORD = "Desk2026pw"
NEW_PASSWORD = "Desk2027pw"


@pytest.fixture
def clock():
    return FixedClock(datetime(2026, 12, 10, 9, 0, tzinfo=CHINA_TZ))


@pytest.fixture
def opened(home: DataHome, clock):
    """``opened()``: the service over a freshly opened context on the same data home (a restart of the client)."""
    contexts: list[ClientContext] = []

    def open_service() -> ClientPasswordService:
        if contexts:
            contexts[-1].close()
        contexts.append(ClientContext(home, clock=clock))
        return ClientPasswordService(contexts[-1])

    yield open_service
    contexts[-1].close()


def test_none_is_set_at_first_and_any_password_passes(opened):
    service = opened()
    assert not service.is_set()
    service.check("")  # nothing to check: the client starts as before
    with pytest.raises(InputError, match="尚未设置登录密码"):
        service.clear_password(PASSWORD)


def test_set_change_and_remove(opened):
    service = opened()
    assert service.set_password(PASSWORD, PASSWORD) == SET
    assert service.is_set()
    service.check(PASSWORD)
    assert service.set_password(NEW_PASSWORD, NEW_PASSWORD, old=PASSWORD) == CHANGED
    with pytest.raises(InputError, match="登录密码错误"):
        service.check(PASSWORD)
    service.check(NEW_PASSWORD)
    assert service.clear_password(NEW_PASSWORD) == REMOVED
    assert not service.is_set()


def test_changing_needs_the_right_old_password(opened):
    service = opened()
    service.set_password(PASSWORD, PASSWORD)
    with pytest.raises(InputError) as missing:
        service.set_password(NEW_PASSWORD, NEW_PASSWORD)
    assert missing.value.message == "请输入原密码。"
    with pytest.raises(InputError) as wrong:
        service.set_password(NEW_PASSWORD, NEW_PASSWORD, old="Wrong2026pw")
    assert wrong.value.message == WRONG_OLD
    with pytest.raises(InputError) as wrong_clear:
        service.clear_password("Wrong2026pw")
    assert wrong_clear.value.message == WRONG_OLD
    with pytest.raises(InputError, match="不能与原密码相同"):
        service.set_password(PASSWORD, PASSWORD, old=PASSWORD)
    service.check(PASSWORD)  # nothing changed


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("", "", "请输入新密码。"),
        ("Desk2026pw", "Desk2026px", MISMATCH),
        ("Ab1cd", "Ab1cd", RULE),  # five characters
        ("A" * 9 + "b1" * 6, "A" * 9 + "b1" * 6, RULE),  # 21
        ("111111", "111111", RULE),  # all the same character
        ("Desk 2026", "Desk 2026", RULE),  # a space
        ("密码Desk2026", "密码Desk2026", RULE),  # not a letter, digit or English symbol
    ],
)
def test_rules_and_mismatch(opened, new, again, message):
    service = opened()
    with pytest.raises(InputError) as refused:
        service.set_password(new, again)
    assert refused.value.message == message
    assert not service.is_set()


def test_six_and_twenty_characters_are_accepted(opened):
    service = opened()
    service.set_password("a1b2c3", "a1b2c3")
    service.set_password("A" * 10 + "b1" * 5, "A" * 10 + "b1" * 5, old="a1b2c3")
    service.check("A" * 10 + "b1" * 5)


def test_five_wrong_passwords_then_a_growing_wait_that_survives_a_restart(opened, clock):
    service = opened()
    service.set_password(PASSWORD, PASSWORD)
    messages = []
    for _ in range(4):
        with pytest.raises(InputError) as wrong:
            service.check("Wrong2026pw")
        messages.append(wrong.value.message)
    assert messages[:2] == ["登录密码错误，请重新输入。"] * 2
    assert messages[2:] == [f"登录密码错误。再输错{n}次后须等待一段时间才能再试。" for n in (2, 1)]
    with pytest.raises(ClientPasswordLocked) as fifth:
        service.check("Wrong2026pw")
    assert fifth.value.message == "登录密码错误。登录密码已连续输错5次，请5秒后再试。"

    service = opened()  # a restart keeps the count
    with pytest.raises(ClientPasswordLocked) as waiting:
        service.check(PASSWORD)  # even the right password waits
    assert waiting.value.seconds == 5 and waiting.value.message == "登录密码已连续输错5次，请5秒后再试。"
    clock.advance(seconds=5)
    with pytest.raises(ClientPasswordLocked) as sixth:
        service.check("Wrong2026pw")
    assert sixth.value.seconds == 10
    clock.advance(seconds=9)
    with pytest.raises(ClientPasswordLocked, match="请1秒后再试"):
        service.set_password(NEW_PASSWORD, NEW_PASSWORD, old=PASSWORD)  # the 原密码 waits too
    clock.advance(seconds=1)
    with pytest.raises(ClientPasswordLocked) as seventh:
        service.clear_password("Wrong2026pw")  # and counts too
    assert seventh.value.seconds == 20 and seventh.value.message.startswith(f"{WRONG_OLD}。")
    assert service.wait_seconds() == 20

    clock.advance(seconds=20)
    service.check(PASSWORD)  # success clears the count
    assert service.store.failures().count == 0
    with pytest.raises(InputError) as first_again:
        service.check("Wrong2026pw")
    assert first_again.value.message == "登录密码错误，请重新输入。"


def test_the_wait_is_said_in_minutes_when_long():
    assert [wait_text(s) for s in (5, 60, 150, 900)] == ["5秒", "1分钟", "2分30秒", "15分钟"]


def test_only_an_argon2id_verifier_is_kept(opened, home: DataHome):
    service = opened()
    service.set_password(PASSWORD, PASSWORD)
    service.set_password(NEW_PASSWORD, NEW_PASSWORD, old=PASSWORD)
    with pytest.raises(InputError):
        service.check(PASSWORD)
    with service.store.engine.connect() as conn:
        (verifier,) = conn.exec_driver_sql("SELECT verifier FROM client_password").one()
    assert verifier.startswith("$argon2id$")
    opened()  # closed: the write-ahead log is folded into the file
    stored = b"".join(path.read_bytes() for path in home.root.rglob("*") if path.is_file())
    for secret in (PASSWORD, NEW_PASSWORD):
        assert secret.encode() not in stored
        assert secret.encode("utf-16-le") not in stored
