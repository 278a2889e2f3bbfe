"""The 姓名 and 证件号码 boxes of 职工参保信息更新 as SQL: WHERE fragments over ``employees`` (unaliased).

Each function is pure: it returns ``(sql, params)``; everything typed is a bound parameter, and no LIKE is
used, so ``%``, ``_`` and ``\\`` are ordinary characters. The list orders by ``name, rowid``; each fragment is
written so that SQLite picks the plan whose cost stays bounded at a million rows (bench_employee_search):

- a few matches among many rows: the trigram full-text index ``employees_fts``, then sort the matches;
- a fragment that many rows contain: walk ``employees_by_name`` (name, id_number, name_initials,
  name_pinyin) in list order, testing each entry, until the window is full — at worst one pass over a
  narrow index, which also serves the one- and two-character fragments a trigram index cannot;
- pinyin prefixes: the range of ``employees_by_initials`` (name_initials, name, name_pinyin) under the first
  letter typed — a row whose initials or full pinyin begin with the text has initials beginning with its
  first letter.

The 姓名 box takes Chinese (a substring of the name) or latin letters (拼音): ``lt`` and ``linting`` find
林婷 by initials or full pinyin; from three letters on, a piece of the pinyin anywhere (``ting``) finds it too.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..domain.pinyin import is_pinyin_query

# Shortest text the trigram index serves (three characters make one trigram).
TRIGRAM = 3
# From this many letters on, a piece of pinyin is rare enough for the full-text index; up to two letters
# only prefixes are meant (a one-letter piece is in nearly every name).
PINYIN_INDEXED = 6

_IGNORED_IN_PINYIN = " \t·•．.'’-"


def _phrase(column: str, text: str) -> str:
    """An FTS5 query for ``text`` as one literal phrase in ``column`` (quotes doubled, nothing else special)."""
    return f'{column} : "' + text.replace('"', '""') + '"'


def _in_text_index(parameter: str) -> str:
    return f"employees.rowid IN (SELECT rowid FROM employees_fts WHERE employees_fts MATCH :{parameter})"


def _pinyin_text(text: str) -> str | None:
    """The typed text as lower-case pinyin letters (``Lin Ting`` → ``linting``), or None if it is not pinyin."""
    folded = unicodedata.normalize("NFKC", text)
    letters = "".join(c for c in folded if c not in _IGNORED_IN_PINYIN).lower()
    return letters if is_pinyin_query(letters) else None


def _pinyin_filter(letters: str) -> tuple[str, dict[str, Any]]:
    length = len(letters)
    params: dict[str, Any] = {"name_py": letters, "name_py_len": length}
    initials_prefix = "substr(name_initials, 1, :name_py_len) = :name_py"
    if length < TRIGRAM:
        first = letters[0]
        params |= {"name_py_first": first, "name_py_after": chr(ord(first) + 1)}
        sql = (
            "name_initials >= :name_py_first AND name_initials < :name_py_after "
            f"AND ({initials_prefix} OR substr(name_pinyin, 1, :name_py_len) = :name_py)"
        )
        return sql, params
    if length < PINYIN_INDEXED:
        return f"({initials_prefix} OR instr(name_pinyin, :name_py) > 0)", params
    params = {
        "name_py": letters,
        "name_py_after": letters[:-1] + chr(ord(letters[-1]) + 1),
        "name_py_phrase": _phrase("name_pinyin", letters),
    }
    sql = f"((name_initials >= :name_py AND name_initials < :name_py_after) OR {_in_text_index('name_py_phrase')})"
    return sql, params


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
        return _in_text_index("name_phrase"), {"name_phrase": _phrase("name", text)}
    return "instr(name, :name_part) > 0", {"name_part": text}


def id_number_filter(text: str) -> tuple[str, dict[str, Any]]:
    """证件号码: any fragment of the number (``x`` and ``X`` are the same check character)."""
    fragment = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if not fragment:
        return "1", {}
    # Met in list order on employees_by_name (which carries id_number): at most one pass over a narrow index
    # (~110 ms at a million rows). A trigram index of the number would answer rare fragments faster but
    # cost a full update 4.5 s at a million rows.
    return "instr(id_number, :id_part) > 0", {"id_part": fragment}
