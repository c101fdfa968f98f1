"""The emulator's rate limits and fault schedule, at the HTTP level.

Primary limits (a token's hourly budget, or scheduled refusals with a far reset),
secondary limits (403 and 429, with and without Retry-After), the content-creation
budget counted on the emulator's clock, and how a test aims a fault: the next N
requests, after K of them, one token's, creates only. The fixture's teardown checks
every answer against GitHub's OpenAPI description.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from github_emulator import CONTENT_CREATION_LIMIT, SECONDARY_RATE_LIMIT, GitHubEmulator
from tests.github_emulator import openapi

REPO = "octo/minutes"
START = datetime(2024, 5, 7, 12, 0, tzinfo=UTC)
RATE_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.fixture
def emu(github_emulator: GitHubEmulator) -> GitHubEmulator:
    github_emulator.add_repo(REPO, collaborators=["alice"])
    github_emulator.clock.freeze(START)
    return github_emulator


class Client:
    """A bare HTTP client with one token, like the recordings' (no PyGithub retries)."""

    def __init__(self, emu: GitHubEmulator, token: str) -> None:
        self.base = emu.url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def get(self, path: str = f"/repos/{REPO}", **kw: Any) -> requests.Response:
        return self.session.get(self.base + path, timeout=5, **kw)

    def create(self, title: str = "t") -> requests.Response:
        return self.session.post(
            f"{self.base}/repos/{REPO}/issues", json={"title": title}, timeout=5
        )

    def label(self, name: str) -> requests.Response:
        return self.session.post(f"{self.base}/repos/{REPO}/labels", json={"name": name}, timeout=5)

    def edit(self, number: int, **fields: Any) -> requests.Response:
        return self.session.patch(
            f"{self.base}/repos/{REPO}/issues/{number}", json=fields, timeout=5
        )


def epoch(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def rate(answer: requests.Response) -> tuple[str, str, str]:
    limit, remaining, reset = (answer.headers[h] for h in RATE_HEADERS)
    return limit, remaining, reset


# -- primary limits ---------------------------------------------------------------------------


def test_scheduled_primary_limit_has_remaining_0_and_a_far_reset(emu: GitHubEmulator) -> None:
    # The next two requests are refused as an exhausted budget whose reset is an hour ahead;
    # the third goes through and the headers show the real budget again.
    client = Client(emu, emu.user_token("octo"))
    emu.rate_limit_next("primary", times=2, reset_in=3600)
    for _ in range(2):
        refused = client.get()
        assert refused.status_code == 403
        assert refused.json()["message"].startswith("API rate limit exceeded for user ID ")
        assert refused.json()["status"] == "403"
        assert rate(refused) == ("5000", "0", epoch(START + timedelta(hours=1)))
        assert refused.headers["X-RateLimit-Used"] == "5000"
        assert "Retry-After" not in refused.headers
    fine = client.get()
    assert fine.status_code == 200
    assert fine.headers["X-RateLimit-Remaining"] == "4997"  # refused requests count too
    assert [r.fault for r in emu.log] == ["primary-rate-limit", "primary-rate-limit", None]


def test_scheduled_primary_limit_as_429_with_retry_after(emu: GitHubEmulator) -> None:
    # GitHub may answer an exhausted primary limit with 429 as well.
    client = Client(emu, emu.user_token("octo"))
    emu.rate_limit_next("primary", status=429, retry_after=120, reset_in=120)
    refused = client.get()
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "120"
    assert rate(refused)[1:] == ("0", epoch(START + timedelta(seconds=120)))


def test_token_budget_runs_out_and_renews_when_the_clock_passes_the_reset(
    emu: GitHubEmulator,
) -> None:
    # An Actions-like token with 3 requests an hour: the 4th is GitHub's 403 with a reset an
    # hour after the window opened; moving the clock past it renews the budget, no sleeping.
    token = emu.installation_token(REPO, limit=3)
    client = Client(emu, token)
    assert [rate(client.get())[1] for _ in range(3)] == ["2", "1", "0"]
    refused = client.get()
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("API rate limit exceeded for installation ID")
    assert rate(refused) == ("3", "0", epoch(START + timedelta(hours=1)))
    emu.clock.advance(3599)
    assert client.get().status_code == 403
    emu.clock.advance(1)
    renewed = client.get()
    assert (renewed.status_code, rate(renewed)) == (
        200,
        ("3", "2", epoch(START + timedelta(hours=2))),
    )


def test_exhaust_rate_limit_sets_a_far_reset(emu: GitHubEmulator) -> None:
    # exhaust_rate_limit spends the budget now; /rate_limit (free) says when it comes back.
    token = emu.user_token("octo")
    client = Client(emu, token)
    emu.exhaust_rate_limit(token, reset_in=3600)
    assert client.get().status_code == 403
    limits = client.get("/rate_limit")
    assert limits.status_code == 200
    core = limits.json()["resources"]["core"]
    assert (core["remaining"], core["reset"]) == (0, int((START + timedelta(hours=1)).timestamp()))


def test_every_answer_reports_the_budget(emu: GitHubEmulator) -> None:
    # Successes, creates, errors and refusals all carry the x-ratelimit-* headers, once each.
    client = Client(emu, emu.user_token("octo", limit=100))
    answers = [
        client.get(),
        client.create(),
        client.get(f"/repos/{REPO}/issues/99"),
        client.edit(1),
    ]
    emu.rate_limit_next("secondary")
    answers.append(client.get())
    assert [a.status_code for a in answers] == [200, 201, 404, 200, 403]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers] == ["99", "98", "97", "96", "95"]
    assert all(a.headers["X-RateLimit-Limit"] == "100" for a in answers)
    assert all(a.headers["X-RateLimit-Resource"] == "core" for a in answers)
    assert openapi.check_log(emu.log) == []


