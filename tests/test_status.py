"""AI status: the minutes say which AIs exist; GitHub says where each one stands."""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest
from github import Auth, Github

from tracker import parse, parse_text
from tracker.commands import read_status
from tracker.config import Config
from tracker.identity import marker
from tracker.settings import Settings
from tracker.snapshot import ExistingIssue
from tracker.status import State, ai_statuses, select, stray_issues
from tracker.sync import sync

CONFIG = Config(people={"alice": ("Alice",), "bob": ()}, groups=("team",))
MINUTES = dedent(
    """\
    ## 2024-03-05

    - Parser
      - AI: [alice] benchmark the parser
    - AI: [team] review the docs
    - AI: [bob] tag the release (#40)
    - AI: [bob] write the changelog
    """
)
TODAY = datetime.date(2024, 3, 19)


@pytest.fixture
def minutes():
    return parse_text(MINUTES, source="m.md", config=CONFIG)


def issue(number: int, ai_id: str, **kw) -> ExistingIssue:
    return ExistingIssue(
        number=number,
        title=f"Issue {number}",
        body=f"text\n\n{marker(ai_id)}\n",
        author="pulp",
        url=f"https://github.com/o/r/issues/{number}",
        **kw,
    )


def test_an_ai_is_tied_to_the_issue_carrying_its_marker(minutes):
    """The marker wins; GitHub's assignees are the owners (reassigned on GitHub: shown so)."""
    benchmark = minutes.action_items[0]
    [first, *_] = ai_statuses(
        minutes, [issue(7, benchmark.id, assignees=("bob",))], CONFIG, today=TODAY, viewer="pulp"
    )
    assert (first.issue, first.state, first.owners, first.age, first.where) == (
        7,
        State.OPEN,
        ("bob",),
        14,
        "m.md:4",
    )


def test_an_annotated_line_is_tied_to_its_issue_without_a_marker(minutes):
    """`(#40)` at the end of the line links the AI, even when no marker names it."""
    plain = ExistingIssue(
        number=40,
        title="Tag it",
        body="by hand",
        author="bob",
        state="closed",
        state_reason="completed",
        closed_at=datetime.datetime(2024, 3, 10, tzinfo=datetime.UTC),
    )
    tag = ai_statuses(minutes, [plain], CONFIG, today=TODAY, viewer="pulp")[2]
    assert (tag.issue, tag.state, tag.dropped, tag.age) == (40, State.CLOSED, False, 5)


def test_the_lowest_numbered_twin_wins(minutes):
    """Two issues with one marker (a crash's duplicate): the first one is the AI's."""
    ai_id = minutes.action_items[0].id
    statuses = ai_statuses(
        minutes,
        [issue(9, ai_id, state="closed"), issue(3, ai_id)],
        CONFIG,
        today=TODAY,
        viewer="pulp",
    )
    assert statuses[0].issue == 3 and len(statuses) == 4


def test_twins_and_untrusted_issues_carrying_a_marker_are_listed_as_strays(minutes):
    """A later trusted twin names the AI's issue; an untrusted author's issue names its author,
    twins of it included; an AI's own issue, or one without a marker, is no stray."""
    ai_id = minutes.action_items[0].id
    issues = [
        issue(3, ai_id),
        issue(9, ai_id, state="closed", state_reason="duplicate"),
        replace(issue(4, ai_id), author="mallory"),
        replace(issue(5, ai_id), author="mallory"),
        replace(issue(6, ai_id), body="no marker"),
    ]
    strays = stray_issues(minutes, issues, CONFIG, today=TODAY, viewer="pulp")
    assert [(s.issue, s.duplicate_of, s.forged_by, s.state, s.text) for s in strays] == [
        (4, None, "mallory", State.OPEN, "benchmark the parser"),
        (5, None, "mallory", State.OPEN, "benchmark the parser"),
        (9, 3, None, State.CLOSED, "benchmark the parser"),
    ]
    assert all(s.stray for s in strays)
    assert not any(
        s.stray for s in ai_statuses(minutes, issues, CONFIG, today=TODAY, viewer="pulp")
    )


def test_a_group_label_makes_the_group_the_owner(minutes):
    """The team's AI: no assignee, the owner:team label."""
    review = minutes.action_items[1]
    [_, status, *_] = ai_statuses(
        minutes,
        [issue(2, review.id, labels=("action-item", "owner:team"))],
        CONFIG,
        today=TODAY,
        viewer="pulp",
    )
    assert (status.owners, status.group, status.owner) == ((), "team", "team")


