"""GitHub's 422s for fields over their length limits, word for word.

As GitHub answers them (public reports of real traffic, see shared/GITHUB_FIDELITY.md):
``{"resource": "Issue", "code": "custom", "field": "body", "message": "body is too long
(maximum is 65536 characters)"}``; a title over 256 and a label description over 100
alike; a label name over 50 the same on ``POST /labels`` but ``code: invalid`` with the
name as ``value`` when the label would be created along with an issue.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from github import Auth, Github, GithubException

from github_emulator import GitHubEmulator
from tests.github_emulator import openapi

REPO = "octo/minutes"
DOCS = "https://docs.github.com/rest/issues"


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO)
    return github_emulator


def too_long(resource: str, field: str, maximum: int) -> dict[str, str]:
    return {
        "resource": resource,
        "code": "custom",
        "field": field,
        "message": f"{field} is too long (maximum is {maximum} characters)",
    }


def refused(answer: requests.Response, docs: str, *errors: dict[str, Any]) -> None:
    assert answer.status_code == 422
    assert answer.json() == {
        "message": "Validation Failed",
        "errors": list(errors),
        "documentation_url": docs,
        "status": "422",
    }


def test_issue_title_over_256(emu: GitHubEmulator, http: requests.Session) -> None:
    # 256 characters are fine; 257 are GitHub's 422 and nothing is created.
    url = f"{emu.url}/repos/{REPO}/issues"
    assert http.post(url, json={"title": "x" * 256}).status_code == 201
    answer = http.post(url, json={"title": "é" * 257})
    refused(answer, f"{DOCS}/issues#create-an-issue", too_long("Issue", "title", 256))
    assert len(emu.repo(REPO).issues) == 1
    assert openapi.check_log(emu.log) == []


def test_issue_body_over_65536(emu: GitHubEmulator, http: requests.Session) -> None:
    # The body limit counts characters; over it on create (both fields named when both are
    # too long) and on edit, where the issue stays as it was.
    url = f"{emu.url}/repos/{REPO}/issues"
    assert http.post(url, json={"title": "t", "body": "b" * 65536}).status_code == 201
    refused(
        http.post(url, json={"title": "t" * 300, "body": "b" * 65537}),
        f"{DOCS}/issues#create-an-issue",
        too_long("Issue", "title", 256),
        too_long("Issue", "body", 65536),
    )
    refused(
        http.patch(f"{url}/1", json={"body": "b" * 70000}),
        f"{DOCS}/issues#update-an-issue",
        too_long("Issue", "body", 65536),
    )
    assert emu.repo(REPO).issue(1).body == "b" * 65536
    assert openapi.check_log(emu.log) == []


def test_pygithub_sees_the_field_in_the_exception(emu: GitHubEmulator) -> None:
    # What the tool gets: GithubException 422 whose data names the field and the limit.
    g = Github(
        base_url=emu.url,
        auth=Auth.Token(emu.user_token("octo")),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )
    with pytest.raises(GithubException) as raised:
        g.get_repo(REPO).create_issue(title="t", body="x" * 65537)
    assert raised.value.status == 422
    assert raised.value.data["errors"] == [too_long("Issue", "body", 65536)]


def test_label_name_over_50_and_description_over_100(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # POST /labels: both limits, code custom (as in github/docs#32156); the same on rename.
    url = f"{emu.url}/repos/{REPO}/labels"
    docs = f"{DOCS}/labels#create-a-label"
    assert http.post(url, json={"name": "n" * 50, "description": "d" * 100}).status_code == 201
    refused(http.post(url, json={"name": "n" * 51}), docs, too_long("Label", "name", 50))
    refused(
        http.post(url, json={"name": "ok", "description": "d" * 101}),
        docs,
        too_long("Label", "description", 100),
    )
    refused(
        http.patch(f"{url}/bug", json={"new_name": "n" * 51, "description": "d" * 101}),
        f"{DOCS}/labels#update-a-label",
        too_long("Label", "name", 50),
        too_long("Label", "description", 100),
    )
    assert emu.repo(REPO).label("bug") is not None
    assert openapi.check_log(emu.log) == []


def test_new_label_over_50_along_with_an_issue(emu: GitHubEmulator, http: requests.Session) -> None:
    # A label created on the way (issue create, edit, add, set) is refused with code invalid
    # and the name as value; nothing is created or changed.
    long_name = "released on @feature/" + "x" * 40
    invalid = {"value": long_name, "resource": "Label", "field": "name", "code": "invalid"}
    issues = f"{emu.url}/repos/{REPO}/issues"
    refused(
        http.post(issues, json={"title": "t", "labels": ["bug", long_name]}),
        f"{DOCS}/issues#create-an-issue",
        invalid,
    )
    assert emu.repo(REPO).issues == []
    assert http.post(issues, json={"title": "t", "labels": ["bug"]}).status_code == 201
    refused(
        http.patch(f"{issues}/1", json={"labels": [long_name]}),
        f"{DOCS}/issues#update-an-issue",
        invalid,
    )
    refused(
        http.post(f"{issues}/1/labels", json={"labels": [long_name]}),
        f"{DOCS}/labels#add-labels-to-an-issue",
        invalid,
    )
    refused(
        http.put(f"{issues}/1/labels", json={"labels": [long_name]}),
        f"{DOCS}/labels#set-labels-for-an-issue",
        invalid,
    )
    assert emu.repo(REPO).issue(1).labels == ["bug"]
    assert emu.repo(REPO).label(long_name) is None
    assert openapi.check_log(emu.log) == []


def test_comment_body_over_65536(emu: GitHubEmulator, http: requests.Session) -> None:
    # Comments share the body limit.
    issues = f"{emu.url}/repos/{REPO}/issues"
    http.post(issues, json={"title": "t"})
    refused(
        http.post(f"{issues}/1/comments", json={"body": "c" * 65537}),
        f"{DOCS}/comments#create-an-issue-comment",
        too_long("IssueComment", "body", 65536),
    )
    assert emu.repo(REPO).issue(1).comments == []
