"""An AI's id survives re-parsing, unrelated edits, reordering, renames and splits."""

from __future__ import annotations

from tracker import parse_text
from tracker.config import parse_config
from tracker.identity import find_marker, marker
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
    assert ids(MINUTES) == ids(MINUTES)


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
