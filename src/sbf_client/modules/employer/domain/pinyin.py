"""A name's pinyin search keys: its initials (林婷 → ``lt``) and its full pinyin (``linting``).

Both are lower case, without tones, one syllable per Chinese character. ü is written ``v`` (吕 → ``lv``,
女 → ``nv``), as every pinyin input method types it, so what the user types to enter the name finds it.
A surname takes its surname reading where that differs from the common one (曾 → ``zeng``, 单 → ``shan``,
尉迟 → ``yuchi``). Latin letters are kept (a run of them is one word, whose first letter is its initial;
accents and full-width forms are folded), everything else — spaces, the middle dot ·, digits — is dropped.

A million names cost about a second: readings are looked up once per character (names reuse a few thousand)
and kept, so pypinyin is called only for a character not seen before. The sync asks once per distinct name
(``employee_names``): a million employees share ~280,000, about 0.3 s.
"""

from __future__ import annotations

import unicodedata

from pypinyin import lazy_pinyin

# Surnames read differently from the character's common reading; compound ones first.
_COMPOUND_SURNAMES = {"尉迟": ("yu", "chi"), "万俟": ("mo", "qi"), "单于": ("chan", "yu"), "澹台": ("tan", "tai")}
_SURNAMES = dict(
    pair.split(":")
    for pair in (
        "曾:zeng 单:shan 解:xie 朴:piao 仇:qiu 区:ou 查:zha 盖:ge 覃:qin 种:chong 繁:po 缪:miao 秘:bi 员:yun "
        "召:shao 翟:zhai 祭:zhai 藏:zang 折:she 阚:kan 黑:he 薄:bo 隗:wei 重:chong 句:gou 能:nai 蕃:pi"
    ).split()
)

# Characters whose reading in names differs from the common one anywhere in the name (阿卜杜拉: Abdulla).
_NAME_READINGS = {"卜": "bu"}
_SURNAME_STARTS = frozenset(_SURNAMES) | {surname[0] for surname in _COMPOUND_SURNAMES}

_SEPARATOR, _LETTERS, _SYLLABLE = 0, 1, 2
_READINGS: dict[str, tuple[int, str]] = {}
# str.translate tables (code point → syllable, → its initial) of the characters read as one syllable: a name
# made only of them — the usual Chinese name — is read in C. Every ASCII character maps to a non-ASCII mark,
# so a name with latin letters (or any character not yet read) takes the careful path instead.
_NOT_FAST = "\uffff"
_FULL_TABLE: dict[int, str] = dict.fromkeys(range(128), _NOT_FAST)
_INITIAL_TABLE: dict[int, str] = dict.fromkeys(range(128), _NOT_FAST)


def _reading(char: str) -> tuple[int, str]:
    """What a character contributes: nothing, latin letters (part of a word), or a syllable of its own."""
    known = _READINGS.get(char)
    if known is not None:
        return known
    folded = "".join(c for c in unicodedata.normalize("NFKD", char) if c.isascii() and c.isalpha()).lower()
    if folded:
        reading = (_LETTERS, folded)
    else:
        syllable = _NAME_READINGS.get(char) or lazy_pinyin(char)[0]
        if syllable.isascii() and syllable.isalpha():
            reading = (_SYLLABLE, syllable)
            _FULL_TABLE[ord(char)], _INITIAL_TABLE[ord(char)] = syllable, syllable[0]
        else:
            reading = (_SEPARATOR, "")
    _READINGS[char] = reading
    return reading


def _surname(name: str) -> tuple[str, str, str]:
    """(initials, pinyin) of a surname read in its own way, and the rest of the name."""
    compound = _COMPOUND_SURNAMES.get(name[:2])
    if compound is not None:
        return compound[0][0] + compound[1][0], compound[0] + compound[1], name[2:]
    surname = _SURNAMES.get(name[:1])
    if surname is not None:
        return surname[0], surname, name[1:]
    return "", "", name


def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name: 林婷 → ("lt", "linting"); "Alice Wang" → ("aw", "alicewang")."""
    initials, full, rest = _surname(name) if name[:1] in _SURNAME_STARTS else ("", "", name)
    syllables = rest.translate(_FULL_TABLE)
    if syllables.isascii():
        return initials + rest.translate(_INITIAL_TABLE), full + syllables
    initial_parts, full_parts = [initials], [full]
    in_word = False
    for char in rest:
        kind, text = _reading(char)
        if kind == _LETTERS:
            if not in_word:
                initial_parts.append(text[0])
            full_parts.append(text)
            in_word = True
        else:
            if kind == _SYLLABLE:
                initial_parts.append(text[0])
                full_parts.append(text)
            in_word = False
    return "".join(initial_parts), "".join(full_parts)


def is_pinyin_query(text: str) -> bool:
    """Typed text that may be pinyin: latin letters only (``lt``, ``linting``)."""
    return bool(text) and text.isascii() and text.isalpha()