# -- secondary limits -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [403, 429])
@pytest.mark.parametrize("retry_after", [None, 30])
def test_secondary_limit_403_and_429_with_and_without_retry_after(
    emu: GitHubEmulator, status: int, retry_after: int | None
) -> None:
    # GitHub's secondary-limit text, the status asked for, Retry-After only when given, and
    # the budget (not exhausted) in the headers; nothing is created.
    client = Client(emu, emu.user_token("octo"))
    emu.rate_limit_next("secondary", status=status, retry_after=retry_after)
    refused = client.create()
    assert refused.status_code == status
    assert refused.json() == {
        "message": SECONDARY_RATE_LIMIT,
        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        "status": str(status),
    }
    assert refused.headers.get("Retry-After") == (None if retry_after is None else "30")
    assert refused.headers["X-RateLimit-Remaining"] == "4999"
    assert emu.repo(REPO).issues == []
    assert client.create().status_code == 201


def test_schedule_after_k_creates_only(emu: GitHubEmulator) -> None:
    # "After 2 creates, refuse the next create": reads and edits neither count nor get hit.
    client = Client(emu, emu.user_token("octo"))
    fault = emu.rate_limit_next(
        "secondary", creates_only=True, after=2, message=CONTENT_CREATION_LIMIT
    )
    statuses = [
        client.get().status_code,
        client.create().status_code,
        client.edit(1, title="u").status_code,
        client.label("x").status_code,
        client.create().status_code,
        client.create().status_code,
    ]
    assert statuses == [200, 201, 200, 201, 403, 201]
    assert [r.fault for r in emu.requests("POST")] == [None, None, "secondary-rate-limit", None]
    assert list(emu.requests("POST"))[2].response_body["message"] == CONTENT_CREATION_LIMIT
    assert (fault.hits, fault.times, emu.pending_faults()) == (1, 0, [])


def test_schedule_one_tokens_requests_until_cleared(emu: GitHubEmulator) -> None:
    # A fault aimed at one token leaves another client alone; times=None lasts until cleared.
    alice, octo = emu.user_token("alice"), emu.user_token("octo")
    emu.fail_next(status=503, token=alice, times=None)
    assert [Client(emu, alice).get().status_code for _ in range(3)] == [503, 503, 503]
    assert Client(emu, octo).get().status_code == 200
    emu.clear_faults()
    assert Client(emu, alice).get().status_code == 200


def test_schedule_drop_after_one(emu: GitHubEmulator) -> None:
    # after= works for every fault: the second matching request loses its connection.
    client = Client(emu, emu.user_token("octo"))
    emu.fail_next("GET", drop=True, after=1)
    assert client.get().status_code == 200
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get()
    assert [r.fault for r in emu.log] == [None, "dropped"]


# -- the content-creation budget --------------------------------------------------------------


def test_content_creation_budget_per_minute_and_per_hour(emu: GitHubEmulator) -> None:
    # 3 creates a minute, 5 an hour (GitHub: about 80 and 500): the 4th create within the
    # minute is refused with the content-creation text; a minute later two more fit, then the
    # hour is spent until its oldest create is an hour old. Reads and edits are not limited.
    emu.limit_content_creation(per_minute=3, per_hour=5)
    client = Client(emu, emu.user_token("octo"))
    assert [client.create().status_code for _ in range(4)] == [201, 201, 201, 403]
    refused = emu.log[-1]
    assert refused.response_body["message"] == CONTENT_CREATION_LIMIT
    assert refused.header("Retry-After") is None
    assert (client.get().status_code, client.edit(1, body="b").status_code) == (200, 200)
    emu.clock.advance(60)
    assert [client.create().status_code for _ in range(3)] == [201, 201, 403]
    assert len(emu.repo(REPO).issues) == 5
    emu.clock.advance(3600 - 60)
    assert client.create().status_code == 201
    assert [r.fault for r in emu.log] == [None] * len(emu.log)  # a budget, not an injected fault


