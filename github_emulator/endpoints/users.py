"""Accounts, rate limits and repositories: what a client asks before it works."""

from __future__ import annotations

from .. import shapes
from ..access import visible_repo
from ..api import Reply, Request, paged, route
from ..errors import ApiError, not_found, requires_authentication
from ..state import TokenKind, World


@route("GET", "/user")
def get_authenticated_user(world: World, request: Request) -> Reply:
    """An installation token has no user behind it: GitHub answers 403, not the bot."""
    token = request.token
    if token.kind is TokenKind.ANONYMOUS:
        raise requires_authentication()
    if token.kind is TokenKind.INSTALLATION:
        raise ApiError(
            403,
            "Resource not accessible by integration",
            documentation_url="https://docs.github.com/rest/users/users#get-the-authenticated-user",
        )
    return Reply(200, shapes.full_user(world.user(token.login), request.urls))


@route("GET", "/users/{username}")
def get_user(world: World, request: Request) -> Reply:
    found = world.find_user(request.route_params["username"])
    if found is None:
        raise not_found()
    return Reply(200, shapes.full_user(found, request.urls))


@route("GET", "/rate_limit")
def get_rate_limit(world: World, request: Request) -> Reply:
    return Reply(200, shapes.rate_limit(request.token))


@route("GET", "/repos/{owner}/{repo}")
def get_repo(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    viewer = request.token.login if request.token.kind is TokenKind.USER else None
    return Reply(200, shapes.repository(repo, world, request.urls, viewer=viewer))


@route("GET", "/repos/{owner}/{repo}/assignees")
def list_assignees(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    logins = sorted({repo.owner, *repo.collaborators}, key=str.casefold)
    return paged(request, logins, lambda login: shapes.user(world.user(login), request.urls))


@route("GET", "/repos/{owner}/{repo}/assignees/{assignee}")
def check_assignee(world: World, request: Request) -> Reply:
    """204 when the login can be assigned, else 404 (GitHub's answer for 'no')."""
    repo = visible_repo(world, request)
    login = request.route_params["assignee"]
    found = world.find_user(login)
    if found is None or not repo.has_push(found.login):
        raise not_found()
    return Reply(204)
