"""An AI's id survives re-parsing, unrelated edits, reordering, renames and splits."""

from __future__ import annotations

from dataclasses import dataclass

from tracker import parse_text
from tracker.config import parse_config
from tracker.identity import (
    action_item_id,
    annotation,
    find_marker,
    index_markers,
    marker,
    meeting_of,
    without_annotation,
)
from tracker.minutes import parse_sources
from tracker.minutes.reading import Source

CONFIG = parse_config({"people": {"alice": [], "bob": []}}).config

MINUTES = """\
# Minutes

## 2024-03-05
- Releases
  - AI: alice to tag 3.22
- Docs
  - AI: bob to fix the typo

## 2024-03-12
- AI: alice to book the room
"""


def ids(text: str, source: str = "minutes.md") -> dict[str, str]:
    return {ai.text: ai.id for ai in parse_text(text, source=source, config=CONFIG).action_items}


def test_reparsing_gives_the_same_ids():
    """The ids are pinned: issues carry them in their markers, so they may never change."""
    assert ids(MINUTES) == {
        "tag 3.22": "2024-03-05-e083da50a6",
        "fix the typo": "2024-03-05-517a9192cb",
        "book the room": "2024-03-12-6a1e7e99c9",
    }


def test_unrelated_lines_added_and_removed_keep_ids():
    edited = MINUTES.replace("- Docs\n", "- Docs\n  - a long discussion\n  - more of it\n")
    edited = edited.replace("# Minutes\n", "# Minutes\n\nAttendees: alice, bob\n")
    assert ids(edited) == ids(MINUTES)


def test_reordered_topics_keep_ids():
    reordered = MINUTES.replace(
        "- Releases\n  - AI: alice to tag 3.22\n- Docs\n  - AI: bob to fix the typo\n",
        "- Docs\n  - AI: bob to fix the typo\n- Releases\n  - AI: alice to tag 3.22\n",
    )
    assert ids(reordered) == ids(MINUTES)


def test_renamed_file_keeps_ids():
    assert ids(MINUTES, "old-name.md") == ids(MINUTES, "archive/new-name.md")


def test_split_into_one_file_per_meeting_keeps_ids():
    first, second = MINUTES.split("## 2024-03-12\n")
    split = parse_sources(
        [Source("2024-03-05.md", first), Source("2024-03-12.md", "## 2024-03-12\n" + second)],
        config=CONFIG,
    )
    assert {ai.text: ai.id for ai in split.action_items} == ids(MINUTES)


def test_whitespace_case_and_quote_style_do_not_change_an_id():
    a = parse_text("## 2024-03-05\n- AI: alice to “tag” it\n", config=CONFIG).action_items[0]
    b = parse_text('## 2024-03-05\n- AI: alice to "tag"  it\n', config=CONFIG).action_items[0]
    assert a.id == b.id


def test_same_text_in_another_meeting_is_another_action_item():
    text = (
        "## 2024-03-05\n- AI: alice to book the room\n## 2024-03-12\n- AI: alice to book the room\n"
    )
    first, second = parse_text(text, config=CONFIG).action_items
    assert first.id != second.id


def test_identical_twins_in_one_meeting_get_distinct_ids():
    text = "## 2024-03-05\n- AI: alice to review\n- AI: bob to review\n"
    first, second = parse_text(text, config=CONFIG).action_items
    assert first.id != second.id


def test_the_issue_marker_round_trips():
    body = f"Some text\n\n{marker('2024-03-05-abc123')}\n"
    assert find_marker(body) == "2024-03-05-abc123"
    assert find_marker("no marker here") is None
    assert find_marker(None) is None


def test_an_id_starts_with_its_meeting():
    """The meeting part of an id: a date, an undated meeting's key, or nothing."""
    assert meeting_of(action_item_id("2024-03-05", "tag it")) == "2024-03-05"
    assert meeting_of(action_item_id("undated-team-notes", "tag it")) == "undated-team-notes"
    assert meeting_of(action_item_id("", "tag it")) == ""


@dataclass(frozen=True)
class Issue:
    number: int
    body: str | None


def test_the_lowest_issue_number_carrying_a_marker_wins():
    """One rule for every reader: the first issue with a marker is the AI's, later ones twins."""
    a, b = marker("2024-03-05-aaaaaaaaaa"), marker("2024-03-05-bbbbbbbbbb")
    issues = [Issue(9, a), Issue(3, a), Issue(5, None), Issue(4, f"text\n{b}"), Issue(12, a)]
    index = index_markers(issues)
    assert {ai_id: issue.number for ai_id, issue in index.first.items()} == {
        "2024-03-05-aaaaaaaaaa": 3,
        "2024-03-05-bbbbbbbbbb": 4,
    }
    assert [(twin.number, first.number) for twin, first in index.twins] == [(9, 3), (12, 3)]


def test_an_annotation_round_trips():
    """` (#12)` is what annotate appends and what the issue body leaves out of the quote."""
    line = "AI: [alice] benchmark it" + annotation(12)
    assert line == "AI: [alice] benchmark it (#12)"
    assert without_annotation(line + "  ") == "AI: [alice] benchmark it"
    assert without_annotation("AI: see #12") == "AI: see #12"
