"""The sandbox's edge: every refusal and every failure leaves as ``{code, message}`` in Chinese.

FastAPI and Starlette answer some requests themselves, in English and in their own shapes: a validation error
(422 ``{"detail": [...]}``), malformed JSON or bad UTF-8 (400), an unknown route (404), a wrong method (405).
The handlers here translate each into the contract's error body with a fitting status, and a pure ASGI
middleware guards the rest: a body larger than the contract allows is refused before it is read into memory
(413), and an exception nobody foresaw becomes a logged 500 with the same body instead of a bare text answer.
A refused value is never quoted back: it may be a password or an ID number.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sbf_client.remote.contract import errors as codes
from sbf_client.remote.contract.errors import ErrorBody
from sbf_client.remote.contract.models import (
    CHINESE_ERROR,
    MONTH_PATTERN,
    RECORD_KEY_PATTERN,
    SUBMISSION_KEY_PATTERN,
    TAXPAYER_ID_PATTERN,
)
from sbf_client.remote.contract.paths import REGION_ROOT

from .errors import ApiFailure

if TYPE_CHECKING:
    from .business import BusinessSandbox

log = logging.getLogger(__name__)

# 100,000 申报明细 rows (the contract's most) take about 15 MB of JSON; twice that is room enough.
MAX_BODY_BYTES = 32 * 1024 * 1024
_SHOWN_ERRORS = 3  # a message names the first few problems, not a hundred thousand

DESCRIPTIONS = {
    400: "请求内容无法解析（须为UTF-8编码的JSON），或缺少业务流水号",
    401: "申报密码有误，或登录已失效",
    403: "使用初始申报密码登录，须先修改申报密码",
    404: "地区、单位或数据不存在",
    409: "变更序号属于另一次数据整理（epoch），需要全量更新",
    410: "变更序号早于已清理的删除记录，需要全量更新",
    413: "提交的数据量过大",
    422: "请求参数或业务数据有误（类型、格式、取值范围或业务规则）",
    429: "申报密码连续输错次数过多，暂停验证（Retry-After 为需等待的秒数）",
    500: "服务器内部错误（已记录日志）",
    503: "服务器繁忙（沙箱故障注入）",
}
_RETRY_AFTER = {"Retry-After": {"description": "需等待的秒数", "schema": {"type": "integer", "minimum": 1}}}

# Field names as the user knows them, for validation messages (each business adds its own: ``business.py``).
FIELD_NAMES = {
    "taxpayer_id": "纳税人识别号",
    "business": "业务类型",
    "password": "申报密码",
    "old_password": "原申报密码",
    "new_password": "新申报密码",
    "unit_id": "单位标识",
    "region_id": "地区",
    "feed": "数据集",
    "since": "起始变更序号（since）",
    "limit": "每页条数（limit）",
    "epoch": "数据版本（epoch）",
    "full": "全量标志（full）",
    "authorization": "登录令牌",
    "idempotency-key": "业务流水号（Idempotency-Key）",
    "feedback_delay": "反馈延迟秒数",
    "latency_ms": "延迟毫秒数",
    "error_rate": "错误率",
    "drop_rate": "丢弃率",
    "drop_next": "丢弃次数",
    "path_prefix": "路径前缀",
    "methods": "请求方式",
    "hires": "入职人数",
    "leaves": "停保人数",
    "removals": "转出人数",
    "base_changes": "缴费基数调整人数",
    "up_to_seq": "清理到的变更序号（up_to_seq）",
}


# What a pattern asks for, in words (a pattern itself means nothing to a user; businesses add theirs).
PATTERN_WORDS = {
    MONTH_PATTERN: "须为有效的年月，格式为YYYY-MM（如2026-12）",
    RECORD_KEY_PATTERN: "须为1至32位字母、数字、-或_",
    SUBMISSION_KEY_PATTERN: "须为1至64位字母、数字或 . _ : -",
    TAXPAYER_ID_PATTERN: "只能包含字母和数字",
}


@dataclass(frozen=True)
class Wording:
    """How refusals are worded: field names, pattern words, and the business code and heading of a route's
    invalid body, keyed by (method, contract path relative to the region root)."""

    names: Mapping[str, str]
    patterns: Mapping[str, str]
    body_errors: Mapping[tuple[str, str], tuple[int, str]]

    @classmethod
    def of(cls, parts: Iterable[BusinessSandbox]) -> Wording:
        """The shared words, with each business's added."""
        names, patterns = dict(FIELD_NAMES), dict(PATTERN_WORDS)
        body_errors: dict[tuple[str, str], tuple[int, str]] = {}
        for part in parts:
            names.update(part.field_names)
            patterns.update(part.pattern_words)
            body_errors.update(part.body_errors)
        return cls(names, patterns, body_errors)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses: each is an :class:`ErrorBody`."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorBody, "description": DESCRIPTIONS[status]}
        if status == 429:
            entry["headers"] = _RETRY_AFTER
        out[status] = entry
    return out


