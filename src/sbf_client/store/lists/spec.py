"""``ListSpec``: one list page declared as data — its source, key, columns, query fields, actions, statistics.

Nothing here runs SQL or imports Qt. Row and toolbar actions, statistics and search filters are named by
``"package.module:name"`` references, imported only when used, like the rest of a module's declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Align = Literal["left", "right", "center"]
CellKind = Literal["text", "int", "money", "date", "datetime"]
Mask = Literal["id_number", "account", "phone"]
FieldKind = Literal["text", "like", "choice", "date_range", "month_range", "search", "group"]


@dataclass(frozen=True)
class ListColumn:
    """A column: what it selects (``sql``, over the source), its title as in the manual, and how it is shown.

    ``codes`` names the code table whose names replace the stored codes (on screen and in exports);
    ``mask`` hides part of a personal number in lists — exports of the unit's own data carry it in full.
    """

    key: str
    title: str
    sql: str
    width: int = 120
    align: Align = "left"
    kind: CellKind = "text"
    codes: str | None = None
    mask: Mask | None = None
    sortable: bool = True


@dataclass(frozen=True)
class QueryField:
    """A field of the query panel.

    - ``text``: exact match of ``sql``; ``like``: substring (LIKE, wildcards typed by the user are literal);
      ``upper`` folds the typed text to upper case first (证件号码's x).
    - ``choice``: exact match; ``choices`` are literal ``(text, value)`` pairs, ``"codes:<table>"`` for a code
      table, ``"registrations"`` for the unit's 单位编号, or a module's ``fn(engine) -> [(text, value)]`` —
      read on the UI thread when the page opens and on each refresh, so it reads a small table (the groups, a
      DISTINCT an index serves). The first choice is 全部 (no filter).
    - ``date_range`` / ``month_range``: two boxes, ``sql`` between them (either may be empty).
    - ``search``: the typed text goes to ``filter``, a reference to ``fn(text) -> (sql, params)``; ``live``
      queries as the user types.
    - ``group``: a group and its sub-groups; ``filter`` is ``fn(group_id) -> (sql, params)``.

    ``index`` names the index (or full-text index) that serves the field, so every field is served by one:
    a test checks each against the query planner.
    """

    key: str
    label: str
    kind: FieldKind
    sql: str = ""
    choices: tuple[tuple[str, Any], ...] | str = ()
    placeholder: str = ""
    filter: str | None = None
    upper: bool = False
    live: bool = False
    index: str = ""


@dataclass(frozen=True)
class ListAction:
    """A button of the toolbar, or a link of the 操作 column (``row=True``).

    ``handler`` is ``fn(page, keys)``: the page, and the chosen keys (a row's key, or the checked keys — for a
    toolbar action that ``needs_selection``). ``online_only`` actions are disabled, with the reason, offline.
    ``menu`` makes a toolbar button a drop-down of sub-actions (导出 ▾ 选中职工 / 所有职工).
    """

    id: str
    title: str
    handler: str = ""
    row: bool = False
    online_only: bool = False
    needs_selection: bool = False
    menu: tuple[ListAction, ...] = ()
    secondary: bool = False


@dataclass(frozen=True)
class ExportSpec:
    """What 导出 writes: the file name offered (without .xlsx) and the sheet's title."""

    file_name: str
    sheet: str


@dataclass(frozen=True)
class ListSpec:
    """A list page as data. ``source`` is a table or a join; ``key`` a unique key expression over it (``rowid``
    for a table: small, and what its indexes carry); ``order`` the default ORDER BY before the key.

    ``statistics`` is ``fn(engine, where, params) -> str`` for the line above the list; ``watches`` the data sets
    whose change refreshes the page; ``detail`` the handler of 查看 and of a double-click.
    """

    id: str
    title: str
    source: str
    columns: tuple[ListColumn, ...]
    order: str
    key: str = "rowid"
    fields: tuple[QueryField, ...] = ()
    toolbar: tuple[ListAction, ...] = ()
    row_actions: tuple[ListAction, ...] = ()
    detail: str | None = None
    statistics: str | None = None
    watches: frozenset[str] = field(default_factory=frozenset)
    export: ExportSpec | None = None
    checkable: bool = False
    numbered: bool = False
    paged: bool = True

    def __post_init__(self) -> None:
        keys = [column.key for column in self.columns]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.id}: two columns share a key")
        names = [item.key for item in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.id}: two query fields share a key")

    def column(self, key: str) -> ListColumn:
        for column in self.columns:
            if column.key == key:
                return column
        raise ValueError(f"{self.id}: unknown column {key!r}")

    def query_field(self, key: str) -> QueryField:
        for item in self.fields:
            if item.key == key:
                return item
        raise ValueError(f"{self.id}: unknown query field {key!r}")
