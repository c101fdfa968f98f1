"""Answers that are not GitHub's JSON, redirects, and held requests, at the HTTP level.

What a client meets when something between it and the API misbehaves: an HTML page
(200 or 502), JSON cut short, JSON of the wrong shape, and a 307 to the same path
elsewhere; and ``delay``, which holds a request while others are served.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
import requests

from github_emulator import GitHubEmulator
from github_emulator.faults import REDIRECT_DOCS
from tests.github_emulator import openapi
from tests.test_github_emulator_fidelity import scenario

REPO = "octo/minutes"


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO)
    return github_emulator


def create(emu: GitHubEmulator, http: requests.Session, title: str = "t") -> requests.Response:
    return http.post(f"{emu.url}/repos/{REPO}/issues", json={"title": title}, timeout=5)


@pytest.mark.parametrize("status", [200, 502])
def test_html_page_instead_of_json(
    emu: GitHubEmulator, http: requests.Session, status: int
) -> None:
    # An HTML page with the status asked for and none of GitHub's headers; without apply the
    # request never reached GitHub, so nothing is created.
    emu.garbage_next("html", "POST", status=status)
    answer = create(emu, http)
    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.text.startswith("<!DOCTYPE html>")
    assert "X-RateLimit-Remaining" not in answer.headers
    with pytest.raises(ValueError):
        answer.json()
    assert emu.repo(REPO).issues == []
    assert emu.log[-1].fault == "html" and emu.log[-1].response_body.startswith("<!DOCTYPE")


def test_html_page_after_the_write(emu: GitHubEmulator, http: requests.Session) -> None:
    # apply=True: GitHub created the issue, a proxy answered with its error page.
    emu.garbage_next("html", "POST", apply=True)
    assert create(emu, http).status_code == 502
    assert [i.title for i in emu.repo(REPO).issues] == ["t"]


def test_truncated_json(emu: GitHubEmulator, http: requests.Session) -> None:
    # The real answer cut in half, with a Content-Length that matches the cut: valid HTTP,
    # invalid JSON. A truncated create has still created the issue.
    create(emu, http, "first")
    emu.garbage_next("truncated", "GET", r"/issues$")
    answer = http.get(f"{emu.url}/repos/{REPO}/issues", timeout=5)
    assert answer.status_code == 200
    assert int(answer.headers["Content-Length"]) == len(answer.content) > 0
    assert answer.text.startswith('[{"url": ')
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer.text)
    assert answer.headers["X-RateLimit-Remaining"] == "4998"
    emu.garbage_next("truncated", "POST")
    assert create(emu, http, "second").status_code == 201
    assert [i.title for i in emu.repo(REPO).issues] == ["first", "second"]


def test_json_of_the_wrong_shape(emu: GitHubEmulator, http: requests.Session) -> None:
    # A list where an object belongs and an object where a list belongs, or what the test
    # asks for; the status and headers stay GitHub's.
    create(emu, http)
    emu.garbage_next("wrong-shape", "GET", r"/issues$")
    listing = http.get(f"{emu.url}/repos/{REPO}/issues", timeout=5)
    assert listing.status_code == 200
    assert set(listing.json()) == {"total_count", "incomplete_results", "items"}
    emu.garbage_next("wrong-shape", "GET", r"/issues/1$")
    single = http.get(f"{emu.url}/repos/{REPO}/issues/1", timeout=5)
    assert isinstance(single.json(), list) and single.json()[0]["number"] == 1
    emu.garbage_next("wrong-shape", "GET", r"/issues$", body="surprise", status=200)
    assert http.get(f"{emu.url}/repos/{REPO}/issues", timeout=5).json() == "surprise"
    assert [r.fault for r in emu.requests("GET")] == ["wrong-shape"] * 3
    assert openapi.check_log(emu.log) == []  # garbage is exempt; the create is checked


def test_redirect_to_the_same_path_on_another_port_and_prefix(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # 307 with Location = the mirror (another port, under /moved) + the same path and query;
    # following it finds the same state, and its links stay on the mirror.
    create(emu, http, "a")
    create(emu, http, "b")
    emu.redirect_next("GET", r"/issues$")
    moved = http.get(
        f"{emu.url}/repos/{REPO}/issues?state=all&per_page=1", allow_redirects=False, timeout=5
    )
    mirror = emu.mirror_url()
    assert mirror.rsplit(":", 1)[1].split("/")[0] != emu.url.rsplit(":", 1)[1]
    assert mirror.endswith("/moved")
    location = f"{mirror}/repos/{REPO}/issues?state=all&per_page=1"
    assert (moved.status_code, moved.headers["Location"]) == (307, location)
    assert moved.json() == {
        "message": "Moved Permanently",
        "url": location,
        "documentation_url": REDIRECT_DOCS,
    }
    assert emu.log[-1].fault == "redirect"
    followed = http.get(moved.headers["Location"], timeout=5)
    assert [i["title"] for i in followed.json()] == ["b"]
    assert followed.links["next"]["url"].startswith(f"{mirror}/repos/{REPO}/issues?")
    assert followed.json()[0]["url"] == f"{mirror}/repos/{REPO}/issues/2"
    # a write is redirected the same way; nothing is created until it is sent again there
    emu.redirect_next("POST")
    moved = http.post(
        f"{emu.url}/repos/{REPO}/issues", json={"title": "c"}, allow_redirects=False, timeout=5
    )
    assert (moved.status_code, len(emu.repo(REPO).issues)) == (307, 2)
    again = http.post(moved.headers["Location"], json={"title": "c"}, timeout=5)
    assert again.status_code == 201 and again.headers["Location"].startswith(mirror)
    assert requests.get(f"{mirror}/rate_limit", timeout=5).status_code == 200
    assert requests.get(mirror.removesuffix("/moved") + "/rate_limit", timeout=5).status_code == 404


def test_redirect_to_a_given_base(emu: GitHubEmulator, http: requests.Session) -> None:
    # to= names any base URL (here GitHub Enterprise style on the same host).
    emu.redirect_next(to="http://127.0.0.1:1/api/v3/")
    moved = http.get(f"{emu.url}/repos/{REPO}", allow_redirects=False, timeout=5)
    assert moved.headers["Location"] == f"http://127.0.0.1:1/api/v3/repos/{REPO}"


def test_redirect_body_matches_githubs_recording(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # The rename-repository scenario recorded a 307 for a PATCH: same body keys, message,
    # documentation URL and meaningful header names.
    recorded = next(e for e in scenario("rename-repository") if e["status"] == 307)
    emu.redirect_next("PATCH")
    answer = http.patch(
        f"{emu.url}/repos/{REPO}/issues/1", json={}, allow_redirects=False, timeout=5
    )
    body = answer.json()
    assert set(body) == set(recorded["response"])
    assert (body["message"], body["documentation_url"]) == (
        recorded["response"]["message"],
        recorded["response"]["documentation_url"],
    )
    wanted = {"content-type", "location", "x-ratelimit-limit", "x-ratelimit-remaining"}
    assert wanted <= {h.lower() for h in recorded["headers"]}
    assert wanted <= {h.lower() for h in answer.headers}
    assert "etag" not in {h.lower() for h in answer.headers}


def test_delay_holds_a_create_while_others_are_served(
    emu: GitHubEmulator, http: requests.Session
) -> None:
    # A slow create waits outside the state's lock: a read started later finishes first, and
    # the issue only exists once the wait is over (apply_first=False).
    emu.delay(0.5, creates_only=True)
    finished: dict[str, float] = {}

    def slow_create() -> None:
        create(emu, http, "slow")
        finished["create"] = time.monotonic()

    thread = threading.Thread(target=slow_create)
    thread.start()
    time.sleep(0.1)
    reader = requests.get(f"{emu.url}/repos/{REPO}/issues", timeout=5)
    finished["read"] = time.monotonic()
    assert reader.json() == []  # the create is still held
    thread.join(5)
    assert finished["read"] < finished["create"]
    assert [i.title for i in emu.repo(REPO).issues] == ["slow"]
    assert [r.fault for r in emu.log] == [None, "delay"]  # logged as they finished


def test_delay_after_the_write(emu: GitHubEmulator, http: requests.Session) -> None:
    # apply_first=True: the issue exists while its answer is still on the way.
    emu.delay(0.5, "POST", apply_first=True, times=1)
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(create(emu, http).status_code))
    thread.start()
    time.sleep(0.2)
    assert [i.title for i in emu.repo(REPO).issues] == ["t"] and seen == []
    thread.join(5)
    assert seen == [201]
    assert emu.pending_faults() == []
