"""`tracker sync` within GitHub's limits (issues 10 and 14): a big first sync spread over
runs that each stop within budget (exit 4) and together create every issue once, and
rate-limit waits that are honoured up to a bound, then stop the run with when to rerun."""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest

import tracker
from tests.clocks import EmulatorTime
from tracker.config import Config
from tracker.errors import Unfinished
from tracker.identity import find_marker
from tracker.settings import Settings

REPO = "octo/minutes"
CONFIG = Config(people={"alice": (), "bob": ()})
START = datetime.datetime(2024, 5, 7, 12, 0, tzinfo=datetime.UTC)


def archive(count: int) -> str:
    lines = ["## 2024-05-07", ""]
    lines += [f"- AI: [{('alice', 'bob')[n % 2]}] write up item {n}" for n in range(count)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def emu(github_emulator, tmp_path, monkeypatch):
    """The local GitHub with GitHub's content-creation limit (80 a minute, 500 an hour)."""
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    github_emulator.limit_content_creation(per_minute=80, per_hour=500)
    monkeypatch.chdir(tmp_path)
    return github_emulator


def sync(emu, time: EmulatorTime, token: str, **limits):
    """One run, as in Actions (paced writes), on the emulator's clock."""
    settings = Settings(
        token=token, repo=REPO, api_url=emu.url, retry_backoff=0, clock=time, **limits
    )
    minutes = tracker.parse(["minutes.md"], config=CONFIG)
    return tracker.sync_minutes(minutes, config=CONFIG, settings=settings)


def markers(emu) -> Counter[str]:
    return Counter(find_marker(issue.body or "") for issue in emu.repo(REPO).issues)


def test_a_50_ai_first_sync_with_a_budget_of_20_an_hour_takes_three_runs_without_a_duplicate(emu):
    """Each hourly run creates up to its budget, stops with exit 4 and says how far it got;
    the next one continues; together they make exactly one issue per AI."""
    Path("minutes.md").write_text(archive(50), encoding="utf-8")
    emu.clock.freeze(START)
    time = EmulatorTime(emu.clock)
    token = emu.installation_token(REPO, limit=1000)
    outcomes, summaries = [], []
    for hour in range(4):
        emu.clock.set(START + datetime.timedelta(hours=hour))
        run = sync(emu, time, token, creates_per_hour=20)
        outcomes.append((run.failure.exit_code if run.failure else 0, run.result.progress))
        summaries.append(run.result.summary())
    # (exit code, (created, to create, left)); the label is the first run's 20th create
    assert outcomes == [(4, (19, 50, 31)), (4, (20, 31, 11)), (0, (11, 11, 0)), (0, (0, 0, 0))]
    assert summaries[0] == (
        "octo/minutes: 19 created, 0 updated, 1 label and 0 milestones created; 0 unchanged, "
        # 6 reads: the sixth looks for issues that lost their label (issue 10, item 14).
        "0 conflicts, 0 orphaned; 26 API requests (6 reads, 20 writes); rate limit 974/1000 "
        "left; created 19 of 50, 31 left: the next run continues "
        "(not before 2024-05-07 13:00 UTC)"
    )
    # An hour on, the window still holds run 1's later creates; they age out as fast as
    # writes go (a second apart), so that is pacing, not a wait for a limit.
    assert "rate limit 974/1000 left; created 20 of 31, 11 left" in summaries[1]
    assert len(emu.repo(REPO).issues) == 50 and set(markers(emu).values()) == {1}
    # GitHub never had to refuse (an installation token may not read /user: that 403 is normal)
    assert not [r for r in emu.log if r.status >= 400 and r.path != "/user"]
    assert max(time.slept) < 20  # writes a second apart, and short waits for the window


def test_a_run_stops_when_its_time_budget_is_spent_and_the_next_continues(emu):
    Path("minutes.md").write_text(archive(12), encoding="utf-8")
    emu.clock.freeze(START)
    time = EmulatorTime(emu.clock)
    token = emu.user_token("octo")
    first = sync(emu, time, token, time_budget=5)
    assert isinstance(first.failure, Unfinished)
    assert str(first.failure) == "the run's time budget (5s) is spent (hint: rerun to continue)"
    assert first.result.progress == (5, 12, 7)
    second = sync(emu, time, token, time_budget=None)
    assert second.failure is None and second.result.progress == (7, 7, 0)
    assert len(emu.repo(REPO).issues) == 12


def test_github_s_own_secondary_limit_is_waited_out_a_minute_then_longer(emu):
    """Budget off: GitHub refuses the 4th create (403, no Retry-After); tracker waits 1m, then
    2m, and the creates go through once GitHub's window has room again."""
    emu.limit_content_creation(per_minute=3, per_hour=500)
    Path("minutes.md").write_text(archive(5), encoding="utf-8")
    emu.clock.freeze(START)
    time = EmulatorTime(emu.clock)
    run = sync(emu, time, emu.user_token("octo"), creates_per_hour=None)
    assert run.failure is None
    assert [s for s in time.slept if s > 1] == [60]
    assert len(emu.repo(REPO).issues) == 5
    assert "; waited 1m for GitHub's limits" in run.result.summary()


# ------------------------------------------------------------------------ on the command line


@pytest.fixture
def cli_sync(cli, emu, monkeypatch):
    """``tracker sync minutes.md`` against the emulator (following the wall clock)."""
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    monkeypatch.setenv("GITHUB_TOKEN", emu.user_token("octo"))
    Path("tracker.yml").write_text("people: {alice: [], bob: []}\n", encoding="utf-8")

    def run(*args: str, code: int = 0):
        return cli("sync", "--repo", REPO, "--api-url", emu.url, *args, "minutes.md", code=code)

    return run


def test_a_spent_creation_budget_exits_4_with_what_was_done_and_what_is_left(cli_sync, emu):
    """limits.creates_per_hour: 3 (a label and two issues): the run stops cleanly, exit 4,
    saying how far it got and when to rerun; an immediate rerun finds one create left in
    the hour (its label is not counted: only issues are listed), makes it and stops again."""
    Path("minutes.md").write_text(archive(4), encoding="utf-8")
    Path("tracker.yml").write_text(
        "people: {alice: [], bob: []}\nlimits: {creates_per_hour: 3}\n", encoding="utf-8"
    )
    first = cli_sync(code=4)
    assert first.stdout.splitlines()[:2] == [
        "create        #1  minutes.md:3  'Write up item 0': new AI",
        "create        #2  minutes.md:4  'Write up item 1': new AI",
    ]
    assert re.search(
        r"; created 2 of 4, 2 left: the next run continues \(not before (\S+ \d\d:\d\d) UTC\)\n$",
        first.stdout,
    )
    assert re.fullmatch(
        r"tracker: stopped: this hour's creation budget is spent \(3 issues, labels and "
        r"milestones created in the last hour; limits.creates_per_hour is 3\) "
        r"\(hint: rerun after \S+ \d\d:\d\d UTC\)\n",
        first.stderr,
    )
    again = cli_sync(code=4)
    assert "; created 1 of 2, 1 left: the next run continues" in again.stdout
    assert len(emu.repo(REPO).issues) == 3 and set(markers(emu).values()) == {1}


def test_a_far_rate_limit_reset_stops_the_run_at_once_with_when_to_rerun(cli_sync, emu):
    """The token's hour is spent and resets in 50 minutes: no hour-long sleep, no 'outage'."""
    Path("minutes.md").write_text(archive(2), encoding="utf-8")
    emu.rate_limit_next("primary", method="GET", path_regex="/issues", reset_in=3000)
    result = cli_sync(code=4)
    assert result.stdout == ""
    assert re.fullmatch(
        r"tracker: stopped: no GitHub API requests left until \d\d:\d\d UTC: waiting 50m(01s)? "
        r"would pass the bound on waits \(5m left of --max-wait 5m\); nothing was written "
        r"\(hint: rerun after \S+ \d\d:\d\d UTC\)\n",
        result.stderr,
    )
    assert emu.repo(REPO).issues == []


def test_max_wait_0_stops_at_the_first_rate_limit_on_a_read_and_says_it_is_a_rate_limit(
    cli_sync, emu
):
    """A 429 without Retry-After on a read is a rate limit, not an outage; --max-wait 0
    allows no wait at all."""
    Path("minutes.md").write_text(archive(1), encoding="utf-8")
    emu.rate_limit_next("secondary", method="GET", status=429, times=None)
    result = cli_sync("--max-wait", "0", code=4)
    assert re.fullmatch(
        r"tracker: stopped: GitHub's secondary rate limit: waiting 1m would pass the bound on "
        r"waits \(0s left of --max-wait 0s\); nothing was written "
        r"\(hint: rerun after \S+ \d\d:\d\d UTC\)\n",
        result.stderr,
    )


def test_a_time_budget_that_is_not_a_duration_is_a_usage_error(cli_sync):
    Path("minutes.md").write_text(archive(1), encoding="utf-8")
    result = cli_sync("--time-budget", "soon", code=2)
    assert "Invalid value for '--time-budget': expected a duration like 90, 90s, 5m or 1h" in (
        result.stderr
    )


def test_the_json_output_says_the_run_is_unfinished_and_when_to_resume(cli_sync, emu):
    """A create refused with Retry-After: 600 (past --max-wait 5m): the JSON says unfinished,
    when to resume, and marks what is left for the next run."""
    Path("minutes.md").write_text(archive(2), encoding="utf-8")
    emu.rate_limit_next("secondary", method="POST", path_regex="/issues$", retry_after=600)
    result = cli_sync("--format", "json", code=4)
    data = json.loads(result.stdout)
    assert data["unfinished"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", data["resume_at"])
    assert [a["note"] for a in data["applied"]] == ["next run", "next run"]
    assert result.stderr.startswith(
        "tracker: stopped: GitHub asked to wait 10m: waiting 10m would pass the bound on waits"
    )


def test_in_actions_a_stopped_run_s_job_summary_says_more_to_do(cli_sync, emu, monkeypatch):
    """--format github: the job summary of a run that stopped within its limits says the
    next scheduled run continues (the action counts exit 4 as success)."""
    Path("minutes.md").write_text(archive(4), encoding="utf-8")
    Path("tracker.yml").write_text(
        "people: {alice: [], bob: []}\nlimits: {creates_per_hour: 3}\n", encoding="utf-8"
    )
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(Path("summary.md").resolve()))
    cli_sync("--format", "github", code=4)
    summary = Path("summary.md").read_text(encoding="utf-8")
    assert "**More to do.** " in summary and "created 2 of 4, 2 left" in summary
    assert "The run stopped within its limits; the next scheduled run continues." in summary
