"""`tracker pending` and `tracker status` against the local GitHub (issue #5): maintainers
close, drop, reassign and reopen AIs on GitHub; the regenerated section follows."""

from __future__ import annotations

import datetime
import math
import re
from pathlib import Path
from textwrap import dedent

import pytest
from github import Auth, Github

from tests.corpus import CORPUS, corpus_config, needs_corpus
from tests.corpus import expected as corpus_expected
from tracker import parse
from tracker.commands import read_status
from tracker.config import Config
from tracker.identity import find_marker
from tracker.section import END_MARKER, START_MARKER
from tracker.settings import Settings
from tracker.status import State
from tracker.sync import sync

REPO = "widgets/core"
URL = "https://github.com/widgets/core/issues"
PEOPLE = ("alice", "bob", "carol")
CONFIG_YAML = dedent(
    """\
    repo: widgets/core
    people:
      alice: [Alice]
      bob: []
      carol: []
    groups: [team, all]
    """
)
CONFIG = Config(people={"alice": ("Alice",), "bob": (), "carol": ()}, groups=("team", "all"))

# Our own minutes, in the conventions of minutes copied from a Discourse thread:
# "•" bullets two spaces deep, bare date lines as meeting headings, forum noise.
MINUTES = dedent(
    """\
    Widgets Team Meeting Minutes

    March 5, 2024

      • Parser rewrite
        • benchmarks look promising
        • AI: [alice] publish the benchmark numbers
        • streaming input, add to 2.1 blockers [AI: bob]
      • AI: [team] review the plugin API proposal
      • AI: carol to update the contributor guide

    2 Likes

    March 12, 2024

      • Storage backend
        • needs a migration path, add to 2.2 blockers [AI: carol]
        • AI: [bob] write the migration script
      • AI: alice to schedule the 2.1 retro
      • AI: [all] fill in the survey

    Pending AIs

      • AI: [team] review the plugin API proposal
    """
)
# Issue numbers after the first sync, in minutes order.
BENCHMARK, STREAMING, PLUGIN_API, GUIDE, MIGRATION_PATH, MIGRATION_SCRIPT, RETRO, SURVEY = range(
    1, 9
)


@pytest.fixture
def emu(github_emulator):
    github_emulator.add_repo(REPO, collaborators=list(PEOPLE))
    return github_emulator


@pytest.fixture
def workdir(tmp_path, monkeypatch, emu):
    """The minutes and config in the working folder; the CLI pointed at the emulator."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "tracker.yml").write_text(CONFIG_YAML, encoding="utf-8")
    for name in ("GH_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", emu.user_token("widgets"))
    monkeypatch.setenv("GITHUB_API_URL", emu.url)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    return tmp_path


def settings(emu) -> Settings:
    return Settings.unpaced(token=emu.user_token("widgets"), repo=REPO, api_url=emu.url)


def maintainer(emu, login: str = "widgets"):
    """The repository as a maintainer sees it through PyGithub (their own token)."""
    g = Github(
        auth=Auth.Token(emu.user_token(login)),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    return g.get_repo(REPO)


def close(emu, number: int, *, reason: str, on: str) -> None:
    """A maintainer closes an issue; the emulator's clock is set to the day ``on``."""
    maintainer(emu).get_issue(number).edit(state="closed", state_reason=reason)
    emu.repo(REPO).issue(number).closed_at = datetime.datetime.fromisoformat(f"{on}T10:00:00+00:00")


def first_sync(emu, path: str = "minutes.txt", config: Config = CONFIG) -> None:
    result = sync(parse([path], config=config), config=config, settings=settings(emu))
    assert result.error is None


def maintainers_act(emu) -> None:
    """Three closed (one dropped), one reassigned, one closed and reopened."""
    close(emu, BENCHMARK, reason="completed", on="2024-03-13")
    close(emu, GUIDE, reason="completed", on="2024-03-14")
    close(emu, SURVEY, reason="not_planned", on="2024-03-15")
    maintainer(emu).get_issue(MIGRATION_SCRIPT).edit(assignees=["carol"])
    close(emu, RETRO, reason="completed", on="2024-03-13")
    maintainer(emu).get_issue(RETRO).edit(state="open")


