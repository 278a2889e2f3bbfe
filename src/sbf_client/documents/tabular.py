"""The steps of an import that come before any Excel reading: is the path a file that can be imported, and
a CSV file's rows (UTF-8 or GB18030) as text.

``importing.read_import`` is the one way a file is imported; it checks the path here first, and reads a CSV
file here (a file's size is checked by ``xlsx_guard.file_kind``, whatever its type).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sbf_client.core.errors import InputError

SUFFIXES = (".xlsx", ".xls", ".xlsm", ".csv")


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
