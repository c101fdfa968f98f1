"""What maintainers read, on the real minutes (issue 12, "It must show"): the seed synced,
three AIs closed at chosen dates and one reassigned; the section lists exactly the open AIs,
one line each with its age, and parses back as carry-overs; the chart's series match a count
made by hand; the digest lists each owner's open AIs; a second run adds no comment."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from pathlib import Path

from github import Auth, Github

from tests.corpus import CORPUS, corpus_config, needs_corpus
from tests.corpus import expected as corpus_expected
from tracker import parse
from tracker.commands import digest, pending_section, sync_minutes, weekly_stats
from tracker.identity import find_marker
from tracker.section import END_MARKER, START_MARKER
from tracker.settings import Settings
from tracker.stats import mermaid

REPO = "pulp/pulpcore"
TODAY = datetime.date(2023, 3, 21)  # the meeting after the last one of the minutes
STALE_AFTER = 8
#: Closed by maintainers: ground-truth line -> (the day, why). The minutes stay in
#: ../shared; the test names their AIs by line and reads their words from the ground truth.
CLOSED = {
    43: (datetime.date(2023, 1, 10), "completed"),
    201: (datetime.date(2023, 3, 1), "completed"),
    190: (datetime.date(2023, 2, 15), "not_planned"),
}
REASSIGNED = (278, "decko")  # one of another maintainer's AIs, now decko's
LINE = re.compile(
    r"^- AI: (?:\[[^\]]+\] )?.+ \(\[#(?P<issue>\d+)\]\(https://\S+\), from "
    r"(?P<meeting>\d{4}-\d{2}-\d{2}), (?P<bold>\*\*)?carried (?P<weeks>\d+) weeks?(?P=bold)?\)$"
)


@needs_corpus
def test_the_pulpcore_minutes_as_maintainers_read_them(github_emulator, tmp_path, monkeypatch):
    emu = github_emulator
    config = dataclasses.replace(corpus_config(), stale_after=STALE_AFTER, escalate=True)
    emu.add_repo(REPO, collaborators=sorted(config.people))
    monkeypatch.chdir(tmp_path)
    Path("minutes.txt").write_text(minutes_text(), encoding="utf-8")
    minutes = parse(["minutes.txt"], config=config)
    own = Settings.unpaced(token=emu.user_token("pulp"), repo=REPO, api_url=emu.url)
    first = sync_minutes(minutes, config=config, settings=own, yes=True, today=TODAY)
    assert first.failure is None and first.flagged == ()  # nothing was listed before it

    truth = [ai for ai in corpus_expected()["action_items"] if "carry_over" not in ai]
    issue_of_id = {find_marker(i.body): i.number for i in emu.repo(REPO).issues}
    id_of_line = {ai.line: ai.id for ai in minutes.action_items}
    issue_of = {ai["line"]: issue_of_id[id_of_line[ai["line"]]] for ai in truth}
    act(emu, issue_of)

    # The section: exactly the open AIs, one line each with its age to the meeting it is for.
    run = pending_section(minutes, config=config, settings=own, date=TODAY)
    open_truth = [ai for ai in truth if ai["line"] not in CLOSED]
    lines = [line.strip() for line in run.text.split("## Release blockers")[0].splitlines()]
    ai_lines = [line for line in lines if line.startswith("- AI: ")]
    matched = [LINE.match(line) for line in ai_lines]
    assert all(matched), [line for line, m in zip(ai_lines, matched, strict=True) if not m]
    shown = {int(m["issue"]): (m["meeting"], int(m["weeks"]), bool(m["bold"])) for m in matched}
    assert len(shown) == len(ai_lines) == len(open_truth) == 25
    for ai in open_truth:
        weeks = (TODAY - ai["meeting"]).days // 7
        assert shown[issue_of[ai["line"]]] == (ai["meeting"].isoformat(), weeks, weeks > 8)
    reassigned_text = next(ai["text"] for ai in truth if ai["line"] == REASSIGNED[0])
    assert f"- AI: [decko] {reassigned_text} ([#{issue_of[REASSIGNED[0]]}](" in run.text

    # Parsed back in the next meeting's minutes: every open AI a carry-over of its original.
    Path("2023-03-21.md").write_text(
        f"## 2023-03-21\n\n{START_MARKER}\n{run.text}{END_MARKER}\n", encoding="utf-8"
    )
    both = parse(["minutes.txt", "2023-03-21.md"], config=config)
    restated = [ai for ai in both.action_items if ai.source == "2023-03-21.md"]
    assert len(both.distinct_action_items) == 28
    assert {ai.carry_over_of for ai in restated} == {id_of_line[ai["line"]] for ai in open_truth}
    assert all(issue_of_id[ai.carry_over_of] == ai.issue for ai in restated)

    # The chart: its series match a count made by hand from the ground truth.
    emu.clear_log()
    stats = weekly_stats(minutes, config=config, settings=own, weeks=30, date=TODAY)
    assert {r.path for r in emu.log} == {"/user", f"/repos/{REPO}/issues"}  # the one listing
    open_by_hand, closed_by_hand = count_by_hand(truth, [w.start for w in stats.weeks])
    assert [w.open for w in stats.weeks] == open_by_hand
    assert [w.completed + w.not_planned for w in stats.weeks] == closed_by_hand
    chart = mermaid(stats.weeks)
    assert f"    line [{', '.join(map(str, open_by_hand))}]\n" in chart
    assert f"    bar [{', '.join(map(str, closed_by_hand))}]\n" in chart

    # The digest: each owner's open AIs, by hand from the ground truth's owners.
    listed = owners_in(digest(minutes, config=config, settings=own, date=TODAY).text)
    by_hand: dict[str, set[int]] = defaultdict(set)
    aliases = corpus_expected()["aliases"]
    for ai in open_truth:
        owner = REASSIGNED[1] if ai["line"] == REASSIGNED[0] else ai["owner"]
        by_hand[aliases.get(owner, owner) if owner else "No owner"].add(issue_of[ai["line"]])
    assert listed == by_hand

    # Escalation: the AIs carried past 8 weeks get one comment each; a second run adds none.
    flagged = sync_minutes(minutes, config=config, settings=own, today=TODAY)
    stale = {issue_of[ai["line"]] for ai in open_truth if (TODAY - ai["meeting"]).days // 7 > 8}
    assert flagged.failure is None and set(flagged.flagged) == stale and len(stale) > 10
    assert all(len(emu.repo(REPO).issue(n).comments) == 1 for n in stale)
    emu.clear_log()
    again = sync_minutes(minutes, config=config, settings=own, today=TODAY)
    assert again.flagged == () and emu.writes() == 0


def minutes_text() -> str:
    """Read from the shared corpus, never copied into the project."""
    return (CORPUS / "pulpcore-minutes.txt").read_text(encoding="utf-8")


def act(emu, issue_of: dict[int, int]) -> None:
    """Maintainers close three AIs on the chosen days and reassign one."""
    repo = Github(
        auth=Auth.Token(emu.user_token("pulp")),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    ).get_repo(REPO)
    for line, (day, reason) in CLOSED.items():
        repo.get_issue(issue_of[line]).edit(state="closed", state_reason=reason)
        closed_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        emu.repo(REPO).issue(issue_of[line]).closed_at = closed_at
    line, login = REASSIGNED
    repo.get_issue(issue_of[line]).edit(assignees=[login])


def count_by_hand(truth: list[dict], mondays: list[datetime.date]) -> tuple[list[int], list[int]]:
    """Open at each week's end and closed in it: each AI opened at its meeting."""
    still, closed = [], []
    for monday in mondays:
        end = min(monday + datetime.timedelta(days=6), TODAY)
        shut = {line: day for line, (day, _) in CLOSED.items()}
        still.append(
            sum(
                1
                for ai in truth
                if ai["meeting"] <= end and not (ai["line"] in shut and shut[ai["line"]] <= end)
            )
        )
        closed.append(sum(1 for day in shut.values() if monday <= day <= end))
    return still, closed


def owners_in(markdown: str) -> dict[str, set[int]]:
    """Each `### owner: N open` heading of a digest with the issues listed under it."""
    owners: dict[str, set[int]] = {}
    current = None
    for line in markdown.splitlines():
        if line.startswith("### "):
            current = line[4:].split(":")[0]
            owners[current] = set()
        elif line.startswith("- ") and current is not None:
            owners[current].add(int(re.search(r"\(\[#(\d+)\]", line).group(1)))
    return owners
