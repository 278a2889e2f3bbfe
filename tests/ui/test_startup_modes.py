"""The 数据更新 steps of a login follow the region's 征收模式: a 税务代征 region declares no 缴费工资 in the client,
so its login never waits for 缴费工资申报反馈 (service level: the steps the 数据更新 page runs)."""

from sbf_client.services.startup import StartupReport, login_steps, run_steps
from sbf_client.sync.progress import Progress
from tests.helpers import DAIZHENG, ZIZHU, logged_in

FEEDBACK = "缴费工资申报反馈"


def steps_and_messages(home, sandbox, taxpayer_id, unit_no, region):  # type: ignore[no-untyped-def]
    session = logged_in(home, sandbox, taxpayer_id, unit_no, region=region)
    try:
        report = StartupReport()
        steps = login_steps(session, report)
        messages: list[str] = []
        run_steps(steps, Progress(lambda update: messages.append(update.message)), report)
        return [step.title for step in steps], messages, report
    finally:
        session.close()
        session.context.close()


def test_a_daizheng_login_skips_the_wage_feedback(sandbox, tmp_path):
    titles, messages, report = steps_and_messages(
        tmp_path / "daizheng", sandbox, "91990201MA6K00014L", "9902010000084", DAIZHENG
    )
    assert FEEDBACK not in titles
    assert not [m for m in messages if FEEDBACK in m]
    assert messages[-1] == "数据更新完成" and not report.failures


def test_a_zizhu_login_still_fetches_the_wage_feedback(sandbox, tmp_path):
    titles, messages, _report = steps_and_messages(
        tmp_path / "zizhu", sandbox, "129901014557560827", "9901020000017", ZIZHU
    )
    assert titles[-1] == FEEDBACK
    assert f"正在{FEEDBACK}" in messages
    assert "更新职工参保信息：正在下载职工数据（180 / 180 条）" in messages  # the step's rows, in words