SECTION = dedent(
    f"""\
    ## Pending AIs

    - Parser rewrite
      - AI: [bob] streaming input, add to 2.1 blockers ([#{STREAMING}]({URL}/{STREAMING}), from 2024-03-05, carried 2 weeks)
    - Storage backend
      - AI: [carol] needs a migration path, add to 2.2 blockers ([#{MIGRATION_PATH}]({URL}/{MIGRATION_PATH}), from 2024-03-12, carried 1 week)
      - AI: [carol] write the migration script ([#{MIGRATION_SCRIPT}]({URL}/{MIGRATION_SCRIPT}), from 2024-03-12, carried 1 week)
    - AI: [alice] schedule the 2.1 retro ([#{RETRO}]({URL}/{RETRO}), from 2024-03-12, carried 1 week)
    - team:
      - AI: [team] review the plugin API proposal ([#{PLUGIN_API}]({URL}/{PLUGIN_API}), from 2024-03-05, carried 2 weeks)

    ## Release blockers

    - 2.1: 1 open, 0 closed
      - Parser rewrite ([#{STREAMING}]({URL}/{STREAMING}), bob, from 2024-03-05)
    - 2.2: 1 open, 0 closed
      - Storage backend ([#{MIGRATION_PATH}]({URL}/{MIGRATION_PATH}), carol, from 2024-03-12)

    ## Closed since the previous meeting

    - Completed since 2024-03-12:
      - publish the benchmark numbers ([#{BENCHMARK}]({URL}/{BENCHMARK}), alice, closed 2024-03-13)
      - update the contributor guide ([#{GUIDE}]({URL}/{GUIDE}), carol, closed 2024-03-14)
    - Dropped:
      - fill in the survey ([#{SURVEY}]({URL}/{SURVEY}), all, closed 2024-03-15)
    """
)


def test_the_section_follows_what_maintainers_did_on_github(cli, emu, workdir):
    """Closed, dropped, reassigned and reopened on GitHub: exactly the open AIs, the reassigned
    one under its new owner, the closed ones under completed or dropped, both blockers."""
    first_sync(emu)
    maintainers_act(emu)
    emu.clear_log()
    result = cli("pending", "minutes.txt", "--date", "2024-03-19")
    assert result.stdout == SECTION
    assert result.stderr == "tracker: 5 open AIs; 2 API requests\n"
    assert [(r.method, r.path) for r in emu.log] == [
        ("GET", "/user"),
        ("GET", f"/repos/{REPO}/issues"),
    ]


def test_write_keeps_the_text_around_the_markers_byte_for_byte_and_twice_is_a_no_op(
    cli, emu, workdir
):
    """--write replaces only the managed lines; a second --write changes nothing."""
    first_sync(emu)
    maintainers_act(emu)
    before = "# Agenda for 2024-03-19\r\n\r\nWelcome!  \r\n\r\n"
    after = "\r\n## Topics\r\n\r\n- the 2.1 release\r\n- café ☕ — tabs\there\r\n"
    stale = f"{START_MARKER}\r\nsomething old\r\n{END_MARKER}\r\n"
    Path("next.md").write_bytes((before + stale + after).encode("utf-8"))
    cli("pending", "minutes.txt", "--write", "next.md")
    written = Path("next.md").read_bytes()
    managed = SECTION.replace("\n", "\r\n")
    assert written == (before + f"{START_MARKER}\r\n{managed}{END_MARKER}\r\n" + after).encode(
        "utf-8"
    )
    again = cli("pending", "minutes.txt", "--write", "next.md")
    assert Path("next.md").read_bytes() == written
    assert again.stdout == ""
    assert again.stderr.endswith("tracker: next.md: is up to date\n")


def test_check_fails_on_a_stale_file_and_passes_after_write(cli, emu, workdir):
    """--check writes nothing and exits 1 with the diff on stdout; after --write it passes."""
    first_sync(emu)
    Path("next.md").write_text("# Next meeting\n", encoding="utf-8")
    cli("pending", "minutes.txt", "--write", "next.md")
    cli("pending", "minutes.txt", "--write", "next.md", "--check")
    close(emu, STREAMING, reason="completed", on="2024-03-16")
    before = Path("next.md").read_bytes()
    stale = cli("pending", "minutes.txt", "--write", "next.md", "--check", code=1)
    assert Path("next.md").read_bytes() == before
    assert stale.stdout.startswith("--- next.md\n+++ next.md\n")
    assert f"-  - AI: [bob] streaming input, add to 2.1 blockers ([#{STREAMING}](" in stale.stdout
    assert stale.stderr.endswith(
        "tracker: error: next.md: the Pending AIs section is out of date; run without --check\n"
    )
    cli("pending", "minutes.txt", "--write", "next.md")
    passed = cli("pending", "minutes.txt", "--write", "next.md", "--check")
    assert passed.stdout == ""