def test_content_creation_budget_says_when_with_retry_after(emu: GitHubEmulator) -> None:
    # retry_after=True adds Retry-After: the seconds until the oldest create leaves the window.
    emu.limit_content_creation(per_minute=2, per_hour=None, status=429, retry_after=True)
    client = Client(emu, emu.user_token("octo"))
    client.create()
    emu.clock.advance(20)
    client.create()
    emu.clock.advance(10)
    refused = client.label("new")  # labels are content too
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "30")
    emu.clock.advance(30)
    assert client.label("new").status_code == 201


def test_content_creation_budget_is_per_token(emu: GitHubEmulator) -> None:
    # Another token has its own budget (GitHub counts per user or app).
    emu.limit_content_creation(per_minute=1, per_hour=None)
    octo, alice = Client(emu, emu.user_token("octo")), Client(emu, emu.user_token("alice"))
    assert [octo.create().status_code, octo.create().status_code] == [201, 403]
    assert alice.create().status_code == 201


# -- the clock --------------------------------------------------------------------------------


def test_clock_stamps_what_is_created(emu: GitHubEmulator) -> None:
    # Timestamps come from the emulator's clock, so a test that moves it sees them move.
    client = Client(emu, emu.user_token("octo"))
    created = client.create().json()
    emu.clock.advance(90)
    edited = client.edit(1, title="u").json()
    assert (created["created_at"], edited["updated_at"]) == (
        "2024-05-07T12:00:00Z",
        "2024-05-07T12:01:30Z",
    )


def test_clock_freeze_set_and_unfreeze() -> None:
    # A frozen clock stands still; set() jumps; unfreeze() runs on from where it stood.
    from github_emulator import Clock

    clock = Clock()
    clock.freeze(START.replace(tzinfo=None))
    assert clock.frozen and clock.now() == START
    clock.set(START + timedelta(days=1))
    assert clock.now() == START + timedelta(days=1)
    clock.unfreeze()
    assert not clock.frozen
    assert timedelta(0) <= clock.now() - (START + timedelta(days=1)) < timedelta(seconds=5)
    clock.advance(-86400)
    assert clock.now() - START < timedelta(seconds=5)
    clock.set(START)
    assert clock.now() - START < timedelta(seconds=5)


# -- what PyGithub makes of them --------------------------------------------------------------


def pygithub(emu: GitHubEmulator, token: str, **retry: Any) -> Any:
    from github import Auth, Github, GithubRetry

    return Github(
        base_url=emu.url,
        auth=Auth.Token(token),
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=GithubRetry(**retry),
    )


def test_pygithub_reads_the_far_reset(github_emulator: GitHubEmulator) -> None:
    # On the wall clock, an exhausted budget resetting in an hour is one PyGithub would sleep
    # through; with max_rate_limit_wait it gives up at once and says how long it would wait.
    from github import RateLimitExceededExceedsMaxWait

    github_emulator.add_repo(REPO)
    token = github_emulator.user_token("octo")
    github_emulator.exhaust_rate_limit(token, reset_in=3600)
    g = pygithub(github_emulator, token, total=3, max_rate_limit_wait=60)
    with pytest.raises(RateLimitExceededExceedsMaxWait) as raised:
        g.get_repo(REPO)
    assert 3590 < raised.value.wait <= 3601
    assert len(github_emulator.log) == 1


def test_pygithub_on_secondary_limits(emu: GitHubEmulator) -> None:
    # 403 and 429 with Retry-After are waited out and retried (PyGithub, urllib3); a 429
    # without Retry-After is not retried: the caller gets GithubException 429.
    from github import GithubException

    g = pygithub(emu, emu.user_token("octo"), total=3)
    emu.rate_limit_next("secondary", "GET", retry_after=0)
    emu.rate_limit_next("secondary", "GET", status=429, retry_after=0, after=1)
    g.get_repo(REPO)
    assert [r.status for r in emu.log] == [403, 429, 200]
    emu.rate_limit_next("secondary", "GET", status=429)
    with pytest.raises(GithubException) as raised:
        g.get_repo(REPO)
    assert raised.value.status == 429
    assert [r.status for r in emu.log] == [403, 429, 200, 429]
