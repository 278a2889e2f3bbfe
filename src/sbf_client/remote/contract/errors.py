"""Error codes and the Chinese messages the user reads; an error response body is ``{code, message}``."""

from __future__ import annotations

from pydantic import BaseModel, Field

BAD_REQUEST = 10001
NOT_LOGGED_IN = 10401
NOT_FOUND = 10404
METHOD_NOT_ALLOWED = 10405
EPOCH_CHANGED = 10409
HORIZON_PASSED = 10410
REQUEST_TOO_LARGE = 10413
IDEMPOTENCY_CONFLICT = 10422
SERVER_ERROR = 10500
SERVER_BUSY = 10503

TAXPAYER_NOT_FOUND = 20001
WRONG_BUSINESS = 20002
WRONG_PASSWORD = 20101
INITIAL_PASSWORD_MUST_CHANGE = 20102
NEW_PASSWORD_REJECTED = 20103
PASSWORD_LOCKED = 20104
IDEMPOTENCY_KEY_MISSING = 10428
WAGE_NOT_NEEDED = 20201
WAGE_REQUEST_INVALID = 20202

MESSAGES: dict[int, str] = {
    BAD_REQUEST: "请求参数有误，请检查后重试。",
    NOT_LOGGED_IN: "登录已失效，请重新登录。",
    NOT_FOUND: "请求的数据不存在。",
    METHOD_NOT_ALLOWED: "该地址不支持此请求方式。",
    EPOCH_CHANGED: "服务器数据已重新整理，需要全量更新。",
    HORIZON_PASSED: "距上次更新时间过久，需要全量更新。",
    REQUEST_TOO_LARGE: "提交的数据量过大，已拒绝。请分批提交。",
    IDEMPOTENCY_CONFLICT: "同一笔业务的提交内容不一致，已拒绝。请重新发起业务。",
    SERVER_ERROR: "服务器处理请求时出错，请稍后重试。",
    SERVER_BUSY: "服务器繁忙，请稍后再试。",
    TAXPAYER_NOT_FOUND: "未查询到该纳税人识别号的社保费登记信息，请核对纳税人识别号后重新输入。",
    WRONG_BUSINESS: "该纳税人识别号未登记此项业务，请确认业务类型（用人单位/代收单位）后重新添加。",
    WRONG_PASSWORD: "申报密码验证失败：[20101]您输入的申报密码有误，请重新输入。",
    INITIAL_PASSWORD_MUST_CHANGE: "您使用的是初始申报密码，请先修改申报密码后再使用本系统。",
    NEW_PASSWORD_REJECTED: "新申报密码不符合要求，请重新设置。",
    # The server names the minutes (``password_locked``); this is the words without them.
    PASSWORD_LOCKED: "申报密码连续输错次数过多，为保护单位数据安全，已暂停验证，请稍后再试。",
    IDEMPOTENCY_KEY_MISSING: "提交缺少业务流水号（Idempotency-Key），已拒绝。",
    WAGE_NOT_NEEDED: "本地区为税务代征模式，缴费工资由社保部门核定，无需进行缴费工资申报。",
    WAGE_REQUEST_INVALID: "缴费工资申报数据有误，请检查后重新提交。",
}


class ErrorBody(BaseModel):
    """Every error response: a numeric code and the message to show as it is."""

    code: int = Field(description="错误代码，如 20101")
    message: str = Field(description="给用户看的中文信息，原样显示")


def error_body(code: int, message: str | None = None) -> dict[str, object]:
    return {"code": code, "message": message or MESSAGES[code]}


def password_locked(minutes: int) -> str:
    """The 20104 message of a unit locked after wrong 申报密码 in a row, with the whole minutes still to wait."""
    return f"申报密码连续输错次数过多，为保护单位数据安全，请{minutes}分钟后再试。"
