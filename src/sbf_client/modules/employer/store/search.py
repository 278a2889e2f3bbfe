"""The 姓名 and 证件号码 boxes of 职工参保信息更新 as SQL: WHERE fragments over ``employees`` (unaliased).

Each function is pure: it returns ``(sql, params)``; everything typed is a bound parameter, and no LIKE is
used, so ``%``, ``_`` and ``\\`` are ordinary characters. The list orders by ``name, rowid``; each fragment is
written so that SQLite picks the plan whose cost stays bounded at a million rows (bench_employee_search):

- 姓名 is matched against the distinct names (``employee_names``: a few hundred thousand at a million
  employees, each with its pinyin keys), never row by row: the names that match, in name order, then their
  rows through ``employees_by_name`` — the window fills from the first few names, whatever their number;
- a piece of three characters or letters and more: the trigram full-text index ``employee_names_fts``;
  one or two Chinese characters: one pass over the names; one or two letters (pinyin initials or the start
  of the full pinyin): the range of ``employee_names_by_initials`` under the first letter typed — a name
  whose initials or full pinyin begin with the text has initials beginning with its first letter;
- 证件号码: walk ``employees_by_name`` (which carries id_number, as it carries every other query field) in
  list order, testing each entry, until the window is full — at worst one pass over a narrow index.

The 姓名 box takes Chinese (a substring of the name) or latin letters (拼音): ``lt`` and ``linting`` find
林婷 by initials or full pinyin; from three letters on, a piece of the pinyin anywhere (``ting``) finds it too.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..domain.pinyin import is_pinyin_query

# Shortest text the trigram index serves (three characters make one trigram).
TRIGRAM = 3

_IGNORED_IN_PINYIN = " \t·•．.'’-"


def _phrase(column: str, text: str) -> str:
    """An FTS5 query for ``text`` as one literal phrase in ``column`` (quotes doubled, nothing else special)."""
    return f'{column} : "' + text.replace('"', '""') + '"'


def _names(condition: str) -> str:
    """The rows whose name is one of the names meeting ``condition`` (over ``employee_names``)."""
    return f"employees.name IN (SELECT name FROM employee_names WHERE {condition})"


def _in_text_index(parameter: str) -> str:
    return f"rowid IN (SELECT rowid FROM employee_names_fts WHERE employee_names_fts MATCH :{parameter})"


def _pinyin_text(text: str) -> str | None:
    """The typed text as lower-case pinyin letters (``Lin Ting`` → ``linting``), or None if it is not pinyin."""
    folded = unicodedata.normalize("NFKC", text)
    letters = "".join(c for c in folded if c not in _IGNORED_IN_PINYIN).lower()
    return letters if is_pinyin_query(letters) else None


def _after(letters: str) -> str:
    """The first text after every text that begins with ``letters`` (its last letter moved one on)."""
    return letters[:-1] + chr(ord(letters[-1]) + 1)


def _pinyin_filter(letters: str) -> tuple[str, dict[str, Any]]:
    if len(letters) < TRIGRAM:
        params: dict[str, Any] = {
            "name_py": letters,
            "name_py_len": len(letters),
            "name_py_first": letters[0],
            "name_py_after": _after(letters[0]),
        }
        condition = (
            "initials >= :name_py_first AND initials < :name_py_after "
            "AND (substr(initials, 1, :name_py_len) = :name_py OR substr(pinyin, 1, :name_py_len) = :name_py)"
        )
        return _names(condition), params
    params = {"name_py": letters, "name_py_after": _after(letters), "name_py_phrase": _phrase("pinyin", letters)}
    condition = f"(initials >= :name_py AND initials < :name_py_after) OR {_in_text_index('name_py_phrase')}"
    return _names(condition), params


def name_filter(text: str) -> tuple[str, dict[str, Any]]:
    """姓名: a substring of the name; or, for latin letters, initials / full pinyin (prefix or, from three
    letters, anywhere). ``林`` and ``林婷`` find 林婷, and so do ``lt``, ``lint``, ``linting`` and ``ting``."""
    text = text.strip()
    if not text:
        return "1", {}
    letters = _pinyin_text(text)
    if letters is not None:
        return _pinyin_filter(letters)
    if len(text) >= TRIGRAM:
        return _names(_in_text_index("name_phrase")), {"name_phrase": _phrase("name", text)}
    return _names("instr(name, :name_part) > 0"), {"name_part": text}


def id_number_filter(text: str) -> tuple[str, dict[str, Any]]:
    """证件号码: any fragment of the number (``x`` and ``X`` are the same check character)."""
    fragment = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not fragment:
        return "1", {}
    # Met in list order on employees_by_name (which carries id_number): at most one pass over a narrow index
    # (~110 ms at a million rows). A trigram index of the number would answer rare fragments faster but
    # cost a full update 4.5 s at a million rows.
    return "instr(id_number, :id_part) > 0", {"id_part": fragment}
