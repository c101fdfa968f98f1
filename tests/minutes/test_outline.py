"""Meetings, topics and sections in every layout teams use."""

from __future__ import annotations

import datetime

from tracker import parse_text
from tracker.config import parse_config

CONFIG = parse_config({"people": {"alice": [], "bob": []}}).config
D = datetime.date


def meetings(text: str, source: str = "m.md"):
    return parse_text(text, source=source, config=CONFIG).meetings


def test_many_meetings_in_one_file_newest_first():
    text = (
        "# Team minutes\n\n## 2024-03-12\n- AI: alice to ship\n\n"
        "## March 5, 2024\n- AI: bob to test\n\n## Feb 27\n- nothing\n"
    )
    got = [(m.date, m.line) for m in meetings(text)]
    assert got == [(D(2024, 3, 12), 3), (D(2024, 3, 5), 6), (D(2024, 2, 27), 9)]


def test_year_less_headings_take_the_year_from_their_neighbours_across_new_year():
    """Oldest-first and newest-first both put "January 3" in the year nearest its neighbour."""
    oldest_first = "December 20, 2022\n\n- a\n\nJanuary 3\n\n- b\n\nJanuary 10\n"
    assert [m.date for m in meetings(oldest_first)] == [
        D(2022, 12, 20),
        D(2023, 1, 3),
        D(2023, 1, 10),
    ]
    newest_first = "January 10, 2023\n\n- a\n\nDecember 20\n\n- b\n"
    assert [m.date for m in meetings(newest_first)] == [D(2023, 1, 10), D(2022, 12, 20)]


def test_a_year_heading_gives_its_meetings_their_year():
    text = "# 2021\n\n## January 10\n- a\n\n## January 17\n- b\n"
    assert [m.date for m in meetings(text)] == [D(2021, 1, 10), D(2021, 1, 17)]


def test_a_meeting_with_no_year_anywhere_is_undated_with_a_warning():
    minutes = parse_text("January 10\n\n- AI: alice to ship\n", source="notes.md", config=CONFIG)
    assert minutes.meetings[0].date is None
    assert [(w.line, w.message[:10]) for w in minutes.warnings] == [(1, "no year fo")]


def test_skipped_meetings_are_marked():
    text = "November 8, 2022 - skipped due to the conference\n\nNovember 15, 2022\n- a\n"
    assert [(m.date, m.skipped) for m in meetings(text)] == [
        (D(2022, 11, 8), True),
        (D(2022, 11, 15), False),
    ]


def test_bare_date_lines_in_various_forms_are_meetings_but_prose_is_not():
    text = (
        "Team Meeting Minutes\n\nOct 18, 2022\n\n- a\n\n"
        "On October 20 we released 3.21 after a long day\n\n"
        "Tuesday, 25 October 2022\n\n- b\n\n1 Like\n\nMeeting - 2022-11-01\n\n- c\n"
        "\nNotes from the 2022-11-08 meeting\n\n- d\n"
    )
    assert [m.date for m in meetings(text)] == [
        D(2022, 10, 18),
        D(2022, 10, 25),
        D(2022, 11, 1),
        D(2022, 11, 8),
    ]


def test_a_file_without_a_date_heading_is_dated_by_its_name():
    minutes = parse_text(
        "# Weekly sync\n\n- AI: alice to ship\n", source="minutes/2024-01-09.md", config=CONFIG
    )
    assert [(m.date, m.line) for m in minutes.meetings] == [(D(2024, 1, 9), 1)]
    assert minutes.action_items[0].meeting == D(2024, 1, 9)


def test_front_matter_dates_the_file():
    text = "---\ntitle: Weekly sync\ndate: 2024-01-09\n---\n\n- AI: alice to ship\n"
    minutes = parse_text(text, source="weekly.md", config=CONFIG)
    assert minutes.action_items[0].meeting == D(2024, 1, 9)
    assert minutes.action_items[0].line == 6