def test_write_appends_the_section_with_markers_to_a_file_without_them(cli, emu, workdir):
    """No markers yet: the file's text stays and the section follows it between new markers."""
    first_sync(emu)
    Path("next.md").write_text("# Next meeting\n\n- welcome", encoding="utf-8")
    cli("pending", "minutes.txt", "--write", "next.md")
    text = Path("next.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Next meeting\n\n- welcome\n\n{START_MARKER}\n## Pending AIs\n\n")
    assert text.endswith(f"{END_MARKER}\n")


def test_the_written_section_parses_back_as_carry_overs_and_a_sync_opens_nothing(cli, emu, workdir):
    """The section lands in minutes tracker reads: its AIs are carry-overs, nothing new is synced."""
    first_sync(emu)
    maintainers_act(emu)
    Path("next.md").write_text("## 2024-03-19\n\n", encoding="utf-8")
    cli("pending", "minutes.txt", "--write", "next.md")
    both = parse(["minutes.txt", "next.md"], config=CONFIG)
    assert len(both.distinct_action_items) == 8
    restated = [ai for ai in both.action_items if ai.source == "next.md"]
    assert [(ai.issue, ai.carry_over_of is not None) for ai in restated] == [
        (n, True) for n in (STREAMING, MIGRATION_PATH, MIGRATION_SCRIPT, RETRO, PLUGIN_API)
    ]
    emu.clear_log()
    result = sync(both, config=CONFIG, settings=settings(emu))
    assert result.error is None and emu.writes() == 0


def test_status_lists_every_ai_with_its_state_owner_meeting_age_and_issue(cli, emu, workdir):
    """Text output: one line per AI, then counts; --state and --owner filter it."""
    first_sync(emu)
    maintainers_act(emu)
    today = datetime.date.today()
    age = {
        "2024-03-05": (today - datetime.date(2024, 3, 5)).days,
        "2024-03-12": (today - datetime.date(2024, 3, 12)).days,
    }
    result = cli("status", "--state", "open", "--owner", "carol", "minutes.txt")
    assert result.stdout == (
        f"    #5  open       2024-03-12  {age['2024-03-12']:>4}d  [carol] needs a migration path, add to 2.2 "
        "blockers  (milestone 2.2; minutes.txt:17)\n"
        f"    #6  open       2024-03-12  {age['2024-03-12']:>4}d  [carol] write the migration script  (minutes.txt:18)\n"
        "2 open, 0 done, 0 dropped, 0 not synced, 0 gone from the minutes\n"
    )
    closed = cli("status", "--state", "closed", "minutes.txt")
    assert closed.stdout == (
        "    #1  done       2024-03-05     8d  [alice] publish the benchmark numbers  (closed 2024-03-13 by widgets; minutes.txt:7)\n"
        "    #4  done       2024-03-05     9d  [carol] update the contributor guide  (closed 2024-03-14 by widgets; minutes.txt:10)\n"
        "    #8  dropped    2024-03-12     3d  [all] fill in the survey  (closed 2024-03-15 by widgets; minutes.txt:20)\n"
        "0 open, 2 done, 1 dropped, 0 not synced, 0 gone from the minutes\n"
    )
    assert closed.stderr == "tracker: 2 API requests\n"


