"""The safe first run over an archive (issue 11): `sync.max_creates` stops a sync that would
open too many issues, and `sync.since` leaves out the AIs of older meetings unless a later
Pending AIs section still carries them."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest

import tracker
from tracker.commands import TooManyCreates, live_since, sync_minutes
from tracker.config import Config
from tracker.settings import Settings

REPO = "widgets/core"
CONFIG = Config(people={"alice": (), "bob": ()})
NEWEST = datetime.date(2024, 3, 5)


def archive(meetings: int = 60, per_meeting: int = 5) -> str:
    """``meetings`` weekly meetings up to 2024-03-05, ``per_meeting`` AIs each; the newest
    one's Pending AIs section carries three AIs of older meetings."""
    parts = []
    for week in range(meetings - 1, -1, -1):
        day = NEWEST - datetime.timedelta(weeks=week)
        parts.append(f"## {day.isoformat()}\n")
        if week == 0:
            parts.append("### Pending AIs\n")
            parts += [f"- AI: [alice] task {n} of week 5" for n in range(3)]
            parts.append("\n### Notes\n")
        parts += [f"- AI: [alice] task {n} of week {week}" for n in range(per_meeting)]
        parts.append("")
    return "\n".join(parts)


@pytest.fixture
def settings(github_emulator, tmp_path, monkeypatch) -> Settings:
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    Path("archive.md").write_text(archive(), encoding="utf-8")
    return Settings.unpaced(
        token=github_emulator.user_token("widgets"), repo=REPO, api_url=github_emulator.url
    )


def test_the_archive_holds_300_ais():
    minutes = tracker.parse_text(archive(), config=CONFIG)
    assert len(minutes.distinct_action_items) == 300


def test_a_first_sync_over_300_ais_stops_at_the_cap_without_writing(settings, github_emulator):
    """Over sync.max_creates (50): the plan is returned as a dry run and nothing is written."""
    run = sync_minutes(
        tracker.parse(["archive.md"], config=CONFIG), config=CONFIG, settings=settings
    )
    assert isinstance(run.failure, TooManyCreates)
    assert str(run.failure).startswith(
        "the plan opens 300 issues, more than sync.max_creates (50): nothing was written "
        "(hint: check the plan with --dry-run, then rerun with --yes"
    )
    assert run.result.dry_run and github_emulator.writes() == 0
    assert github_emulator.repo(REPO).issues == []


def test_yes_opens_them_all(settings, github_emulator):
    config = replace(CONFIG, max_creates=3)
    minutes = tracker.parse_text(
        "## 2024-03-05\n\n" + "\n".join(f"- AI: [bob] chore {n}" for n in range(4)), config=config
    )
    assert isinstance(
        sync_minutes(minutes, config=config, settings=settings).failure, TooManyCreates
    )
    run = sync_minutes(minutes, config=config, settings=settings, yes=True)
    assert run.failure is None and len(github_emulator.repo(REPO).issues) == 4


def test_under_the_cap_the_sync_reads_github_once(settings, github_emulator):
    """No second read when the minutes hold no more AIs than the cap."""
    minutes = tracker.parse_text("## 2024-03-05\n\n- AI: [bob] chore\n", config=CONFIG)
    run = sync_minutes(minutes, config=CONFIG, settings=settings)
    assert run.failure is None and run.result.reads == github_emulator.reads()


def test_since_plans_only_the_live_ais(settings, github_emulator):
    """sync.since = the newest meeting: its 5 AIs and the 3 its Pending AIs section carries."""
    config = replace(CONFIG, since=NEWEST)
    minutes = tracker.parse(["archive.md"], config=config)
    run = sync_minutes(minutes, config=config, settings=settings, dry_run=True)
    planned = sorted(a.title for a in run.result.plan.actions)
    assert planned == sorted(
        [f"Task {n} of week 0 (Notes)" for n in range(5)]
        + [f"Task {n} of week 5" for n in range(3)]
    )
    assert run.left_out == 303 - 11  # all but the 8 live AIs and the 3 restatements
    assert github_emulator.writes() == 0


def test_live_since_keeps_undated_ais_and_originals_carried_later():
    minutes = tracker.parse_text(
        "# Notes\n\n- AI: [bob] undated chore\n", source="notes.md", config=CONFIG
    )
    kept, left_out = live_since(minutes, NEWEST)
    assert [ai.text for ai in kept.action_items] == ["undated chore"] and left_out == 0
