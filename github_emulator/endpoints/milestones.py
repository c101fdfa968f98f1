"""Milestones: titles unique per repository; issue counts computed from the issues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import shapes
from ..access import actor, require_push, visible_repo
from ..api import Reply, Request, body_dict, int_param, paged, route
from ..errors import already_exists, invalid, missing_field, not_found
from ..state import Milestone, Repo, World, later_than, now

DOCS_CREATE = "https://docs.github.com/rest/issues/milestones#create-a-milestone"
DOCS_UPDATE = "https://docs.github.com/rest/issues/milestones#update-a-milestone"


def _due_on(raw: Any, *, docs: str) -> datetime | None:
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        raise invalid("Milestone", "due_on", raw, docs=docs) from None


def _milestone_or_404(repo: Repo, request: Request) -> Milestone:
    found = repo.milestone(int_param(request.route_params["milestone_number"]))
    if found is None:
        raise not_found()
    return found


def _title_taken(repo: Repo, title: str, but: Milestone | None = None) -> bool:
    return any(m.title == title and m is not but for m in repo.milestones)


@route("GET", "/repos/{owner}/{repo}/milestones")
def list_milestones(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    params = request.params
    state = params.get("state", "open")
    found = [m for m in repo.milestones if state == "all" or m.state == state]
    sort = params.get("sort", "due_on")
    if sort == "completeness":
        found.sort(key=lambda m: shapes.milestone(m, repo, world, request.urls)["closed_issues"])
    else:  # due_on; milestones without a date go last, then by number
        found.sort(key=lambda m: (m.due_on is None, m.due_on or m.created_at, m.number))
    if params.get("direction", "asc") == "desc":
        found.reverse()
    return paged(request, found, lambda m: shapes.milestone(m, repo, world, request.urls), params)


@route("POST", "/repos/{owner}/{repo}/milestones")
def create_milestone(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    require_push(request, repo)
    data = body_dict(request)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise missing_field("Milestone", "title", docs=DOCS_CREATE)
    if _title_taken(repo, title):
        raise already_exists("Milestone", "title", docs=DOCS_CREATE)
    state = data.get("state", "open")
    if state not in ("open", "closed"):
        raise invalid("Milestone", "state", state, docs=DOCS_CREATE)
    milestone = Milestone(
        id=world.new_id(),
        number=repo.next_milestone_number(),
        title=title,
        creator=actor(request.token),
        description=data.get("description"),
        state=state,
        due_on=_due_on(data.get("due_on"), docs=DOCS_CREATE),
    )
    if state == "closed":
        milestone.closed_at = milestone.created_at
    repo.milestones.append(milestone)
    body = shapes.milestone(milestone, repo, world, request.urls)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/milestones/{milestone_number}")
def get_milestone(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    return Reply(200, shapes.milestone(_milestone_or_404(repo, request), repo, world, request.urls))


@route("PATCH", "/repos/{owner}/{repo}/milestones/{milestone_number}")
def update_milestone(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    milestone = _milestone_or_404(repo, request)
    require_push(request, repo)
    data = body_dict(request)
    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            raise missing_field("Milestone", "title", docs=DOCS_UPDATE)
        if _title_taken(repo, title, but=milestone):
            raise already_exists("Milestone", "title", docs=DOCS_UPDATE)
    state = data.get("state", milestone.state)
    if state not in ("open", "closed"):
        raise invalid("Milestone", "state", state, docs=DOCS_UPDATE)
    due_on = _due_on(data["due_on"], docs=DOCS_UPDATE) if "due_on" in data else milestone.due_on
    if "title" in data:
        milestone.title = data["title"]
    if "description" in data:
        milestone.description = data["description"]
    milestone.due_on = due_on
    if state != milestone.state:
        milestone.state = state
        milestone.closed_at = now() if state == "closed" else None
    milestone.updated_at = later_than(milestone.updated_at)
    return Reply(200, shapes.milestone(milestone, repo, world, request.urls))


@route("DELETE", "/repos/{owner}/{repo}/milestones/{milestone_number}")
def delete_milestone(world: World, request: Request) -> Reply:
    """Issues keep existing without the milestone, as on GitHub."""
    repo = visible_repo(world, request)
    milestone = _milestone_or_404(repo, request)
    require_push(request, repo)
    repo.milestones.remove(milestone)
    for issue in repo.issues:
        if issue.milestone == milestone.number:
            issue.milestone = None
    return Reply(204)
