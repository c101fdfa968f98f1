"""The command layer: what each command does, called as a library (no CliRunner)."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

import tracker
from tracker import commands
from tracker.commands import OutOfDate, agenda, pending_section, read_status, sync_minutes
from tracker.config import Config
from tracker.errors import InputError
from tracker.section import START_MARKER
from tracker.settings import Settings

REPO = "widgets/core"
CONFIG = Config(people={"alice": (), "bob": ()}, groups=("team",))
MINUTES = dedent(
    """\
    ## 2024-03-05

    - AI: [alice] benchmark the parser
    - AI: [bob] tag the release
    """
)
TODAY = datetime.date(2024, 3, 19)


@pytest.fixture
def settings(github_emulator, tmp_path, monkeypatch) -> Settings:
    """The minutes in m.md, in the working folder; the emulator holds the repository."""
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_text(MINUTES, encoding="utf-8")
    return Settings.unpaced(
        token=github_emulator.user_token("widgets"), repo=REPO, api_url=github_emulator.url
    )


def minutes(*paths: str) -> tracker.Minutes:
    return tracker.parse(paths or ("m.md",), config=CONFIG)


def test_sync_then_annotate_returns_the_result_and_the_lines(settings):
    """sync_minutes(annotate=True): the sync's result, then each AI's line annotated."""
    run = sync_minutes(minutes(), config=CONFIG, settings=settings, annotate=True)
    assert run.failure is None and run.result.error is None
    assert [(a.path, a.lines) for a in run.annotated] == [("m.md", (3, 4))]
    assert "- AI: [bob] tag the release (#2)\n" in Path("m.md").read_text(encoding="utf-8")


def test_a_dry_run_annotates_nothing(settings):
    """No issue was opened, so no line gets a number."""
    run = sync_minutes(minutes(), config=CONFIG, settings=settings, dry_run=True, annotate=True)
    assert run.annotated == () and run.failure is None
    assert Path("m.md").read_text(encoding="utf-8") == MINUTES


def test_status_filters_by_owner_and_state(settings):
    """read_status returns the selected statuses and the one read it took."""
    sync_minutes(minutes(), config=CONFIG, settings=settings)
    read = read_status(minutes(), config=CONFIG, settings=settings, owner="bob", today=TODAY)
    assert [(s.text, s.issue, s.age) for s in read.statuses] == [("tag the release", 2, 14)]
    assert read.reads == 2  # GET /user, then the issue list


def test_pending_check_reports_a_stale_file_as_its_failure_and_writes_nothing(settings):
    """--check: the diff in the result, OutOfDate as the failure; after a write, no failure."""
    sync_minutes(minutes(), config=CONFIG, settings=settings)
    Path("next.md").write_text("# Next\n", encoding="utf-8")
    stale = pending_section(
        minutes(), config=CONFIG, settings=settings, write="next.md", check=True, today=TODAY
    )
    assert isinstance(stale.failure, OutOfDate)
    assert str(stale.failure) == (
        "next.md: the Pending AIs section is out of date; run without --check"
    )
    assert stale.written and stale.written.diff.startswith("--- next.md\n+++ next.md\n")
    assert Path("next.md").read_text(encoding="utf-8") == "# Next\n"
    written = pending_section(minutes(), config=CONFIG, settings=settings, write="next.md")
    assert written.failure is None and written.written and written.written.written
    again = pending_section(
        minutes(), config=CONFIG, settings=settings, write="next.md", check=True
    )
    assert again.failure is None and again.written and not again.written.changed


def test_broken_markers_come_back_as_the_failure_after_the_read(settings):
    """The section was rendered; writing it was refused with the file's line."""
    Path("next.md").write_text(f"{START_MARKER}\n", encoding="utf-8")
    run = pending_section(minutes(), config=CONFIG, settings=settings, write="next.md")
    assert isinstance(run.failure, InputError) and run.failure.line == 1
    assert run.text.startswith("## Pending AIs")


def test_the_written_file_s_meeting_is_read_from_the_minutes_not_parsed_again(
    settings, monkeypatch
):
    """The file is among the minutes: its meeting bounds "closed since" without a second parse."""
    Path("next.md").write_text("## 2024-03-19\n", encoding="utf-8")
    both = minutes("m.md", "next.md")

    def no_second_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(commands, "parse", no_second_parse)
    run = pending_section(both, config=CONFIG, settings=settings, write="./next.md")
    assert run.pending.since == "2024-03-05"


def test_a_written_file_outside_the_minutes_is_parsed_for_its_meeting(settings):
    """PATHS left the file out: its own meeting still bounds "closed since"."""
    Path("m2.md").write_text("## 2024-03-12\n\n- AI: [bob] plan it\n", encoding="utf-8")
    Path("next.md").write_text("## 2024-03-12\n", encoding="utf-8")
    run = pending_section(
        minutes("m.md", "m2.md"), config=CONFIG, settings=settings, write="next.md"
    )
    assert run.pending.since == "2024-03-05"


def test_agenda_never_overwrites_a_file(settings):
    """The skeleton is returned; writing it over an existing file fails with a hint."""
    Path("next.md").write_text("mine\n", encoding="utf-8")
    run = agenda(
        minutes(),
        config=CONFIG,
        settings=settings,
        date=datetime.date(2024, 3, 19),
        write="next.md",
        paths=("minutes/", "next.md"),
    )
    assert isinstance(run.failure, InputError)
    # The minutes and the file (issue 12: the file alone re-dated every AI to its meeting).
    assert str(run.failure) == (
        "next.md: already exists; not overwritten "
        "(hint: refresh its section with: tracker pending minutes/ next.md --write next.md)"
    )
    assert START_MARKER in run.text
    assert Path("next.md").read_text(encoding="utf-8") == "mine\n"


def test_importing_tracker_loads_no_pygithub():
    """The facade is cheap: PyGithub loads only when a command talks to GitHub."""
    code = "import sys, tracker; sys.exit('github' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_facade_exports_every_command_s_library_function():
    """Each command of the CLI is one call of the library, exported by the facade."""
    from tracker.check import check
    from tracker.cli import main
    from tracker.demo import running
    from tracker.init import init

    library = {
        "parse": "parse",
        "sync": "sync_minutes",
        "status": "read_status",
        "pending": "pending_section",
        "agenda": "agenda",
        "digest": "digest",
        "stats": "weekly_stats",
        "check": "check_minutes",
        "init": "init_repository",
        "demo": "run_demo",
    }
    assert set(main.commands) == set(library)
    for name in library.values():
        assert name in tracker.__all__ and callable(getattr(tracker, name))
    assert (tracker.check_minutes, tracker.init_repository, tracker.run_demo) == (
        check,
        init,
        running,
    )
