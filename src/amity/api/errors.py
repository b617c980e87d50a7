"""One error format for every API failure:
{"status": 422, "code": "validation_error", "message": "...", "errors": [{"field", "message"}]}"""

from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
    413: "too_large", 422: "validation_error", 428: "precondition_required",
    429: "rate_limited", 500: "internal_error", 503: "unavailable",
}


def error_body(
    status: int, message: str, *, code: str | None = None, errors: list | None = None
) -> dict[str, Any]:
    return {
        "status": status,
        "code": code or CODES.get(status, "error"),
        "message": message,
        "errors": errors or [],
    }


def error_json(status: int, message: str, **kwargs: Any) -> JsonResponse:
    return JsonResponse(error_body(status, message, **kwargs), status=status)


def field_errors(message_dict: dict[str, list[str]]) -> list[dict[str, str]]:
    return [
        {"field": "" if field == "__all__" else field, "message": str(message)}
        for field, messages in message_dict.items()
        for message in messages
    ]


def pydantic_errors(errors: list[dict]) -> list[dict[str, str]]:
    out = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query")]
        message = error.get("msg", "")
        if error.get("type") == "extra_forbidden":
            message = _("Unknown field: it is not accepted here.")
        out.append({"field": ".".join(loc), "message": message})
    return out


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    """The body of every failure, as the OpenAPI document describes it."""

    status: int
    code: str
    message: str
    errors: list[FieldError]


# Failures every authenticated endpoint may answer, for the OpenAPI document.
COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
