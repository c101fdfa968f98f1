"""`tracker sync --annotate`: each AI's line gets ` (#N)`; nothing else in the file changes."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tracker import parse
from tracker.annotate import annotate, issue_numbers
from tracker.config import Config

REPO = "widgets/core"
CONFIG = Config(people={"alice": (), "bob": ()}, groups=("team",))
# CRLF line ends, a Markdown hard break (two trailing spaces) and a non-AI line.
MINUTES = (
    "## 2024-03-05\r\n"
    "\r\n"
    "- Parser\r\n"
    "  - AI: [alice] benchmark the parser  \r\n"
    "  - the cache is slow, add to 2.1 blockers [AI: bob]\r\n"
    "- we talked about the weather\r\n"
    "- AI: [team] review the docs (#7)\r\n"
    "\r\n"
    "Pending AIs\r\n"
    "\r\n"
    "- AI: [alice] benchmark the parser"
)


@pytest.fixture
def minutes_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_bytes(MINUTES.encode("utf-8"))
    return Path("m.md")


def test_each_ai_line_gets_its_issue_and_every_other_byte_stays(minutes_file):
    """The AIs' lines (and the carry-over's) end with (#N); newline style, spaces, other lines stay."""
    minutes = parse(["m.md"], config=CONFIG)
    ids = [ai.id for ai in minutes.distinct_action_items]
    [done] = annotate(minutes, {ids[0]: 1, ids[1]: 2, ids[2]: 3})
    assert (done.path, done.lines, done.skipped) == ("m.md", (4, 5, 11), ())
    assert minutes_file.read_bytes().decode("utf-8") == (
        "## 2024-03-05\r\n"
        "\r\n"
        "- Parser\r\n"
        "  - AI: [alice] benchmark the parser (#1)  \r\n"
        "  - the cache is slow, add to 2.1 blockers [AI: bob] (#2)\r\n"
        "- we talked about the weather\r\n"
        "- AI: [team] review the docs (#7)\r\n"
        "\r\n"
        "Pending AIs\r\n"
        "\r\n"
        "- AI: [alice] benchmark the parser (#1)"
    )


def test_the_parser_reads_the_annotation_back_and_a_second_run_changes_nothing(minutes_file):
    """Idempotent: annotated lines are linked (ActionItem.issue) and skipped next time; ids stay."""
    before = parse(["m.md"], config=CONFIG)
    ids = [ai.id for ai in before.distinct_action_items]
    annotate(before, {ids[0]: 1, ids[1]: 2})
    after = parse(["m.md"], config=CONFIG)
    assert [ai.id for ai in after.distinct_action_items] == ids
    assert [ai.issue for ai in after.action_items] == [1, 2, 7, 1]
    text = minutes_file.read_bytes()
    assert annotate(after, {ids[0]: 1, ids[1]: 2}) == ()
    assert minutes_file.read_bytes() == text


def test_a_line_that_changed_since_it_was_read_is_left_alone(minutes_file):
    """The file was edited after parsing: that line is reported, not guessed at."""
    minutes = parse(["m.md"], config=CONFIG)
    minutes_file.write_bytes(
        MINUTES.replace("benchmark the parser  ", "profile it").encode("utf-8")
    )
    [done] = annotate(minutes, {minutes.action_items[0].id: 1})
    assert (done.lines, done.skipped) == ((11,), (4,))


def test_issue_numbers_ignores_outcomes_without_an_issue():
    """Only (id, number) pairs with both become links."""
    assert issue_numbers([("a", 1), ("b", None), (None, 3)]) == {"a": 1}


def test_sync_annotate_on_the_command_line(cli, github_emulator, tmp_path, monkeypatch):
    """`tracker sync --annotate`: issues created, lines annotated, said on stderr; the rerun adds nothing."""
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_text(
        dedent(
            """\
            ## 2024-03-05

            - AI: [alice] benchmark the parser
            - AI: [bob] tag the release
            """
        ),
        encoding="utf-8",
    )
    Path("tracker.yml").write_text("people: {alice: [], bob: []}\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    args = ("sync", "--repo", REPO, "--api-url", github_emulator.url, "--annotate", "m.md")
    first = cli(*args)
    assert first.stderr == "tracker: m.md: annotated 2 lines\n"
    assert Path("m.md").read_text(encoding="utf-8") == dedent(
        """\
        ## 2024-03-05

        - AI: [alice] benchmark the parser (#1)
        - AI: [bob] tag the release (#2)
        """
    )
    github_emulator.clear_log()
    again = cli(*args)
    assert again.stderr == "" and github_emulator.writes() == 0


def test_line_numbers_agree_with_the_parser_past_form_feeds(tmp_path, monkeypatch):
    """A form feed or a Unicode line separator inside a line does not shift the lines annotated."""
    monkeypatch.chdir(tmp_path)
    text = "## 2024-03-05\n- a page break\x0c here\n- and a\u2028separator\n- AI: [alice] ship it\n"
    Path("m.md").write_text(text, encoding="utf-8")
    minutes = parse(["m.md"], config=CONFIG)
    [ai] = minutes.action_items
    assert ai.line == 4
    [done] = annotate(minutes, {ai.id: 9})
    assert done.lines == (4,)
    assert Path("m.md").read_text(encoding="utf-8") == text.replace("ship it\n", "ship it (#9)\n")


def test_table_rows_are_not_annotated(tmp_path, monkeypatch):
    """Text after a row's last cell would break the table, so a table row keeps its bytes."""
    monkeypatch.chdir(tmp_path)
    text = "## 2024-03-05\n\n| Owner | Action |\n|---|---|\n| alice | ship it |\n"
    Path("m.md").write_text(text, encoding="utf-8")
    minutes = parse(["m.md"], config=CONFIG)
    [ai] = minutes.action_items
    [done] = annotate(minutes, {ai.id: 9})
    assert done.lines == () and done.skipped == ()
    assert Path("m.md").read_text(encoding="utf-8") == text


# ------------------------------------------------- files that cannot be annotated (issue #10)


@pytest.fixture
def annotating(cli, github_emulator, tmp_path, monkeypatch):
    """`tracker sync --annotate PATH` against a fresh repository; returns the CLI runner."""
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    Path("tracker.yml").write_text("people: {alice: [], bob: []}\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")

    def run(path: str, code: int = 0):
        args = ("sync", "--repo", REPO, "--api-url", github_emulator.url, "--annotate", path)
        return cli(*args, code=code)

    return run


LINES = "## 2024-03-05\n\n- AI: [alice] benchmark the parser\n"


def test_annotate_writes_through_a_link_to_the_minutes(annotating, github_emulator):
    """`latest.md -> 2024-03-05.md`: the minutes get the annotation, the link stays a link."""
    Path("2024-03-05.md").write_text(LINES, encoding="utf-8")
    Path("latest.md").symlink_to("2024-03-05.md")
    annotating("latest.md")
    assert Path("latest.md").is_symlink()
    assert Path("2024-03-05.md").read_text(encoding="utf-8").endswith("the parser (#1)\n")


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (
            lambda path: path.write_text(LINES, encoding="utf-16"),
            (
                "m.md: is UTF-16 text; tracker writes only UTF-8 files, so it leaves this one alone "
                "(hint: save the file as UTF-8)"
            ),
        ),
        (
            lambda path: (path.write_text(LINES, encoding="utf-8"), path.chmod(0o444)),
            (
                "m.md: is read-only; not written (hint: make it writable (chmod u+w) if tracker should "
                "update it)"
            ),
        ),
    ],
    ids=["utf-16", "read-only"],
)
def test_minutes_that_cannot_be_annotated_fail_before_anything_is_synced(
    annotating, github_emulator, prepare, message
):
    """The error, exit 1, and not one request to GitHub: no issue left without its annotation."""
    prepare(Path("m.md"))
    before = Path("m.md").read_bytes()
    github_emulator.clear_log()
    result = annotating("m.md", code=1)
    assert result.stderr == f"tracker: error: {message}\n"
    assert result.stdout == ""
    assert github_emulator.log == [] and github_emulator.repo(REPO).issues == []
    assert Path("m.md").read_bytes() == before


