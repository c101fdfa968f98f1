"""The README says what tracker does: its first commands run as written, and its config
table is the config's schema.

``python -m tests.test_readme`` rewrites the README's config table from the schema.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from tracker.config import reference_table
from tracker.files import Markers, splice

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CONFIG_TABLE = Markers(
    "<!-- tracker:config-reference:start -->",
    "<!-- tracker:config-reference:end -->",
    "config reference",
)


def readme_commands() -> list[str]:
    """The `tracker …` command lines of the README's code blocks, in order."""
    blocks = re.findall(
        r"^```[^\n]*\n(.*?)^```", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL
    )
    lines = (line.strip().removeprefix("$ ") for block in blocks for line in block.splitlines())
    return [line for line in lines if line.startswith("tracker ")]


def run(cli, command: str):
    words = shlex.split(command)
    assert words[0] == "tracker"
    return cli(*words[1:])


def test_the_readme_s_first_command_runs_the_demo_and_leaves_nothing(cli, monkeypatch, tmp_path):
    """The README's first command: the whole loop on the local GitHub (tests/test_demo.py
    checks what it prints), nothing written where it runs."""
    monkeypatch.chdir(tmp_path)
    result = run(cli, readme_commands()[0])
    assert result.stderr == ""
    assert result.stdout.startswith("tracker demo: a GitHub on this machine at http://127.0.0.1:")
    assert list(tmp_path.iterdir()) == []


def test_the_readme_s_second_command_prints_the_examples_as_a_table(cli, monkeypatch):
    """The README's second command: a table of the example minutes, no warning."""
    monkeypatch.chdir(ROOT)
    result = run(cli, readme_commands()[1])
    assert result.stderr == ""
    assert result.stdout.startswith("2024-05-07  examples/minutes/2024-05-07.md:1\n")
    assert result.stdout.endswith(
        "4 meetings, 12 action items (11 distinct), 2 blocker decisions, 0 warnings\n"
    )


def test_the_readme_s_third_command_parses_the_examples_as_json(cli, monkeypatch):
    """The README's third command: the example minutes' meetings and AIs as JSON."""
    monkeypatch.chdir(ROOT)
    result = run(cli, readme_commands()[2])
    data = json.loads(result.stdout)
    assert result.stderr == ""
    assert [m["date"] for m in data["meetings"]] == [
        "2024-05-07",
        "2024-04-30",
        "2024-04-23",
        "2024-04-16",
    ]
    assert [m["skipped"] for m in data["meetings"]] == [False, False, False, True]
    got = [(ai["line"], ai["assignees"] or ai["group"], ai["text"]) for ai in data["action_items"]]
    assert got == [
        (11, ["okafor"], "needs a tracking issue, add to 2.4 blockers"),
        (13, ["hrivera"], "draft the 2.4 release notes"),
        (14, ["tchen"], "check the upgrade path from 2.2"),
        (20, ["okafor"], "disable the flaky test until the fix lands"),
        (25, ["mlindqvist"], "write a proposal for the dedicated runner"),
        (26, "team", "review the contributor guide by Friday"),
        (7, ["hrivera"], "rewrite the quick start"),
        (8, ["okafor"], "record a demo for the forum"),
        (11, ["mlindqvist"], "collect the requirements"),
        (15, ["hrivera"], "publish the roadmap"),
        (17, ["mlindqvist"], "find the issue; add it to 2.4 blockers."),
        (25, ["mlindqvist"], "find the issue; add it to 2.4 blockers."),
    ]
    carry = data["action_items"][10]
    assert carry["carry_over_of"] == data["action_items"][11]["id"]
    blockers = {
        (ai["blocker"]["release"], ai["blocker"]["subject"])
        for ai in data["action_items"]
        if ai["blocker"]
    }
    assert blockers == {("2.4", "chunked uploads"), ("2.4", "Upgrading the database driver")}


def test_the_readme_s_config_table_is_generated_from_the_schema():
    """Every key, its default and its meaning, as tracker/config.py declares them."""
    text = README.read_text(encoding="utf-8")
    assert splice(text, reference_table(), markers=CONFIG_TABLE) == text, (
        "README.md's config table differs from the schema; run: python -m tests.test_readme"
    )


def test_the_config_table_lists_every_key_the_loader_reads():
    """The table is the loader's own list: a key added to the schema shows up in the README."""
    keys = re.findall(r"^\| `([\w.]+)` \|", reference_table(), re.MULTILINE)
    assert keys == [
        "repo",
        "people",
        "groups",
        "patterns.action_items",
        "patterns.blockers",
        "sections.pending",
        "sections.action_items",
        "sections.every_item",
        "labels.action_item",
        "labels.blocker",
        "labels.group",
        "milestone",
        "bot_authors",
        "mentions",
        "templates",
        "sync.max_creates",
        "sync.since",
        "pending.pull_request",
        "limits.max_wait",
        "limits.time_budget",
        "limits.creates_per_hour",
        "sources",
        "discourse.cache",
        "discourse.authors",
    ]


if __name__ == "__main__":
    README.write_text(
        splice(README.read_text(encoding="utf-8"), reference_table(), markers=CONFIG_TABLE),
        encoding="utf-8",
    )
