"""``sbf-client`` on the command line against a real sandbox: JSON out, errors in Chinese."""

import os
import subprocess
import sys

from tests.helpers import CLI_PASSWORD, ZIZHU, admin, api, cli, cli_unit, login

HOSPITAL = "129901014557557170"


def region_set(home, sandbox):
    root = sandbox.endpoints(ZIZHU).mgmt_url
    return cli(home, "region", "set", "演示地区（税务自主模式）", "--mgmt-url", root, "--coll-url", root)


def test_region_list_and_set_once(sandbox, tmp_path):
    home = tmp_path / "home"
    listed = cli(home, "region", "list")
    assert {r["name"] for r in listed["regions"]} == {"演示地区（税务自主模式）", "演示地区（税务代征模式）"}
    assert listed["chosen"] is None
    assert region_set(home, sandbox)["region"]["mode"] == "税务自主模式"
    refused = cli(home, "region", "set", "演示地区（税务代征模式）", check=False)
    assert not refused["ok"] and "地区一经确定不能更改" in refused["error"]["message"]
    unknown = cli(tmp_path / "other", "region", "set", "火星", check=False)
    assert "没有名为“火星”的地区" in unknown["error"]["message"]


def test_add_a_unit_that_shares_its_taxpayer_id(sandbox, tmp_path):
    home = tmp_path / "home"
    region_set(home, sandbox)
    ambiguous = cli(home, "unit", "add", HOSPITAL, "--yes", password=None, check=False)
    message = ambiguous["error"]["message"]
    assert "您输入的纳税人识别号对应多家单位，请选择本次需要办理社保业务的单位" in message
    assert "演示市妇幼保健院东院区" in message
    # Nothing on this machine says which unit holds the 单位编号: no password is tried to find out.
    unknown = cli(home, "unit", "add", HOSPITAL, "--unit-no", "9901010000225", "--yes", password=None, check=False)
    # (a printed error masks long digit runs: the 单位编号 shows as 9901*****0225)
    assert "本机尚不知道单位编号9901*****0225属于哪一家" in unknown["error"]["message"]
    assert "请用 --choice 序号选择单位：1 演示市妇幼保健院" in unknown["error"]["message"]
    east = ("unit", "add", HOSPITAL, "--choice", "2", "--unit-no", "9901010000225", "--yes")
    no_new_password = cli(home, *east, password=None, check=False)
    assert "SBF_NEW_PASSWORD" in no_new_password["error"]["message"]
    assert "--password-stdin" in no_new_password["error"]["message"]
    weak = cli(home, *east, password=None, new_password="000225", check=False)
    assert "不能与初始申报密码相同" in weak["error"]["message"]
    added = cli(home, *east, password=None, new_password=CLI_PASSWORD)
    assert added["unit"]["name"] == "演示市妇幼保健院东院区" and added["password_changed"]
    assert added["registrations"] == [
        {
            "unit_no": "9901010000225",
            "agency": "演示市高新区社会保险事业管理中心",
            "tax_authority": "国家税务总局演示市高新区税务局",
        }
    ]
    # The other unit is now the only one not known to lack 9901010000217; the passwords come on stdin.
    other = cli(
        home,
        "unit",
        "add",
        HOSPITAL,
        "--unit-no",
        "9901010000217",
        "--password-stdin",
        "--yes",
        password=None,
        stdin=f"000217\n{CLI_PASSWORD}\n",
    )
    assert other["unit"]["name"] == "演示市妇幼保健院" and other["password_changed"]
    listed = cli(home, "unit", "list")
    assert [u["name"] for u in listed["units"]] == ["演示市妇幼保健院东院区", "演示市妇幼保健院"]
    assert [u["name"] for u in cli(home, "unit", "list", "--search", "东院")["units"]] == ["演示市妇幼保健院东院区"]


def test_unit_no_chooses_the_unit_also_with_a_changed_password(sandbox, tmp_path):
    # Both units of the taxpayer get the same changed 申报密码: only the 单位编号 can tell them apart.
    remote = api(sandbox)
    login(remote, "Z0002", "000217", new=CLI_PASSWORD)
    login(remote, "Z0003", "000225", new=CLI_PASSWORD)
    home = tmp_path / "home"
    region_set(home, sandbox)
    east = cli(home, "unit", "add", HOSPITAL, "--choice", "2", "--unit-no", "9901010000225", "--yes")
    assert east["unit"]["name"] == "演示市妇幼保健院东院区" and not east["password_changed"]
    assert [r["unit_no"] for r in east["registrations"]] == ["9901010000225"]
    main = cli(home, "unit", "add", HOSPITAL, "--unit-no", "9901010000217", "--yes")
    assert main["unit"]["name"] == "演示市妇幼保健院"
    unknown = cli(home, "unit", "add", HOSPITAL, "--unit-no", "9901019999999", "--yes", check=False)
    assert "均已添加到本机，其参保登记信息中都没有单位编号9901*****9999" in unknown["error"]["message"]
    mismatch = cli(home, "unit", "add", HOSPITAL, "--choice", "1", "--unit-no", "9901010000225", "--yes", check=False)
    assert "单位【演示市妇幼保健院】的参保登记信息中没有单位编号9901*****0225" in mismatch["error"]["message"]


def test_confirmation_is_required_and_a_refusal_changes_nothing_on_the_server(sandbox, tmp_path):
    home = tmp_path / "home"
    region_set(home, sandbox)
    add = ("unit", "add", "91990101MA5D00024T", "--unit-no", "1234")
    refused = cli(home, *add, password=None, new_password=CLI_PASSWORD, check=False)
    assert "我已确认无误" in refused["error"]["message"] and "申报密码未修改" in refused["error"]["message"]
    assert cli(home, "unit", "list")["units"] == []
    # The initial password still opens the unit: re-running with --yes, as the message says, works.
    added = cli(home, *add, "--yes", password=None, new_password=CLI_PASSWORD)
    assert added["password_changed"]


