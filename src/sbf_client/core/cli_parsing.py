"""Parsing a command line in Chinese: argparse's own words translated, a usage error as one line, and the
value types that check what a person typed where it enters, before anything is opened or sent.

Both programs use it, ``sbf-client`` and ``sbf-sandbox`` (which may import only ``core`` and ``remote``); it
needs nothing but the standard library.

argparse builds its messages with its module's ``_`` (gettext). The parser puts a Chinese catalogue in its
place only while it builds, parses or prints, and puts the original back afterwards, so nothing else in the
process is affected.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

from sbf_client.core.errors import InputError

T = TypeVar("T")
# The strings argparse itself writes (Python 3.11); anything else passes through as it is.
CATALOGUE = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的取值 %(value)r，可选：%(choices)s",
    "invalid %(type)s value: %(value)r": "无效的取值 %(value)r",
    "expected one argument": "缺少取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不接受取值 %r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "one of the arguments %s is required": "须指定以下参数之一：%s",
}
MAX_MESSAGE = 600  # a usage error echoes what was typed; a 50,000-character argument must not fill the screen


class UsageError(InputError):
    """The command line itself is wrong (unknown command, missing or malformed argument): exit status 2."""


@contextmanager
def _in_chinese() -> Iterator[None]:
    # Through the module's namespace: typeshed does not declare argparse's private ``_``.
    namespace = vars(argparse)
    original: Callable[[str], str] = namespace["_"]

    def translated(text: str) -> str:
        return CATALOGUE.get(text) or original(text)

    namespace["_"] = translated
    try:
        yield
    finally:
        namespace["_"] = original


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """At most ``limit`` characters, the middle left out: both ends of a message say the most."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Chinese and raises :class:`UsageError` instead of printing and exiting,
    so that the program reports it in its own way (one line, or one JSON object)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No abbreviations: `--pass` must not quietly mean `--password-stdin`, nor an unknown option be guessed.
        kwargs.setdefault("allow_abbrev", False)
        with _in_chinese():
            super().__init__(*args, **kwargs)

    def parse_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> Any:
        with _in_chinese():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> tuple[Any, list[str]]:
        with _in_chinese():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _in_chinese():
            return super().format_usage()

    def format_help(self) -> str:
        with _in_chinese():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{shorten(message)}。查看用法：{self.prog} --help")


# ------------------------------------------------------------------ value types


def text(what: str, max_length: int, *, may_be_empty: bool = False) -> Callable[[str], str]:
    """Text a person typed: trimmed, not empty, at most ``max_length`` characters, no control characters."""

    def parse(value: str) -> str:
        value = value.strip()
        if not value and not may_be_empty:
            raise argparse.ArgumentTypeError(f"{what}不能为空")
        if len(value) > max_length:
            raise argparse.ArgumentTypeError(f"{what}最多{max_length}个字符，现为{len(value)}个")
        if not value.isprintable():
            raise argparse.ArgumentTypeError(f"{what}含有不可见的控制字符，请重新输入")
        return value

    return parse


def integer(what: str, low: int, high: int) -> Callable[[str], int]:
    """A whole number between ``low`` and ``high``; the bounds keep it inside what the databases can store."""

    def parse(value: str) -> int:
        value = value.strip()
        # int() would read a 4,000-digit string slowly and refuse a longer one with an English ValueError
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", value):
            raise argparse.ArgumentTypeError(f"{what}须为整数，“{shorten(value, 40)}”不是整数")
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{what}须在{low}到{high}之间，现为{shorten(value, 40)}")
        return number

    return parse


def number(what: str, low: float, high: float) -> Callable[[str], float]:
    """A finite number between ``low`` and ``high`` (``nan`` and ``inf`` are not numbers a person means)."""

    def parse(value: str) -> float:
        try:
            result = float(value.strip()) if len(value) <= 30 else math.nan
        except ValueError:
            result = math.nan
        if not math.isfinite(result):
            raise argparse.ArgumentTypeError(f"{what}须为数字，“{shorten(value, 40)}”不是数字")
        if not low <= result <= high:
            raise argparse.ArgumentTypeError(f"{what}须在{low:g}到{high:g}之间，现为{result:g}")
        return result

    return parse


def checked(validate: Callable[[str], T]) -> Callable[[str], T]:
    """A validator of the services (raising :class:`InputError`) used as an argparse type."""

    def parse(value: str) -> T:
        try:
            return validate(value)
        except InputError as error:
            raise argparse.ArgumentTypeError(error.message.rstrip("。")) from None

    return parse
