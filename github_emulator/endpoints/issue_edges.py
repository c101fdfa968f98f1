"""An issue's labels and assignees, edited on their own endpoints."""

from __future__ import annotations

from typing import Any

from .. import shapes
from ..access import require_push
from ..api import Reply, Request, paged, route
from ..errors import ApiError, invalid
from ..state import Issue, Repo, World
from .issues import (
    check_new_labels,
    ensure_labels,
    issue_or_404,
    issues_repo,
    label_names,
    single,
)

DOCS_LABELS = "https://docs.github.com/rest/issues/labels"
DOCS_ADD = "https://docs.github.com/rest/issues/labels#add-labels-to-an-issue"
DOCS_SET = "https://docs.github.com/rest/issues/labels#set-labels-for-an-issue"


def _labels_reply(world: World, repo: Repo, issue: Issue, request: Request) -> Reply:
    labels = [shapes.label(lb, repo, request.urls) for n in issue.labels if (lb := repo.label(n))]
    return Reply(200, labels)


def _requested_labels(body: Any) -> list[str]:
    """``{"labels": [...]}``, a bare list of names, or ``{"labels": [{"name": ...}]}``."""
    raw = body.get("labels", []) if isinstance(body, dict) else body
    if raw is None:
        raw = []
    return label_names(raw, docs=DOCS_LABELS)


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def list_issue_labels(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    labels = [lb for n in issue.labels if (lb := repo.label(n))]
    return paged(request, labels, lambda lb: shapes.label(lb, repo, request.urls))


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def add_issue_labels(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    requested = _requested_labels(request.body)
    check_new_labels(repo, requested, docs=DOCS_ADD)
    names = ensure_labels(world, repo, requested)
    added = [n for n in names if n not in issue.labels]
    if added:
        issue.labels.extend(added)
        issue.touch()
    return _labels_reply(world, repo, issue, request)


@route("PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def set_issue_labels(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    requested = _requested_labels(request.body)
    check_new_labels(repo, requested, docs=DOCS_SET)
    names = ensure_labels(world, repo, requested)
    if names != issue.labels:
        issue.labels = names
        issue.touch()
    return _labels_reply(world, repo, issue, request)


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels")
def clear_issue_labels(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    if issue.labels:
        issue.labels = []
        issue.touch()
    return Reply(204)


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}")
def remove_issue_label(world: World, request: Request) -> Reply:
    """Removing a label the issue does not have is GitHub's 404 "Label does not exist"."""
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    wanted = request.route_params["name"].casefold()
    kept = [n for n in issue.labels if n.casefold() != wanted]
    if len(kept) == len(issue.labels):
        raise ApiError(404, "Label does not exist", documentation_url=DOCS_LABELS)
    issue.labels = kept
    issue.touch()
    return _labels_reply(world, repo, issue, request)


def _requested_logins(body: Any) -> list[str]:
    raw = body.get("assignees", []) if isinstance(body, dict) else None
    if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
        raise invalid("Issue", "assignees")
    return raw


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/assignees")
def add_assignees(world: World, request: Request) -> Reply:
    """This endpoint, unlike create/edit, silently ignores logins that cannot be assigned."""
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    changed = False
    for login in _requested_logins(request.body):
        found = world.find_user(login)
        if found is not None and repo.has_push(found.login) and found.login not in issue.assignees:
            issue.assignees.append(found.login)
            changed = True
    if changed:
        issue.touch()
    return single(world, repo, issue, request, status=201)


@route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/assignees")
def remove_assignees(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_push(request, repo)
    gone = {login.casefold() for login in _requested_logins(request.body)}
    kept = [a for a in issue.assignees if a.casefold() not in gone]
    if kept != issue.assignees:
        issue.assignees = kept
        issue.touch()
    return single(world, repo, issue, request)
