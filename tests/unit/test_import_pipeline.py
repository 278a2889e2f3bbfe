"""The import pipeline (documents/templates, importing, staging): templates the client writes, every cell
rule, the template marker, set-wise checks in SQL, the annotated copy, files saved by LibreOffice Calc, and the
缴费工资 import on the pipeline (the same answers as ``domain.wages.check_rows``, row for row)."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import orjson
import pytest
from openpyxl import Workbook, load_workbook

from sbf_client.core.errors import InputError
from sbf_client.core.periods import Period
from sbf_client.documents.importing import RowError, read_import
from sbf_client.documents.staging import check_import, staged
from sbf_client.documents.templates import (
    ANNOTATION_TITLE,
    MARKER_NAME,
    MARKER_SHEET,
    Column,
    TemplateSpec,
    write_template,
)
from sbf_client.modules.employer.domain.wages import Employee, MonthWindow, check_rows
from sbf_client.modules.employer.services.wage_import import check_wage_rows, reading_specs, wage_template
from sbf_client.modules.employer.store.tables import employees, metadata
from sbf_client.store.engine import sqlite_engine
from tests.unit.test_wage_rules import ITEMS, NOW, insured
from tests.unit.test_wage_rules import STAFF as RULES_STAFF

FIXTURES = Path(__file__).parent.parent / "data" / "imports"
GRADES = ("一档", "二档", "三档")
# Every kind of column; the LibreOffice files under tests/data/imports are this template, filled in Calc.
KINDS = TemplateSpec(
    "test-all-kinds",
    1,
    "测试导入模板（各类列）",
    (
        Column("id_number", "证件号码", required=True, max_length=18, note="按文本填写"),
        Column("name", "姓名", max_length=20),
        Column("count", "人数", "int"),
        Column("amount", "金额", "money", required=True),
        Column("month", "年月", "month"),
        Column("day", "日期", "date"),
        Column("grade", "档次", "choice", choices=GRADES),
        Column("remark", "备注", max_length=10),
    ),
)
# The staff of the rules' own tests, and one more: 赵六, insured for all but 企业职工基本养老保险费.
STAFF = {**RULES_STAFF, "110101199003070011": Employee("E4", "赵六", "01", "110101199003070011", insured()[1:])}
OTHERS = {f"A000000{n}": f"职工{n}" for n in range(1, 7)}  # more employees, with no 险种, for the KINDS files


def unit_engine(folder: Path):
    """A unit database holding ``employees`` with STAFF, as the sync leaves it."""
    engine = sqlite_engine(folder / "unit.sqlite")
    metadata.create_all(engine, tables=[employees])
    filler = {c.name: "" for c in employees.c if not c.nullable}
    with engine.begin() as conn:
        for seq, person in enumerate(STAFF.values()):
            conn.execute(
                employees.insert().values(
                    {
                        **filler,
                        "key": person.key,
                        "seq": seq,
                        "name": person.name,
                        "id_type": person.id_type,
                        "id_number": person.id_number,
                        "status": "1",
                        "insured": orjson.dumps(person.insured).decode(),
                    }
                )
            )
        for seq, (id_number, name) in enumerate(OTHERS.items(), start=len(STAFF)):
            values = {**filler, "key": f"O{seq}", "seq": seq, "name": name, "id_number": id_number, "insured": "[]"}
            conn.execute(employees.insert().values(values))
    return engine


@pytest.fixture
def engine(tmp_path):
    engine = unit_engine(tmp_path)
    yield engine
    engine.dispose()


def filled(path: Path, spec: TemplateSpec, rows) -> Path:
    return write_template(spec, path, rows)


# ---------------------------------------------------------------- the template itself


def test_a_template_carries_its_marker_formats_dropdowns_and_notes(tmp_path):
    path = write_template(KINDS, tmp_path / "kinds.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == [KINDS.sheet_title, MARKER_SHEET]
    assert book[MARKER_SHEET].sheet_state == "veryHidden"
    assert [c.value for c in book[MARKER_SHEET][1]][:4] == ["sbf-template", "test-all-kinds", "1", None]
    assert book.defined_names[MARKER_NAME].attr_text == '"test-all-kinds@1"'
    sheet = book[KINDS.sheet_title]
    assert [c.value for c in sheet[1]] == [c.title for c in KINDS.columns]
    formats = {c.title: sheet.column_dimensions[chr(65 + i)].number_format for i, c in enumerate(KINDS.columns)}
    assert formats["证件号码"] == formats["年月"] == formats["备注"] == "@"  # text stays text
    assert formats["金额"] == "0.00" and formats["日期"] == "yyyy-mm-dd"
    rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    assert rules["G2"].type == "list" and rules["G2"].formula1 == "'_sbf_template'!$G$4:$G$6"
    assert [book[MARKER_SHEET].cell(row=r, column=7).value for r in (4, 5, 6)] == list(GRADES)
    assert rules["A2"].type == "textLength" and rules["A2"].formula1 == "18"
    assert "必填" in sheet["A1"].comment.text and "最多18个字符" in rules["A2"].prompt


def test_a_spec_refuses_keys_that_cannot_name_a_staging_column():
    with pytest.raises(ValueError):
        TemplateSpec("bad", 1, "坏模板", (Column("证件", "证件号码"),))
    with pytest.raises(ValueError):
        TemplateSpec("bad", 1, "坏模板", (Column("a", "甲"), Column("a", "乙")))


# ---------------------------------------------------------------- cells


GOOD = ["11010519491231002X", "王芳", 3, 9000.5, "2026-12", date(2026, 12, 1), "二档", "备注"]


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("证件号码", 1.1e17, "证件号码被Excel保存为数值，末位数字可能已丢失。请将该列设置为文本格式后重新填写"),
        ("证件号码", None, "证件号码不能为空"),
        ("证件号码", "1" * 19, "证件号码最多18个字符（现为19个）"),
        ("人数", "3.5", "人数须为整数"),
        ("人数", 3.5, "人数须为整数"),
        ("金额", "12.345", "金额须为金额，最多保留两位小数"),
        ("金额", 12.345, "金额须为金额，最多保留两位小数"),
        ("金额", "abc", "金额须为金额，最多保留两位小数"),
        ("年月", "2026/12", "年月须为YYYY-MM格式的年月"),
        ("年月", "2026-13", "年月须为YYYY-MM格式的年月"),
        ("日期", "2026-02-30", "日期须为YYYY-MM-DD格式的日期"),
        ("档次", "四档", "档次“四档”不是可选的值，请从下拉列表中选择"),
        ("备注", "这是一段超过十个字的备注文字", "备注最多10个字符（现为14个）"),
    ],
)
def test_each_cell_rule_gives_its_reason_on_its_row(tmp_path, column, value, expected):
    row = list(GOOD)
    row[[c.title for c in KINDS.columns].index(column)] = value
    rows = read_import(filled(tmp_path / "f.xlsx", KINDS, [GOOD, row]), KINDS)
    assert rows.problems == [RowError(3, column, expected)]
    assert rows.column(KINDS.columns[[c.title for c in KINDS.columns].index(column)].key)[1] is None


def test_cells_are_read_as_their_kinds(tmp_path):
    rows = read_import(
        filled(tmp_path / "f.xlsx", KINDS, [GOOD, ["H12345678", None, "7", "1,200", date(2026, 1, 5)]]), KINDS
    )
    assert not rows.problems and rows.row_numbers == [2, 3]
    assert rows.records()[0] == {
        "row": 2,
        "id_number": "11010519491231002X",
        "name": "王芳",
        "count": 3,
        "amount": Decimal("9000.50"),
        "month": Period(2026, 12),
        "day": date(2026, 12, 1),
        "grade": "二档",
        "remark": "备注",
    }
    assert rows.row(1)[:5] == ["H12345678", None, 7, Decimal("1200.00"), Period(2026, 1)]  # a date cell → its month


def test_a_column_rule_of_its_own_and_blank_rows(tmp_path):
    spec = TemplateSpec(
        "test-own-rule",
        1,
        "自定义规则模板",
        (Column("code", "代码", required=True, check=lambda v: None if v.isdigit() else "代码只能是数字"),),
    )
    rows = read_import(filled(tmp_path / "f.xlsx", spec, [["123"], [None], ["   "], ["12a"]]), spec)
    assert rows.row_numbers == [2, 5] and rows.problems == [RowError(5, "代码", "代码只能是数字")]


# ---------------------------------------------------------------- which file this is


def plain_workbook(path: Path, rows) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_file_not_made_from_the_template_is_refused_naming_the_template(tmp_path):
    path = plain_workbook(tmp_path / "mine.xlsx", [[c.title for c in KINDS.columns], GOOD])
    with pytest.raises(InputError, match=r"不是客户端下载的导入模板.*请下载【测试导入模板（各类列）】"):
        read_import(path, KINDS)
    loose = KINDS.with_columns([Column("id_number", "证件号码", required=True, aliases=("身份证号",))])
    aliased = plain_workbook(
        tmp_path / "alias.xlsx", [["说明：以下为名单"], [], ["姓名", "身份证号"], ["王芳", "H12345678"]]
    )
    rows = read_import(aliased, KINDS, untemplated=loose)
    assert not rows.from_template and rows.row_numbers == [4] and rows.column("id_number") == ["H12345678"]
    with pytest.raises(InputError, match="文件缺少“证件号码”列，请使用导入模板填写。"):
        read_import(plain_workbook(tmp_path / "none.xlsx", [["姓名"], ["王芳"]]), KINDS, untemplated=loose)


def test_another_template_or_version_is_refused(tmp_path):
    other = TemplateSpec("test-other", 1, "另一个导入模板", KINDS.columns)
    with pytest.raises(InputError, match=r"该文件是【另一个导入模板】，不是【测试导入模板（各类列）】"):
        read_import(filled(tmp_path / "o.xlsx", other, [GOOD]), KINDS)
    old = TemplateSpec("test-all-kinds", 0, KINDS.title, KINDS.columns)
    with pytest.raises(InputError, match=r"旧版本的【测试导入模板（各类列）】（模板版本0，本客户端为版本1）.*请下载"):
        read_import(filled(tmp_path / "v0.xlsx", old, [GOOD]), KINDS)
    newer = TemplateSpec("test-all-kinds", 2, KINDS.title, KINDS.columns)
    with pytest.raises(InputError, match=r"较新版本.*请升级客户端"):
        read_import(filled(tmp_path / "v2.xlsx", newer, [GOOD]), KINDS)


def test_the_hidden_sheet_names_the_template_when_the_defined_name_is_gone(tmp_path):
    path = filled(tmp_path / "f.xlsx", KINDS, [GOOD])
    book = load_workbook(path)
    del book.defined_names[MARKER_NAME]
    book.save(tmp_path / "no-name.xlsx")
    assert read_import(tmp_path / "no-name.xlsx", KINDS).from_template
    book[MARKER_SHEET]["D1"] = "=1+2"  # the hidden sheet is read then: it is looked at as a data sheet is
    book.save(tmp_path / "marker-formula.xlsx")
    with pytest.raises(InputError, match="工作表“_sbf_template”含有公式（单元格D1）"):
        read_import(tmp_path / "marker-formula.xlsx", KINDS)


def test_a_changed_header_or_no_rows_is_refused(tmp_path):
    book = load_workbook(filled(tmp_path / "f.xlsx", KINDS, [GOOD]))
    book[KINDS.sheet_title]["C1"] = "人员数"
    book.save(tmp_path / "changed.xlsx")
    with pytest.raises(InputError, match="导入模板的表头已被修改（第3列应为“人数”）"):
        read_import(tmp_path / "changed.xlsx", KINDS)
    with pytest.raises(InputError, match=r"文件中没有数据。请在【测试导入模板（各类列）】的第2行起填写"):
        read_import(write_template(KINDS, tmp_path / "empty.xlsx"), KINDS)


# ---------------------------------------------------------------- set-wise checks and the annotated copy

# A later template is a spec plus a validator: 批量编辑职工分组 (证件号码, 分组 as 一级/二级/三级).
GROUPS = TemplateSpec(
    "test-employee-groups",
    1,
    "批量编辑职工分组模板",
    (
        Column("id_number", "证件号码", required=True, max_length=30),
        Column(
            "group",
            "分组",
            required=True,
            max_length=60,
            note="最多三级，用“/”分隔，如 一级/二级/三级",
            check=lambda path: (
                None
                if 1 <= len(path.split("/")) <= 3 and all(p.strip() for p in path.split("/"))
                else "分组最多三级，各级名称不能为空，用“/”分隔"
            ),
        ),
    ),
)


def group_rules(stage):
    yield from stage.unknown("id_number", "employees", "id_number", lambda v: "证件号码在本单位职工中未找到")
    yield from stage.duplicates(["id_number"], lambda first: f"与第{first}行的职工重复")


def test_a_group_template_is_a_spec_plus_a_validator(tmp_path, engine):
    rows = [
        ["11010519491231002X", "销售部/华东/上海"],
        ["440524188001010014", "销售部"],
        ["999999999999999999", "财务部"],
        ["11010519491231002X", "研发部"],
        ["H12345678", "a/b/c/d"],
        ["110101199003070011", "研发部//测试"],
    ]
    path = filled(tmp_path / "groups.xlsx", GROUPS, rows)
    before = path.read_bytes()
    with engine.connect() as conn:
        check = check_import(path, GROUPS, conn, group_rules)
        left = conn.exec_driver_sql("SELECT count(*) FROM temp.sqlite_master").scalar()
    assert check.messages() == [
        "第4行：证件号码在本单位职工中未找到",
        "第5行：与第2行的职工重复",
        "第6行：分组最多三级，各级名称不能为空，用“/”分隔",
        "第7行：分组最多三级，各级名称不能为空，用“/”分隔",
    ]
    assert not check.ok and left == 0 and path.read_bytes() == before  # no staging table left, file untouched
    good = filled(tmp_path / "good.xlsx", GROUPS, rows[:2])
    with engine.begin() as conn:  # checked and applied in one transaction
        applied = check_import(good, GROUPS, conn, group_rules)
        assert applied.ok and [r["group"] for r in applied.rows.records()] == ["销售部/华东/上海", "销售部"]


def test_the_annotated_copy_marks_bad_cells_and_imports_once_fixed(tmp_path, engine):
    rows = [["11010519491231002X", "销售部"], ["999999999999999999", "a/b/c/d"], ["440524188001010014", "财务部"]]
    with engine.connect() as conn:
        check = check_import(filled(tmp_path / "g.xlsx", GROUPS, rows), GROUPS, conn, group_rules)
    copy = check.annotate(tmp_path / "annotated.xlsx")
    sheet = load_workbook(copy)[GROUPS.sheet_title]
    assert [c.value for c in sheet[1]] == ["证件号码", "分组", ANNOTATION_TITLE]
    assert sheet["C3"].value == "证件号码在本单位职工中未找到；分组最多三级，各级名称不能为空，用“/”分隔"
    assert sheet["A3"].fill.fgColor.rgb == sheet["B3"].fill.fgColor.rgb == "FFFFC7CE"
    assert sheet["A2"].fill.fgColor.rgb != "FFFFC7CE" and sheet["C2"].value is None
    sheet["A3"], sheet["B3"] = "H12345678", "财务部/出纳"
    book = sheet.parent
    book.save(tmp_path / "fixed.xlsx")
    with engine.connect() as conn:
        assert check_import(tmp_path / "fixed.xlsx", GROUPS, conn, group_rules).ok  # 错误原因 is ignored


def test_staging_holds_texts_and_the_bad_flag(engine, tmp_path):
    rows = read_import(filled(tmp_path / "f.xlsx", KINDS, [GOOD, ["X1", None, None, "bad"]]), KINDS)
    with engine.connect() as conn, staged(conn, rows) as stage:
        got = conn.exec_driver_sql(f"SELECT row_no, id_number, amount, month, day, bad FROM temp.{stage.table}").all()
    assert [tuple(r) for r in got] == [
        (2, "11010519491231002X", "9000.50", "2026-12", "2026-12-01", 0),
        (3, "X1", None, None, None, 1),
    ]


# ---------------------------------------------------------------- files saved by LibreOffice Calc


def test_a_template_filled_and_saved_in_libreoffice_imports(engine):
    path = FIXTURES / "libreoffice-valid.xlsx"
    with zipfile.ZipFile(path) as saved:
        assert b"LibreOffice" in saved.read("docProps/app.xml")
    with engine.connect() as conn:
        check = check_import(
            path, KINDS, conn, lambda s: s.unknown("id_number", "employees", "id_number", lambda v: "未找到")
        )
    assert check.ok, check.messages()
    first, second, third = check.rows.records()
    assert first["id_number"] == "11010519491231002X" and second["id_number"] == "110101199003070011"
    assert (first["count"], first["amount"], first["month"], first["day"]) == (
        3,
        Decimal("9000.50"),
        Period(2026, 12),
        date(2026, 12, 1),
    )
    assert second["grade"] == "三档" and third["id_number"] == "H12345678"


def test_a_libreoffice_file_with_errors_is_refused_row_by_row(engine):
    with engine.connect() as conn:
        check = check_import(
            FIXTURES / "libreoffice-errors.xlsx",
            KINDS,
            conn,
            lambda s: [
                *s.unknown("id_number", "employees", "id_number", lambda v: "证件号码在本单位职工中未找到"),
                *s.duplicates(["id_number"], lambda first: f"与第{first}行重复"),
            ],
        )
    assert check.messages() == [
        "第3行：证件号码在本单位职工中未找到",
        "第4行：金额须为金额，最多保留两位小数",
        "第5行：年月须为YYYY-MM格式的年月",
        "第6行：日期须为YYYY-MM-DD格式的日期",
        "第7行：档次“四档”不是可选的值，请从下拉列表中选择",
        "第8行：人数须为整数",
        "第9行：备注最多10个字符（现为13个）",
        "第10行：与第2行重复",
    ]


# ---------------------------------------------------------------- the 缴费工资 import on the pipeline

WAGE_ROWS = [
    ["王芳", "11010519491231002x", "8,000.5", "2026-12"],  # fine (lower-case x)
    ["李强", "440524188001010014", "8000", "2026-07"],  # after the stop month
    ["", "H12345678", "8000", "2026-12"],  # 税务代征 only: filtered
    ["张冒名", "110101199003070011", "8000", "2026-12"],  # another name
    ["", "440305199001011234", "8000", "2026-12"],  # not an employee
    ["", "", "8000", "2026-12"],  # no ID
    ["", "110101199003070011", "0", "2026-12"],
    ["", "110101199003070011", "100000000", "2026-12"],
    ["", "110101199003070011", "12.345", "2026-12"],
    ["", "110101199003070011", "8000", "2026/12"],
    ["", "110101199003070011", "8000", "2031-01"],  # outside the window
    ["", "110101199003070011", "8000", "2026-03"],  # back payments: a warning
    ["", "110101199003070011", "8100", "2026-12"],  # the same employee again
    ["", "11010519491231002X", "", "2026-12"],
]


def old_rules(rows, kind="日常", by="按职工"):
    headers = ["姓名", "证件号码", *(["险种"] if by == "按险种" else []), "新缴费工资", "生效年月"]
    dicts = [dict(zip(headers, r, strict=True)) for r in rows]
    return check_rows(dicts, list(range(2, len(rows) + 2)), STAFF, ITEMS, kind, by, NOW, MonthWindow())


def new_rules(tmp_path, engine, rows, kind="日常", by="按职工"):
    template, loose = reading_specs(kind, by)
    path = tmp_path / "w.csv"
    headers = ["姓名", "证件号码", *(["险种"] if by == "按险种" else []), "新缴费工资", "生效年月"]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([headers, *rows])
    with engine.connect() as conn:
        return check_wage_rows(conn, read_import(path, template, untemplated=loose), ITEMS, kind, NOW, MonthWindow())


def same_answers(old, new):
    assert new.errors == old.errors and new.warnings == old.warnings and new.filtered == old.filtered
    assert [(x.employee.key, x.item, x.old_wage, x.new_wage, x.effective_month) for x in new.lines] == [
        (x.employee.key, x.item, x.old_wage, x.new_wage, x.effective_month) for x in old.lines
    ]


def test_the_wage_check_in_sql_answers_as_the_row_by_row_rules(tmp_path, engine):
    new = new_rules(tmp_path, engine, WAGE_ROWS)
    same_answers(old_rules(WAGE_ROWS), new)
    assert len(new.errors) == 11 and new.filtered == 1 and len(new.lines) == 2
    assert [p.column for p in new.problems][:3] == ["生效年月", "姓名", "证件号码"]


def test_the_wage_check_by_item_and_annual_answers_as_the_rules(tmp_path, engine):
    by_item = [
        ["", "11010519491231002X", "职工基本医疗保险费", "8800", "2026-12"],
        ["", "11010519491231002X", "10210", "8800", "2026-12"],
        ["", "11010519491231002X", "工伤保险费", "8800", "2026-12"],  # 税务代征: filtered
        ["", "110101199003070011", "企业职工基本养老保险费", "8800", "2026-12"],  # not insured
        ["", "110101199003070011", "生育保险", "8800", "2026-12"],  # unknown 险种
        ["", "11010519491231002X", "职工基本医疗保险费", "8900", "2026-12"],  # same 险种 again
    ]
    same_answers(old_rules(by_item, by="按险种"), new_rules(tmp_path, engine, by_item, by="按险种"))
    annual = [["", "11010519491231002X", "8800", ""], ["", "440524188001010014", "8800", "2027-01"]]
    same_answers(old_rules(annual, "年度"), new_rules(tmp_path, engine, annual, "年度"))


def test_the_wage_template_saved_by_libreoffice_is_checked(engine):
    template, loose = reading_specs("日常", "按职工")
    imported = read_import(FIXTURES / "libreoffice-wages.xlsx", template, untemplated=loose)
    assert imported.from_template
    with engine.connect() as conn:
        check = check_wage_rows(conn, imported, ITEMS, "日常", NOW)
    assert check.ok and [(x.employee.key, x.new_wage, str(x.effective_month)) for x in check.lines] == [
        ("E1", Decimal("9000.00"), "2026-12"),
        ("E4", Decimal("12000.50"), "2026-12"),
    ]


def test_a_wage_file_of_another_wage_template_is_refused(tmp_path):
    annual = write_template(wage_template("年度", "按职工"), tmp_path / "annual.xlsx", [["王芳", "H12345678", "9000"]])
    template, loose = reading_specs("日常", "按职工")
    with pytest.raises(
        InputError, match=r"该文件是【年度缴费工资申报导入模板（按职工）】，不是【日常缴费工资申报导入模板（按职工）】"
    ):
        read_import(annual, template, untemplated=loose)