def test_unsynced_ais_and_issues_whose_ai_is_gone_are_listed_as_such(minutes):
    """No issue: not synced (owners from the minutes); a marker no AI has: gone from the minutes."""
    statuses = ai_statuses(
        minutes, [issue(12, "2024-02-27-0123456789")], CONFIG, today=TODAY, viewer="pulp"
    )
    assert [(s.state, s.in_minutes, s.issue) for s in statuses] == [
        (State.NOT_SYNCED, True, None),
        (State.NOT_SYNCED, True, None),
        (State.NOT_SYNCED, True, None),
        (State.NOT_SYNCED, True, None),
        (State.OPEN, False, 12),
    ]
    assert (
        statuses[0].owners == ("alice",)
        and statuses[1].owners == ()
        and statuses[1].group == "team"
    )
    assert (statuses[4].text, statuses[4].meeting) == ("Issue 12", datetime.date(2024, 2, 27))


def test_select_filters_by_owner_and_state(minutes):
    """--owner matches a login or a group in any case; open includes AIs not synced yet."""
    ids = [ai.id for ai in minutes.action_items]
    issues = [
        issue(1, ids[0], assignees=("alice",)),
        issue(2, ids[1], labels=("owner:team",), state="closed"),
    ]
    statuses = ai_statuses(minutes, issues, CONFIG, today=TODAY, viewer="pulp")
    assert [s.issue for s in select(statuses, owner="ALICE")] == [1]
    assert [s.issue for s in select(statuses, owner="team", state="closed")] == [2]
    assert [s.text for s in select(statuses, state="open")] == [
        "benchmark the parser",
        "tag the release",
        "write the changelog",
    ]


