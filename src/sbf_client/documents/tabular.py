"""Reading a user's table file (.xlsx, .xls or .csv) into rows of text keyed by the header row.

Imports of the client's own templates go through ``importing.read_import``; this module keeps the path
checks and the CSV reading it shares, and ``read_table`` for a plain table (an .xlsx is inspected by
``xlsx_guard`` first, like every import).

Cells come back as text the way a person reads them: a whole-number float as ``7000``, a date as
``YYYY-MM-DD``, a month-only date as typed. A long digit string that Excel turned into a number cannot be
trusted (an 18-digit ID number loses its last digits), so it is reported, not guessed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from python_calamine import CalamineWorkbook

from sbf_client.core.errors import InputError

from .xlsx_guard import file_kind, inspect_xlsx

MAX_ROWS = 200_000
SUFFIXES = (".xlsx", ".xls", ".xlsm", ".csv")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[dict[str, str]]  # header → text, one per data row
    row_numbers: list[int]  # the sheet's row number of each data row, for messages


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 1e15:
                raise InputError(
                    "表格中有超长数字被 Excel 保存为数值（如证件号码），会丢失末位数字。"
                    "请将该列设置为文本格式后重新填写。"
                )
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S") if value.time() != datetime.min.time() else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _from_grid(grid: list[list[object]]) -> Table:
    start = next((i for i, row in enumerate(grid) if any(_cell(c) for c in row)), None)
    if start is None:
        raise InputError("文件中没有数据。请按导入模板填写后再导入。")
    headers = [_cell(c) for c in grid[start]]
    rows, numbers = [], []
    for index in range(start + 1, len(grid)):
        values = [_cell(c) for c in grid[index]]
        if not any(values):
            continue
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h})
        numbers.append(index + 1)
        if len(rows) > MAX_ROWS:
            raise InputError(f"文件超过{MAX_ROWS}行，请分批导入。")
    return Table([h for h in headers if h], rows, numbers)


def check_size(path: Path, limit: int) -> None:
    """Refuse a file over ``limit`` bytes before reading it."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("文件是空的（0字节）。请下载导入模板，填写后保存再导入。")
    if size > limit:
        raise InputError(f"文件过大（{size / (1 << 20):.1f}MB，最大{limit >> 20}MB）。请分批导入。")


def read_csv_grid(path: Path) -> list[list[object]]:
    """A CSV file (UTF-8 or GB18030) as rows of text."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"无法读取文件 {path}（{reason}）。请确认文件未被占用且有权限读取。") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("无法识别CSV文件的编码，请另存为UTF-8或GBK编码后再导入。")
    reader = csv.reader(text.splitlines())
    try:
        return list(reader)
    except csv.Error:  # a cell over the csv module's 128 KiB limit, or a NUL byte: not an import template
        raise InputError(
            f"CSV文件第{reader.line_num}行无法读取：单元格内容过长（超过128KB）或含有无效字符。"
            "请确认选择的是缴费工资导入文件，检查该行后重新导入。"
        ) from None


def check_table_path(path: Path) -> Path:
    """A path that can be a table to import: an existing file (not a folder) of a supported type."""
    try:
        exists, folder = path.exists(), path.is_dir()
    except (OSError, ValueError):  # a name too long for the system, or with a NUL character
        raise InputError("文件路径无效，请检查后重新选择文件。") from None
    if not exists:
        raise InputError(f"找不到文件：{path}")
    if folder:
        raise InputError(f"{path} 是一个文件夹，不是文件。请选择要导入的Excel或CSV文件。")
    if path.suffix.lower() not in SUFFIXES:
        raise InputError("只能导入Excel文件（.xlsx、.xls）或CSV文件。")
    return path


def read_table(path: Path) -> Table:
    """The first sheet of an Excel file, or a CSV file, as a header-keyed table."""
    check_table_path(path)
    if path.suffix.lower() == ".csv":
        return _from_grid(read_csv_grid(path))
    if path.suffix.lower() != ".xls":
        if file_kind(path) != "xlsx":
            raise InputError("文件内容不是.xlsx格式的Excel文件（可能改了扩展名或设置了密码）。请另存为.xlsx后再导入。")
        inspect_xlsx(path)
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return _from_grid(sheet.to_python(skip_empty_area=False))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"无法读取Excel文件：{exc}。请确认文件未损坏且不是加密文件。") from exc
