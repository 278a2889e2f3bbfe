"""The Excel writer: real .xlsx files read back with python-calamine and openpyxl."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from sbf_client.core.errors import InputError
from sbf_client.documents.excel import PROGRESS_EVERY, ExcelColumn, ExportCancelled, write_xlsx

COLUMNS = [
    ExcelColumn("姓名", 10),
    ExcelColumn("证件号码", 22),
    ExcelColumn("缴费基数", 14, "money"),
    ExcelColumn("参保日期", 12, "date"),
    ExcelColumn("年龄", 6, "int"),
    ExcelColumn("申报时间", 20, "datetime"),
]
ID_NUMBER = "110101199003071234"


def _grid(path: Path, sheet: str = "Sheet1") -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _rows(count: int) -> Iterator[tuple[object, ...]]:
    for index in range(count):
        yield (f"职工{index}", f"11010119900307{index % 10000:04d}", Decimal("5000.00"), date(2020, 1, 1), 30, None)


def _existing_file(folder: Path) -> tuple[Path, bytes]:
    path = folder / "名册.xlsx"
    write_xlsx(path, COLUMNS, _rows(3))
    return path, path.read_bytes()


def test_headers_values_and_kinds_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "参保人员.xlsx"
    rows = [
        ("张三", ID_NUMBER, Decimal("7000.50"), date(2024, 3, 1), 35, datetime(2026, 12, 3, 10, 5, 9)),
        ("李四", "11010119851201002X", Decimal("12345.67"), "2023-07-15", "41", "2026-12-03T08:00:00"),
        (None, None, None, None, None, None),
        ("王五", 42, "", "待定", "不详", ""),
    ]
    written = write_xlsx(path, COLUMNS, rows, sheet="参保人员")

    assert written == 4
    assert _grid(path, "参保人员") == [
        ["姓名", "证件号码", "缴费基数", "参保日期", "年龄", "申报时间"],
        ["张三", ID_NUMBER, 7000.5, date(2024, 3, 1), 35.0, datetime(2026, 12, 3, 10, 5, 9)],
        ["李四", "11010119851201002X", 12345.67, date(2023, 7, 15), 41.0, datetime(2026, 12, 3, 8, 0, 0)],
        ["", "", "", "", "", ""],
        ["王五", "42", "", "待定", "不详", ""],
    ]
    sheet = load_workbook(path)["参保人员"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F5"
    assert [round(sheet.column_dimensions[letter].width) for letter in "ABCDEF"] == [11, 23, 15, 13, 7, 21]
    first = sheet[2]
    assert [cell.data_type for cell in first] == ["s", "s", "n", "d", "n", "d"]
    assert first[2].number_format == "#,##0.00"
    assert first[3].number_format == "yyyy-mm-dd"
    assert first[5].number_format == "yyyy-mm-dd hh:mm:ss"


def test_a_column_keeps_its_kind_after_text_or_empty_first_rows(tmp_path: Path) -> None:
    path = tmp_path / "混合.xlsx"
    columns = [ExcelColumn("日期", kind="date"), ExcelColumn("金额", kind="money"), ExcelColumn("人数", kind="int")]
    write_xlsx(path, columns, [("待定", "—", "不详"), (None, None, None), (date(2024, 1, 2), Decimal("1.25"), 3)])

    assert _grid(path)[1:] == [["待定", "—", "不详"], ["", "", ""], [date(2024, 1, 2), 1.25, 3.0]]
    assert [cell.data_type for cell in load_workbook(path)["Sheet1"][4]] == ["d", "n", "n"]


def test_an_18_digit_id_number_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "证件.xlsx"
    columns = [ExcelColumn("证件号码", 22), ExcelColumn("编号", 22, "int")]
    write_xlsx(path, columns, [(ID_NUMBER, int(ID_NUMBER)), (int(ID_NUMBER), 12)])

    assert _grid(path)[1:] == [[ID_NUMBER, ID_NUMBER], [ID_NUMBER, 12.0]]
    sheet = load_workbook(path)["Sheet1"]
    assert [cell.data_type for cell in sheet[2]] == ["s", "s"]
    assert sheet["A3"].value == ID_NUMBER


def test_decimal_money_is_exact_to_the_cent(tmp_path: Path) -> None:
    path = tmp_path / "金额.xlsx"
    amounts = [Decimal("0.01"), Decimal("0.10"), Decimal("-3.35"), Decimal("1234567.89"), Decimal("99999999999.99")]
    amounts += [Decimal(cents) / 100 for cents in range(100_000, 100_000 + 3 * 4099, 3)]
    write_xlsx(path, [ExcelColumn("金额", 16, "money")], [(amount,) for amount in amounts])

    read_back = [Decimal(repr(row[0])) for row in _grid(path)[1:]]
    assert read_back == amounts


def test_progress_is_reported_in_order_up_to_the_last_row(tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    count = 2 * PROGRESS_EVERY + 7
    written = write_xlsx(
        tmp_path / "进度.xlsx",
        COLUMNS,
        _rows(count),
        total=count,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert written == count
    done = [step for step, _ in calls]
    assert done == sorted(done)
    assert done[0] == 0 and calls[-1] == (count, count)
    assert {PROGRESS_EVERY, 2 * PROGRESS_EVERY} <= set(done)
    assert len(calls) <= count // PROGRESS_EVERY + 3


def test_cancel_leaves_no_file_and_no_temporary_file(tmp_path: Path) -> None:
    reported: list[int] = []
    with pytest.raises(ExportCancelled):
        write_xlsx(
            tmp_path / "取消.xlsx",
            COLUMNS,
            _rows(10 * PROGRESS_EVERY),
            progress=lambda done, total: reported.append(done),
            cancelled=lambda: bool(reported) and reported[-1] >= PROGRESS_EVERY,
        )

    assert reported[-1] == PROGRESS_EVERY
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_cancelled_export(tmp_path: Path) -> None:
    path, before = _existing_file(tmp_path)
    with pytest.raises(ExportCancelled):
        write_xlsx(path, COLUMNS, _rows(5 * PROGRESS_EVERY), cancelled=lambda: True)

    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_an_existing_file_survives_a_failed_export(tmp_path: Path) -> None:
    path, before = _existing_file(tmp_path)

    def failing_rows() -> Iterator[tuple[object, ...]]:
        yield from _rows(PROGRESS_EVERY + 1)
        raise RuntimeError("数据库连接中断")

    with pytest.raises(RuntimeError, match="数据库连接中断"):
        write_xlsx(path, COLUMNS, failing_rows())

    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]


def test_no_rows_still_writes_the_header(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    assert write_xlsx(path, COLUMNS, []) == 0
    assert _grid(path) == [[column.title for column in COLUMNS]]


@pytest.mark.parametrize("name", ["导出.xls", "导出.csv", "导出", "导出.xlsx.txt"])
def test_a_name_not_ending_in_xlsx_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match=r"扩展名不是 \.xlsx"):
        write_xlsx(tmp_path / name, COLUMNS, _rows(1))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="不存在。请选择一个已有的文件夹"):
        write_xlsx(tmp_path / "没有这个文件夹" / "导出.xlsx", COLUMNS, _rows(1))


@contextlib.contextmanager
def _unwritable_folder() -> Iterator[Path]:
    """A folder this process may look into but not write to, also when the tests run as root."""
    base = Path(tempfile.mkdtemp(prefix="excel-readonly-"))
    base.chmod(0o755)
    folder = base / "只读"
    folder.mkdir(mode=0o555)
    as_root = os.geteuid() == 0
    try:
        if as_root:
            os.seteuid(65534)  # root may write anywhere: act as 'nobody' for the write
        yield folder
    finally:
        if as_root:
            os.seteuid(0)
        folder.chmod(0o755)
        shutil.rmtree(base)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_an_unwritable_folder_gives_a_chinese_message() -> None:
    with _unwritable_folder() as folder:
        with pytest.raises(InputError, match=r"没有权限在文件夹.*中保存文件。请选择其他文件夹") as raised:
            write_xlsx(folder / "导出.xlsx", COLUMNS, _rows(1))
        leftovers = list(folder.iterdir())
    assert isinstance(raised.value.__cause__, PermissionError)
    assert leftovers == []


@contextlib.contextmanager
def _tiny_disk(base: Path) -> Iterator[Path]:
    folder = base / "小磁盘"
    folder.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tiny tmpfs needs root on Linux")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_gives_a_chinese_message_and_keeps_the_old_file(tmp_path: Path) -> None:
    with _tiny_disk(tmp_path) as folder:
        path, before = _existing_file(folder)
        with pytest.raises(InputError, match="磁盘空间不足"):
            write_xlsx(path, COLUMNS, _rows(30_000))
        assert path.read_bytes() == before
        assert list(folder.iterdir()) == [path]


def test_a_failing_data_source_is_not_taken_for_a_save_error(tmp_path: Path) -> None:
    def unreadable_rows() -> Iterator[tuple[object, ...]]:
        yield from _rows(10)
        raise FileNotFoundError("本地数据库文件丢失")

    with pytest.raises(FileNotFoundError, match="本地数据库文件丢失"):
        write_xlsx(tmp_path / "导出.xlsx", COLUMNS, unreadable_rows())
    assert list(tmp_path.iterdir()) == []
