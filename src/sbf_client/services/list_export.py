"""导出 of any list page to .xlsx: its ``ListSpec``'s columns, the current query (or the chosen rows), one writer.

Headers are the titles on screen and codes are written as their names. Personal numbers are written in full
when the list is the unit's own data (``full``), masked as on screen otherwise. Used by every page's 导出 and by
the command line's ``export`` commands; the caller runs it in a background task.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sbf_client.documents.excel import ExcelColumn, ExportCancelled, write_xlsx
from sbf_client.store.codes import CodeTables
from sbf_client.store.lists import ListQuery, ListSource
from sbf_client.store.lists.cells import export_value
from sbf_client.sync.progress import Cancelled, Progress

EXPORTING = "正在导出…"


def export_list(
    source: ListSource,
    query: ListQuery,
    path: Path,
    codes: CodeTables,
    *,
    keys: Sequence[Any] | None = None,
    full: bool = True,
    progress: Progress | None = None,
) -> int:
    """Write the rows of ``query`` (or only ``keys``, in their order) to ``path``; returns how many."""
    spec = source.spec
    columns = [ExcelColumn(c.title, width=max(8, c.width // 8), kind=c.kind) for c in spec.columns]
    values = [export_value(c, codes, full=full) for c in spec.columns]
    total = len(keys) if keys is not None else source.count(query)
    rows = ([convert(value) for convert, value in zip(values, row, strict=True)] for row in source.stream(query, keys))

    def reported(done: int, _total: int | None) -> None:
        if progress is not None:
            progress.report(done, total, f"{EXPORTING}已导出 {done} / {total} 条")

    try:
        return write_xlsx(
            path,
            columns,
            rows,
            sheet=spec.export.sheet if spec.export else spec.title,
            total=total,
            progress=reported,
            cancelled=(lambda: progress.cancelled) if progress is not None else None,
        )
    except ExportCancelled:
        raise Cancelled() from None
