"""JSON renderers: GitHub's exact object shapes for the emulator's state.

Each renderer emits every key the official schema requires and the keys real
api.github.com traffic carries (checked against ``@octokit/fixtures`` by the
tests), with URLs on the emulator's own base so PyGithub follows them back here.
Only pull requests carry ``pull_request``: PyGithub takes any issue that has it for a PR.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from .state import Comment, Issue, Label, Milestone, Repo, Token, User, World

JSON = dict[str, Any]


@dataclass(frozen=True)
class Urls:
    """Where links point: the API base the request came in on, and the web site."""

    api: str  # e.g. "http://127.0.0.1:54321" (no trailing slash)
    web: str = "https://github.com"


def timestamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def node_id(kind: str, ident: int) -> str:
    """Opaque like GitHub's, stable per object, distinct per kind."""
    return base64.b64encode(f"04:{kind}{ident}".encode()).decode().rstrip("=")


def user(u: User, urls: Urls) -> JSON:
    """The ``simple-user`` shape, embedded wherever a user appears."""
    api = f"{urls.api}/users/{quote(u.login)}"
    return {
        "login": u.login,
        "id": u.id,
        "node_id": node_id("User", u.id),
        "avatar_url": f"https://avatars.githubusercontent.com/u/{u.id}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"{urls.web}/{quote(u.login)}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": u.type,
        "user_view_type": "public",
        "site_admin": False,
    }


def full_user(u: User, urls: Urls) -> JSON:
    """``/users/{login}`` and ``/user``: the ``public-user`` shape."""
    return {
        **user(u, urls),
        "name": u.name,
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "twitter_username": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": timestamp(u.created_at),
        "updated_at": timestamp(u.created_at),
    }


def label(lb: Label, repo: Repo, urls: Urls) -> JSON:
    return {
        "id": lb.id,
        "node_id": node_id("Label", lb.id),
        "url": f"{repo_api(repo, urls)}/labels/{quote(lb.name, safe='')}",
        "name": lb.name,
        "color": lb.color,
        "default": lb.default,
        "description": lb.description,
    }


def repo_api(repo: Repo, urls: Urls) -> str:
    return f"{urls.api}/repos/{repo.owner}/{repo.name}"


def milestone(m: Milestone, repo: Repo, world: World, urls: Urls) -> JSON:
    """Counts come from the issues, as on GitHub."""
    mine = [i for i in repo.issues if i.milestone == m.number and not i.gone]
    return {
        "url": f"{repo_api(repo, urls)}/milestones/{m.number}",
        "html_url": f"{urls.web}/{repo.full_name}/milestone/{m.number}",
        "labels_url": f"{repo_api(repo, urls)}/milestones/{m.number}/labels",
        "id": m.id,
        "node_id": node_id("Milestone", m.id),
        "number": m.number,
        "title": m.title,
        "description": m.description,
        "creator": user(world.user(m.creator), urls),
        "open_issues": sum(1 for i in mine if i.state == "open"),
        "closed_issues": sum(1 for i in mine if i.state == "closed"),
        "state": m.state,
        "created_at": timestamp(m.created_at),
        "updated_at": timestamp(m.updated_at),
        "due_on": timestamp(m.due_on),
        "closed_at": timestamp(m.closed_at),
    }


def author_association(login: str, repo: Repo) -> str:
    if login == repo.owner:
        return "OWNER"
    if login in repo.collaborators:
        return "COLLABORATOR"
    return "NONE"


def reactions(url: str) -> JSON:
    return {
        "url": f"{url}/reactions",
        "total_count": 0,
        "+1": 0,
        "-1": 0,
        "laugh": 0,
        "hooray": 0,
        "confused": 0,
        "heart": 0,
        "rocket": 0,
        "eyes": 0,
    }


def issue(i: Issue, repo: Repo, world: World, urls: Urls) -> JSON:
    """An issue, alone or in the listing: ``closed_by`` is the closer or null on both.

    A pull request (``i.pull_request``) is the same object with ``/pull/`` in
    ``html_url``, ``draft`` and a ``pull_request`` object; a plain issue has neither key.
    """
    url = f"{repo_api(repo, urls)}/issues/{i.number}"
    labels = [label(lb, repo, urls) for name in i.labels if (lb := repo.label(name)) is not None]
    assignees = [user(world.user(login), urls) for login in i.assignees]
    ms = repo.milestone(i.milestone) if i.milestone is not None else None
    shape: JSON = {
        "url": url,
        "repository_url": repo_api(repo, urls),
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": f"{urls.web}/{repo.full_name}/issues/{i.number}",
        "id": i.id,
        "node_id": node_id("Issue", i.id),
        "number": i.number,
        "title": i.title,
        "user": user(world.user(i.user), urls),
        "labels": labels,
        "state": i.state,
        "locked": i.locked,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": milestone(ms, repo, world, urls) if ms is not None else None,
        "comments": len(i.comments),
        "created_at": timestamp(i.created_at),
        "updated_at": timestamp(i.updated_at),
        "closed_at": timestamp(i.closed_at),
        "author_association": author_association(i.user, repo),
        "active_lock_reason": None,
        "body": i.body,
        "reactions": reactions(url),
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
        "state_reason": i.state_reason,
    }
    closer = world.user(i.closed_by) if i.closed_by else None
    shape["closed_by"] = user(closer, urls) if closer else None
    if i.pull_request:
        web = f"{urls.web}/{repo.full_name}/pull/{i.number}"
        shape["html_url"] = web
        shape["draft"] = False
        shape["pull_request"] = {
            "url": f"{repo_api(repo, urls)}/pulls/{i.number}",
            "html_url": web,
            "diff_url": f"{web}.diff",
            "patch_url": f"{web}.patch",
            "merged_at": None,
        }
    return shape


