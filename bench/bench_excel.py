"""Excel export: the same 100,000 employee-like rows written by each candidate library (best of three).

Every writer produces the same sheet: a bold, frozen header with an autofilter and column widths, text cells
for the ID numbers, ``#,##0.00`` money (Decimal converted at the file boundary), ``yyyy-mm-dd`` dates and
whole numbers. Reference: openpyxl in write-only mode. Goal for ``write_xlsx``: ≤ 6 s and ≤ 0.5× the
reference. A library that is not installed is skipped (only the chosen one is a project dependency).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sbf_client.documents.excel import ExcelColumn, write_xlsx

from .report import best_of, emit

ROWS = 100_000
REPEATS = 3
REFERENCE = "openpyxl_write_only"

COLUMNS = [
    ExcelColumn("姓名", 10),
    ExcelColumn("性别", 6),
    ExcelColumn("证件类型", 12),
    ExcelColumn("证件号码", 22),
    ExcelColumn("参保状态", 10),
    ExcelColumn("单位编号", 12),
    ExcelColumn("缴费基数", 14, "money"),
    ExcelColumn("参保日期", 12, "date"),
    ExcelColumn("年龄", 6, "int"),
    ExcelColumn("备注", 24),
]
TITLES = [column.title for column in COLUMNS]
WIDTHS = [column.width for column in COLUMNS]
MONEY, DATE = 6, 7
Row = tuple[str, str, str, str, str, str, Decimal, date, int, str]


def employee_rows(count: int, seed: int = 7) -> list[Row]:
    """Deterministic rows shaped like a unit's 参保人员 list."""
    chance = random.Random(seed)
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    statuses = ("正常参保", "暂停参保", "终止参保")
    filler = "备注信息甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    start = date(1995, 1, 1)
    rows: list[Row] = []
    for index in range(count):
        birth = date(1960, 1, 1) + timedelta(days=chance.randrange(16000))
        body = f"110101{birth:%Y%m%d}{chance.randrange(1000):03d}"
        rows.append(
            (
                chance.choice(surnames) + "".join(chance.choices(given, k=chance.choice((1, 2)))),
                chance.choice(("男", "女")),
                "居民身份证",
                body + chance.choice("0123456789X"),
                chance.choice(statuses),
                f"U{index % 500:07d}",
                Decimal(chance.randrange(300000, 3500000)) / 100,
                start + timedelta(days=chance.randrange(11000)),
                chance.randrange(18, 65),
                "".join(chance.choices(filler, k=20)),
            )
        )
    return rows


def _plain(row: Row) -> list[object]:
    """The row with its Decimal as the double an xlsx number cell holds."""
    values: list[object] = list(row)
    values[MONEY] = float(row[MONEY])
    return values


def write_openpyxl(path: Path, rows: list[Row]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(TITLES))}{len(rows) + 1}"
    bold = Font(bold=True)
    header = []
    for title in TITLES:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        values = _plain(row)
        money = WriteOnlyCell(sheet, value=values[MONEY])
        money.number_format = "#,##0.00"
        day = WriteOnlyCell(sheet, value=values[DATE])
        day.number_format = "yyyy-mm-dd"
        values[MONEY], values[DATE] = money, day
        sheet.append(values)
    book.save(path)


def write_xlsxwriter(path: Path, rows: list[Row]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Sheet1")
    money, day = book.add_format({"num_format": "#,##0.00"}), book.add_format({"num_format": "yyyy-mm-dd"})
    for index, width in enumerate(WIDTHS):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(TITLES) - 1)
    sheet.write_row(0, 0, TITLES, book.add_format({"bold": True}))
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for number, row in enumerate(rows, 1):
        for column in (0, 1, 2, 3, 4, 5, 9):
            write_string(number, column, row[column])
        write_number(number, MONEY, float(row[MONEY]), money)
        write_datetime(number, DATE, row[DATE], day)
        write_number(number, 8, row[8])
    book.close()


def write_pyexcelerate(path: Path, rows: list[Row]) -> None:
    from pyexcelerate import Font, Format, Panes, Style, Workbook

    book = Workbook()
    sheet = book.new_sheet("Sheet1", data=[TITLES, *(_plain(row) for row in rows)])
    formats = {MONEY: "#,##0.00", DATE: "yyyy-mm-dd"}
    for index, width in enumerate(WIDTHS):
        style = Style(size=width, format=Format(formats[index])) if index in formats else Style(size=width)
        sheet.set_col_style(index + 1, style)
    sheet.set_row_style(1, Style(font=Font(bold=True)))
    sheet.panes = Panes(0, 1)
    sheet.auto_filter = True
    book.save(str(path))


def write_rustpy(path: Path, rows: list[Row]) -> None:
    from rustpy_xlsxwriter import Format, write_worksheet

    def records() -> Iterator[dict[str, object]]:
        for row in rows:
            yield dict(zip(TITLES, _plain(row), strict=True))

    write_worksheet(
        records(),
        str(path),
        sheet_name="Sheet1",
        freeze_row=1,
        bold_headers=True,
        autofilter=True,
        column_widths=WIDTHS,
        column_formats={
            TITLES[MONEY]: Format().set_num_format("#,##0.00"),
            TITLES[DATE]: Format().set_num_format("yyyy-mm-dd"),
        },
    )


def write_product(path: Path, rows: list[Row]) -> None:
    write_xlsx(path, COLUMNS, rows, total=len(rows), progress=lambda done, total: None, cancelled=lambda: False)


WRITERS: list[tuple[str, str, Callable[[Path, list[Row]], None]]] = [
    (REFERENCE, "openpyxl", write_openpyxl),
    ("xlsxwriter_constant_memory", "xlsxwriter", write_xlsxwriter),
    ("pyexcelerate", "pyexcelerate", write_pyexcelerate),
    ("rustpy_xlsxwriter", "rustpy_xlsxwriter", write_rustpy),
    ("write_xlsx", "rustpy_xlsxwriter", write_product),
]


def run(scratch: Path) -> None:
    rows = employee_rows(ROWS)
    reference: float | None = None
    for name, module, writer in WRITERS:
        if importlib.util.find_spec(module) is None:
            print(f"# excel_{name}: {module} is not installed, skipped", file=sys.stderr, flush=True)
            continue
        target = scratch / f"{name}.xlsx"
        seconds = best_of(REPEATS, lambda writer=writer, target=target: writer(target, rows))
        if name == REFERENCE:
            reference = seconds
            emit(f"excel_{name}_100k", seconds, "s")
        else:
            emit(f"excel_{name}_100k", seconds, "s", reference=reference, reference_name=REFERENCE)
        target.unlink()
