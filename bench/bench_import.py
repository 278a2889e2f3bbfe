"""The import pipeline at 100,000 rows (target ≤ 3 s each), on a unit database of 100,000 cached employees.

* ``import_template_100k``: a generic template read and validated — guard, marker, python-calamine, every cell
  parsed, then staged and checked in SQL (证件号码 among the employees, the same one twice).
* ``wage_check_100k``: the 缴费工资 file check on the pipeline (``WageService.check_file``'s work) on a
  filled 日常缴费工资申报导入模板（按职工）; reference: the path it replaced — the first sheet read whole into
  rows of text keyed by the header (``_old_table``, the reader that path had), every employee's 险种 JSON
  decoded, ``domain.wages.check_rows`` row by row.
* ``wage_check_csv_100k``: the same rows as a CSV file (a file not made from the template).
* ``import_hostile_slowest``: the slowest refusal among the hostile files of
  ``tests/integration/test_import_hostile.py`` (zip bombs, a million rows, 16,384 columns, formulas, …);
  each must be refused in under 10 s.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import orjson
from python_calamine import CalamineWorkbook
from sqlalchemy import Engine, select

from sbf_client.core.errors import InputError
from sbf_client.core.ids import id_number_check_char
from sbf_client.core.periods import Period
from sbf_client.documents.importing import read_import
from sbf_client.documents.staging import check_import
from sbf_client.documents.templates import Column, TemplateSpec, write_template
from sbf_client.modules.employer.domain.wages import Employee, check_rows
from sbf_client.modules.employer.services.wage_import import check_wage_rows, reading_specs, wage_template
from sbf_client.modules.employer.store.tables import employees, metadata
from sbf_client.store.engine import sqlite_engine

from .report import best_of, emit, timed

ROWS = 100_000
CURRENT = Period(2026, 12)
ITEMS = {"10210": "企业职工基本养老保险费", "10212": "职工基本医疗保险费", "10213": "工伤保险费", "10214": "失业保险费"}
GENERIC = TemplateSpec(
    "bench-generic",
    1,
    "基准测试导入模板",
    (
        Column("id_number", "证件号码", required=True, max_length=18),
        Column("name", "姓名", max_length=50),
        Column("wage", "金额", "money", required=True),
        Column("month", "年月", "month", required=True),
        Column("grade", "档次", "choice", choices=("一档", "二档", "三档")),
    ),
)


def _people(count: int) -> list[tuple[str, str]]:
    """Distinct, well-formed 居民身份证号 (1,000 per birth day) with names."""
    rng = random.Random(7)
    people = []
    for n in range(count):
        born = date(1960, 1, 1) + timedelta(days=n // 1000)
        first17 = f"110101{born:%Y%m%d}{n % 1000:03d}"
        people.append((first17 + id_number_check_char(first17), f"职工{rng.randrange(10**6):06d}"))
    return people


def _database(scratch: Path, people: list[tuple[str, str]]) -> Engine:
    engine = sqlite_engine(scratch / "unit.sqlite")
    metadata.create_all(engine, tables=[employees])
    # 险种 rows shaped as the sandbox sends them: six items of eight fields, one of them 税务代征.
    insured = [
        {
            "item": code,
            "category": f"{code}0001",
            "sub": f"{code}00011",
            "special": "101",
            "base": "7000.00",
            "start": "2019-01",
            "end": None,
            "mode": "2" if code == "10213" else "1",
        }
        for code in ("10210", "10211", "10212", "10213", "10214", "10218")
    ]
    filler = {c.name: "" for c in employees.c if not c.nullable}  # columns this bench has no use for
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE INDEX employees_by_id_number ON employees (id_number)")
        conn.execute(
            employees.insert(),
            [
                {
                    **filler,
                    "key": f"E{n:07d}",
                    "seq": n,
                    "person_no": f"P{n:07d}",
                    "name": name,
                    "gender": "1",
                    "id_type": "01",
                    "id_number": id_number,
                    "birth_date": "1990-01-01",
                    "unit_no": "U1",
                    "status": "1",
                    "updated_at": "2026-01-01",
                    "insured": orjson.dumps(insured).decode(),
                }
                for n, (id_number, name) in enumerate(people)
            ],
        )
    return engine


def _old_text(value: object) -> str:
    """A cell as text, as the replaced reader made it (booleans and dates left out: this file has none)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _old_table(path: Path) -> tuple[list[dict[str, str]], list[int]]:
    """The replaced reader, as it was: the first sheet read whole by python-calamine, every cell as text, each
    non-empty row keyed by the header row; with each row's number in the sheet."""
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    headers = [_old_text(c) for c in grid[0]]
    rows, numbers = [], []
    for number, cells in enumerate(grid[1:], start=2):
        values = [_old_text(c) for c in cells]
        if any(values):
            rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h})
            numbers.append(number)
    return rows, numbers


