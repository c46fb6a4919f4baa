"""What every operation of the API promises beyond its own answer: one error shape, in Chinese, and the statuses
and bounds the OpenAPI document declares (docs/api.md).

- ``ErrorOut``: the one error body, ``{"detail", "errors"}``, of every 400, 401, 403 and 404.
- ``messages``: input the operation's parameters refuse (a missing field, ``abc`` for a year, a year
  past 2100) gets one Chinese message per field; urls.py answers it as a 400, not django-ninja's 422 in English.
- ``FormSchema``: a form field that may be left out may also be sent empty or as ``null`` (a browser form sends
  an empty field as ``""``), and means the same as left out.
- ``declare_errors``: every operation of the document lists the error statuses it can answer.
- ``ID``, ``YEAR``: the bounds the server enforces, declared in the schema.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from ninja import Path, Schema
from ninja.errors import ValidationError
from pydantic import ValidationInfo, field_validator

MAX_ID = 2**63 - 1  # the database's bigint; a larger id is odd input (400), not a lookup


def ID() -> Any:
    """A path id: a positive 64-bit integer."""
    return Path(..., ge=1, le=MAX_ID)


def YEAR() -> Any:
    """A path year the server computes for."""
    return Path(..., ge=2000, le=2100)


class ErrorOut(Schema):
    """Every refusal: ``detail`` in Chinese; ``errors`` the single messages when there are several."""

    detail: str
    errors: list[str] = []


NULLS = ("", "null")


def _nullable(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in typing.get_args(
        annotation
    )


class FormSchema(Schema):
    """A form's fields: an optional (nullable) field sent as ``""`` or ``null`` is None, as if left out."""

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None or not _nullable(field.annotation):
            return value
        if isinstance(value, str) and value.strip() in NULLS:
            return None
        if (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.strip() in NULLS for v in value)
        ):
            return None  # a repeated field (led) sent once, empty
        return value


# ---------------------------------------------------------------- validation errors in Chinese

WHERE = {
    "query": "查询参数",
    "path": "路径参数",
    "form": "表单字段",
    "body": "字段",
    "file": "文件",
    "cookie": "Cookie",
}


def _what(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "为必填项"
    if kind.startswith("int_") or kind == "int_type":
        return "须为整数"
    if kind.startswith(("float_", "decimal_parsing", "decimal_type")):
        return "须为数字"
    if kind.startswith("decimal_"):
        return "的数字位数过多"
    if kind.startswith("bool_"):
        return "须为 true 或 false"
    if kind.startswith("datetime_") or kind == "timezone_aware":
        return "须为带时区的日期时间（ISO 8601，如 2025-03-01T09:30:00+08:00）"
    if kind.startswith("date_"):
        return "须为日期（YYYY-MM-DD）"
    if kind == "greater_than_equal":
        return f"不得小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"须大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不得大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"须小于 {ctx.get('lt')}"
    if kind == "string_too_long":
        return f"不得超过 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return f"不得少于 {ctx.get('min_length')} 个字符"
    if kind in ("enum", "literal_error"):
        return f"须为以下之一：{ctx.get('expected', '')}"
    if kind.startswith("string_") or kind == "str_type":
        return "须为文本"
    if kind == "list_type":
        return "须为列表"
    if kind == "value_error" and ctx.get("error"):
        return f"：{ctx['error']}"
    return "的取值无效"


def _field(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if not isinstance(p, int)]
    where = WHERE.get(parts[0], "") if parts else ""
    name = parts[-1] if len(parts) > 1 else (parts[0] if parts else "")
    return f"{where}“{name}”" if name else "提交的内容"


def messages(exc: ValidationError) -> list[str]:
    """One Chinese message per error, each naming its field: 查询参数“year”不得大于 2100."""
    found = [f"{_field(e.get('loc'))}{_what(e)}" for e in exc.errors]
    return list(dict.fromkeys(found)) or ["提交的内容无效"]


# ---------------------------------------------------------------- the statuses every operation declares

ERRORS = {
    "400": "输入无效（如参数类型、取值范围、控制字符）：detail 说明是哪个字段",
    "401": "未登录",
    "403": "无权操作，或账号须先完成二次验证、修改密码",
    "404": "不存在，或不在您可查看的范围内",
}


def _answers_404(operation: dict[str, Any]) -> bool:
    """An operation that looks something up by a path parameter or a required town can answer 404."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" or (parameter.get("name") == "town" and parameter.get("required")):
            return True
    for media in operation.get("requestBody", {}).get("content", {}).values():
        if "town" in media.get("schema", {}).get("required", []):
            return True
    return False


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add ErrorOut and, to every operation, the error statuses it can answer (those it declares itself kept)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == "404" and not _answers_404(operation):
                    continue
                if status not in responses and int(status) not in responses:
                    responses[int(status)] = {"description": description, "content": ref}
    return schema


def file_response() -> dict[str, Any]:
    """``openapi_extra`` of a stored file's download: its bytes in one of the types an upload may have (checked
    at upload and against its SHA-256 when read), or 409 when the stored bytes no longer match."""
    from yigang.evidence.uploads import ALLOWED

    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {"description": "文件内容（经 SHA-256 校验）", "content": dict.fromkeys(ALLOWED, binary)},
            409: {
                "description": "存储的文件与其 SHA-256 不符（已审计）",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
        }
    }