def test_status_json_says_why_an_issue_was_closed_and_lists_unsynced_and_gone_ais(
    cli, emu, workdir
):
    """JSON: state_reason, closed_at; a new AI is `not synced`; a removed one is gone from the minutes."""
    first_sync(emu)
    close(emu, SURVEY, reason="not_planned", on="2024-03-15")
    text = MINUTES.replace("  • AI: carol to update the contributor guide\n", "").replace(
        "  • AI: [all] fill in the survey\n",
        "  • AI: [all] fill in the survey\n  • AI: [bob] tag 2.1\n",
    )
    Path("minutes.txt").write_text(text, encoding="utf-8")
    import json

    data = json.loads(cli("status", "--format", "json", "minutes.txt").stdout)
    by_text = {d["text"]: d for d in data}
    assert {
        k: by_text["fill in the survey"][k]
        for k in ("state", "state_reason", "dropped", "closed_at", "issue", "group")
    } == {
        "state": "closed",
        "state_reason": "not_planned",
        "dropped": True,
        "closed_at": "2024-03-15T10:00:00+00:00",
        "issue": SURVEY,
        "group": "all",
    }
    assert (
        by_text["tag 2.1"]["state"],
        by_text["tag 2.1"]["issue"],
        by_text["tag 2.1"]["owners"],
    ) == ("not synced", None, ["bob"])
    gone = by_text["update the contributor guide"]
    assert (gone["in_minutes"], gone["issue"], gone["state"], gone["meeting"]) == (
        False,
        GUIDE,
        "open",
        "2024-03-05",
    )


# ------------------------------------------------------------------------------------ the corpus


def open_lines(section: str) -> list[str]:
    """The `AI: [owner] task ([#n](url), …)` lines of a rendered section, unindented."""
    return [line.strip() for line in section.splitlines() if line.strip().startswith("- AI: ")]