def test_a_line_with_two_owners_gets_an_issue_each_and_reads_both_back(
    cli, github_emulator, tmp_path, monkeypatch
):
    """`Kim to X; Lee to Y`: two issues, each number after its own task; the rerun writes nothing."""
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    Path("m.md").write_text(
        "## 2024-03-05\n\n- Release: Alice to tag 2.1; Bob will announce it on the forum\n",
        encoding="utf-8",
    )
    Path("tracker.yml").write_text("people: {alice: [Alice], bob: [Bob]}\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    args = ("sync", "--repo", REPO, "--api-url", github_emulator.url, "--annotate", "m.md")
    cli(*args)
    assert Path("m.md").read_text(encoding="utf-8") == (
        "## 2024-03-05\n\n- Release: Alice to tag 2.1 (#1); Bob will announce it on the forum (#2)\n"
    )
    repo = github_emulator.repo(REPO)
    issues = [repo.issue(n) for n in (1, 2)]
    assert [(i.title, i.assignees) for i in issues if i is not None] == [
        ("Tag 2.1", ["alice"]),
        ("Announce it on the forum", ["bob"]),
    ]
    again = parse(["m.md"], config=Config(people={"alice": ("Alice",), "bob": ("Bob",)}))
    assert [(ai.text, ai.issue) for ai in again.action_items] == [
        ("tag 2.1", 1),
        ("announce it on the forum", 2),
    ]
    github_emulator.clear_log()
    assert cli(*args).stderr == "" and github_emulator.writes() == 0
