"""Hostile files against the import pipeline: each is refused with its Chinese message before anything loads
it whole, and nothing changes — the file, the unit database (no staging table is left behind). The files are
made here, small and quickly; ``bench/bench_import.py`` times the refusals (each well under 10 s)."""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sbf_client.core.errors import InputError
from sbf_client.documents.staging import check_import
from sbf_client.documents.templates import write_template
from sbf_client.documents.xlsx_guard import OLE_MAGIC
from tests.unit.test_import_pipeline import GOOD, GROUPS, KINDS, group_rules, unit_engine

SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def template(folder: Path) -> Path:
    return write_template(KINDS, folder / "template.xlsx", [GOOD])


def rebuilt(folder: Path, name: str, replace: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    """The filled template with some parts replaced (or added)."""
    source, target = template(folder), folder / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", method) as new:
        for info in old.infolist():
            if info.filename not in replace:
                new.writestr(info.filename, old.read(info.filename))
        for part, data in replace.items():
            new.writestr(part, data)
    return target


def sheet(*rows: bytes, dimension: bytes = b"") -> bytes:
    return SHEET_HEAD + dimension + b"<sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def header_row() -> bytes:
    cells = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (bytes([65 + i]), c.title.encode())
        for i, c in enumerate(KINDS.columns)
    )
    return b'<row r="1">' + cells + b"</row>"


def zip_bomb(folder: Path) -> Path:
    """A part that inflates a thousandfold to 300 MB, as its declared sizes say."""
    target = template(folder).rename(folder / "bomb.xlsx")
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as book, book.open("xl/media/image1.bin", "w") as part:
        zeros = bytes(1 << 20)
        for _ in range(300):
            part.write(zeros)
    return target


def lying_bomb(folder: Path) -> Path:
    """A part whose declared size is 1 KB while it inflates to 64 MB: only counting what comes out tells."""
    target = rebuilt(folder, "lying.xlsx", {"xl/sharedStrings.xml": b"<sst>" + b" " * (64 << 20) + b"</sst>"})
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as book:
        info = book.getinfo("xl/sharedStrings.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1024)  # the local header's uncompressed size
    central = data.find(b"PK\x01\x02" + bytes(data[info.header_offset + 4 : info.header_offset + 6]), 0)
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == b"xl/sharedStrings.xml":
            struct.pack_into("<I", data, central + 24, 1024)
        central = data.find(b"PK\x01\x02", central + 4)
    target.write_bytes(bytes(data))
    return target


def declared_rows(folder: Path) -> Path:
    return rebuilt(folder, "tall.xlsx", {SHEET: sheet(header_row(), dimension=b'<dimension ref="A1:H1048576"/>')})


def million_rows(folder: Path) -> Path:
    rows = b"".join(b'<row r="%d"/>' % n for n in range(2, 1_048_577))
    return rebuilt(folder, "million.xlsx", {SHEET: sheet(header_row(), rows)})


def last_row(folder: Path) -> Path:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rebuilt(folder, "far.xlsx", {SHEET: sheet(header_row(), far)})


def wide(folder: Path) -> Path:
    far = b'<row r="2"><c r="A2" t="inlineStr"><is><t>1</t></is></c><c r="XFD2"><v>1</v></c></row>'
    return rebuilt(folder, "wide.xlsx", {SHEET: sheet(header_row(), far)})


def formula(folder: Path) -> Path:
    return write_template(KINDS, folder / "formula.xlsx", [GOOD, ["H12345678", "陈美", "=1+2", "=SUM(1,2)"]])


def renamed_xls(folder: Path) -> Path:
    path = folder / "old.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" + bytes(1024))
    return path


def renamed_csv(folder: Path) -> Path:
    path = folder / "list.xlsx"
    path.write_text("证件号码,姓名\n11010519491231002X,王芳\n", encoding="utf-8")
    return path


def encrypted(folder: Path) -> Path:
    """An OLE compound file like Excel's for a workbook with an open password: its directory lists the
    EncryptionInfo and EncryptedPackage streams."""
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(512 - 34)
    entries = b""
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        encoded = name.encode("utf-16-le") + b"\0\0"
        entries += encoded.ljust(64, b"\0") + struct.pack("<H", len(encoded)) + bytes(128 - 66)
    path = folder / "secret.xlsx"
    path.write_bytes(header + entries.ljust(512, b"\0"))
    return path


