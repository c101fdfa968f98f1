"""GitHub's error answers, raised by handlers and rendered in one place.

PyGithub picks its exception class from the message text, so messages are
GitHub's exact words ("Not Found", "Bad credentials", ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOCS = "https://docs.github.com/rest"


@dataclass
class ApiError(Exception):
    """An error response: status, GitHub's message, and for 422 the ``errors`` list."""

    status: int
    message: str
    errors: list[dict[str, Any]] | None = None
    documentation_url: str = DOCS
    headers: dict[str, str] = field(default_factory=dict)
    url: str | None = None  # redirects name their target here too

    def body(self) -> dict[str, Any]:
        shape: dict[str, Any] = {"message": self.message}
        if self.url is not None:
            shape["url"] = self.url
        if self.errors is not None:
            shape["errors"] = self.errors
        shape["documentation_url"] = self.documentation_url
        if self.status >= 400:  # recorded redirects carry no "status"
            shape["status"] = str(self.status)
        return shape


def not_found() -> ApiError:
    return ApiError(404, "Not Found")


def bad_credentials() -> ApiError:
    return ApiError(401, "Bad credentials")


def requires_authentication() -> ApiError:
    return ApiError(401, "Requires authentication")


def validation_failed(*errors: dict[str, Any], docs: str = DOCS) -> ApiError:
    return ApiError(422, "Validation Failed", list(errors), documentation_url=docs)


def invalid(resource: str, field_name: str, value: Any = None, *, docs: str = DOCS) -> ApiError:
    """422 for a field GitHub rejects; ``value`` is echoed back when GitHub does so."""
    error: dict[str, Any] = {}
    if value is not None:
        error["value"] = value
    error.update({"resource": resource, "field": field_name, "code": "invalid"})
    return validation_failed(error, docs=docs)


def missing_field(resource: str, field_name: str, *, docs: str = DOCS) -> ApiError:
    return validation_failed(
        {"resource": resource, "code": "missing_field", "field": field_name}, docs=docs
    )


def already_exists(resource: str, field_name: str, *, docs: str = DOCS) -> ApiError:
    return validation_failed(
        {"resource": resource, "code": "already_exists", "field": field_name}, docs=docs
    )


# GitHub's length limits, in characters.
MAX_TITLE = 256
MAX_BODY = 65536
MAX_LABEL_NAME = 50
MAX_LABEL_DESCRIPTION = 100


def too_long(resource: str, field_name: str, maximum: int) -> dict[str, Any]:
    """One ``errors`` entry for a field over its length limit (``code: custom``, a message).

    As GitHub words it: ``{"resource": "Issue", "code": "custom", "field": "body",
    "message": "body is too long (maximum is 65536 characters)"}``.
    """
    return {
        "resource": resource,
        "code": "custom",
        "field": field_name,
        "message": f"{field_name} is too long (maximum is {maximum} characters)",
    }


def check_lengths(resource: str, fields: dict[str, tuple[Any, int]], *, docs: str = DOCS) -> None:
    """422 naming every field (name -> (value, maximum)) whose string is over its maximum."""
    errors = [
        too_long(resource, name, maximum)
        for name, (value, maximum) in fields.items()
        if isinstance(value, str) and len(value) > maximum
    ]
    if errors:
        raise validation_failed(*errors, docs=docs)


def moved(url: str, status: int = 301) -> ApiError:
    """A redirect as GitHub answers it: ``Location`` and the target again in the body."""
    return ApiError(
        status,
        "Moved Permanently",
        documentation_url="https://docs.github.com/v3/#http-redirects",
        headers={"Location": url},
        url=url,
    )