def comment(c: Comment, repo: Repo, world: World, urls: Urls) -> JSON:
    url = f"{repo_api(repo, urls)}/issues/comments/{c.id}"
    return {
        "url": url,
        "html_url": f"{urls.web}/{repo.full_name}/issues/{c.issue_number}#issuecomment-{c.id}",
        "issue_url": f"{repo_api(repo, urls)}/issues/{c.issue_number}",
        "id": c.id,
        "node_id": node_id("IssueComment", c.id),
        "user": user(world.user(c.user), urls),
        "created_at": timestamp(c.created_at),
        "updated_at": timestamp(c.updated_at),
        "author_association": author_association(c.user, repo),
        "body": c.body,
        "reactions": reactions(url),
        "performed_via_github_app": None,
    }


def repository(repo: Repo, world: World, urls: Urls, *, viewer: str | None) -> JSON:
    """The ``full-repository`` shape of ``GET /repos/{owner}/{repo}``."""
    api = repo_api(repo, urls)
    web = f"{urls.web}/{repo.full_name}"
    can_push = viewer is not None and repo.has_push(viewer)
    is_owner = viewer == repo.owner
    shape: JSON = {
        "id": repo.id,
        "node_id": node_id("Repository", repo.id),
        "name": repo.name,
        "full_name": repo.full_name,
        "private": repo.private,
        "owner": user(world.user(repo.owner), urls),
        "html_url": web,
        "description": repo.description,
        "fork": False,
        "url": api,
    }
    for key, tail in _REPO_URL_TEMPLATES:
        shape[key] = f"{api}/{tail}"
    shape.update(
        {
            "created_at": timestamp(repo.created_at),
            "updated_at": timestamp(repo.updated_at),
            "pushed_at": timestamp(repo.updated_at),
            "git_url": f"git://github.com/{repo.full_name}.git",
            "ssh_url": f"git@github.com:{repo.full_name}.git",
            "clone_url": f"{web}.git",
            "svn_url": web,
            "homepage": None,
            "size": 0,
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": None,
            "has_issues": repo.has_issues,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": True,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "mirror_url": None,
            "archived": False,
            "disabled": False,
            "open_issues_count": open_count(repo),
            "license": None,
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": [],
            "visibility": "private" if repo.private else "public",
            "forks": 0,
            "open_issues": open_count(repo),
            "watchers": 0,
            "default_branch": "main",
            "permissions": {
                "admin": is_owner,
                "maintain": is_owner,
                "push": can_push,
                "triage": can_push,
                "pull": True,
            },
            "network_count": 0,
            "subscribers_count": 0,
        }
    )
    return shape


def open_count(repo: Repo) -> int:
    """GitHub's ``open_issues_count``: open issues and pull requests still in the repository."""
    return sum(1 for i in repo.issues if i.state == "open" and not i.gone)


# The URL (template) keys of a repository object, in GitHub's order.
_REPO_URL_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("forks_url", "forks"),
    ("keys_url", "keys{/key_id}"),
    ("collaborators_url", "collaborators{/collaborator}"),
    ("teams_url", "teams"),
    ("hooks_url", "hooks"),
    ("issue_events_url", "issues/events{/number}"),
    ("events_url", "events"),
    ("assignees_url", "assignees{/user}"),
    ("branches_url", "branches{/branch}"),
    ("tags_url", "tags"),
    ("blobs_url", "git/blobs{/sha}"),
    ("git_tags_url", "git/tags{/sha}"),
    ("git_refs_url", "git/refs{/sha}"),
    ("trees_url", "git/trees{/sha}"),
    ("statuses_url", "statuses/{sha}"),
    ("languages_url", "languages"),
    ("stargazers_url", "stargazers"),
    ("contributors_url", "contributors"),
    ("subscribers_url", "subscribers"),
    ("subscription_url", "subscription"),
    ("commits_url", "commits{/sha}"),
    ("git_commits_url", "git/commits{/sha}"),
    ("comments_url", "comments{/number}"),
    ("issue_comment_url", "issues/comments{/number}"),
    ("contents_url", "contents/{+path}"),
    ("compare_url", "compare/{base}...{head}"),
    ("merges_url", "merges"),
    ("archive_url", "{archive_format}{/ref}"),
    ("downloads_url", "downloads"),
    ("issues_url", "issues{/number}"),
    ("pulls_url", "pulls{/number}"),
    ("milestones_url", "milestones{/number}"),
    ("notifications_url", "notifications{?since,all,participating}"),
    ("labels_url", "labels{/name}"),
    ("releases_url", "releases{/id}"),
    ("deployments_url", "deployments"),
)


def rate_limit(token: Token) -> JSON:
    """``/rate_limit``: ``resources.core`` is the token's budget; search has its own small one."""
    reset = int(token.reset.timestamp())
    core = {"limit": token.limit, "used": token.used, "remaining": token.remaining, "reset": reset}
    search = {"limit": 30, "used": 0, "remaining": 30, "reset": reset}
    graphql = {"limit": token.limit, "used": 0, "remaining": token.limit, "reset": reset}
    return {
        "resources": {"core": core, "search": search, "graphql": graphql},
        "rate": dict(core),
    }
