"""Who may see and change what: repository visibility, token powers, push access.

GitHub hides a repository a caller cannot see behind 404, refuses writes from
tokens without the permission with 403, and answers 401 without a token.
"""

from __future__ import annotations

from .api import Request
from .errors import ApiError, not_found, requires_authentication
from .state import ACTIONS_BOT_LOGIN, Repo, Token, TokenKind, World


def can_see(token: Token, repo: Repo) -> bool:
    if not repo.private:
        return True
    if token.kind is TokenKind.INSTALLATION:
        return token.repo is not None and token.repo.casefold() == repo.full_name.casefold()
    return token.kind is TokenKind.USER and repo.has_push(token.login)


def can_push(token: Token, repo: Repo) -> bool:
    """Push (write) access: the owner, a collaborator, or the repo's own installation token."""
    if token.kind is TokenKind.INSTALLATION:
        return token.repo is not None and token.repo.casefold() == repo.full_name.casefold()
    return token.kind is TokenKind.USER and repo.has_push(token.login)


def actor(token: Token) -> str:
    """The login that writes are attributed to."""
    return ACTIONS_BOT_LOGIN if token.kind is TokenKind.INSTALLATION else token.login


def visible_repo(world: World, request: Request) -> Repo:
    """The repository named in the path, or 404 when it is unknown or hidden from the caller."""
    full_name = f"{request.route_params['owner']}/{request.route_params['repo']}"
    repo = world.find_repo(full_name)
    if repo is None or not can_see(request.token, repo):
        raise not_found()
    return repo


def require_write(request: Request, repo: Repo) -> None:
    """Any write: a token is needed, and it must be allowed to write at all."""
    token = request.token
    if token.kind is TokenKind.ANONYMOUS:
        raise requires_authentication()
    if token.read_only:
        raise ApiError(403, "Resource not accessible by personal access token")
    if token.kind is TokenKind.INSTALLATION and not can_push(token, repo):
        raise ApiError(403, "Resource not accessible by integration")


def require_push(request: Request, repo: Repo) -> None:
    """Writes that need push access (labels, milestones, other people's issues)."""
    require_write(request, repo)
    if not can_push(request.token, repo):
        raise ApiError(403, "Must have admin rights to Repository.")
