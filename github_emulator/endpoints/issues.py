"""Issues: list with GitHub's filters, create, get and edit.

The rules PyGithub users trip over live here: an unassignable assignee fails the
whole create or edit with 422; unknown label names are created (colour ededed);
callers without push access have labels, assignees and milestone dropped silently.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from .. import shapes
from ..access import actor, can_push, require_write, visible_repo
from ..api import Reply, Request, body_dict, int_param, paged, route
from ..errors import (
    MAX_BODY,
    MAX_LABEL_NAME,
    MAX_TITLE,
    ApiError,
    check_lengths,
    invalid,
    missing_field,
    moved,
    not_found,
)
from ..state import Issue, Label, Repo, World, now

DOCS_ISSUES = "https://docs.github.com/rest/issues/issues"
DOCS_CREATE = "https://docs.github.com/rest/issues/issues#create-an-issue"
DOCS_UPDATE = "https://docs.github.com/rest/issues/issues#update-an-issue"
NEW_LABEL_COLOR = "ededed"
STATE_REASONS = ("completed", "not_planned", "duplicate", "reopened")


def label_names(raw: Any, *, docs: str) -> list[str]:
    """Labels come as names or as ``{"name": ...}`` objects."""
    if not isinstance(raw, list):
        raise invalid("Issue", "labels", docs=docs)
    names: list[str] = []
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            raise invalid("Issue", "labels", docs=docs)
        names.append(name.strip())
    return names


def check_new_labels(repo: Repo, names: list[str], *, docs: str) -> None:
    """A label that would be created on the way must fit GitHub's 50 characters.

    Unlike ``POST /labels`` (``code: custom``), GitHub answers this with ``code: invalid``
    and the name echoed as ``value``.
    """
    for name in names:
        if repo.label(name) is None and len(name) > MAX_LABEL_NAME:
            raise invalid("Label", "name", name, docs=docs)


def ensure_labels(world: World, repo: Repo, names: list[str]) -> list[str]:
    """The canonical names, creating unknown labels as GitHub does, without duplicates."""
    result: list[str] = []
    for name in names:
        found = repo.label(name)
        if found is None:
            found = Label(id=world.new_id(), name=name, color=NEW_LABEL_COLOR)
            repo.labels.append(found)
        if found.name not in result:
            result.append(found.name)
    return result


def checked_assignees(world: World, repo: Repo, raw: Any, *, docs: str) -> list[str]:
    """Every login must be assignable (owner or collaborator), else the whole call fails."""
    if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
        raise invalid("Issue", "assignees", docs=docs)
    logins: list[str] = []
    for login in raw:
        found = world.find_user(login)
        if found is None or not repo.has_push(found.login):
            raise invalid("Issue", "assignees", login, docs=docs)
        if found.login not in logins:
            logins.append(found.login)
    return logins


def checked_milestone(repo: Repo, raw: Any, *, docs: str) -> int | None:
    """A milestone number; null or "" (PyGithub's ``milestone=None``) removes it."""
    if raw is None or raw == "":
        return None
    number = int(raw) if isinstance(raw, str) and raw.isdigit() else raw
    if not isinstance(number, int) or isinstance(number, bool) or repo.milestone(number) is None:
        raise invalid("Issue", "milestone", raw, docs=docs)
    return number


def issues_repo(world: World, request: Request) -> Repo:
    """The repository of an issue endpoint: 410 when its issues are turned off."""
    repo = visible_repo(world, request)
    if not repo.has_issues:
        raise ApiError(410, "Issues are disabled for this repo", documentation_url=DOCS_ISSUES)
    return repo


def issue_or_404(world: World, repo: Repo, request: Request) -> Issue:
    """The issue in the path: 404 if it never existed, 410 if deleted, 301 if transferred.

    A transferred issue redirects, as GitHub does, to ``/repositories/{id}/issues/{n}``
    (and the rest of the path), which the emulator serves like ``/repos/{owner}/{repo}``.
    """
    found = repo.issue(int_param(request.route_params["issue_number"]))
    if found is None:
        raise not_found()
    if found.deleted:
        raise ApiError(410, "This issue was deleted", documentation_url=DOCS_ISSUES)
    if found.transferred_to is not None:
        name, number = found.transferred_to
        home = world.find_repo(name)
        if home is None:
            raise not_found()
        tail = re.sub(r"^/repos/[^/]+/[^/]+/issues/\d+", "", request.path)
        raise moved(f"{request.urls.api}/repositories/{home.id}/issues/{number}{tail}")
    return found


def single(world: World, repo: Repo, issue: Issue, request: Request, status: int = 200) -> Reply:
    body = shapes.issue(issue, repo, world, request.urls)
    headers = {"Location": body["url"]} if status == 201 else {}
    return Reply(status, body, headers)


def _matches(issue: Issue, repo: Repo, params: dict[str, str]) -> bool:
    state = params.get("state", "open")
    if state != "all" and issue.state != state:
        return False
    if labels := params.get("labels"):
        have = {name.casefold() for name in issue.labels}
        if not all(w.strip().casefold() in have for w in labels.split(",") if w.strip()):
            return False
    if (creator := params.get("creator")) and issue.user.casefold() != creator.casefold():
        return False
    if assignee := params.get("assignee"):
        have_assignees = {a.casefold() for a in issue.assignees}
        if assignee == "none":
            if have_assignees:
                return False
        elif assignee == "*":
            if not have_assignees:
                return False
        elif assignee.casefold() not in have_assignees:
            return False
    if milestone := params.get("milestone"):
        if milestone == "none":
            if issue.milestone is not None:
                return False
        elif milestone == "*":
            if issue.milestone is None:
                return False
        elif str(issue.milestone) != milestone:
            return False
    since = params.get("since")
    return not (since and issue.updated_at < _parse_time(since))


def _parse_time(raw: str) -> datetime:
    """ISO 8601; a bare date (``2024-01-01``) or a time without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid("Issue", "since", raw) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@route("GET", "/repos/{owner}/{repo}/issues")
def list_issues(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    params = request.params
    if params.get("state", "open") not in ("open", "closed", "all"):
        raise invalid("Issue", "state", params["state"])
    found = [i for i in repo.issues if not i.gone and _matches(i, repo, params)]
    sort = params.get("sort", "created")
    keys = {
        "created": lambda i: (i.created_at, i.number),
        "updated": lambda i: (i.updated_at, i.number),
        "comments": lambda i: (len(i.comments), i.number),
    }
    if sort not in keys:
        raise invalid("Issue", "sort", sort)
    found.sort(key=keys[sort], reverse=params.get("direction", "desc") != "asc")
    return paged(request, found, lambda i: shapes.issue(i, repo, world, request.urls), params)


@route("POST", "/repos/{owner}/{repo}/issues")
def create_issue(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    require_write(request, repo)
    data = body_dict(request)
    title = data.get("title")
    if isinstance(title, int) and not isinstance(title, bool):
        title = str(title)  # the spec allows a number as the title
    if not isinstance(title, str) or not title.strip():
        raise missing_field("Issue", "title", docs=DOCS_CREATE)
    body = data.get("body")
    if body is not None and not isinstance(body, str):
        raise invalid("Issue", "body", docs=DOCS_CREATE)
    check_lengths(
        "Issue", {"title": (title, MAX_TITLE), "body": (body, MAX_BODY)}, docs=DOCS_CREATE
    )
    labels: list[str] = []
    assignees: list[str] = []
    milestone: int | None = None
    if can_push(request.token, repo):  # others' extras are dropped silently, as on GitHub
        raw_assignees = list(data.get("assignees") or [])
        if data.get("assignee"):
            raw_assignees.insert(0, data["assignee"])
        assignees = checked_assignees(world, repo, raw_assignees, docs=DOCS_CREATE)
        milestone = checked_milestone(repo, data.get("milestone"), docs=DOCS_CREATE)
        wanted = label_names(data.get("labels") or [], docs=DOCS_CREATE)
        check_new_labels(repo, wanted, docs=DOCS_CREATE)
        labels = ensure_labels(world, repo, wanted)
    issue = Issue(
        id=world.new_id(),
        number=repo.next_issue_number(),
        title=title,
        body=body,
        user=actor(request.token),
        labels=labels,
        assignees=assignees,
        milestone=milestone,
    )
    repo.issues.append(issue)
    return single(world, repo, issue, request, status=201)


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}")
def get_issue(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    return single(world, repo, issue_or_404(world, repo, request), request)


@route("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}")
def update_issue(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_write(request, repo)
    pusher = can_push(request.token, repo)
    if not pusher and actor(request.token).casefold() != issue.user.casefold():
        raise ApiError(403, "Must have admin rights to Repository.", documentation_url=DOCS_UPDATE)
    data = body_dict(request)
    # Validate everything before changing anything: a 422 leaves the issue untouched.
    changes: dict[str, Any] = {}
    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            raise missing_field("Issue", "title", docs=DOCS_UPDATE)
        changes["title"] = title
    if "body" in data:
        if data["body"] is not None and not isinstance(data["body"], str):
            raise invalid("Issue", "body", docs=DOCS_UPDATE)
        changes["body"] = data["body"]
    check_lengths(
        "Issue",
        {"title": (changes.get("title"), MAX_TITLE), "body": (changes.get("body"), MAX_BODY)},
        docs=DOCS_UPDATE,
    )
    state = data.get("state")
    if state is not None and state not in ("open", "closed"):
        raise invalid("Issue", "state", state, docs=DOCS_UPDATE)
    reason = data.get("state_reason")
    if reason is not None and reason not in STATE_REASONS:
        raise invalid("Issue", "state_reason", reason, docs=DOCS_UPDATE)
    if pusher:
        if "assignees" in data or "assignee" in data:
            raw: list[Any] = list(data.get("assignees") or [])
            if data.get("assignee"):
                raw.insert(0, data["assignee"])
            changes["assignees"] = checked_assignees(world, repo, raw, docs=DOCS_UPDATE)
        if "milestone" in data:
            changes["milestone"] = checked_milestone(repo, data["milestone"], docs=DOCS_UPDATE)
        if "labels" in data:
            changes["labels"] = label_names(data["labels"] or [], docs=DOCS_UPDATE)
            check_new_labels(repo, changes["labels"], docs=DOCS_UPDATE)

    before = shapes.issue(issue, repo, world, request.urls)
    if "labels" in changes:
        changes["labels"] = ensure_labels(world, repo, changes["labels"])
    for key, value in changes.items():
        setattr(issue, key, value)
    just_closed = _apply_state(issue, state, reason, actor(request.token))
    if shapes.issue(issue, repo, world, request.urls) != before:
        issue.touch()
    if just_closed:
        issue.closed_at = issue.updated_at  # GitHub stamps both with the same moment
    return single(world, repo, issue, request)


def _apply_state(issue: Issue, state: str | None, reason: str | None, who: str) -> bool:
    """Closing stamps closed_at/closed_by and a reason; reopening clears them.

    Returns whether the issue was closed just now.
    """
    if state == "closed" and issue.state != "closed":
        issue.state = "closed"
        issue.closed_at = now()
        issue.closed_by = who
        issue.state_reason = reason if reason not in (None, "reopened") else "completed"
        return True
    if state == "open" and issue.state != "open":
        issue.state = "open"
        issue.closed_at = None
        issue.closed_by = None
        issue.state_reason = "reopened"
    elif reason is not None and issue.state == "closed" and reason != "reopened":
        issue.state_reason = reason
    return False
