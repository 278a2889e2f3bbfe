"""The one way a file is imported: ``read_import`` turns a file into checked rows of a ``TemplateSpec``.

The order is fixed, and nothing is loaded whole before the cheap checks have passed: the path; the first
bytes (an .xls, a CSV or anything else renamed to .xlsx, a password-protected workbook); the zip's directory
and the streamed parts (``xlsx_guard``: zip bomb, formulas, a sheet too tall or too wide); the template
marker (a file not made from the template, another template, another version of it). Only then does
python-calamine read the sheet, and every cell is parsed by its column's kind (``cells``); a cell that cannot
be becomes a ``RowError`` (sheet row number, column title, reason), not a refusal of the file.

A caller that must also take files not made from the template (the 缴费工资 import takes CSV and the
spreadsheets people already have) passes ``untemplated``: the columns to look for by header (title or an
alias) in such a file. A file carrying another template's marker, or another version's, is refused even then.

Set-wise checks against the unit database and the annotated copy are in ``staging``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from sbf_client.core.errors import InputError

from . import tabular
from .cells import Bad, parser
from .templates import ANNOTATION_TITLE, MARKER_NAME, MARKER_SHEET, MARKER_TAG, TemplateSpec, parse_marker, title_of
from .xlsx_guard import LIMITS, Limits, WorkbookFacts, file_kind, inspect_xlsx, scan_sheet


@dataclass(frozen=True, order=True)
class RowError:
    """One problem of one row: the sheet's row number, the column's title ('' for the row as a whole) and
    the reason in Chinese (which names the column)."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.reason}"


@dataclass
class ImportedRows:
    """The rows of one file, column by column in the spec's order: ``raw`` as the user typed them (for the
    annotated copy), ``columns`` parsed (None for an empty or bad cell), ``problems`` the cells that could not
    be read, and each row's number in the sheet."""

    spec: TemplateSpec
    source: Path
    from_template: bool
    row_numbers: list[int] = field(default_factory=list)
    raw: list[list[Any]] = field(default_factory=list)
    columns: list[list[Any]] = field(default_factory=list)
    problems: list[RowError] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.row_numbers)

    def index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.spec.columns) if c.key == key)

    def column(self, key: str) -> list[Any]:
        return self.columns[self.index(key)]

    def row(self, position: int) -> list[Any]:
        return [values[position] for values in self.columns]

    def records(self) -> list[dict[str, Any]]:
        """Each row as {column key: value}, with its sheet row number under ``"row"``."""
        keys = [c.key for c in self.spec.columns]
        rows = zip(self.row_numbers, zip(*self.columns, strict=True), strict=True)
        return [{"row": n, **dict(zip(keys, v, strict=True))} for n, v in rows]


def download_hint(spec: TemplateSpec) -> str:
    return f"请下载【{spec.title}】，在模板中填写后再导入。"


def read_import(
    path: Path, spec: TemplateSpec, *, untemplated: TemplateSpec | None = None, limits: Limits = LIMITS
) -> ImportedRows:
    """Read and parse a file of ``spec``'s template; an ``InputError`` when the file as a whole is refused
    (nothing was read into the program beyond what the checks needed)."""
    tabular.check_table_path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if untemplated is None:
            raise InputError(f"只能导入客户端下载的导入模板（.xlsx文件），不能导入CSV文件。{download_hint(spec)}")
        file_kind(path, limits)  # an empty or too large file is refused here, as any other
        return _from_grid(tabular.read_csv_grid(path), untemplated, path, False, limits)
    kind = file_kind(path, limits)
    if kind == "encrypted":
        raise InputError(
            "文件设置了打开密码（已加密），无法读取。请在Excel中打开文件，取消密码（文件→信息→保护工作簿→用密码进行"
            "加密，清空密码）后保存，再重新导入。"
        )
    if suffix == ".xls":
        if kind != "xls":
            raise InputError("文件扩展名为.xls，但内容不是.xls格式的Excel文件。请确认选择的文件后重新导入。")
        if untemplated is None:
            raise InputError(f"这是旧版Excel（.xls）文件，不是客户端下载的导入模板。{download_hint(spec)}")
        return _from_grid(_calamine_grid(path, None), untemplated, path, False, limits)
    if kind == "xls":
        raise InputError(
            "文件扩展名为.xlsx，但内容是旧版Excel（.xls）文件（可能是改了扩展名）。请在Excel中“另存为”Excel工作簿"
            f"（.xlsx）后再导入。{download_hint(spec)}"
        )
    if kind != "xlsx":
        raise InputError(
            "文件内容不是Excel文件（可能是CSV、文本或其他文件改了扩展名）。"
            f"请在Excel中“另存为”Excel工作簿（.xlsx）后再导入。{download_hint(spec)}"
        )
    facts = inspect_xlsx(path, None, limits)
    data_sheet = next((s.name for s in facts.sheets if s.state == "visible" and s.name != MARKER_SHEET), None)
    if data_sheet is None:
        raise InputError(f"文件中没有可见的工作表。{download_hint(spec)}")
    marker = _marker(path, facts, limits)
    if marker is None:
        if untemplated is None:
            raise InputError(f"该文件不是客户端下载的导入模板，无法导入。{download_hint(spec)}")
        return _from_grid(_calamine_grid(path, data_sheet), untemplated, path, False, limits)
    marker_id, version = marker
    if marker_id != spec.id:
        other = title_of(marker_id)
        named = f"【{other}】" if other else f"其他导入模板（{marker_id}）"
        raise InputError(f"该文件是{named}，不是【{spec.title}】，无法在此导入。{download_hint(spec)}")
    if version != spec.version:
        newer = "请升级客户端后再导入。" if version > spec.version else ""
        raise InputError(
            f"该文件是{'较新' if version > spec.version else '旧'}版本的【{spec.title}】（模板版本{version}，"
            f"本客户端为版本{spec.version}），格式不同，无法导入。{newer or download_hint(spec)}"
            + ("" if newer else "可将原有数据复制到新模板中。")
        )
    return _from_grid(_calamine_grid(path, data_sheet), spec, path, True, limits)


