"""Two clients at once: the emulator's state stays GitHub's, and races reproduce on demand.

Each request is served in its own thread and changes the state under one lock, so
concurrent creates get distinct numbers and nothing is lost; ``emu.delay`` holds
creates outside the lock, so two clients that list and then create reliably race
(both list before either create lands), as two syncs started together do on GitHub.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from github import Auth, Github

from github_emulator import GitHubEmulator
from tests.github_emulator import openapi

REPO = "octo/minutes"


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO, collaborators=["alice"])
    return github_emulator


def client(emu: GitHubEmulator, login: str) -> Github:
    return Github(
        base_url=emu.url,
        auth=Auth.Token(emu.user_token(login)),
        seconds_between_requests=0,
        seconds_between_writes=0,
    )


def together(*jobs: Callable[[], object]) -> list[object]:
    """Run the jobs in threads released at the same moment; their results in order."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> object:
        start.wait(5)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_concurrent_creates_get_distinct_numbers_and_none_is_lost(emu: GitHubEmulator) -> None:
    # Two clients creating 40 issues each at once: 80 issues numbered 1..80, each with its
    # author, every answer a 201 naming the issue it made.
    def sync(login: str) -> list[int]:
        repo = client(emu, login).get_repo(REPO)
        return [repo.create_issue(title=f"{login} {n}").number for n in range(40)]

    octo, alice = together(lambda: sync("octo"), lambda: sync("alice"))
    assert isinstance(octo, list) and isinstance(alice, list)
    assert sorted(octo + alice) == list(range(1, 81))
    issues = emu.repo(REPO).issues
    assert [i.number for i in issues] == list(range(1, 81))
    assert all(i.title.startswith(i.user) for i in issues)
    assert {i.number for i in issues if i.user == "alice"} == set(alice)
    posts = list(emu.requests("POST"))
    assert len(posts) == 80 and {r.status for r in posts} == {201}
    assert openapi.check_log(emu.log) == []


def test_concurrent_requests_are_each_charged_once(emu: GitHubEmulator) -> None:
    # 50 requests at once on one token: the budget is charged exactly 50 times and every
    # answer reports a different X-RateLimit-Used.
    token = emu.user_token("octo")

    def read() -> str:
        answer = requests.get(
            f"{emu.url}/repos/{REPO}", headers={"Authorization": f"token {token}"}, timeout=10
        )
        return answer.headers["X-RateLimit-Used"]

    used = together(*[read] * 50)
    assert sorted(int(str(u)) for u in used) == list(range(1, 51))
    assert emu.token(token).used == 50


def test_two_syncs_race_with_slow_creates(emu: GitHubEmulator) -> None:
    # The race issue 10 describes, made reproducible: each "sync" lists the tracker's issues
    # and opens the one it does not find. With creates held for 0.8 s, both listings happen
    # before either create lands, so the AI gets two issues, every time.
    emu.delay(0.8, creates_only=True)

    def sync(login: str) -> int | None:
        repo = client(emu, login).get_repo(REPO)
        if any(i.title == "Book the room" for i in repo.get_issues(state="all")):
            return None
        return repo.create_issue(title="Book the room", labels=["action-item"]).number

    numbers = together(lambda: sync("octo"), lambda: sync("alice"))
    assert sorted(n for n in numbers if isinstance(n, int)) == [1, 2]
    assert [i.title for i in emu.repo(REPO).issues] == ["Book the room"] * 2
    assert [r.fault for r in emu.requests("POST")] == ["delay", "delay"]
    emu.clear_faults()
    assert sync("octo") is None  # a later run sees them (and must repair the duplicate)


def test_one_client_slowed_the_other_not(emu: GitHubEmulator) -> None:
    # A delay aimed at one token holds only that client's creates.
    slow, fast = emu.user_token("octo"), emu.user_token("alice")
    emu.delay(0.5, "POST", token=slow)

    def create(token: str, title: str) -> int:
        answer = requests.post(
            f"{emu.url}/repos/{REPO}/issues",
            json={"title": title},
            headers={"Authorization": f"token {token}"},
            timeout=10,
        )
        return int(answer.json()["number"])

    numbers = together(lambda: create(slow, "slow"), lambda: create(fast, "fast"))
    assert numbers == [2, 1]  # the fast client's create landed first