@pytest.mark.parametrize("count", [8, 150])
def test_the_status_read_is_one_list_request_per_100_issues(
    github_emulator, tmp_path, monkeypatch, count
):
    """Who the token is (`GET /user`, to trust its issues as sync does), then ceil(issues/100)
    GETs of the issue list, and no request for any single issue."""
    people = ("alice", "bob")
    github_emulator.add_repo("o/r", collaborators=list(people))
    monkeypatch.chdir(tmp_path)
    lines = ["## 2024-03-05", ""] + [
        f"- AI: [{people[n % 2]}] task number {n}" for n in range(count)
    ]
    Path("m.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config(people={p: () for p in people})
    settings = Settings.unpaced(
        token=github_emulator.user_token("o"), repo="o/r", api_url=github_emulator.url
    )
    minutes = parse(["m.md"], config=config)
    assert sync(minutes, config=config, settings=settings).error is None
    github_emulator.clear_log()
    read = read_status(minutes, config=config, settings=settings, today=TODAY)
    assert read.reads == github_emulator.reads() == 1 + math.ceil(count / 100)
    assert github_emulator.writes() == 0
    assert {(r.method, r.path) for r in github_emulator.log} == {
        ("GET", "/user"),
        ("GET", "/repos/o/r/issues"),
    }
    assert len(read.statuses) == count and {s.state for s in read.statuses} == {State.OPEN}


# ------------------------------------------------------ forged issues (issue #10, item 3)


def test_a_collaborator_cannot_clear_someone_else_s_ai_with_a_forged_issue(cli, repo_with_minutes):
    """Mallory (a collaborator, not a trusted author) opens an issue carrying the marker of an AI
    not synced yet, and closes it. status and pending still show the AI as not synced, with a
    warning; sync opens the real issue and names the forgery; then status shows the real one."""
    emu = repo_with_minutes
    benchmark = parse(["m.md"], config=CONFIG).action_items[0]
    repo = Github(
        auth=Auth.Token(emu.user_token("mallory")),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    ).get_repo("o/r")
    forged = repo.create_issue(
        "done", body=f"x\n\n{marker(benchmark.id)}\n", labels=["action-item"]
    )
    forged.edit(state="closed", state_reason="completed")
    warning = (
        f"tracker: warning: #1 carries the marker of AI {benchmark.id} but was opened by mallory, "
        "who is not a trusted author; ignored (hint: if it is tracker's own, add them to "
        "bot_authors)\n"
    )

    status = cli("status", "--format", "json", "m.md")
    first = json.loads(status.stdout)[0]
    assert (first["text"], first["state"], first["issue"]) == (
        "benchmark the parser",
        "not synced",
        None,
    )
    # The forgery is listed as such, last: not the AI's issue, not "gone from the minutes".
    [*ais, listed] = json.loads(status.stdout)
    assert len(ais) == 4 and all(ai["forged_by"] is None for ai in ais)
    assert (listed["issue"], listed["forged_by"], listed["in_minutes"], listed["state"]) == (
        1,
        "mallory",
        True,
        "closed",
    )
    assert status.stderr == warning + "tracker: 2 API requests\n"
    pending = cli("pending", "m.md", "--date", "2024-03-12")
    assert (
        "  - AI: [alice] benchmark the parser (not on GitHub yet, from 2024-03-05, "
        "carried 1 week)\n" in pending.stdout
    )
    assert "#1" not in pending.stdout and pending.stderr.startswith(warning)
    agenda = cli("agenda", "--date", "2024-03-12", "m.md")
    assert (
        "  - AI: [alice] benchmark the parser (not on GitHub yet, from 2024-03-05, "
        "carried 1 week)\n" in agenda.stdout
    )
    assert "#1" not in agenda.stdout and agenda.stderr.startswith(warning)

    synced = cli("sync", "m.md")
    assert synced.stdout.splitlines()[0] == (
        "create        #2  m.md:4  'Benchmark the parser': new AI; #1 carries its marker "
        "but was opened by mallory, who is not a trusted author: not used (hint: if it is "
        "tracker's own, add them to bot_authors)"
    )
    after = json.loads(cli("status", "--format", "json", "m.md").stdout)[0]
    assert (after["state"], after["issue"]) == ("open", 2)
    assert emu.repo("o/r").issue(1).state == "closed"  # the forgery is left as it is


# ------------------------------------------------- duplicates and forgeries listed (issue #10)


@pytest.fixture
def repo_with_minutes(github_emulator, tmp_path, monkeypatch):
    """o/r on the emulator, m.md and tracker.yml in the current folder, the CLI pointed at them."""
    github_emulator.add_repo("o/r", collaborators=["alice", "bob", "mallory"])
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_text(MINUTES, encoding="utf-8")
    Path("tracker.yml").write_text(
        "repo: o/r\npeople: {alice: [Alice], bob: []}\ngroups: [team]\n", encoding="utf-8"
    )
    for name in ("GH_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("o"))
    monkeypatch.setenv("GITHUB_API_URL", github_emulator.url)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    return github_emulator


def _as(emu, login: str):
    return Github(
        auth=Auth.Token(emu.user_token(login)),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    ).get_repo("o/r")


def test_status_lists_duplicate_and_forged_issues_instead_of_hiding_them(cli, repo_with_minutes):
    """A twin carrying an AI's marker (two syncs at once) and an untrusted author's issue
    carrying one are listed after the AIs, each saying what it is; the counts name them; the
    Pending AIs section never shows them; after a sync the twin is listed as closed."""
    emu = repo_with_minutes
    assert cli("sync", "m.md").exit_code == 0
    benchmark, review = (ai.id for ai in parse(["m.md"], config=CONFIG).action_items[:2])
    _as(emu, "o").create_issue("twin", body=f"x\n\n{marker(benchmark)}\n", labels=["action-item"])
    _as(emu, "mallory").create_issue(
        "mine", body=f"x\n\n{marker(review)}\n", labels=["action-item"]
    )
    age = (datetime.date.today() - datetime.date(2024, 3, 5)).days

    status = cli("status", "m.md")
    assert status.stdout.splitlines()[4:] == [
        (
            f"    #4  duplicate  2024-03-05  {age:>4}d  [alice] benchmark the parser  "
            "(duplicate of #1: the next sync closes it; m.md:4)"
        ),
        (
            f"    #5  forged     2024-03-05  {age:>4}d  [team] review the docs  "
            "(opened by mallory, who is not a trusted author: ignored; m.md:5)"
        ),
        (
            "3 open, 0 done, 0 dropped, 1 not synced, 0 gone from the minutes, "
            "1 duplicate issue, 1 forged issue"
        ),
    ]
    assert status.stderr.startswith(f"tracker: warning: #5 carries the marker of AI {review}")
    listed = json.loads(cli("status", "--format", "json", "m.md").stdout)
    assert [(s["issue"], s["duplicate_of"], s["forged_by"]) for s in listed[4:]] == [
        (4, 1, None),
        (5, None, "mallory"),
    ]
    pending = cli("pending", "m.md").stdout
    assert "/issues/4)" not in pending and "/issues/5)" not in pending
    assert "/issues/1)" in pending

    assert "1 duplicate closed" in cli("sync", "m.md").stdout
    again = cli("status", "m.md").stdout.splitlines()
    assert again[4] == (
        f"    #4  duplicate  2024-03-05  {age:>4}d  [alice] benchmark the parser  "
        f"(duplicate of #1; closed {datetime.date.today().isoformat()} by o; m.md:4)"
    )


def test_status_says_who_closed_an_ai_from_the_listing_at_no_extra_request(cli, repo_with_minutes):
    """GitHub's issue listing names who closed each issue: status shows it, still 2 requests."""
    emu = repo_with_minutes
    assert cli("sync", "m.md").exit_code == 0
    _as(emu, "alice").get_issue(1).edit(state="closed", state_reason="completed")
    emu.clear_log()
    status = cli("status", "--format", "json", "m.md")
    closers = [(s["issue"], s["closed_by"]) for s in json.loads(status.stdout)]
    assert closers == [(1, "alice"), (2, None), (None, None), (3, None)]
    assert emu.reads() == 2 and status.stderr == "tracker: 2 API requests\n"
