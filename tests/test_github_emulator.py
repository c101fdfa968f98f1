"""The GitHub emulator, driven through real PyGithub as the tracker drives it.

Every test's responses are also checked against GitHub's OpenAPI description by
the fixture's teardown.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from github import Auth, BadCredentialsException, Github, GithubException, UnknownObjectException

from github_emulator import SECONDARY_RATE_LIMIT, GitHubEmulator
from tests.github_emulator import openapi
from tests.github_emulator.pytest_plugin import github_emulator, github_openapi_spec

# Re-exported so the fixtures work here even before conftest loads the plugin.
__all__ = ["github_emulator", "github_openapi_spec"]

REPO = "octo/minutes"

Client = Callable[[str], Github]


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    return github_emulator


@pytest.fixture
def client(emu: GitHubEmulator) -> Client:
    """PyGithub as the tracker configures it, with no throttling."""

    def make(token: str) -> Github:
        return Github(
            base_url=emu.url,
            auth=Auth.Token(token),
            seconds_between_requests=0,
            seconds_between_writes=0,
        )

    return make


def test_create_issue_returns_it_authored_by_the_token_user(
    emu: GitHubEmulator, client: Client
) -> None:
    # Creating an issue gives 201 + Location and an issue that is not a pull request.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issue = repo.create_issue(
        title="Write the agenda", body="AI-1", labels=["bug"], assignees=["alice"]
    )
    assert (issue.number, issue.title, issue.body, issue.state) == (
        1,
        "Write the agenda",
        "AI-1",
        "open",
    )
    assert issue.user.login == "octo"
    assert [lb.name for lb in issue.labels] == ["bug"]
    assert [a.login for a in issue.assignees] == ["alice"]
    assert issue.pull_request is None
    assert issue.html_url == "https://github.com/octo/minutes/issues/1"
    post = next(emu.requests("POST", r"/issues$"))
    assert post.status == 201
    assert post.header("Location") == f"{emu.url}/repos/octo/minutes/issues/1"
    state = emu.repo(REPO).issues[0]
    assert (state.number, state.user, state.labels, state.assignees) == (
        1,
        "octo",
        ["bug"],
        ["alice"],
    )


def test_missing_title_is_a_422(emu: GitHubEmulator) -> None:
    # GitHub refuses an issue without a title with a missing_field validation error.
    answer = requests.post(
        f"{emu.url}/repos/{REPO}/issues",
        json={"body": "no title"},
        headers={"Authorization": f"Bearer {emu.user_token('octo')}"},
        timeout=5,
    )
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"resource": "Issue", "code": "missing_field", "field": "title"}
    ]
    assert answer.json()["status"] == "422"


def test_unknown_labels_are_created_grey(emu: GitHubEmulator, client: Client) -> None:
    # Adding a label the repository lacks creates it with colour ededed.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    repo.create_issue(title="t", labels=["action-item"])
    label = repo.get_label("Action-Item")
    assert (label.name, label.color) == ("action-item", "ededed")


def test_list_issues_filters_by_state_labels_and_assignee(
    emu: GitHubEmulator, client: Client
) -> None:
    # The issue list honours state (default open), labels (all must match) and assignee.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    repo.create_issue(title="a", labels=["bug", "question"], assignees=["alice"])
    repo.create_issue(title="b", labels=["bug"])
    repo.create_issue(title="c").edit(state="closed")
    assert [i.title for i in repo.get_issues()] == ["b", "a"]
    assert [i.title for i in repo.get_issues(state="all", direction="asc")] == ["a", "b", "c"]
    assert [i.title for i in repo.get_issues(labels=["BUG", "question"])] == ["a"]
    assert [i.title for i in repo.get_issues(assignee="alice")] == ["a"]
    assert [i.title for i in repo.get_issues(assignee="none", state="all")] == ["c", "b"]
    assert [i.title for i in repo.get_issues(state="closed")] == ["c"]


def test_pagination_over_more_than_a_hundred_issues(emu: GitHubEmulator, client: Client) -> None:
    # PyGithub pages through Link headers and reads totalCount from rel="last".
    for n in range(1, 131):
        emu.repo(REPO).issues.append(_issue(emu, n))
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issues = repo.get_issues(state="all")
    assert issues.totalCount == 130
    assert sorted(i.number for i in issues) == list(range(1, 131))
    pages = [r for r in emu.requests("GET", r"/issues$") if r.query.get("per_page") != "1"]
    assert len(pages) == 5  # 30 per page by default
    link = pages[0].header("Link")
    assert link == (
        f'<{emu.url}/repos/octo/minutes/issues?state=all&page=2>; rel="next", '
        f'<{emu.url}/repos/octo/minutes/issues?state=all&page=5>; rel="last"'
    )


def test_per_page_is_clamped_to_100(emu: GitHubEmulator) -> None:
    # per_page above 100 gives 100, and the links carry the clamped value.
    for n in range(1, 151):
        emu.repo(REPO).issues.append(_issue(emu, n))
    answer = requests.get(f"{emu.url}/repos/{REPO}/issues?per_page=500&state=open", timeout=5)
    assert len(answer.json()) == 100
    assert answer.headers["Link"] == (
        f'<{emu.url}/repos/octo/minutes/issues?per_page=100&state=open&page=2>; rel="next", '
        f'<{emu.url}/repos/octo/minutes/issues?per_page=100&state=open&page=2>; rel="last"'
    )


def test_links_follow_the_host_the_client_used(emu: GitHubEmulator) -> None:
    # Link URLs use the request's own host:port (localhost and 127.0.0.1 differ for PyGithub).
    for n in range(1, 4):
        emu.repo(REPO).issues.append(_issue(emu, n))
    port = emu.url.rsplit(":", 1)[1]
    answer = requests.get(
        f"http://localhost:{port}/repos/{REPO}/issues?per_page=1&page=2", timeout=5
    )
    assert answer.headers["Link"].startswith(f"<http://localhost:{port}/repos/octo/minutes/issues?")
    assert 'rel="prev", ' in answer.headers["Link"] and answer.headers["Link"].endswith(
        'rel="first"'
    )


def test_edit_closes_and_reopens(emu: GitHubEmulator, client: Client) -> None:
    # Closing sets closed_at, closed_by and a reason; reopening clears them; updated_at moves.
    repo = client(emu.user_token("alice")).get_repo(REPO)
    issue = repo.create_issue(title="t")
    created = issue.updated_at
    issue.edit(state="closed", state_reason="not_planned")
    assert (issue.state, issue.state_reason, issue.closed_by.login) == (
        "closed",
        "not_planned",
        "alice",
    )
    assert issue.closed_at is not None and issue.updated_at > created
    issue.edit(state="open")
    assert (issue.state, issue.state_reason, issue.closed_at, issue.closed_by) == (
        "open",
        "reopened",
        None,
        None,
    )


def test_edit_replaces_title_body_labels_and_milestone(emu: GitHubEmulator, client: Client) -> None:
    # PATCH replaces what it names and keeps the rest; milestone null removes it.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    milestone = repo.create_milestone("v1.0")
    issue = repo.create_issue(title="t", body="b", labels=["bug"], milestone=milestone)
    issue.edit(title="t2", labels=["question"])
    assert (issue.title, issue.body, [lb.name for lb in issue.labels]) == ("t2", "b", ["question"])
    assert issue.milestone.title == "v1.0"
    issue.edit(milestone=None)
    assert issue.milestone is None
    assert emu.repo(REPO).issue(1).milestone is None


def test_unassignable_assignee_fails_the_whole_create(emu: GitHubEmulator, client: Client) -> None:
    # A login that cannot be assigned makes GitHub refuse the issue with 422: nothing is created.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    with pytest.raises(GithubException) as raised:
        repo.create_issue(title="t", assignees=["alice", "mallory"])
    assert raised.value.status == 422
    assert raised.value.data["errors"] == [
        {"value": "mallory", "resource": "Issue", "field": "assignees", "code": "invalid"}
    ]
    assert emu.repo(REPO).issues == []


def test_unassignable_assignee_fails_the_whole_edit(emu: GitHubEmulator, client: Client) -> None:
    # The same 422 on edit leaves the issue untouched.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issue = repo.create_issue(title="t")
    with pytest.raises(GithubException) as raised:
        issue.edit(title="changed", assignees=["mallory"])
    assert raised.value.status == 422
    assert emu.repo(REPO).issue(1).title == "t"


def test_assignees_endpoints(emu: GitHubEmulator, client: Client) -> None:
    # The repo lists who can be assigned, and checks one login with 204 or 404.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    assert [u.login for u in repo.get_assignees()] == ["alice", "bob", "octo"]
    assert repo.has_in_assignees("alice") is True
    assert repo.has_in_assignees("mallory") is False
    issue = repo.create_issue(title="t")
    issue.add_to_assignees("bob", "mallory")  # this endpoint drops the unassignable silently
    assert [a.login for a in issue.assignees] == ["bob"]
    issue.remove_from_assignees("bob")
    assert issue.assignees == []


def test_issue_label_endpoints(emu: GitHubEmulator, client: Client) -> None:
    # Add, replace, remove one and clear an issue's labels.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issue = repo.create_issue(title="t")
    issue.add_to_labels("bug", "new-one")
    assert [lb.name for lb in issue.get_labels()] == ["bug", "new-one"]
    issue.set_labels("question")
    assert emu.repo(REPO).issue(1).labels == ["question"]
    issue.remove_from_labels("question")
    assert emu.repo(REPO).issue(1).labels == []
    issue.add_to_labels("bug")
    issue.delete_labels()
    assert emu.repo(REPO).issue(1).labels == []
    with pytest.raises(GithubException) as raised:  # GitHub's own words, not "Not Found"
        issue.remove_from_labels("bug")
    assert (raised.value.status, raised.value.data["message"]) == (404, "Label does not exist")


def test_new_repos_have_githubs_default_labels(emu: GitHubEmulator, client: Client) -> None:
    # Nine default labels with GitHub's colours.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    labels = {lb.name: lb.color for lb in repo.get_labels()}
    assert len(labels) == 9
    assert labels["bug"] == "d73a4a" and labels["good first issue"] == "7057ff"


def test_label_names_are_unique_case_insensitively(emu: GitHubEmulator, client: Client) -> None:
    # Creating "BUG" next to "bug" is GitHub's 422 already_exists.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    with pytest.raises(GithubException) as raised:
        repo.create_label("BUG", "ff0000")
    assert raised.value.status == 422
    assert raised.value.data["errors"] == [
        {"resource": "Label", "code": "already_exists", "field": "name"}
    ]


def test_label_colour_is_validated(emu: GitHubEmulator, client: Client) -> None:
    # A colour that is not six hex digits is refused like GitHub does.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    with pytest.raises(GithubException) as raised:
        repo.create_label("x", "invalid")
    assert raised.value.data["errors"] == [
        {"resource": "Label", "code": "invalid", "field": "color"}
    ]


def test_label_rename_follows_onto_issues(emu: GitHubEmulator, client: Client) -> None:
    # PATCH with new_name renames the label everywhere; delete removes it from issues.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    repo.create_issue(title="t", labels=["bug"])
    label = repo.get_label("bug")
    label.edit("defect", "00ff00", "broken")
    assert (label.name, label.color, label.description) == ("defect", "00ff00", "broken")
    assert emu.repo(REPO).issue(1).labels == ["defect"]
    label.delete()
    assert emu.repo(REPO).issue(1).labels == []
    with pytest.raises(UnknownObjectException):
        repo.get_label("defect")


def test_milestones_count_their_issues(emu: GitHubEmulator, client: Client) -> None:
    # Milestone counts come from the issues; titles are unique; state filters the list.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    milestone = repo.create_milestone("v1.0", description="first")
    repo.create_issue(title="a", milestone=milestone)
    repo.create_issue(title="b", milestone=milestone).edit(state="closed")
    fresh = repo.get_milestone(milestone.number)
    assert (fresh.open_issues, fresh.closed_issues) == (1, 1)
    assert [i.title for i in repo.get_issues(milestone=fresh)] == ["a"]
    with pytest.raises(GithubException) as raised:
        repo.create_milestone("v1.0")
    assert raised.value.status == 422
    fresh.edit("v1.0", state="closed")
    assert [m.title for m in repo.get_milestones()] == []
    assert [m.title for m in repo.get_milestones(state="closed")] == ["v1.0"]
    fresh.delete()
    assert emu.repo(REPO).issue(1).milestone is None


def test_comments(emu: GitHubEmulator, client: Client) -> None:
    # Comments are created (201 + Location) and listed in order; the issue counts them.
    repo = client(emu.user_token("bob")).get_repo(REPO)
    issue = repo.create_issue(title="t")
    issue.create_comment("first")
    issue.create_comment("second")
    assert [c.body for c in issue.get_comments()] == ["first", "second"]
    assert repo.get_issue(1).comments == 2
    assert emu.repo(REPO).issue(1).comments[0].user == "bob"


def test_installation_token_acts_as_the_actions_bot(emu: GitHubEmulator, client: Client) -> None:
    # GITHUB_TOKEN cannot read /user (403) and what it creates is authored by the bot.
    g = client(emu.installation_token(repo=REPO))
    with pytest.raises(GithubException) as raised:
        _ = g.get_user().login
    assert raised.value.status == 403
    assert raised.value.data["message"] == "Resource not accessible by integration"
    issue = g.get_repo(REPO).create_issue(title="t")
    assert issue.user.login == "github-actions[bot]"
    assert issue.user.type == "Bot" and issue.user.id == 41898282
    assert g.rate_limiting[1] == 1000


def test_installation_token_cannot_write_elsewhere(emu: GitHubEmulator, client: Client) -> None:
    # The installation token only writes to its own repository.
    emu.add_repo("octo/other")
    g = client(emu.installation_token(repo=REPO))
    with pytest.raises(GithubException) as raised:
        g.get_repo("octo/other").create_issue(title="t")
    assert raised.value.status == 403


def test_read_only_token_cannot_write(emu: GitHubEmulator, client: Client) -> None:
    # A token without issues:write reads fine and gets 403 on writes.
    repo = client(emu.read_only_token("octo")).get_repo(REPO)
    with pytest.raises(GithubException) as raised:
        repo.create_issue(title="t")
    assert raised.value.status == 403
    assert raised.value.data["message"] == "Resource not accessible by personal access token"


def test_outsider_extras_are_dropped_silently(emu: GitHubEmulator, client: Client) -> None:
    # Someone without push access may open an issue; labels and assignees vanish without error.
    repo = client(emu.user_token("mallory")).get_repo(REPO)
    issue = repo.create_issue(title="t", labels=["bug"], assignees=["alice"])
    assert (issue.labels, issue.assignees) == ([], [])


def test_private_repo_is_hidden_from_outsiders(emu: GitHubEmulator, client: Client) -> None:
    # A private repository is 404 to someone who cannot see it.
    emu.add_repo("octo/secret", private=True)
    with pytest.raises(UnknownObjectException):
        client(emu.user_token("mallory")).get_repo("octo/secret")
    assert client(emu.user_token("octo")).get_repo("octo/secret").private is True


def test_unknown_repo_raises_unknown_object(emu: GitHubEmulator, client: Client) -> None:
    # 404 "Not Found" becomes PyGithub's UnknownObjectException.
    with pytest.raises(UnknownObjectException):
        client(emu.user_token("octo")).get_repo("octo/nope")


def test_bad_credentials(emu: GitHubEmulator, client: Client) -> None:
    # An unknown token is 401 "Bad credentials", PyGithub's BadCredentialsException.
    with pytest.raises(BadCredentialsException):
        _ = client("not-a-token").get_user().login


def test_unknown_route_is_githubs_404(emu: GitHubEmulator) -> None:
    # Anything unrouted answers GitHub's plain Not Found body.
    answer = requests.get(f"{emu.url}/nope/nothing", timeout=5)
    assert answer.status_code == 404
    assert answer.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest",
        "status": "404",
    }


def test_anonymous_reads_public_but_cannot_write(emu: GitHubEmulator) -> None:
    # Without a token, public reads work on a 60/hour budget and writes need authentication.
    answer = requests.get(f"{emu.url}/repos/{REPO}", timeout=5)
    assert answer.status_code == 200 and answer.headers["X-RateLimit-Limit"] == "60"
    answer = requests.post(f"{emu.url}/repos/{REPO}/issues", json={"title": "t"}, timeout=5)
    assert answer.status_code == 401 and answer.json()["message"] == "Requires authentication"


def test_etag_gives_304_through_update(emu: GitHubEmulator, client: Client) -> None:
    # issue.update() sends If-None-Match and gets 304 while nothing changed; 304 is free.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issue = repo.get_issue(repo.create_issue(title="t").number)
    used = int(emu.log[-1].header("X-RateLimit-Used") or 0)
    assert issue.update() is False
    assert emu.log[-1].status == 304
    assert emu.log[-1].header("X-RateLimit-Used") == str(used)
    emu.repo(REPO).issue(1).title = "changed elsewhere"
    assert issue.update() is True
    assert issue.title == "changed elsewhere"


def test_rate_limit_headers_count_down(emu: GitHubEmulator, client: Client) -> None:
    # Each request costs one; g.rate_limiting reads the headers; /rate_limit has the resources.
    g = client(emu.user_token("octo"))
    g.get_repo(REPO)
    assert g.rate_limiting == (4999, 5000)
    g.get_repo(REPO)
    assert g.rate_limiting == (4998, 5000)
    limits = g.get_rate_limit()
    assert limits.resources.core.remaining == 4998
    assert limits.resources.search.limit == 30


def test_rate_limit_exhausted_is_githubs_403(emu: GitHubEmulator) -> None:
    # With no requests left GitHub answers 403 with its exact "API rate limit exceeded" text.
    token = emu.user_token("octo")
    emu.token(token).used = 5000
    answer = requests.get(
        f"{emu.url}/repos/{REPO}", headers={"Authorization": f"token {token}"}, timeout=5
    )
    assert answer.status_code == 403
    assert answer.json()["message"].startswith("API rate limit exceeded for user ID ")
    assert answer.headers["X-RateLimit-Remaining"] == "0"


def test_request_log_counts_reads_and_writes(emu: GitHubEmulator, client: Client) -> None:
    # One record per HTTP request, in order, with reads and writes counted apart.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    repo.create_issue(title="t").edit(body="b")
    assert [(r.method, r.path, r.status) for r in emu.log] == [
        ("GET", "/repos/octo/minutes", 200),
        ("POST", "/repos/octo/minutes/issues", 201),
        ("PATCH", "/repos/octo/minutes/issues/1", 200),
    ]
    assert (emu.reads(), emu.writes()) == (1, 2)
    emu.clear_log()
    assert (emu.reads(), emu.writes(), emu.log) == (0, 0, [])


def test_retried_post_after_lost_502_creates_a_duplicate(
    emu: GitHubEmulator, client: Client
) -> None:
    # The danger the tool must avoid: GitHub created the issue, the 502 was all the client saw,
    # and PyGithub's own retry (inside urllib3) posts it again.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    emu.fail_next(method="POST", path_regex=r"/issues$", status=502, apply=True)
    issue = repo.create_issue(title="Book the room")
    assert issue.number == 2
    assert [i.title for i in emu.repo(REPO).issues] == ["Book the room", "Book the room"]
    assert [r.status for r in emu.requests("POST")] == [502, 201]


def test_dropped_connection_after_apply_also_duplicates(
    emu: GitHubEmulator, client: Client
) -> None:
    # A connection cut after the write is retried by urllib3 too: another duplicate.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    emu.fail_next(method="POST", path_regex=r"/issues$", apply=True, drop=True)
    repo.create_issue(title="t")
    assert len(emu.repo(REPO).issues) == 2
    assert [r.fault for r in emu.requests("POST")] == ["dropped", None]


def test_plain_failure_changes_nothing_and_runs_out_of_retries(
    emu: GitHubEmulator, client: Client
) -> None:
    # Without apply nothing is written; when every retry fails PyGithub raises RetryError.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    emu.fail_next(method="POST", path_regex=r"/issues$", status=503, times=100)
    with pytest.raises(requests.exceptions.RetryError):
        repo.create_issue(title="t")
    assert emu.repo(REPO).issues == []


def test_patch_is_not_retried(emu: GitHubEmulator, client: Client) -> None:
    # PyGithub never retries PATCH: one 502 is the caller's GithubException.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    issue = repo.create_issue(title="t")
    emu.fail_next(method="PATCH", status=502)
    with pytest.raises(GithubException) as raised:
        issue.edit(title="u")
    assert raised.value.status == 502
    assert len(list(emu.requests("PATCH"))) == 1


def test_secondary_rate_limit_is_waited_out_by_pygithub(
    emu: GitHubEmulator, client: Client
) -> None:
    # A 403 with GitHub's secondary-limit text and Retry-After is retried by PyGithub itself.
    repo = client(emu.user_token("octo")).get_repo(REPO)
    emu.fail_next(
        method="POST", status=403, message=SECONDARY_RATE_LIMIT, headers={"Retry-After": "0"}
    )
    repo.create_issue(title="t")
    assert [r.status for r in emu.requests("POST")] == [403, 201]
    assert len(emu.repo(REPO).issues) == 1


def test_rate_limit_budget_renews_after_reset(emu: GitHubEmulator) -> None:
    # Once the reset time has passed, the hour's budget starts again.
    token = emu.user_token("octo")
    state = emu.token(token)
    state.used = 5000
    state.reset = state.reset.replace(year=2000)
    answer = requests.get(
        f"{emu.url}/repos/{REPO}", headers={"Authorization": f"token {token}"}, timeout=5
    )
    assert (answer.status_code, answer.headers["X-RateLimit-Remaining"]) == (200, "4999")


def test_api_prefix_like_github_enterprise() -> None:
    # With a prefix such as /api/v3, paths are served under it and links keep it.
    emu = GitHubEmulator.start(api_prefix="/api/v3")
    try:
        emu.add_repo(REPO)
        g = Github(
            base_url=emu.url,
            auth=Auth.Token(emu.user_token("octo")),
            seconds_between_requests=0,
            seconds_between_writes=0,
        )
        issue = g.get_repo(REPO).create_issue(title="t")
        assert issue.url == f"{emu.url}/repos/octo/minutes/issues/1"
        assert (
            requests.get(emu.url.removesuffix("/api/v3") + "/rate_limit", timeout=5).status_code
            == 404
        )
    finally:
        emu.stop()
    assert openapi.check_log(emu.log) == []


def test_list_issues_filters_by_creator_milestone_and_since(
    emu: GitHubEmulator, client: Client
) -> None:
    # creator, milestone (number, * and none) and since narrow the list like GitHub's.
    octo = client(emu.user_token("octo")).get_repo(REPO)
    milestone = octo.create_milestone("v1")
    octo.create_issue(title="a", milestone=milestone)
    client(emu.user_token("alice")).get_repo(REPO).create_issue(title="b")
    assert [i.title for i in octo.get_issues(creator="alice")] == ["b"]
    assert [i.title for i in octo.get_issues(milestone="*")] == ["a"]
    assert [i.title for i in octo.get_issues(milestone="none")] == ["b"]
    assert [i.title for i in octo.get_issues(milestone=milestone)] == ["a"]
    emu.repo(REPO).issue(1).updated_at = emu.repo(REPO).issue(1).updated_at.replace(year=2001)
    since = emu.repo(REPO).issue(2).updated_at
    assert [i.title for i in octo.get_issues(since=since)] == ["b"]


def test_installation_token_milestones_are_the_bots(emu: GitHubEmulator, client: Client) -> None:
    # What the installation token creates, milestones included, is the bot's.
    milestone = client(emu.installation_token(repo=REPO)).get_repo(REPO).create_milestone("v1")
    assert milestone.creator.login == "github-actions[bot]"


def _issue(emu: GitHubEmulator, number: int) -> object:
    from github_emulator.state import Issue

    return Issue(id=emu.world.new_id(), number=number, title=f"AI {number}", user="octo")
