"""Looking at a file before anything loads it whole: which kind it is, and whether it is safe to read.

``file_kind`` reads the first bytes (an .xlsx is a zip, an .xls or an encrypted workbook an OLE compound file,
anything else is neither) and refuses an empty or too large file. ``inspect_xlsx`` reads the zip's directory —
declared sizes and ratios: a zip bomb stops here —, then the workbook and its relationships, and streams
(``sheet_scan``) every part with a hard limit on what comes out: the sheets to import are also looked at for
formulas and for being taller or wider than the limits (a 1,048,576-row or 16,384-column sheet, or one that
only says it is). Each refusal is an ``InputError`` whose message says what is wrong and what to do; the file
is never changed.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from sbf_client.core.errors import InputError

from .sheet_scan import LIMITS, ZIP_MAGIC, Limits, PartScanner, SheetFacts, bomb

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class WorkbookFacts:
    """What the inspection learned: the sheets in workbook order, the defined names and the zip's directory
    (for ``scan_sheet``)."""

    sheets: list[SheetFacts] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    entries: dict[str, zipfile.ZipInfo] = field(default_factory=dict, repr=False)

    def sheet(self, name: str) -> SheetFacts | None:
        return next((s for s in self.sheets if s.name == name), None)


def file_kind(path: Path, limits: Limits = LIMITS) -> str:
    """'xlsx', 'xls', 'encrypted' or 'other', from the first bytes; an empty, unreadable or too large file
    is refused here."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"无法读取文件 {path.name}（{reason}）。请确认文件未被占用且有权限读取。") from error
    if size == 0:
        raise InputError("文件是空的（0字节）。请下载导入模板，填写后保存再导入。")
    if size > limits.max_file_bytes:
        raise InputError(
            f"文件过大（{size / (1 << 20):.1f}MB，最大{limits.max_file_bytes >> 20}MB）。请分批导入，每个文件不超过"
            f"{limits.max_rows}行。"
        )
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head == OLE_MAGIC:
        return "encrypted" if _ENCRYPTION_INFO in path.read_bytes() else "xls"
    return "other"


def inspect_xlsx(path: Path, sheet_names: list[str] | None = None, limits: Limits = LIMITS) -> WorkbookFacts:
    """Check an .xlsx without loading it: the zip's directory, the workbook, and — streamed — the shared
    strings, the styles and the sheets named (the first visible one when None; the caller may inspect more
    later with ``scan_sheet``)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InputError("文件已损坏，无法作为Excel文件打开。请在Excel中重新保存为.xlsx格式后再导入。") from error
    with archive:
        entries = {info.filename: info for info in archive.infolist()}
        _check_directory(list(entries.values()), limits)
        workbook = _small_part(path, entries, "xl/workbook.xml", limits)
        rels = _small_part(path, entries, "xl/_rels/workbook.xml.rels", limits)
        facts = _workbook_facts(workbook, rels)
        facts.entries = entries
        wanted = sheet_names or [next((s.name for s in facts.sheets if s.state == "visible"), "")]
        scanned = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
        for name in wanted:
            sheet = facts.sheet(name)
            if sheet is not None:
                scan_sheet(path, facts, sheet, limits)
                scanned.add(sheet.part)
        # Every other part is inflated too, counting what comes out: a declared size cannot be trusted, and
        # python-calamine reads some of them (shared strings, styles) whole when it opens the file.
        for info in entries.values():
            if info.filename not in scanned and not info.is_dir():
                PartScanner(path, info, limits).run(cells=False)
    return facts


def scan_sheet(path: Path, facts: WorkbookFacts, sheet: SheetFacts, limits: Limits = LIMITS) -> None:
    """Stream one sheet's XML: refuse formulas and a sheet beyond the limits; fill in its size."""
    info = facts.entries.get(sheet.part)
    if info is None:
        raise InputError(f"工作表“{sheet.name}”的内容缺失，文件已损坏。请在Excel中重新保存后再导入。")
    scanner = PartScanner(path, info, limits, sheet)
    scanner.run(cells=True)


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """A zip bomb, told by the sizes the zip declares, before anything is inflated."""
    if len(infos) > limits.max_entries:
        raise InputError("文件内部结构异常（包含的部件过多），不是正常的Excel文件，已拒绝导入。")
    total = sum(info.file_size for info in infos)
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError("文件已加密，无法读取。请取消文件密码后保存，再重新导入。")
        if info.file_size > 1 << 20 and info.file_size > limits.max_part_ratio * max(info.compress_size, 1):
            raise InputError(bomb())
    if total > limits.max_unpacked_bytes:
        raise InputError(bomb())


def _small_part(path: Path, entries: dict[str, zipfile.ZipInfo], name: str, limits: Limits) -> bytes:
    info = entries.get(name)
    if info is None:
        raise InputError("文件不是Excel工作簿（缺少工作簿内容），请确认选择的是.xlsx文件。")
    if info.file_size > limits.max_small_part_bytes:
        raise InputError(bomb())
    data = PartScanner(path, info, limits).run(cells=False, keep=True)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise InputError("文件内部结构异常（含有文档类型声明），不是正常的Excel文件，已拒绝导入。")
    return data


def _workbook_facts(workbook: bytes, rels: bytes) -> WorkbookFacts:
    try:
        book, relations = ElementTree.fromstring(workbook), ElementTree.fromstring(rels)
    except ElementTree.ParseError as error:
        raise InputError("文件已损坏（工作簿结构无法解析）。请在Excel中重新保存后再导入。") from error
    targets = {r.get("Id"): (r.get("Target") or "") for r in relations.iter(f"{_RELS}Relationship")}
    facts = WorkbookFacts()
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        facts.sheets.append(SheetFacts(sheet.get("name") or "", part, sheet.get("state") or "visible"))
    for name in book.iter(f"{_MAIN}definedName"):
        facts.names[name.get("name") or ""] = name.text or ""
    return facts