def test_a_file_with_neither_warns_and_keeps_the_action_items():
    minutes = parse_text("- AI: alice to ship\n", source="notes.md", config=CONFIG)
    assert minutes.action_items[0].meeting is None
    assert "no meeting date found" in minutes.warnings[0].message


def test_topics_are_the_chain_of_headings_and_parent_bullets():
    text = (
        "# Meeting 2024-03-05\n\n## Releases\n\n"
        "* 3.22 schedule\n    * what goes in?\n        * domains\n            * AI: alice to write it up\n"
    )
    [ai] = parse_text(text, config=CONFIG).action_items
    assert ai.topic == ("Releases", "3.22 schedule", "what goes in?", "domains")


def test_tabs_blank_lines_and_crlf_inside_lists():
    text = "# 2024-03-05\r\n\r\n- parent\r\n\r\n\t- child\r\n\r\n\t\t- AI: alice to ship\r\n"
    [ai] = parse_text(text, config=CONFIG).action_items
    assert ai.topic == ("parent", "child")
    assert ai.line == 7


def test_setext_headings_are_headings():
    text = (
        "Team sync 2024-03-05\n====================\n\nReleases\n--------\n\n- AI: alice to ship\n"
    )
    minutes = parse_text(text, config=CONFIG)
    assert minutes.meetings[0].date == D(2024, 3, 5)
    assert minutes.action_items[0].topic == ("Releases",)


def test_code_blocks_comments_and_quotes():
    """Nothing in fenced code or HTML comments is an AI; quoted lines are read."""
    text = (
        "# 2024-03-05\n\n```\n- AI: alice to ignore this\n```\n"
        "<!--\n- AI: alice to ignore this too\n-->\n> - AI: bob to read this\n"
    )
    assert [ai.line for ai in parse_text(text, config=CONFIG).action_items] == [9]


def test_deep_nesting_and_long_lines(tmp_path):
    """200-deep nesting and a 50,000-character line parse, quickly and without recursion."""
    lines = ["# 2024-03-05", ""]
    lines += [" " * (2 * depth) + f"- level {depth}" for depth in range(200)]
    lines.append(" " * 400 + "- AI: alice to " + "x" * 50_000)
    lines.append("- " + "[" * 50_000)
    lines.append("- AI: " + "alice, " * 7_000 + "to ship")
    minutes = parse_text("\n".join(lines), config=CONFIG)
    deep = minutes.action_items[0]
    assert len(deep.topic) == 200
    assert len(deep.text) == 50_000


def test_numeric_dates_us_and_european():
    """3/7/2023 is month first (US); 25/12/2023 can only be day first; dots are day first."""
    text = "# Sync 3/7/2023\n- a\n# Sync 25/12/2023\n- b\n# Sync 07.03.2024\n- c\n"
    assert [m.date for m in meetings(text)] == [D(2023, 3, 7), D(2023, 12, 25), D(2024, 3, 7)]


def test_a_deeper_heading_that_mentions_a_date_is_a_topic():
    text = (
        "## 2024-03-05\n### Release 2.4 (due 2024-04-01)\n- AI: alice to cut it\n"
        "### 2024-03-06 follow-up meeting\n- AI: bob to test it\n"
    )
    minutes = parse_text(text, config=CONFIG)
    assert [m.date for m in minutes.meetings] == [D(2024, 3, 5), D(2024, 3, 6)]
    assert minutes.action_items[0].topic == ("Release 2.4 (due 2024-04-01)",)


def test_a_10_mb_file_is_read_whole(tmp_path):
    """Four generated 1,000-meeting archives in one 10 MB file: every meeting and AI found."""
    from benchmarks.archive import GROUPS, PEOPLE, generate
    from tracker import parse

    path = tmp_path / "archive.txt"
    path.write_text("\n".join(generate(1000, seed=seed) for seed in range(1, 5)), encoding="utf-8")
    assert path.stat().st_size > 10_000_000
    config = parse_config({"people": PEOPLE, "groups": GROUPS}).config
    minutes = parse([str(path)], config=config)
    assert len(minutes.meetings) == 4000
    assert len(minutes.action_items) == 4 * 5100
    assert minutes.warnings == ()
