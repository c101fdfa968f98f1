"""``tracker parse --explain FILE:LINE``: why one line is, or is not, an action item."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

MINUTES = dedent(
    """\
    ## 2024-03-05

    * Quota period - Kim will take a look
    * [rob] To clarify, is this only for nightly builds?
    """
)


def write(tmp_path: Path) -> str:
    path = tmp_path / "m.md"
    path.write_text(MINUTES, encoding="utf-8")
    (tmp_path / "tracker.yml").write_text("people: {kim: [Kim], rob: []}\n", encoding="utf-8")
    return str(path)


def test_a_taken_line_says_which_rule_took_it_its_owner_and_task(cli, tmp_path):
    path = write(tmp_path)
    config = str(tmp_path / "tracker.yml")
    out = cli("parse", "--config", config, path, "--explain", f"{path}:3").stdout
    lines = out.splitlines()
    assert lines[0] == f"{path}:3: * Quota period - Kim will take a look"
    assert "  clauses:  'Kim will take a look'" in lines
    assert "  verdict:  an AI, taken by the assignment rule: an owner committed to a task" in lines
    assert "  owners:   Kim -> @kim" in lines
    assert "  task:     take a look" in lines
    assert len(lines) < 24  # one screen


def test_a_rejected_line_says_why(cli, tmp_path):
    path = write(tmp_path)
    config = str(tmp_path / "tracker.yml")
    out = cli("parse", "--config", config, path, "--explain", f"{path}:4").stdout
    assert "  speaker:  rob (bracket)\n" in out
    assert out.endswith("  verdict:  not an AI: a speaker's question\n")


def test_a_heading_is_no_item(cli, tmp_path):
    path = write(tmp_path)
    out = cli("parse", path, "--explain", f"{path}:1").stdout
    assert "verdict:  not an AI: a heading" in out


def test_a_file_not_read_or_a_line_past_the_end_is_an_input_error(cli, tmp_path):
    path = write(tmp_path)
    missing = cli("parse", path, "--explain", "other.md:3", code=1)
    assert missing.stderr == (
        "tracker: error: other.md: not among the minutes read: name it as in PATHS\n"
    )
    past = cli("parse", path, "--explain", f"{path}:99", code=1)
    assert "line 99 is past the end (5 lines)" in past.stderr
    bad = cli("parse", path, "--explain", "3", code=2)
    assert "expected FILE:LINE" in bad.stderr