def _marker(path: Path, facts: WorkbookFacts, limits: Limits) -> tuple[str, int] | None:
    """The template marker: the defined name, or — when an editor dropped the name — the marker sheet (its
    part was inflated with the others; its cells are looked at now, before python-calamine reads it)."""
    named = facts.names.get(MARKER_NAME)
    if named:
        return parse_marker(named)
    sheet = facts.sheet(MARKER_SHEET)
    if sheet is None:
        return None
    scan_sheet(path, facts, sheet, limits)
    head = _calamine_grid(path, MARKER_SHEET)[:1]
    cells = [str(c).strip() for c in head[0]] if head else []
    if len(cells) >= 3 and cells[0] == MARKER_TAG:
        version = cells[2].removesuffix(".0")
        return parse_marker(f"{cells[1]}@{version}")
    return None


def _calamine_grid(path: Path, sheet_name: str | None) -> list[list[Any]]:
    try:
        with CalamineWorkbook.from_path(str(path)) as book:
            sheet = book.get_sheet_by_index(0) if sheet_name is None else book.get_sheet_by_name(sheet_name)
            return sheet.to_python(skip_empty_area=False)
    except Exception as error:
        raise InputError(
            f"无法读取Excel文件（{type(error).__name__}）。请确认文件未损坏且未加密，重新保存后再导入。"
        ) from error


def _header(grid: list[list[Any]], spec: TemplateSpec, strict: bool) -> tuple[int, list[int]]:
    """The header row's index and, per spec column, the file's column index (-1 when absent)."""
    start = next((i for i, row in enumerate(grid) if any(c not in (None, "") for c in row)), None)
    if start is not None and not strict:  # a title or a note may stand above the header: look a little further
        wanted = {t for c in spec.columns if c.required for t in (c.title, *c.aliases)}
        start = next(
            (i for i, row in enumerate(grid[start : start + 20], start) if wanted & {str(c).strip() for c in row}),
            start,
        )
    if start is None or (strict and start != 0):
        raise InputError(
            f"文件中没有数据。{download_hint(spec)}"
            if start is None
            else f"模板的第1行应为表头，请勿在表头前插入行。{download_hint(spec)}"
        )
    titles = [str(c).strip() if c is not None else "" for c in grid[start]]
    while titles and titles[-1] in ("", ANNOTATION_TITLE):
        titles.pop()
    if strict:
        expected = [c.title for c in spec.columns]
        if titles != expected:
            at = next(
                (i for i, (a, b) in enumerate(zip(titles, expected, strict=False)) if a != b),
                min(len(titles), len(expected)),
            )
            should_be = f"应为“{expected[at]}”" if at < len(expected) else "应为空"
            raise InputError(
                f"导入模板的表头已被修改（第{at + 1}列{should_be}），请勿增删或修改模板的列。{download_hint(spec)}"
            )
        return start, list(range(len(expected)))
    positions = []
    for column in spec.columns:
        at = next((titles.index(t) for t in (column.title, *column.aliases) if t in titles), -1)
        if at < 0 and column.required:
            raise InputError(f"文件缺少“{column.title}”列，请使用导入模板填写。")
        positions.append(at)
    return start, positions


def _blank(row: list[Any]) -> bool:
    """No content: empty or all-space text and no value (a 0 is content, though falsy). A row with content
    usually says so at its first cell."""
    for cell in row:
        if cell.__class__ is str:
            if cell and not cell.isspace():
                return False
        elif cell is not None:
            return False
    return True


def _from_grid(
    grid: list[list[Any]], spec: TemplateSpec, path: Path, from_template: bool, limits: Limits
) -> ImportedRows:
    start, positions = _header(grid, spec, from_template)
    # The rows' numbers, then the rows themselves: no pair per row for the garbage collector to go over.
    numbers = [index + 1 for index, row in enumerate(grid) if index > start and not _blank(row)]
    if len(numbers) > limits.max_rows:
        raise InputError(f"文件超过{limits.max_rows}行，请分批导入。")
    if not numbers:
        where = f"请在【{spec.title}】的第2行起填写数据后再导入。" if from_template else download_hint(spec)
        raise InputError(f"文件中没有数据。{where}")
    body = [grid[number - 1] for number in numbers]
    imported = ImportedRows(spec, path, from_template, numbers)
    for column, at in zip(spec.columns, positions, strict=True):
        raw = [row[at] if at < len(row) else None for row in body] if at >= 0 else [None] * len(body)
        values = list(map(parser(column), raw))
        for position in [i for i, v in enumerate(values) if v.__class__ is Bad]:
            imported.problems.append(RowError(numbers[position], column.title, values[position].reason))
            values[position] = None
        imported.raw.append(raw)
        imported.columns.append(values)
    imported.problems.sort()
    return imported