def _where(loc: Sequence[Any], names: Mapping[str, str]) -> tuple[str, str]:
    """``("body", "rows", 0, "new_wage")`` → (申报明细第1条的新缴费工资, 新缴费工资): where, and the field's name."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header") else list(loc)
    text, name = "", ""
    for part in parts:
        if isinstance(part, int):
            text += f"第{part + 1}条"
        else:
            name = names.get(str(part).lower(), str(part)[:40])
            text += f"的{name}" if text else name
    return text or "请求内容", name


def _what(error: dict[str, Any], patterns: Mapping[str, str]) -> str:
    """What is wrong, in words; the refused value is never quoted."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == CHINESE_ERROR:
        return str(error.get("msg", ""))
    if kind == "missing":
        return "缺少此项"
    if kind in ("string_too_short", "string_too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        return f"长度须不超过{high}个字符" if kind == "string_too_long" else f"长度须不少于{low}个字符"
    if kind in ("too_short", "too_long"):
        low, high = ctx.get("min_length"), ctx.get("max_length")
        return f"须至少有{low}条" if kind == "too_short" else f"最多{high}条"
    if kind == "string_pattern_mismatch":
        return patterns.get(str(ctx.get("pattern")), "格式不正确")
    if kind in ("literal_error", "enum"):
        return "取值不在允许的范围内"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bounds = {"greater_than_equal": "不小于", "greater_than": "大于", "less_than_equal": "不大于"}
        bound = next((v for k, v in ctx.items() if k in ("ge", "gt", "le", "lt")), "")
        return f"须{bounds.get(kind, '小于')}{bound}"
    if kind.startswith("int_"):
        return "须为整数"
    if kind.startswith(("float_", "decimal_")) or kind == "finite_number":
        return "须为数字"
    if kind.startswith("bool_"):
        return "须为 true 或 false"
    if kind.startswith("string_"):
        return "须为文本"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "须为JSON对象"
    if kind in ("list_type", "tuple_type"):
        return "须为数组"
    if kind == "value_error" and "float" in str(error.get("msg", "")):
        return "金额须以文本发送（如“9000.00”），不能用浮点数"
    return "格式或取值有误"


def _problem(error: dict[str, Any], wording: Wording) -> str:
    where, name = _where(error.get("loc", ()), wording.names)
    what = _what(error, wording.patterns)
    if name and what.startswith(name):  # a message that names its field itself: don't say the name twice
        return where[: len(where) - len(name)].removesuffix("的") + ("的" if where != name else "") + what
    return where + what


def validation_message(errors: Sequence[dict[str, Any]], heading: str, wording: Wording) -> str:
    shown = list(dict.fromkeys(_problem(e, wording) for e in errors[:_SHOWN_ERRORS]))
    more = f"等{len(errors)}处问题" if len(errors) > _SHOWN_ERRORS else ""
    return f"{heading}：{'；'.join(shown)}{more}。请检查后重试。"


def _body(status: int, code: int, message: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=codes.error_body(code, message), headers=headers)


def _body_error(request: Request, wording: Wording) -> tuple[int, str] | None:
    """The business code and heading for an invalid body of this route, when its business declares them. The
    route's path is the contract's, with or without the region root (a router included with a prefix keeps its
    routes' own paths)."""
    path = str(getattr(request.scope.get("route"), "path", ""))
    return wording.body_errors.get((request.method, path.removeprefix(REGION_ROOT)))


def install(app: FastAPI, parts: Iterable[BusinessSandbox] = ()) -> None:
    """Register the handlers and the guarding middleware on ``app`` (call after the app's own middlewares, so
    that the last defence is the outermost); ``parts`` add their businesses' wording."""
    wording = Wording.of(parts)

    @app.exception_handler(ApiFailure)
    async def _failure(_request: Request, exc: ApiFailure) -> JSONResponse:
        return _body(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return _body(400, codes.BAD_REQUEST, "请求内容不是有效的JSON，请检查后重试。")
        in_body = all((e.get("loc") or ("",))[0] == "body" for e in errors)
        business = _body_error(request, wording) if in_body else None
        if business is not None:  # a declaration's own data: its business's code
            code, heading = business
            return _body(422, code, validation_message(errors, heading, wording))
        return _body(422, codes.BAD_REQUEST, validation_message(errors, "请求参数有误", wording))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            return _body(404, codes.NOT_FOUND, "请求的地址不存在，请检查服务器地址。", headers)
        if exc.status_code == 405:
            return _body(405, codes.METHOD_NOT_ALLOWED, None, headers)
        if exc.status_code == 400:  # FastAPI's "There was an error parsing the body": bad UTF-8, nesting…
            return _body(400, codes.BAD_REQUEST, "请求内容无法解析（须为UTF-8编码的JSON），请检查后重试。")
        if exc.status_code == 413:
            return _body(413, codes.REQUEST_TOO_LARGE)
        if exc.status_code >= 500:
            return _body(exc.status_code, codes.SERVER_ERROR)
        return _body(exc.status_code, codes.BAD_REQUEST)

    app.add_middleware(Guard)


async def send_error(send: Any, status: int, code: int) -> None:
    """Answer ``{code, message}`` straight from an ASGI middleware (no app, no handler runs)."""
    body = orjson.dumps(codes.error_body(code))
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(HTTPException):
    """The body went past MAX_BODY_BYTES while it was being read. An HTTPException, because FastAPI turns
    any other error while reading the body into its 400 and lets these through to the handler (413)."""

    def __init__(self) -> None:
        super().__init__(413)


class Guard:
    """The outermost middleware, the last defence. A body over MAX_BODY_BYTES is refused with 413: at once when
    Content-Length says so, else while it streams. Any exception that escapes the app is logged with its
    traceback and answered 500 ``{code, message}``. Either answer is sent only when no answer has started (else
    the connection just ends); nothing is re-raised, so the server goes on."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            await send_error(send, 413, codes.REQUEST_TOO_LARGE)
            return
        received = 0
        started = False

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise _TooLarge
            return message

        async def watched(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
            return
        except _TooLarge:
            status, code = 413, codes.REQUEST_TOO_LARGE
        except Exception:
            log.exception("unexpected error answering %s %s", scope.get("method"), scope.get("path"))
            status, code = 500, codes.SERVER_ERROR
        if not started:
            await send_error(send, status, code)
