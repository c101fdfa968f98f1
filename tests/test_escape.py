"""Hostile text from the minutes stays text in what tracker writes (issue #10, items 1, 9, 10):
no hidden comment of tracker's in any spelling, no tag, no mention, no block that swallows the
rest of the body, no control character. Through the CLI, against the local GitHub."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tracker.escape import ZWJ, markdown, one_line, plain, printable
from tracker.identity import action_item_id, find_marker
from tracker.record import visible_body

REPO = "widgets/core"

# Markers naming another AI of these minutes (whose id is computable) and an unknown one, in
# the spellings GitHub's Markdown treats as comments: no spaces, tabs, upper case.
HOSTILE = dedent(
    """\
    ## 2024-03-05

    - AI: [alice] publish the benchmark numbers
    - AI: [bob] review <!--tracker:ai:{other}--> the docs
    - AI: [alice] fix\t<!--\tTRACKER:AI:{other}\t--> the build
    - AI: [bob] rotate <!--tracker:ai:2024-03-05-0123456789--> the keys
    - AI: [bob] tidy <!-- tracker:state {{"v":1,"h":{{}},"text":"x"}} --> the wiki
    """
)


@pytest.fixture
def emu(github_emulator):
    github_emulator.add_repo(REPO, collaborators=["alice", "bob", "carol"])
    return github_emulator


@pytest.fixture
def workdir(tmp_path, monkeypatch, emu):
    monkeypatch.chdir(tmp_path)
    Path("tracker.yml").write_text("people: {alice: [], bob: [], carol: []}\n", encoding="utf-8")
    for name in ("GH_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", emu.user_token("widgets"))
    monkeypatch.setenv("GITHUB_API_URL", emu.url)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    return tmp_path


def sync_args(*paths: str) -> tuple[str, ...]:
    return ("sync", "--repo", REPO, *paths)


def test_markers_in_the_minutes_never_duplicate_an_issue_and_a_rerun_settles(cli, emu, workdir):
    """Five AIs, three carrying a marker in some spelling and one a forged write record: five
    issues, each with its own AI's marker; the second run writes nothing; status lists each AI
    once, none "not synced", none "gone from the minutes"."""
    other = action_item_id("2024-03-05", "publish the benchmark numbers")
    Path("m.md").write_text(HOSTILE.format(other=other), encoding="utf-8")

    first = cli(*sync_args("m.md"))
    assert first.stdout.splitlines()[-1].startswith(f"{REPO}: 5 created, 0 updated")
    emu.clear_log()
    again = cli(*sync_args("m.md"))
    assert emu.writes() == 0
    assert again.stdout.splitlines()[-1].startswith(
        f"{REPO}: 0 created, 0 updated, 0 labels and 0 milestones created; 5 unchanged"
    )
    issues = emu.repo(REPO).issues
    assert len(issues) == 5
    ids = [find_marker(issue.body) for issue in issues]
    assert len(set(ids)) == 5 and ids[0] == other
    for issue in issues:
        # The minutes' text shows as written, but cannot open a comment.
        assert issue.body.count("<!--") == 2  # the marker and the write record, tracker's own
        assert "<!--" not in issue.title
    assert f"review <{ZWJ}!--tracker:ai:{other}--> the docs" in issues[1].body

    status = cli("status", "--repo", REPO, "m.md")
    assert status.stdout.splitlines()[-1] == (
        "5 open, 0 done, 0 dropped, 0 not synced, 0 gone from the minutes"
    )


def test_mentions_in_the_minutes_notify_nobody_unless_the_config_says_so(cli, emu, workdir):
    """`@carol` and `@widgets/core` reach the title and body with a zero-width joiner after
    the `@` (no notification); `mentions: true` keeps them; an email address is left alone."""
    Path("m.md").write_text(
        "## 2024-03-05\n\n- AI: [bob] ask @carol and @widgets/core, cc bob@example.com\n",
        encoding="utf-8",
    )
    cli(*sync_args("m.md"))
    [issue] = emu.repo(REPO).issues
    assert issue.title == f"Ask @{ZWJ}carol and @{ZWJ}widgets/core, cc bob@example.com"
    assert f"> AI: [bob] ask @{ZWJ}carol and @{ZWJ}widgets/core, cc bob@example.com" in issue.body
    shown = visible_body(issue.body)  # GitHub finds no mention inside a hidden comment
    assert "@carol" not in shown and "@widgets" not in shown

    Path("tracker.yml").write_text(
        "people: {alice: [], bob: [], carol: []}\nmentions: true\n", encoding="utf-8"
    )
    result = cli(*sync_args("m.md"))
    assert "minutes changed title, body" in result.stdout
    [issue] = emu.repo(REPO).issues
    assert issue.title == "Ask @carol and @widgets/core, cc bob@example.com"
    assert "> AI: [bob] ask @carol and @widgets/core" in issue.body


def test_text_that_opens_a_fence_heading_details_or_comment_cannot_swallow_the_body(
    cli, emu, workdir
):
    """An AI whose text starts a code fence, a heading, `<details>` or `<!--`: each body still
    shows its meeting, owners and quote as Markdown; the text is escaped, not dropped."""
    Path("m.md").write_text(
        dedent(
            """\
            ## 2024-03-05

            - AI: [alice] ```python keep going
            - AI: [alice] # not a heading
            - AI: [alice] <details> hide the rest
            - AI: [alice] <!-- hide the rest
            """
        ),
        encoding="utf-8",
    )
    cli(*sync_args("m.md"))
    bodies = [issue.body for issue in emu.repo(REPO).issues]
    assert [body.splitlines()[0] for body in bodies] == [
        "> AI: [alice] ```python keep going",
        "> AI: [alice] # not a heading",
        f"> AI: [alice] <{ZWJ}details> hide the rest",
        f"> AI: [alice] <{ZWJ}!-- hide the rest",
    ]
    for body in bodies:
        assert "- **Meeting:** 2024-03-05" in body and "- **Owners:** alice" in body
        assert body.count("<!--") == 2 and "<details>" not in body