def empty_file(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def empty_sheet(folder: Path) -> Path:
    return write_template(KINDS, folder / "no-rows.xlsx")


def huge_file(folder: Path) -> Path:
    path = folder / "huge.xlsx"
    with path.open("wb") as f:
        f.write(b"PK\x03\x04")
        f.truncate(41 << 20)
    return path


def corrupt(folder: Path) -> Path:
    path = folder / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    return path


def entities(folder: Path) -> Path:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><workbook>&lol;</workbook>'
    return rebuilt(folder, "laughs.xlsx", {"xl/workbook.xml": laughs})


def unplaced_cells(folder: Path) -> Path:
    row = b'<row r="2">' + b"<c><v>1</v></c>" * 3 + b"</row>"
    return rebuilt(folder, "unplaced.xlsx", {SHEET: sheet(header_row(), row)})


def other_compression(folder: Path) -> Path:
    return rebuilt(folder, "bzip2.xlsx", {}, method=zipfile.ZIP_BZIP2)


def other_version(folder: Path) -> Path:
    from sbf_client.documents.templates import TemplateSpec

    old = TemplateSpec(KINDS.id, KINDS.version + 1, KINDS.title, KINDS.columns)
    return write_template(old, folder / "newer.xlsx", [GOOD])


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip bomb": (zip_bomb, "疑似“压缩炸弹”"),
    "zip bomb with lying sizes": (lying_bomb, "疑似“压缩炸弹”"),
    "1,048,576 rows declared": (declared_rows, "行数过多（至少1048576行，最多可导入200000行）"),
    "1,048,576 rows": (million_rows, "行数过多"),
    "a cell in row 1,048,576": (last_row, "行数过多（至少1048576行"),
    "16,384 columns": (wide, "列数过多（16384列，最多64列）"),
    "formulas": (formula, "含有公式（单元格C3），导入文件不能含有公式"),
    ".xls renamed to .xlsx": (renamed_xls, "内容是旧版Excel（.xls）文件"),
    ".csv renamed to .xlsx": (renamed_csv, "文件内容不是Excel文件（可能是CSV、文本或其他文件改了扩展名）"),
    "password-protected": (encrypted, "文件设置了打开密码（已加密）"),
    "empty file": (empty_file, "文件是空的（0字节）"),
    "template with no rows": (empty_sheet, "文件中没有数据"),
    "file over the size limit": (huge_file, "文件过大（41.0MB，最大40MB）"),
    "corrupt zip": (corrupt, "文件已损坏"),
    "XML entities": (entities, "含有文档类型声明"),
    "cells without positions": (unplaced_cells, "单元格缺少位置"),
    "unusual compression": (other_compression, "不支持的压缩方式"),
    "a newer version of the template": (other_version, "较新版本的【测试导入模板（各类列）】"),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = unit_engine(tmp_path_factory.mktemp("hostile-unit"))
    yield engine
    engine.dispose()


def database_state(engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT key, name, id_number, insured FROM employees ORDER BY key").all()
        temp = conn.exec_driver_sql("SELECT count(*) FROM temp.sqlite_master").scalar()
    return tuple(map(tuple, rows)), temp


@pytest.mark.timeout(120)  # a guard against a hang; the bench times each refusal
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_with_its_message_and_nothing_changes(case, tmp_path, engine):
    make, message = HOSTILE[case]
    path = make(tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    before = database_state(engine)
    with engine.connect() as conn, pytest.raises(InputError, match=re.escape(message)) as refusal:
        check_import(path, KINDS, conn, group_rules_for_kinds)
    assert "\n" not in refusal.value.message and re.search(r"[请。]", refusal.value.message)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert database_state(engine) == before


def group_rules_for_kinds(stage):
    return stage.unknown("id_number", "employees", "id_number", lambda v: "证件号码在本单位职工中未找到")


def test_wrong_types_are_refused_row_by_row_and_nothing_changes(tmp_path, engine):
    bad = [["H12345678", 42, "三个", "九千", 202612.5, "昨天", 1, 12345678901]]
    path = write_template(KINDS, tmp_path / "types.xlsx", [GOOD, *bad])
    before = database_state(engine)
    with engine.connect() as conn:
        check = check_import(path, KINDS, conn, group_rules_for_kinds)
    assert check.messages() == [
        "第3行：人数须为整数",
        "第3行：金额须为金额，最多保留两位小数",
        "第3行：年月须为YYYY-MM格式的年月",
        "第3行：日期须为YYYY-MM-DD格式的日期",
        "第3行：档次“1”不是可选的值，请从下拉列表中选择",
        "第3行：备注最多10个字符（现为11个）",
    ]
    assert database_state(engine) == before


def test_a_group_file_of_another_template_is_refused_before_any_row_is_read(tmp_path, engine):
    with (
        engine.connect() as conn,
        pytest.raises(InputError, match="该文件是【测试导入模板（各类列）】，不是【批量编辑职工分组模板】"),
    ):
        check_import(template(tmp_path), GROUPS, conn, group_rules)
