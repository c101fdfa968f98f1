"""Repository labels: names unique case-insensitively, colours six hex digits."""

from __future__ import annotations

import re
from typing import Any

from .. import shapes
from ..access import require_push, visible_repo
from ..api import Reply, Request, body_dict, paged, route
from ..errors import (
    MAX_LABEL_DESCRIPTION,
    MAX_LABEL_NAME,
    already_exists,
    check_lengths,
    invalid,
    missing_field,
    not_found,
)
from ..state import Label, Repo, World

DOCS_CREATE = "https://docs.github.com/rest/issues/labels#create-a-label"
DOCS_UPDATE = "https://docs.github.com/rest/issues/labels#update-a-label"
_COLOR = re.compile(r"^[0-9a-fA-F]{6}$")


def _color(raw: Any, *, docs: str) -> str:
    """GitHub takes the colour with or without a leading ``#`` and rejects anything else."""
    color = raw[1:] if isinstance(raw, str) and raw.startswith("#") else raw
    if not isinstance(color, str) or not _COLOR.match(color):
        raise invalid("Label", "color", docs=docs)
    return color  # kept as given: GitHub echoes "BADA55" back in capitals


def _label_or_404(repo: Repo, request: Request) -> Label:
    found = repo.label(request.route_params["name"])
    if found is None:
        raise not_found()
    return found


@route("GET", "/repos/{owner}/{repo}/labels")
def list_labels(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    return paged(request, repo.labels, lambda lb: shapes.label(lb, repo, request.urls))


@route("POST", "/repos/{owner}/{repo}/labels")
def create_label(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    require_push(request, repo)
    data = body_dict(request)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise missing_field("Label", "name", docs=DOCS_CREATE)
    color = _color(data.get("color", "ededed"), docs=DOCS_CREATE)
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        raise invalid("Label", "description", docs=DOCS_CREATE)
    check_lengths(
        "Label",
        {"name": (name, MAX_LABEL_NAME), "description": (description, MAX_LABEL_DESCRIPTION)},
        docs=DOCS_CREATE,
    )
    if repo.label(name) is not None:
        raise already_exists("Label", "name", docs=DOCS_CREATE)
    label = Label(id=world.new_id(), name=name.strip(), color=color, description=description)
    repo.labels.append(label)
    body = shapes.label(label, repo, request.urls)
    return Reply(201, body, {"Location": body["url"]})


@route("GET", "/repos/{owner}/{repo}/labels/{name}")
def get_label(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    return Reply(200, shapes.label(_label_or_404(repo, request), repo, request.urls))


@route("PATCH", "/repos/{owner}/{repo}/labels/{name}")
def update_label(world: World, request: Request) -> Reply:
    """``new_name`` renames; the issues carrying the label follow the rename."""
    repo = visible_repo(world, request)
    label = _label_or_404(repo, request)
    require_push(request, repo)
    data = body_dict(request)
    new_name = data.get("new_name")
    if new_name is not None:
        if not isinstance(new_name, str) or not new_name.strip():
            raise invalid("Label", "name", docs=DOCS_UPDATE)
        clash = repo.label(new_name)
        if clash is not None and clash is not label:
            raise already_exists("Label", "name", docs=DOCS_UPDATE)
    color = _color(data["color"], docs=DOCS_UPDATE) if "color" in data else label.color
    check_lengths(
        "Label",
        {
            "name": (new_name, MAX_LABEL_NAME),
            "description": (data.get("description"), MAX_LABEL_DESCRIPTION),
        },
        docs=DOCS_UPDATE,
    )
    if new_name is not None:
        old = label.name
        label.name = new_name.strip()
        for issue in repo.issues:
            issue.labels = [label.name if n == old else n for n in issue.labels]
    label.color = color
    if "description" in data:
        label.description = data["description"]
    return Reply(200, shapes.label(label, repo, request.urls))


@route("DELETE", "/repos/{owner}/{repo}/labels/{name}")
def delete_label(world: World, request: Request) -> Reply:
    repo = visible_repo(world, request)
    label = _label_or_404(repo, request)
    require_push(request, repo)
    repo.labels.remove(label)
    for issue in repo.issues:
        issue.labels = [n for n in issue.labels if n != label.name]
    return Reply(204)
