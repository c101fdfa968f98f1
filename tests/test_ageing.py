"""Ageing (issue 12): AIs carried longer than `ageing.stale_after` weeks are flagged on GitHub
once, ever (a comment with a hidden marker, and a label), when the config opts in."""

from __future__ import annotations

import datetime
from textwrap import dedent

import pytest

from tracker import parse
from tracker.ageing import MARKER
from tracker.commands import sync_minutes
from tracker.config import Config
from tracker.settings import Settings

REPO = "widgets/core"
MINUTES = dedent(
    """\
    ## 2024-01-02

    - AI: [alice] write the old thing
    - AI: [bob] ship the old release

    ## 2024-03-12

    - AI: [alice] write the new thing
    """
)
TODAY = datetime.date(2024, 3, 19)
CONFIG = Config(people={"alice": (), "bob": ()}, stale_after=4, escalate=True)


@pytest.fixture
def emu(github_emulator, tmp_path, monkeypatch):
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.md").write_text(MINUTES, encoding="utf-8")
    return github_emulator


def run(emu, config: Config = CONFIG):
    settings = Settings.unpaced(token=emu.user_token("widgets"), repo=REPO, api_url=emu.url)
    result = sync_minutes(
        parse(["m.md"], config=config), config=config, settings=settings, today=TODAY
    )
    assert result.failure is None
    return result


def comments(emu, number: int) -> list[str]:
    return [c.body for c in emu.repo(REPO).issue(number).comments]


def test_a_stale_ai_s_issue_gets_one_comment_and_the_label_and_a_second_run_adds_none(emu):
    """Issue #1 (11 weeks, limit 4) is flagged; #2 is closed, #3 is young; the next runs,
    with the label or after someone removed it, write nothing."""
    run(emu)  # the first run opens the issues; their AIs were not listed yet
    emu.repo(REPO).issue(2).state = "closed"
    flagged = run(emu)
    assert flagged.flagged == (1,)
    [said] = comments(emu, 1)
    assert said == (
        "This action item has been carried for 11 weeks, since the meeting of 2024-01-02 "
        "(the team's limit is 4 weeks). Close it when it is done or no longer planned, or "
        f"bring it to the next meeting. tracker says this once.\n\n{MARKER}\n"
    )
    assert "stale-ai" in emu.repo(REPO).issue(1).labels
    assert comments(emu, 2) == [] and comments(emu, 3) == []

    emu.clear_log()
    assert run(emu).flagged == ()
    assert emu.writes() == 0  # labelled: not even its comments are read
    assert not [r for r in emu.log if r.path.endswith("/comments")]

    issue = emu.repo(REPO).issue(1)
    issue.labels = [name for name in issue.labels if name != "stale-ai"]  # a maintainer's doing
    emu.clear_log()
    assert run(emu).flagged == ()
    assert comments(emu, 1) == [said]  # the marker says it was flagged already
    assert [r.path for r in emu.log if r.path.endswith("/comments")] == [
        f"/repos/{REPO}/issues/1/comments"
    ]


def test_without_escalate_nothing_is_written_and_a_forged_marker_does_not_silence_it(emu):
    """Escalation is opt-in; a marker in someone else's comment is not tracker's."""
    quiet = Config(people={"alice": (), "bob": ()}, stale_after=4)
    run(emu, quiet)
    emu.clear_log()
    run(emu, quiet)
    assert emu.writes() == 0 and comments(emu, 1) == []
    from github import Auth, Github

    other = Github(auth=Auth.Token(emu.user_token("mallory")), base_url=emu.url)
    other.get_repo(REPO).get_issue(1).create_comment(f"not stale {MARKER}")
    assert run(emu).flagged == (1, 2)
    assert len(comments(emu, 1)) == 2


def test_sync_says_what_it_flagged_on_stderr_and_in_the_job_summary(
    cli, emu, tmp_path, monkeypatch
):
    """The CLI: `tracker: flagged 3 stale AIs: #1, #2, #3`, and the job summary links them."""
    (tmp_path / "tracker.yml").write_text(
        "people: {alice: [], bob: []}\nageing: {stale_after: 4, escalate: true}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_TOKEN", emu.user_token("widgets"))
    monkeypatch.setenv("GITHUB_API_URL", emu.url)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli("sync", "--repo", REPO, "m.md")
    flagged = cli("sync", "--repo", REPO, "m.md", "--format", "github")  # today: all are old
    assert "tracker: flagged 3 stale AIs: #1, #2, #3\n" in flagged.stderr
    issues = ", ".join(f"[#{n}](https://github.com/{REPO}/issues/{n})" for n in (1, 2, 3))
    assert f"3 stale AIs flagged (`ageing.escalate`): {issues}." in summary.read_text()
    again = cli("sync", "--repo", REPO, "m.md")
    assert "flagged" not in again.stderr
