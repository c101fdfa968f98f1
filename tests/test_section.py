"""The Pending AIs section: built from statuses, rendered, and written between its markers."""

from __future__ import annotations

import datetime
import os
from textwrap import dedent

import pytest

from tracker.config import Config
from tracker.errors import InputError
from tracker.model import Blocker
from tracker.section import (
    END_MARKER,
    START_MARKER,
    build_pending,
    render_pending,
    splice,
    write_section,
)
from tracker.status import AIStatus, State

UTC = datetime.UTC
SECTION = "## Pending AIs\n\n- AI: [alice] do it (#1)\n"


def status(n: int, text: str, **kw) -> AIStatus:
    values = {
        "ai_id": f"id{n}",
        "text": text,
        "state": State.OPEN,
        "owners": ("alice",),
        "group": None,
        "meeting": datetime.date(2024, 3, 5),
        "where": f"m.md:{n}",
        "issue": n,
        "url": f"https://github.com/o/r/issues/{n}",
    }
    return AIStatus(**(values | kw))


# ------------------------------------------------------------------------------- splice


def test_only_the_lines_between_the_markers_change():
    """Text before and after the markers stays byte for byte, odd spacing and all."""
    before = "# Notes  \n\n\tindented\n"
    after = "trailing text without newline"
    text = f"{before}{START_MARKER}\nold\nlines\n{END_MARKER}\n{after}"
    assert splice(text, SECTION) == f"{before}{START_MARKER}\n{SECTION}{END_MARKER}\n{after}"


def test_a_crlf_file_stays_crlf():
    """The section takes the file's newline style."""
    text = f"a\r\n{START_MARKER}\r\nold\r\n{END_MARKER}\r\nb\r\n"
    assert (
        splice(text, SECTION)
        == f"a\r\n{START_MARKER}\r\n{SECTION.replace(chr(10), chr(13) + chr(10))}{END_MARKER}\r\nb\r\n"
    )


def test_without_markers_the_section_is_appended_between_new_markers():
    """Appending adds a newline to an unterminated last line and a blank line before the block."""
    assert splice("# Notes", SECTION) == f"# Notes\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n"
    assert splice("", SECTION) == f"{START_MARKER}\n{SECTION}{END_MARKER}\n"


def test_splicing_twice_gives_the_same_text():
    """Idempotent: the second splice changes nothing."""
    once = splice("# Notes\n", SECTION)
    assert splice(once, SECTION) == once


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"{START_MARKER}\nx\n", 1),
        (f"x\n{END_MARKER}\n{START_MARKER}\n", 2),
        (f"{START_MARKER}\n{START_MARKER}\n{END_MARKER}\n", 2),
    ],
    ids=["no-end", "end-first", "two-starts"],
)
def test_broken_markers_are_an_error_with_the_line(text, line):
    """A lone, doubled or reversed marker is never guessed at: path:line and a hint."""
    with pytest.raises(InputError) as caught:
        splice(text, SECTION, path="next.md")
    assert (caught.value.path, caught.value.line) == ("next.md", line)
    assert str(caught.value).startswith(
        f"next.md:{line}: the Pending AIs markers must appear once each"
    )


# ------------------------------------------------------------------------------- write_section


def test_write_is_atomic_and_keeps_the_file_mode(tmp_path):
    """The file is replaced by a rename: no temporary file is left behind, the mode stays."""
    path = tmp_path / "next.md"
    path.write_text("# Notes\n", encoding="utf-8")
    os.chmod(path, 0o640)
    result = write_section(path, SECTION)
    assert result.written and result.changed
    assert path.read_text(encoding="utf-8") == f"# Notes\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.md"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_check_reports_a_diff_and_writes_nothing(tmp_path):
    """Check mode: changed, a unified diff, the file untouched."""
    path = tmp_path / "next.md"
    path.write_text("# Notes\n", encoding="utf-8")
    result = write_section(path, SECTION, check=True)
    assert (result.changed, result.written) == (True, False)
    assert path.read_text(encoding="utf-8") == "# Notes\n"
    assert f"+{START_MARKER}\n" in result.diff


def test_an_up_to_date_file_is_not_rewritten(tmp_path):
    """Nothing to change: no write at all (the file's mtime stays)."""
    path = tmp_path / "next.md"
    path.write_text(f"{START_MARKER}\n{SECTION}{END_MARKER}\n", encoding="utf-8")
    os.utime(path, (1, 1))
    result = write_section(path, SECTION)
    assert (result.changed, result.written, result.diff) == (False, False, "")
    assert path.stat().st_mtime == 1