def _old_check(engine: Engine, path: Path) -> int:
    """The replaced path, as it was: the old reader, then each wanted employee's 险种 decoded, then check_rows."""
    rows, numbers = _old_table(path)
    wanted = sorted({r["证件号码"].strip().upper() for r in rows})
    known: dict[str, Employee] = {}
    with engine.connect() as conn:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for row in conn.execute(select(employees).where(employees.c.id_number.in_(chunk))):
                known[row.id_number] = Employee(
                    row.key, row.name, row.id_type, row.id_number, orjson.loads(row.insured)
                )
    check = check_rows(rows, numbers, known, ITEMS, "日常", "按职工", CURRENT)
    return len(check.lines)


def _new_check(engine: Engine, path: Path) -> int:
    template, loose = reading_specs("日常", "按职工")
    imported = read_import(path, template, untemplated=loose)
    with engine.connect() as conn:
        check = check_wage_rows(conn, imported, ITEMS, "日常", CURRENT)
    assert check.ok, check.errors[:3]
    return len(check.lines)


def _generic(engine: Engine, path: Path) -> int:
    def validate(stage):  # type: ignore[no-untyped-def]
        yield from stage.unknown("id_number", "employees", "id_number", lambda v: "证件号码在本单位职工中未找到")
        yield from stage.duplicates(["id_number"], lambda first: f"与第{first}行重复")

    with engine.connect() as conn:
        check = check_import(path, GENERIC, conn, validate)
    assert check.ok, check.messages(3)
    return len(check.rows)


def run(scratch: Path) -> None:
    people = _people(ROWS)
    engine = _database(scratch, people)
    months = [str(CURRENT.add(-k)) for k in range(3)]
    wage_rows = [[name, number, f"{8000 + n % 500}.50", months[n % 3]] for n, (number, name) in enumerate(people)]
    wage_file = write_template(
        wage_template("日常", "按职工", tuple(ITEMS.values())), scratch / "wages.xlsx", wage_rows
    )
    csv_file = scratch / "wages.csv"
    with csv_file.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["姓名", "证件号码", "新缴费工资", "生效年月"])
        writer.writerows(wage_rows)
    generic_rows = [[number, name, 9000 + n % 7, months[n % 3], "一档"] for n, (number, name) in enumerate(people)]
    generic_file = write_template(GENERIC, scratch / "generic.xlsx", generic_rows)

    emit("import_template_100k", best_of(3, lambda: _generic(engine, generic_file)), "s")
    old, lines = timed(lambda: _old_check(engine, wage_file))
    assert lines == ROWS
    new = best_of(3, lambda: _new_check(engine, wage_file))
    emit("wage_check_100k", new, "s", reference=old, reference_name="row_by_row_check")
    emit("wage_check_csv_100k", best_of(3, lambda: _new_check(engine, csv_file)), "s")
    emit("import_hostile_slowest", _slowest_refusal(scratch, engine), "s", reference=10, reference_name="budget_10s")
    engine.dispose()


def _slowest_refusal(scratch: Path, engine: Engine) -> float:
    from tests.integration.test_import_hostile import HOSTILE, group_rules_for_kinds
    from tests.unit.test_import_pipeline import KINDS

    def refuse(path: Path) -> None:
        try:
            with engine.connect() as conn:
                check_import(path, KINDS, conn, group_rules_for_kinds)
        except InputError:
            return
        raise AssertionError(f"{path.name} was not refused")

    slowest = 0.0
    for number, (make, _message) in enumerate(HOSTILE.values()):
        folder = scratch / f"hostile-{number}"
        folder.mkdir()
        path = make(folder)
        slowest = max(slowest, timed(lambda path=path: refuse(path))[0])
    return slowest
