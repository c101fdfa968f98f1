"""The routing table: a request in, a reply out, independent of HTTP plumbing.

Each endpoint registers under its OpenAPI path template, so the request log can
name the operation and the spec check can find its declared responses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from .errors import ApiError, not_found
from .paging import paginate
from .shapes import Urls
from .state import Token, World


@dataclass
class Request:
    """What a handler sees: the method, the decoded path parameters' source, the caller."""

    method: str
    path: str
    params: dict[str, str]
    body: Any
    token: Token
    urls: Urls
    route_params: dict[str, str] = field(default_factory=dict)


@dataclass
class Reply:
    """A handler's answer; the server adds the common headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[World, Request], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # the OpenAPI path, e.g. "/repos/{owner}/{repo}/issues"
    pattern: re.Pattern[str]
    handler: Handler


ROUTES: list[Route] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Register a handler for ``method`` on the OpenAPI path ``template``."""
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, re.compile(f"^{regex}$"), handler))
        return handler

    return register


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request; GitHub answers 404 for unknown paths and unknown methods alike."""
    for candidate in ROUTES:
        if candidate.method != method:
            continue
        match = candidate.pattern.match(path)
        if match:
            return candidate, {k: unquote(v) for k, v in match.groupdict().items()}
    raise not_found()


def int_param(value: str) -> int:
    """A numeric path parameter; anything else is simply not found, as on GitHub."""
    if not value.isdigit():
        raise not_found()
    return int(value)


def body_dict(request: Request) -> dict[str, Any]:
    """A JSON object body (or an empty one); GitHub answers 400 for anything else."""
    if request.body is None:
        return {}
    if not isinstance(request.body, dict):
        raise ApiError(400, "Problems parsing JSON")
    return request.body


def paged(
    request: Request,
    items: list[Any],
    render: Callable[[Any], Any],
    params: dict[str, str] | None = None,
) -> Reply:
    """A 200 list reply for the requested page with its Link header; only that page is rendered."""
    page, link = paginate(
        items,
        base=request.urls.api,
        path=request.path,
        params=request.params if params is None else params,
    )
    return Reply(200, [render(item) for item in page], {"Link": link} if link else {})