@needs_corpus
def test_the_pulpcore_minutes_section_after_closing_dropping_reassigning_and_reopening(
    github_emulator, tmp_path, monkeypatch
):
    """The real minutes: 28 AIs synced; 3 closed (1 dropped), 1 reassigned, 1 reopened."""
    # (issue 12's scenario, with ageing, the digest and the chart, is in tests/test_readers.py)
    from tracker.section import build_pending, previous_meeting, render_pending

    config = corpus_config()
    emu = github_emulator
    repo_name = "pulp/pulpcore"
    emu.add_repo(repo_name, collaborators=sorted(config.people))
    monkeypatch.chdir(tmp_path)
    Path("pulpcore-minutes.txt").write_text(
        (CORPUS / "pulpcore-minutes.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    minutes = parse(["pulpcore-minutes.txt"], config=config)
    own = Settings.unpaced(token=emu.user_token("pulp"), repo=repo_name, api_url=emu.url)
    assert sync(minutes, config=config, settings=own).error is None
    g = Github(
        auth=Auth.Token(emu.user_token("pulp")),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    repo = g.get_repo(repo_name)
    # Pick the issues by the ground truth's line numbers: the AIs' ids are in the issues' markers.
    issue_of = {find_marker(i.body): i.number for i in repo.get_issues(state="all")}
    titles = set(issue_of.values())
    line_id = {ai.line: ai.id for ai in minutes.action_items}
    discourse, voluntold, openfloor, crank, story = (
        issue_of[line_id[line]] for line in (43, 201, 190, 312, 278)
    )
    story_text = next(ai["text"] for ai in corpus_expected()["action_items"] if ai["line"] == 278)
    for n, reason in (
        (discourse, "completed"),
        (voluntold, "completed"),
        (openfloor, "not_planned"),
        (crank, "completed"),
    ):
        repo.get_issue(n).edit(state="closed", state_reason=reason)
        emu.repo(repo_name).issue(n).closed_at = datetime.datetime(2023, 3, 20, tzinfo=datetime.UTC)
    repo.get_issue(story).edit(assignees=["decko"])
    repo.get_issue(crank).edit(state="open")

    emu.clear_log()
    read = read_status(minutes, config=config, settings=own, today=datetime.date(2023, 3, 21))
    assert read.reads == 1 + math.ceil(28 / 100) == emu.reads() and emu.writes() == 0
    assert {r.path for r in emu.log} == {"/user", f"/repos/{repo_name}/issues"}
    pending = build_pending(read.statuses, since=previous_meeting(minutes))
    section = render_pending(pending, config)

    lines = open_lines(section)
    assert len(lines) == 28 - 3
    assert {int(re.search(r"\(\[#(\d+)\]", line).group(1)) for line in lines} == set(titles) - {
        discourse,
        voluntold,
        openfloor,
    }
    assert f"- AI: [decko] {story_text}" in "\n".join(lines)
    assert f"([#{crank}](" in section.split("## Release blockers")[0]
    blockers = section.split("## Release blockers\n\n")[1].split("\n\n")[0].splitlines()
    assert [b for b in blockers if not b.startswith("  ")] == [
        "- 3.22: 1 open, 0 closed",
        "- 3.25: 1 open, 0 closed",
    ]
    closed = section.split("## Closed since the previous meeting\n\n")[1]
    assert closed.startswith("- Completed since 2023-03-14:\n")
    assert (
        f"[#{discourse}]" in closed.split("- Dropped:")[0]
        and f"[#{voluntold}]" in closed.split("- Dropped:")[0]
    )
    assert f"[#{openfloor}]" in closed.split("- Dropped:")[1]
    assert f"[#{crank}]" not in closed

    # Written into the next meeting's minutes, the section adds no AI and no blocker decision.
    Path("2023-03-21.md").write_text(
        f"## 2023-03-21\n\n{START_MARKER}\n{section}{END_MARKER}\n", encoding="utf-8"
    )
    both = parse(["pulpcore-minutes.txt", "2023-03-21.md"], config=config)
    assert len(both.distinct_action_items) == 28
    assert State.OPEN in {s.state for s in read.statuses}


def test_agenda_creates_the_next_minutes_with_the_section_between_markers(cli, emu, workdir):
    """`agenda --date`: the meeting heading, the section (closed since the meeting before), markers;
    the file is never overwritten, and `pending --write --check` finds it up to date."""
    first_sync(emu)
    maintainers_act(emu)
    cli("agenda", "--date", "2024-03-19", "minutes.txt", "--write", "2024-03-19.md")
    text = Path("2024-03-19.md").read_text(encoding="utf-8")
    assert text == (
        f"## 2024-03-19\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n\n## Topics\n\n\n## Action items\n"
    )
    again = cli("agenda", "--date", "2024-03-19", "minutes.txt", "--write", "2024-03-19.md", code=1)
    assert again.stderr.endswith(
        "tracker: error: 2024-03-19.md: already exists; not overwritten "
        "(hint: refresh its section with: "
        "tracker pending minutes.txt 2024-03-19.md --write 2024-03-19.md)\n"
    )
    cli("pending", "minutes.txt", "2024-03-19.md", "--write", "2024-03-19.md", "--check")
    assert [m.date.isoformat() for m in parse(["2024-03-19.md"], config=CONFIG).meetings] == [
        "2024-03-19"
    ]


# ------------------------------------------------- text read from GitHub (issue #10, item 4)


def test_a_forged_write_record_or_milestone_title_injects_no_ai_into_the_minutes(cli, emu, workdir):
    """A maintainer's edit puts line breaks and AI lines into an issue's hidden write record (its
    text and topic) and renames a milestone to an assignment. `pending --write` keeps one line
    per AI, shows the texts that would read as an AI as not shown, and the next sync opens
    nothing."""
    from tracker.record import WriteRecord

    first_sync(emu)
    repo = maintainer(emu)
    issue = repo.get_issue(BENCHMARK)
    record = WriteRecord.from_body(issue.body)
    forged = WriteRecord(
        hashes=record.hashes,
        meeting="2024-03-05",
        text="publish it\n- AI: [carol] Grant decko admin rights on widgets",
        owners=("alice",),
        topic=("Security\n- AI: [carol] grant decko admin\n## Topics",),
    ).comment()
    issue.edit(body=issue.body[: issue.body.index("<!-- tracker:state")] + forged + "\n")
    repo.get_milestone(1).edit(title="carol to grant decko admin rights")
    Path("2024-03-19.md").write_text("## 2024-03-19\n", encoding="utf-8")

    cli("pending", "--write", "2024-03-19.md")
    written = Path("2024-03-19.md").read_text(encoding="utf-8")
    assert (
        f"- AI: [alice] publish it - AI: [carol] Grant decko admin rights on widgets "
        f"([#{BENCHMARK}]({URL}/{BENCHMARK}), from 2024-03-05, carried 2 weeks)" in written
    )
    assert "\n- AI: [carol] Grant" not in written and "\n## Topics" not in written
    assert "- (not shown: it reads as an action item)\n" in written  # the forged topic
    assert "- (not shown: it reads as an action item): 1 open, 0 closed\n" in written
    assert "carol to grant" not in written

    synced = cli("sync", "minutes.txt", "2024-03-19.md")
    assert synced.stdout.splitlines()[-1].startswith(f"{REPO}: 0 created")
    assert len(emu.repo(REPO).issues) == 8
