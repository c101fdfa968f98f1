"""Repositories and issues in the states a long-lived bot meets, at the HTTP level.

Issues turned off (410), a deleted issue (410), a transferred one (301 to its new
home), pull requests in the issue listing, ``closed_by`` on every listed issue, and
``since`` given as a bare date. The fixture's teardown checks each answer against
GitHub's OpenAPI description.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from github import Auth, Github, GithubException

from github_emulator import GitHubEmulator
from tests.github_emulator import openapi
from tests.test_github_emulator_fidelity import scenario

REPO = "octo/minutes"
DOCS = "https://docs.github.com/rest/issues/issues"


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO, collaborators=["alice"])
    return github_emulator


@pytest.fixture
def github(emu: GitHubEmulator) -> Github:
    return Github(
        base_url=emu.url,
        auth=Auth.Token(emu.user_token("octo")),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def issues_url(emu: GitHubEmulator, repo: str = REPO) -> str:
    return f"{emu.url}/repos/{repo}/issues"


def test_issues_disabled_is_410_on_every_issue_endpoint(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # With issues turned off, every issue endpoint answers GitHub's 410; the repository, its
    # labels, milestones and assignees still answer.
    base = issues_url(emu)
    http.post(base, json={"title": "before"})
    emu.repo(REPO).has_issues = False
    calls = [
        http.get(base),
        http.post(base, json={"title": "t"}),
        http.get(f"{base}/1"),
        http.patch(f"{base}/1", json={"title": "u"}),
        http.get(f"{base}/1/comments"),
        http.post(f"{base}/1/comments", json={"body": "c"}),
        http.get(f"{base}/1/labels"),
        http.post(f"{base}/1/labels", json={"labels": ["bug"]}),
        http.put(f"{base}/1/labels", json={"labels": ["bug"]}),
        http.delete(f"{base}/1/labels"),
        http.post(f"{base}/1/assignees", json={"assignees": ["alice"]}),
    ]
    for answer in calls:
        assert (answer.request.method, answer.status_code, answer.json()) == (
            answer.request.method,
            410,
            {
                "message": "Issues are disabled for this repo",
                "documentation_url": DOCS,
                "status": "410",
            },
        )
        assert answer.headers["X-RateLimit-Remaining"]
    repo = http.get(f"{emu.url}/repos/{REPO}")
    assert (repo.status_code, repo.json()["has_issues"]) == (200, False)
    assert http.get(f"{emu.url}/repos/{REPO}/labels").status_code == 200
    assert http.get(f"{emu.url}/repos/{REPO}/milestones").status_code == 200
    assert [i.title for i in emu.repo(REPO).issues] == ["before"]
    assert openapi.check_log(emu.log) == []


def test_issues_disabled_through_pygithub(emu: GitHubEmulator, github: Github) -> None:
    # PyGithub raises a GithubException 410 carrying GitHub's message.
    emu.repo(REPO).has_issues = False
    with pytest.raises(GithubException) as raised:
        github.get_repo(REPO).create_issue(title="t")
    assert (raised.value.status, raised.value.data["message"]) == (
        410,
        "Issues are disabled for this repo",
    )


def test_deleted_issue_is_410_and_leaves_the_listing(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # A deleted issue answers 410 "This issue was deleted" wherever it is addressed and is
    # no longer listed; its number is not reused.
    base = issues_url(emu)
    for title in ("a", "b"):
        http.post(base, json={"title": title})
    emu.delete_issue(REPO, 1)
    for answer in (
        http.get(f"{base}/1"),
        http.patch(f"{base}/1", json={"state": "closed"}),
        http.post(f"{base}/1/comments", json={"body": "c"}),
    ):
        assert answer.status_code == 410
        assert answer.json()["message"] == "This issue was deleted"
    assert [i["number"] for i in http.get(base, params={"state": "all"}).json()] == [2]
    assert http.post(base, json={"title": "c"}).json()["number"] == 3
    assert http.get(f"{base}/99").status_code == 404  # never existed: still 404
    assert openapi.check_log(emu.log) == []


def test_transferred_issue_is_301_to_its_new_home(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # GitHub redirects a transferred issue to /repositories/{id}/issues/{n} (the rest of the
    # path kept); the emulator serves that alias, so following the redirect works.
    emu.add_repo("octo/archive")
    base = issues_url(emu)
    http.post(base, json={"title": "moving", "body": "b", "labels": ["bug"]})
    http.post(f"{base}/1/comments", json={"body": "first"})
    http.post(issues_url(emu, "octo/archive"), json={"title": "already there"})
    new = emu.transfer_issue(REPO, 1, "octo/archive")
    assert new.number == 2 and new.labels == ["bug"] and new.comments[0].issue_number == 2
    target = f"{emu.url}/repositories/{emu.repo('octo/archive').id}/issues/2"
    answer = http.get(f"{base}/1", allow_redirects=False)
    assert (answer.status_code, answer.headers["Location"]) == (301, target)
    assert answer.json() == {
        "message": "Moved Permanently",
        "url": target,
        "documentation_url": "https://docs.github.com/v3/#http-redirects",
    }
    comments = http.get(f"{base}/1/comments", allow_redirects=False)
    assert comments.headers["Location"] == f"{target}/comments"
    followed = http.get(f"{base}/1")
    assert (followed.status_code, followed.json()["title"], followed.json()["number"]) == (
        200,
        "moving",
        2,
    )
    assert followed.json()["repository_url"] == f"{emu.url}/repos/octo/archive"
    assert [c["body"] for c in http.get(f"{base}/1/comments").json()] == ["first"]
    assert http.get(base, params={"state": "all"}).json() == []
    assert openapi.check_log(emu.log) == []


def test_transfer_redirect_matches_githubs_recorded_301(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # The rename-repository scenario recorded GitHub's 301: the same body keys and words.
    (recorded,) = [e for e in scenario("rename-repository") if e["status"] == 301]
    emu.add_repo("octo/archive")
    http.post(issues_url(emu), json={"title": "t"})
    emu.transfer_issue(REPO, 1, "octo/archive")
    answer = http.get(f"{issues_url(emu)}/1", allow_redirects=False)
    assert set(answer.json()) == set(recorded["response"])
    assert answer.json()["message"] == recorded["response"]["message"]
    assert answer.json()["documentation_url"] == recorded["response"]["documentation_url"]
    assert "/repositories/" in recorded["headers"]["location"]


def test_pygithub_follows_a_transfer(emu: GitHubEmulator, github: Github) -> None:
    # PyGithub follows a 301 on the same host by itself and gets the issue in its new home.
    emu.add_repo("octo/archive")
    github.get_repo("octo/archive").create_issue(title="already there")
    repo = github.get_repo(REPO)
    repo.create_issue(title="moving")
    emu.transfer_issue(REPO, 1, "octo/archive")
    issue = repo.get_issue(1)
    assert (issue.number, issue.title) == (2, "moving")
    assert issue.repository_url.endswith("/repos/octo/archive")
    archive_id = emu.repo("octo/archive").id
    assert [(r.path, r.status) for r in emu.log[-2:]] == [
        (f"/repos/{REPO}/issues/1", 301),
        (f"/repositories/{archive_id}/issues/2", 200),
    ]


def test_pull_requests_appear_in_the_issue_listing(
    emu: GitHubEmulator, http: requests.Session, github: Github
) -> None:
    # Pull requests share the numbers and show in the listing with a pull_request object and
    # /pull/ in html_url; plain issues carry neither.
    http.post(issues_url(emu), json={"title": "an issue"})
    emu.add_pull_request(REPO, "a pull request", user="alice")
    emu.add_pull_request(REPO, "a merged one", state="closed")
    listed = http.get(issues_url(emu), params={"state": "all", "direction": "asc"}).json()
    assert [(i["number"], "pull_request" in i) for i in listed] == [
        (1, False),
        (2, True),
        (3, True),
    ]
    pull = listed[1]
    assert pull["html_url"] == "https://github.com/octo/minutes/pull/2"
    assert pull["pull_request"] == {
        "url": f"{emu.url}/repos/{REPO}/pulls/2",
        "html_url": "https://github.com/octo/minutes/pull/2",
        "diff_url": "https://github.com/octo/minutes/pull/2.diff",
        "patch_url": "https://github.com/octo/minutes/pull/2.patch",
        "merged_at": None,
    }
    assert (pull["user"]["login"], listed[0]["html_url"]) == (
        "alice",
        "https://github.com/octo/minutes/issues/1",
    )
    assert [i.pull_request is not None for i in github.get_repo(REPO).get_issues(state="all")] == [
        True,
        True,
        False,
    ]
    assert openapi.check_log(emu.log) == []


def test_closed_by_on_every_listed_issue(
    emu: GitHubEmulator, http: requests.Session, github: Github
) -> None:
    # Each listed issue has closed_by: the user who closed it, null while open; PyGithub reads
    # it from the listing without another request.
    base = issues_url(emu)
    for title in ("open", "closed"):
        http.post(base, json={"title": title})
    alice = requests.Session()
    alice.headers["Authorization"] = f"token {emu.user_token('alice')}"
    alice.patch(f"{base}/2", json={"state": "closed"})
    listed = http.get(base, params={"state": "all"}).json()
    assert [(i["number"], i["closed_by"] and i["closed_by"]["login"]) for i in listed] == [
        (2, "alice"),
        (1, None),
    ]
    assert set(listed[0]["closed_by"]) == set(http.get(f"{emu.url}/users/alice").json()) - {
        "name",
        "company",
        "blog",
        "location",
        "email",
        "hireable",
        "bio",
        "twitter_username",
        "public_repos",
        "public_gists",
        "followers",
        "following",
        "created_at",
        "updated_at",
    }
    issues = list(github.get_repo(REPO).get_issues(state="all"))
    before = len(emu.log)
    assert [i.closed_by.login if i.closed_by else None for i in issues] == ["alice", None]
    assert len(emu.log) == before
    assert openapi.check_log(emu.log) == []


def test_since_takes_a_bare_date(emu: GitHubEmulator, http: requests.Session) -> None:
    # since=2024-01-01 is midnight UTC (no crash); a time without a zone is UTC too; something
    # that is not a time at all is a 422.
    base = issues_url(emu)
    emu.clock.freeze(datetime(2023, 12, 31, 23, 0, tzinfo=UTC))
    http.post(base, json={"title": "old year"})
    emu.clock.advance(2 * 3600)
    http.post(base, json={"title": "new year"})
    for since in ("2024-01-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00Z"):
        answer = http.get(base, params={"since": since})
        assert (answer.status_code, [i["title"] for i in answer.json()]) == (200, ["new year"])
    assert http.get(base, params={"since": "2023-12-31"}).json()[-1]["title"] == "old year"
    assert http.get(base, params={"since": "yesterday"}).status_code == 422
    assert openapi.check_log(emu.log) == []