def test_a_missing_file_is_created(tmp_path):
    """--write to a new file: just the markers and the section."""
    path = tmp_path / "new.md"
    write_section(path, SECTION)
    assert path.read_text(encoding="utf-8") == f"{START_MARKER}\n{SECTION}{END_MARKER}\n"


# ------------------------------------------------------------------------------- build and render


def test_the_rendered_section_in_full():
    """Open AIs by topic, group-owned ones under the group, blockers per milestone, closed since."""
    closed = datetime.datetime(2024, 3, 13, 9, tzinfo=UTC)
    statuses = [
        status(1, "benchmark it", topic=("Parser",)),
        status(
            2,
            "speed up the cache",
            topic=("Parser",),
            owners=("bob",),
            is_blocker=True,
            milestone="2.10",
            blocker=Blocker("2.10", "the cache"),
        ),
        status(
            3,
            "old blocker",
            is_blocker=True,
            milestone="2.9",
            state=State.CLOSED,
            closed_at=closed,
            blocker=Blocker("2.9", "the parser"),
            state_reason="completed",
        ),
        status(4, "review the docs", owners=(), group="team"),
        status(5, "write notes", owners=("alice", "bob"), meeting=datetime.date(2024, 3, 12)),
        status(
            6, "long gone", state=State.CLOSED, closed_at=datetime.datetime(2024, 3, 1, tzinfo=UTC)
        ),
        status(7, "drop it", state=State.CLOSED, state_reason="not_planned", closed_at=closed),
        status(
            8,
            "new one",
            state=State.NOT_SYNCED,
            issue=None,
            url=None,
            meeting=datetime.date(2024, 3, 12),
        ),
        status(9, "blocks 2.9 too", is_blocker=True, milestone="2.9", topic=("Parser",)),
    ]
    pending = build_pending(reversed(statuses), since=datetime.date(2024, 3, 12))
    text = render_pending(pending, Config())
    assert text == dedent(
        """\
        ## Pending AIs

        - Parser
          - AI: [alice] benchmark it (#1)
            from 2024-03-05, https://github.com/o/r/issues/1
          - AI: [bob] speed up the cache (#2)
            from 2024-03-05, https://github.com/o/r/issues/2
          - AI: [alice] blocks 2.9 too (#9)
            from 2024-03-05, https://github.com/o/r/issues/9
        - AI: [alice, bob] write notes (#5)
          from 2024-03-12, https://github.com/o/r/issues/5
        - AI: [alice] new one
          from 2024-03-12, not on GitHub yet
        - team:
          - AI: [team] review the docs (#4)
            from 2024-03-05, https://github.com/o/r/issues/4

        ## Release blockers

        - 2.9: 1 open, 1 closed
          - [#9](https://github.com/o/r/issues/9) Parser, alice, from 2024-03-05
        - 2.10: 1 open, 0 closed
          - [#2](https://github.com/o/r/issues/2) the cache, bob, from 2024-03-05

        ## Closed since the previous meeting

        - Completed since 2024-03-12:
          - [#3](https://github.com/o/r/issues/3) the parser, blocking 2.9, alice, closed 2024-03-13
        - Dropped:
          - [#7](https://github.com/o/r/issues/7) drop it, alice, closed 2024-03-13
        """
    )
    assert pending.open_count == 6


def test_nothing_pending_says_so():
    """No AI at all: a sentence, never an empty list that reads as an AI."""
    text = render_pending(build_pending([], since=None), Config())
    assert text == dedent(
        """\
        ## Pending AIs

        Nothing is pending.

        ## Release blockers

        None open.

        ## Closed since the previous meeting

        - Completed: none
        - Dropped: none
        """
    )


def test_the_team_s_own_template_is_used(tmp_path):
    """A pending.md.j2 in the config's template folder replaces the built-in one."""
    (tmp_path / "pending.md.j2").write_text(
        "{% for t in pending.topics %}{% for ai in t.items %}* {{ ai.owner }}: {{ ai.text }}\n"
        "{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    text = render_pending(
        build_pending([status(1, "do it")], since=None), Config(templates=str(tmp_path))
    )
    assert text == "* alice: do it\n"


def test_the_same_state_gives_byte_identical_output():
    """Stable order: the statuses' input order does not matter."""
    statuses = [status(n, f"task {n}", topic=(f"T{n % 2}",)) for n in range(1, 6)]
    one = render_pending(build_pending(statuses, since=None), Config())
    two = render_pending(build_pending(list(reversed(statuses)), since=None), Config())
    assert one == two
