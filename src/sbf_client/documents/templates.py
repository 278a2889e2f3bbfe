"""Excel import templates the client generates: what a template is (``TemplateSpec``) and writing one.

A template is one visible sheet — the header row, then the user's rows — plus a hidden sheet and a defined
name that carry the template's id and version. Both survive a save in Excel, WPS and LibreOffice Calc (Calc
turns the very-hidden sheet into a hidden one), so an import can tell its own template from any other file
(``documents/importing.py``). Text columns, 年月 columns included, are formatted as text, so that an 18-digit
证件号码 or a 2026-12 stays what was typed; 选项 columns get a dropdown, length-limited columns a length rule,
and every column its note as the cell's input prompt and as a comment on its header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

Kind = Literal["text", "int", "money", "month", "date", "choice"]

MARKER_NAME = "SBF_TEMPLATE"  # defined name whose value is "<id>@<version>"
MARKER_SHEET = "_sbf_template"
MARKER_TAG = "sbf-template"  # A1 of the marker sheet; B1 the id, C1 the version
ANNOTATION_TITLE = "错误原因"  # the column an annotated copy adds; an import ignores it
VALIDATED_ROWS = 200_000  # rows the dropdowns and length rules cover
_FORMATS = {"text": "@", "month": "@", "choice": "@", "int": "0", "money": "0.00", "date": "yyyy-mm-dd"}
_HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2")
_BAD_FILL = PatternFill("solid", start_color="FFFFC7CE")
_REQUIRED_FONT = Font(bold=True, color="FFC00000")
_OPTIONAL_FONT = Font(bold=True)
_REASON_FONT = Font(color="FFC00000")


@dataclass(frozen=True)
class Column:
    """One column of a template. ``key`` names it in code and in the staging table (ASCII); ``title`` is its
    header. ``check`` is a rule of its own on a parsed, non-empty value: a Chinese reason, or None when fine.
    ``aliases`` are other headers accepted in a file not made from the template (where the caller allows it).
    ``missing`` / ``invalid`` replace the default reasons of an empty required cell / an unreadable one."""

    key: str
    title: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    note: str = ""
    width: int = 16
    aliases: tuple[str, ...] = ()
    missing: str | None = None
    invalid: str | None = None
    check: Callable[[Any], str | None] | None = field(default=None, compare=False)

    @property
    def prompt(self) -> str:
        """The note shown on the header and when a cell of the column is selected."""
        parts = ["必填" if self.required else "选填"]
        if self.choices:
            parts.append("从下拉列表中选择")
        if self.max_length:
            parts.append(f"最多{self.max_length}个字符")
        parts.append(
            {"month": "格式YYYY-MM（如2026-12）", "date": "格式YYYY-MM-DD", "money": "金额，最多两位小数"}.get(
                self.kind, ""
            )
        )
        if self.note:
            parts.append(self.note)
        return "；".join(p for p in parts if p)


@dataclass(frozen=True)
class TemplateSpec:
    """An import template: ``id`` and ``version`` are written into the file and checked on import (a new
    version is made when the columns change); ``title`` is what the user downloads, named in messages."""

    id: str
    version: int
    title: str
    columns: tuple[Column, ...]

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys) or len({c.title for c in self.columns}) != len(keys):
            raise ValueError(f"template {self.id}: column keys and titles must be unique")
        if not all(k.isascii() and k.isidentifier() and k not in ("row_no", "bad") for k in keys):
            raise ValueError(f"template {self.id}: column keys are ASCII identifiers (they name SQL columns)")
        if "@" in self.id:
            raise ValueError("a template id has no '@'")
        _TITLES[self.id] = self.title

    @property
    def marker(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def sheet_title(self) -> str:
        """The data sheet's name: the title within Excel's 31 characters and without the characters it
        forbids."""
        cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in self.title)
        return cleaned[:31] or "导入数据"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def with_columns(self, columns: Iterable[Column]) -> TemplateSpec:
        """The same template (id, version, title) read with other columns: how a caller reads files not made
        from the template that may carry more columns than the template has."""
        return replace(self, columns=tuple(columns))


_TITLES: dict[str, str] = {}  # every template the program defines: a file of another one is named by title


def title_of(template_id: str) -> str | None:
    """The title of a template this program defines (to name it when a file of it is imported elsewhere)."""
    return _TITLES.get(template_id)


def parse_marker(text: str) -> tuple[str, int] | None:
    """``"<id>@<version>"`` → (id, version); anything else → None."""
    marker_id, _, version = text.strip().strip('"').rpartition("@")
    return (marker_id, int(version)) if marker_id and version.isdigit() else None


def write_template(
    spec: TemplateSpec,
    path: Path,
    rows: Iterable[Sequence[object]] = (),
    *,
    reasons: Sequence[str] | None = None,
    bad_cells: Sequence[Iterable[int]] | None = None,
) -> Path:
    """Write the template to ``path`` (an .xlsx), with ``rows`` already filled in when given. An annotated
    copy passes ``reasons`` (one per row, '' for a good row; they go to an added 错误原因 column) and
    ``bad_cells`` (per row, the indexes of the columns to fill red). Written streaming: 100,000 rows take a
    few seconds, not minutes."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(spec.sheet_title)
    marker = book.create_sheet(MARKER_SHEET)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = _FORMATS[column.kind]
        _add_rules(sheet, spec, column, index)
    if reasons is not None:
        sheet.column_dimensions[get_column_letter(len(spec.columns) + 1)].width = 60
    sheet.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, column.title)
        cell.font = _REQUIRED_FONT if column.required else _OPTIONAL_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(column.prompt, "社保费管理客户端", width=240, height=80)
        header.append(cell)
    if reasons is not None:
        header.append(_styled(sheet, ANNOTATION_TITLE, font=_REQUIRED_FONT, fill=_HEADER_FILL))
    sheet.append(header)
    for position, values in enumerate(rows):
        if reasons is None:
            sheet.append(list(values))
            continue
        bad = set(bad_cells[position]) if bad_cells else set()
        cells = [_styled(sheet, value, fill=_BAD_FILL) if i in bad else value for i, value in enumerate(values)]
        cells += [None] * (len(spec.columns) - len(cells))
        reason = reasons[position]
        sheet.append([*cells, _styled(sheet, reason, font=_REASON_FONT) if reason else None])
    _write_marker(marker, spec)
    book.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=f'"{spec.marker}"')
    book.save(path)
    return path


