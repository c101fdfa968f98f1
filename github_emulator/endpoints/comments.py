"""Issue comments: anyone who can see a public repository may comment (with a token)."""

from __future__ import annotations

from .. import shapes
from ..access import actor, require_write
from ..api import Reply, Request, body_dict, int_param, paged, route
from ..errors import MAX_BODY, check_lengths, missing_field, not_found
from ..state import Comment, World
from .issues import issue_or_404, issues_repo

DOCS_CREATE = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"


@route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def list_comments(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    return paged(request, issue.comments, lambda c: shapes.comment(c, repo, world, request.urls))


@route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments")
def create_comment(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    issue = issue_or_404(world, repo, request)
    require_write(request, repo)
    body = body_dict(request).get("body")
    if not isinstance(body, str) or not body:
        raise missing_field("IssueComment", "body", docs=DOCS_CREATE)
    check_lengths("IssueComment", {"body": (body, MAX_BODY)}, docs=DOCS_CREATE)
    comment = Comment(
        id=world.new_id(), issue_number=issue.number, body=body, user=actor(request.token)
    )
    issue.comments.append(comment)
    issue.touch()
    rendered = shapes.comment(comment, repo, world, request.urls)
    return Reply(201, rendered, {"Location": rendered["url"]})


@route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}")
def get_comment(world: World, request: Request) -> Reply:
    repo = issues_repo(world, request)
    wanted = int_param(request.route_params["comment_id"])
    for issue in repo.issues:
        for comment in issue.comments:
            if comment.id == wanted:
                return Reply(200, shapes.comment(comment, repo, world, request.urls))
    raise not_found()
