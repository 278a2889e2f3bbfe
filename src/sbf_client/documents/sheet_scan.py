"""Streaming one part of an .xlsx (a zip entry) with a hard limit, and looking at a sheet's XML as it goes.

``PartScanner`` inflates an entry from its raw bytes — so that a lying declared size cannot hide a bomb: the
output is counted, not trusted — in chunks, and, for a sheet, looks at each whole tag once: formulas, the rows
and cells counted, a column or row number beyond the limits. ``xlsx_guard`` decides which parts to scan.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from sbf_client.core.errors import InputError

ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What an import accepts. The defaults hold a 200,000-row file of a few dozen columns with room to
    spare, and bound what reading it can cost."""

    max_file_bytes: int = 40 << 20
    max_unpacked_bytes: int = 400 << 20  # all parts together, as declared and as inflated
    max_part_ratio: int = 200  # inflated / compressed, for a part over 1 MiB
    max_entries: int = 2_000
    max_rows: int = 200_000  # data rows
    max_columns: int = 64
    max_cells: int = 6_000_000
    max_small_part_bytes: int = 4 << 20  # workbook.xml and its relationships


LIMITS = Limits()


@dataclass
class SheetFacts:
    name: str
    part: str
    state: str  # visible / hidden / veryHidden
    rows: int = 0  # <row> elements seen
    last_row: int = 0
    last_column: int = 0


def bomb() -> str:
    """The message for a zip bomb."""
    return (
        "文件解压后的大小异常（压缩比过高或内容过大，疑似“压缩炸弹”），已拒绝导入，未读取其内容。"
        "请确认文件来源，使用客户端下载的导入模板重新填写。"
    )


_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_WIDE_REF = re.compile(rb'\br="([A-Z]{2,})\d')  # cell references from column AA on; A–Z cannot break a limit
_CELL_WITH_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="')
_BIG_ROW = re.compile(rb'\br="[A-Z]*(\d{6,})"')  # row numbers from 100,000 on; the rest cannot break a limit
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_SHAPE = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", b"AAAAAAAAAAAAAAAAAAAAAAAAAA0000000000")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