def _styled(sheet: Any, value: object, *, font: Font | None = None, fill: PatternFill | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _choice_range(spec: TemplateSpec, column: Column) -> str:
    """Where the marker sheet lists a column's choices: a list in the rule itself is limited to 255
    characters, a range is not."""
    letter = get_column_letter(spec.columns.index(column) + 1)
    return f"{quote_sheetname(MARKER_SHEET)}!${letter}$4:${letter}${3 + len(column.choices)}"


def _add_rules(sheet: Any, spec: TemplateSpec, column: Column, index: int) -> None:
    letter = get_column_letter(index)
    cells = f"{letter}2:{letter}{VALIDATED_ROWS + 1}"
    if column.choices:
        rule = DataValidation(type="list", formula1=_choice_range(spec, column), allow_blank=not column.required)
        rule.error = f"请从下拉列表中选择{column.title}。"
    elif column.max_length:
        rule = DataValidation(
            type="textLength", operator="lessThanOrEqual", formula1=str(column.max_length), allow_blank=True
        )
        rule.error = f"{column.title}最多{column.max_length}个字符。"
    else:
        rule = DataValidation(allow_blank=True)  # no rule: only the prompt
    rule.showErrorMessage = bool(column.choices or column.max_length)
    rule.errorTitle = column.title
    rule.promptTitle = column.title[:32]
    rule.prompt = column.prompt[:255]
    rule.showInputMessage = True
    rule.add(cells)
    sheet.data_validations.append(rule)


def _write_marker(marker: Any, spec: TemplateSpec) -> None:
    """The very-hidden sheet: the marker in row 1, a note in row 2, the choice lists from row 4."""
    marker.sheet_state = "veryHidden"
    marker.append([MARKER_TAG, spec.id, str(spec.version)])
    marker.append(["本工作表由社保费管理客户端生成，用于识别导入模板，请勿修改或删除。"])
    marker.append([])
    longest = max((len(c.choices) for c in spec.columns), default=0)
    for position in range(longest):
        marker.append([c.choices[position] if position < len(c.choices) else None for c in spec.columns])
