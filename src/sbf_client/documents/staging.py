"""Checking imported rows as a set, in SQL, and the annotated copy the user gets back.

``staged`` writes the parsed rows into a temporary table of the unit database's connection, so that the
checks that touch the database are queries over the whole file — 证件号码 among the cached employees, the
same key twice in the file — and never one lookup per row in Python. ``check_import`` is the whole pipeline
for a template: read (``importing.read_import``), stage, run the caller's validator, and give back every
error by row. Nothing is applied here: when ``ImportCheck.ok`` the caller applies ``rows`` in one
transaction (the same connection's, when the check should hold until then).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from .cells import as_text
from .importing import ImportedRows, RowError, read_import
from .templates import TemplateSpec, write_template
from .xlsx_guard import LIMITS, Limits


@dataclass(frozen=True)
class Staged:
    """The rows of a file in ``temp.<table>``: ``row_no`` (the sheet's row number, primary key), one TEXT
    column per spec column named by its key (NULL when empty or unreadable), and ``bad`` (1 when a cell of
    the row could not be read)."""

    conn: Connection
    table: str
    rows: ImportedRows

    def title(self, key: str) -> str:
        return self.rows.spec.column(key).title

    def unknown(self, key: str, table: str, column: str, reason: Callable[[str], str]) -> list[RowError]:
        """Rows whose ``key`` value is not found in ``table.column`` (one query for the file)."""
        mine, theirs = _quoted(key), _quoted(column)
        found = self.conn.exec_driver_sql(
            f"SELECT s.row_no, s.{mine} FROM temp.{self.table} s WHERE s.{mine} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {_quoted(table)} x WHERE x.{theirs} = s.{mine}) ORDER BY s.row_no"
        )
        return [RowError(row, self.title(key), reason(value)) for row, value in found]

    def duplicates(self, keys: Sequence[str], reason: Callable[[int], str]) -> list[RowError]:
        """Rows whose ``keys`` repeat an earlier row's (``reason`` gets that row's number)."""
        columns = ", ".join(_quoted(k) for k in keys)
        present = " AND ".join(f"{_quoted(k)} IS NOT NULL" for k in keys)
        found = self.conn.exec_driver_sql(
            f"SELECT row_no, first FROM (SELECT row_no, min(row_no) OVER (PARTITION BY {columns}) AS first "
            f"FROM temp.{self.table} WHERE {present}) WHERE row_no <> first ORDER BY row_no"
        )
        return [RowError(row, self.title(keys[0]), reason(first)) for row, first in found]


def _quoted(name: str) -> str:
    """An SQL identifier (a column key may be a keyword, such as ``group``)."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def staged(
    conn: Connection,
    rows: ImportedRows,
    extra: Sequence[tuple[str, Sequence[Any]]] = (),
    *,
    keys: Sequence[str] | None = None,
) -> Iterator[Staged]:
    """Stage ``rows`` for the duration of the block: the spec's columns (or only ``keys`` of them) and
    ``extra`` columns of the caller's (name, one value per row), e.g. a code a validator derived from a cell."""
    table = f"import_{uuid.uuid4().hex[:12]}"
    chosen = [c.key for c in rows.spec.columns if keys is None or c.key in keys]
    names = chosen + [name for name, _ in extra]
    bad = {e.row for e in rows.problems}
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {table} (row_no INTEGER PRIMARY KEY, {', '.join(f'{_quoted(k)} TEXT' for k in names)}, "
        "bad INTEGER NOT NULL)"
    )
    try:
        columns = [_texts(rows.column(k)) for k in chosen] + [_texts(values) for _, values in extra]
        flags = [int(n in bad) for n in rows.row_numbers] if bad else [0] * len(rows)
        data = list(zip(rows.row_numbers, *columns, flags, strict=True))
        marks = ", ".join("?" * (len(names) + 2))
        conn.exec_driver_sql(f"INSERT INTO temp.{table} VALUES ({marks})", data)
        yield Staged(conn, table, rows)
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{table}")


def _texts(values: Sequence[Any]) -> list[str | None]:
    """A column as the text the staging table holds (each distinct value converted once)."""
    if all(v is None or v.__class__ is str for v in values):
        return list(values)
    known: dict[Any, str | None] = {}
    return [known[v] if v in known else known.setdefault(v, as_text(v)) for v in values]


Validator = Callable[[Staged], Iterable[RowError]]


@dataclass
class ImportCheck:
    """The checked file: ``rows`` and every error, ordered by row and column; ``template``, the template an
    annotated copy is written as when it is not the one the file was read as (e.g. with its dropdowns)."""

    rows: ImportedRows
    errors: list[RowError]
    template: TemplateSpec | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, limit: int | None = None) -> list[str]:
        """One line per error: 第N行：reason."""
        return [str(e) for e in self.errors[:limit]]

    def annotate(self, dest: Path, spec: TemplateSpec | None = None) -> Path:
        """The file back with a 错误原因 column and the bad cells in red; corrected, it imports as it is."""
        return write_annotated(self.rows, self.errors, dest, spec or self.template)


def sort_errors(errors: list[RowError], spec: TemplateSpec) -> None:
    """Order ``errors`` by row, then by the spec's columns (an error of the row as a whole last), then reason."""
    order = {c.title: i for i, c in enumerate(spec.columns)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, len(order)), e.reason))


def check_import(
    path: Path,
    spec: TemplateSpec,
    conn: Connection | None = None,
    validate: Validator | None = None,
    *,
    untemplated: TemplateSpec | None = None,
    limits: Limits = LIMITS,
) -> ImportCheck:
    """Read ``path`` as ``spec``'s template and check every row: cell by cell, then — given a connection —
    ``validate`` over the staged rows. Whole-file refusals raise ``InputError``."""
    rows = read_import(path, spec, untemplated=untemplated, limits=limits)
    errors = list(rows.problems)
    if validate is not None:
        if conn is None:
            raise ValueError("a validator needs a connection")
        with staged(conn, rows) as stage:
            errors.extend(validate(stage))
    sort_errors(errors, spec)
    return ImportCheck(rows, errors)


def write_annotated(
    rows: ImportedRows, errors: Iterable[RowError], dest: Path, spec: TemplateSpec | None = None
) -> Path:
    """A copy of the user's rows as the template (``spec``, by default the one read), with a 错误原因 column
    and the bad cells filled red; corrected, it can be imported again as it is."""
    spec = spec or rows.spec
    titles = [c.title for c in spec.columns]
    source_titles = [c.title for c in rows.spec.columns]
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    raw = []
    reasons = []
    bad_cells = []
    for number, values in zip(rows.row_numbers, zip(*rows.raw, strict=True), strict=True):
        cells = dict(zip(source_titles, values, strict=True))
        raw.append([cells.get(t) for t in titles])
        mine = by_row.get(number, [])
        reasons.append("；".join(e.reason for e in mine))
        bad_cells.append([titles.index(e.column) for e in mine if e.column in titles])
    return write_template(spec, dest, raw, reasons=reasons, bad_cells=bad_cells)