class PartScanner:
    """Inflate one zip entry from its raw bytes (so that a lying declared size cannot hide a bomb: the
    output is counted, not trusted), in chunks, looking at each whole tag once."""

    def __init__(self, path: Path, info: zipfile.ZipInfo, limits: Limits, sheet: SheetFacts | None = None):
        self.path, self.info, self.limits, self.sheet = path, info, limits, sheet
        self.cells = 0
        self.prefixed = False  # the root element has a namespace prefix: so may every tag

    def _raw(self) -> bytes:
        with self.path.open("rb") as f:
            f.seek(self.info.header_offset)
            header = f.read(30)
            if len(header) < 30 or header[:4] != ZIP_MAGIC:
                raise InputError("文件已损坏（压缩数据不完整）。请在Excel中重新保存后再导入。")
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            f.seek(self.info.header_offset + 30 + name_length + extra_length)
            return f.read(self.info.compress_size)

    def _inflate(self):  # type: ignore[no-untyped-def]
        raw = self._raw()
        if self.info.compress_type == zipfile.ZIP_STORED:
            for start in range(0, len(raw), _CHUNK):
                yield raw[start : start + _CHUNK]
            return
        if self.info.compress_type != zipfile.ZIP_DEFLATED:
            raise InputError("文件使用了不支持的压缩方式，不是正常的Excel文件。请在Excel中重新保存为.xlsx后再导入。")
        inflater = zlib.decompressobj(-15)
        pending = raw
        try:
            while pending:
                chunk = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                yield chunk
                if inflater.eof:
                    break
        except zlib.error as error:
            raise InputError("文件已损坏（压缩数据无法解开）。请在Excel中重新保存后再导入。") from error

    def run(self, *, cells: bool, keep: bool = False) -> bytes:
        kept: list[bytes] = []
        carry, total, first = b"", 0, True
        for chunk in self._inflate():
            total += len(chunk)
            if total > self.info.file_size or total > self.limits.max_unpacked_bytes:
                raise InputError(bomb())
            if keep:
                kept.append(chunk)
            if not cells:
                continue
            window = carry + chunk
            cut = window.rfind(b"<")
            if cut < 0 or len(window) - cut > 1 << 20:  # no tag in a megabyte: no cell text is that long
                raise InputError("文件内部结构异常（单元格内容过长），不是正常的Excel文件，已拒绝导入。")
            if first:
                self._dimension(window)
                root = _ROOT.search(window)
                self.prefixed = root is not None and root.group(1) is not None
                first = False
            self._look(window[:cut])
            carry = window[cut:]
        if cells:
            self._look(carry)
        return b"".join(kept)

    def _dimension(self, head: bytes) -> None:
        """The size a sheet declares: refused at once when beyond the limits, before its rows are read."""
        found = _DIMENSION.search(head)
        if found is None:
            return
        last_col, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
        if last_row and int(last_row) > self.limits.max_rows + 1:
            raise InputError(self._too_tall(int(last_row)))
        if last_col and _column_number(last_col) > self.limits.max_columns:
            raise InputError(self._too_wide(_column_number(last_col)))

    def _look(self, segment: bytes) -> None:
        """One stretch of whole tags. Counting is done with ``bytes.count`` and ``find`` (memchr speed); the
        regular expressions run only on a stretch that needs them (a prefixed writer, a wide or tall sheet)."""
        assert self.sheet is not None
        prefixed = self.prefixed
        if prefixed:
            formula = _FORMULA.search(segment)
            at = formula.start() if formula else -1
        else:
            at = segment.find(b"<f")
            while at >= 0 and segment[at + 2 : at + 3] not in (b">", b" ", b"/", b"\t", b"\r", b"\n"):
                at = segment.find(b"<f", at + 2)  # <filterMode and the like are no formula
        if at >= 0:
            refs = _REF.findall(segment, 0, at)
            where = f"（单元格{refs[-1].decode()}）" if refs else ""
            raise InputError(
                f"工作表“{self.sheet.name}”含有公式{where}，导入文件不能含有公式。"
                "请选中数据后复制，再“选择性粘贴→数值”，保存后重新导入。"
            )
        rows = len(_ROW.findall(segment)) if prefixed else segment.count(b"<row ") + segment.count(b"<row>")
        cells = len(_CELL.findall(segment)) if prefixed else segment.count(b"<c ") + segment.count(b"<c>")
        self.sheet.rows += rows
        if self.sheet.rows > self.limits.max_rows + 1:
            raise InputError(self._too_tall(self.sheet.rows))
        self.cells += cells
        if self.cells > self.limits.max_cells:
            raise InputError(f"工作表“{self.sheet.name}”的单元格过多，请删除无关内容或分批导入。")
        if segment.count(b'<c r="') != cells and len(_CELL_WITH_REF.findall(segment)) != cells:
            # a cell without its position is placed after the previous one: the sheet's width cannot be known
            raise InputError("文件内部结构异常（单元格缺少位置），请在Excel中重新保存为.xlsx后再导入。")
        shape = segment.translate(_SHAPE)  # letters → A, digits → 0: references of a kind are found by count
        if b'r="AA' in shape:
            widest = max(_column_number(c) for c in set(_WIDE_REF.findall(segment)))
            if widest > self.limits.max_columns:
                raise InputError(self._too_wide(widest))
            self.sheet.last_column = max(self.sheet.last_column, widest)
        if b'A000000"' in shape or b'r="000000' in shape:
            for number in _BIG_ROW.findall(segment):
                if int(number) > self.limits.max_rows + 1:
                    raise InputError(self._too_tall(int(number)))
                self.sheet.last_row = max(self.sheet.last_row, int(number))

    def _too_tall(self, rows: int) -> str:
        assert self.sheet is not None
        return (
            f"工作表“{self.sheet.name}”的行数过多（至少{rows}行，最多可导入{self.limits.max_rows}行）。"
            "请删除多余的行，或分批导入。"
        )

    def _too_wide(self, columns: int) -> str:
        assert self.sheet is not None
        return (
            f"工作表“{self.sheet.name}”的列数过多（{columns}列，最多{self.limits.max_columns}列）。"
            "请删除多余的列，或使用客户端下载的导入模板重新填写。"
        )