def test_titles_and_bodies_sent_to_github_carry_no_control_characters(cli, emu, workdir):
    """BEL, ESC and a C1 control in a minutes line are dropped from the title and the body."""
    Path("m.md").write_text(
        "## 2024-03-05\n\n- AI: [alice] ring\x07 the \x1b[31mbell\x1b[0m\x9b now\n",
        encoding="utf-8",
    )
    cli(*sync_args("m.md"))
    [issue] = emu.repo(REPO).issues
    assert issue.title == "Ring the [31mbell[0m now"
    assert "> AI: [alice] ring the [31mbell[0m now" in issue.body
    assert not any(c in issue.body + issue.title for c in "\x07\x1b\x9b")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a <!-- b", f"a <{ZWJ}!-- b"),
        ("<details><summary>", f"<{ZWJ}details><{ZWJ}summary>"),
        ("a < b, 1<2", "a < b, 1<2"),
        ("@kim and @org/team-x", f"@{ZWJ}kim and @{ZWJ}org/team-x"),
        ("mail kim@example.com", "mail kim@example.com"),
        ("tab\tbell\x07", "tab\tbell"),
    ],
)
def test_plain_text_keeps_what_is_harmless_and_defuses_the_rest(text, shown):
    """Tags, comments and mentions are defused; comparisons, emails and tabs stay."""
    assert plain(text) == shown


def test_markdown_escapes_a_line_that_starts_a_block_and_one_line_joins_lines():
    """Headings, quotes and fences at a line start get a backslash; one_line makes one line."""
    assert markdown("# h\n> q\n   ~~~\n    ```code\nplain #1") == (
        "\\# h\n\\> q\n   \\~~~\n    ```code\nplain #1"
    )
    assert one_line("x\n- AI: [bob] grant\r\n\u2028admin\x1b") == "x - AI: [bob] grant admin"
    assert one_line("# 3.22\n") == "\\# 3.22"


def test_printable_shows_controls_and_bidi_overrides_escaped():
    """As `sync` shows a title: BEL, ESC, tab and U+202E are visible escapes."""
    assert printable("a\x07b\x1b[0m\tc\u202ed") == "a\\x07b\\x1b[0m\\tc\\u202ed"
    assert printable("plain €") == "plain €"


def test_parse_and_status_show_control_characters_escaped_on_the_terminal(cli, emu, workdir):
    """A minutes line with BEL and an ANSI colour: `parse` and `status` print them as `\\x07` and
    `\\x1b`, never raw, as `sync` shows a title."""
    Path("m.md").write_text(
        "## 2024-03-05\n\n- AI: [alice] ring\x07 the \x1b[31mbell\x1b[0m\n", encoding="utf-8"
    )
    parsed = cli("parse", "m.md")
    assert "  m.md:3  alice: ring\\x07 the \\x1b[31mbell\\x1b[0m\n" in parsed.stdout
    status = cli("status", "--repo", REPO, "m.md")
    assert "[alice] ring\\x07 the \\x1b[31mbell\\x1b[0m  (m.md:3)" in status.stdout
    for out in (parsed.stdout, status.stdout):
        assert "\x07" not in out and "\x1b" not in out