def test_bad_taxpayer_id_and_wrong_password(sandbox, tmp_path):
    home = tmp_path / "home"
    region_set(home, sandbox)
    bad = cli(home, "unit", "add", "91990101MA5D00024X", "--yes", password=None, check=False)
    assert "纳税人识别号格式不正确" in bad["error"]["message"]
    wrong = cli(home, "unit", "add", "91990101MA5D00024T", "--yes", password="123401", check=False)
    assert wrong["error"] == {"code": 20101, "message": "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。"}


def test_sync_and_password_change(sandbox, tmp_path):
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    first = cli(home, "sync", "--unit", "91990101MA5D000160")
    assert (first["mode"], first["added"], first["total"]) == ("full", 60, 60)
    assert [d["dataset"] for d in first["datasets"]] == ["employees"]  # every dataset of the module
    named = cli(home, "sync", "--unit", "91990101MA5D000160", "--dataset", "employees")
    assert (named["mode"], named["added"], named["total"]) == ("incremental", 0, 60)
    unknown = cli(home, "sync", "--unit", "91990101MA5D000160", "--dataset", "payments", password=None, check=False)
    assert unknown["error"]["message"] == "用人单位业务没有数据集“payments”。可更新的数据集：employees。"
    admin(sandbox, "POST", "/admin/units/Z0001/feeds/employees/mutate", {"hires": 2, "removals": 1})
    second = cli(home, "--home", str(home), "sync", "--unit", "演示市云帆科技有限公司")
    assert {k: second[k] for k in ("mode", "added", "changed", "deleted", "total", "reason")} == {
        "mode": "incremental",
        "added": 2,
        "changed": 0,
        "deleted": 1,
        "total": 61,
        "reason": "",
    }
    full = cli(home, "sync", "--unit", "91990101MA5D000160", "--full")
    assert (full["mode"], full["added"], full["changed"], full["deleted"], full["reason"]) == (
        "full",
        0,
        0,
        0,
        "全量更新",
    )
    changed = cli(home, "unit", "passwd", "--unit", "91990101MA5D000160", new_password="Another2026")
    assert changed["unit"] == "91990101MA5D000160"
    stale = cli(home, "sync", "--unit", "91990101MA5D000160", check=False)
    assert stale["error"]["code"] == 20101
    assert cli(home, "sync", "--unit", "91990101MA5D000160", password="Another2026")["total"] == 61
    piped = cli(home, "sync", "--unit", "91990101MA5D000160", "--password-stdin", password=None, stdin="Another2026\n")
    assert piped["mode"] == "incremental"


def test_wages_declare_and_feedback(sandbox, tmp_path):
    admin(sandbox, "PUT", "/admin/settings", {"feedback_delay": 0})
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    cli(home, "sync", "--unit", "91990101MA5D000160")
    import sqlite3

    from tests.helpers import unit_db

    with sqlite3.connect(unit_db(home)) as conn:
        people = conn.execute(
            "SELECT name, id_number FROM employees WHERE status='1' AND id_type='01' LIMIT 2"
        ).fetchall()
    sheet = tmp_path / "wages.csv"
    sheet.write_text(
        "姓名,证件号码,新缴费工资,生效年月\n" + "".join(f"{n},{i},9000,2026-12\n" for n, i in people), encoding="utf-8"
    )
    declared = cli(home, "wages", "declare", "--unit", "91990101MA5D000160", "--file", str(sheet))
    assert declared["declaration"]["status"] == "待反馈" and declared["rows"] == 2
    feedback = cli(home, "wages", "feedback", "--unit", "91990101MA5D000160", "--wait", "10")
    assert [d["status"] for d in feedback["declarations"]] == ["全部申报成功"]
    detail = cli(home, "wages", "detail", "--unit", "91990101MA5D000160", "--id", str(declared["declaration"]["id"]))
    assert [i["status"] for i in detail["items"]] == ["成功", "成功"] and not detail["offline"]
    # The same file again (a re-run after a crash?): refused until --again says it is meant.
    repeat = ("wages", "declare", "--unit", "91990101MA5D000160", "--file", str(sheet))
    refused = cli(home, *repeat, check=False)["error"]["message"]
    assert "提交过内容相同的日常缴费工资申报" in refused and "请加 --again 重新运行" in refused
    assert len(cli(home, "wages", "feedback", "--unit", "91990101MA5D000160")["declarations"]) == 1
    assert cli(home, *repeat, "--again")["declaration"]["id"] != declared["declaration"]["id"]
    missing = cli(
        home, "wages", "declare", "--unit", "91990101MA5D000160", "--file", str(tmp_path / "none.xlsx"), check=False
    )
    assert "找不到文件" in missing["error"]["message"]


def test_without_a_password_in_a_script_the_error_says_what_to_do(sandbox, tmp_path):
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    result = cli(home, "sync", "--unit", "91990101MA5D000160", password=None, check=False)
    assert "SBF_PASSWORD" in result["error"]["message"]


def test_text_output_is_for_people(sandbox, tmp_path):
    home = tmp_path / "home"
    cli_unit(home, sandbox, "91990101MA5D000160", "9901010000135")
    env = {**os.environ, "SBF_HOME": str(home), "SBF_PASSWORD": CLI_PASSWORD}
    out = subprocess.run(
        [sys.executable, "-m", "sbf_client", "sync", "--unit", "91990101MA5D000160"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert out.stdout.startswith("全量更新完成（首次更新，下载全部数据）：新增 60")
