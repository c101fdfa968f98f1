"""The README's first command works on the example minutes shipped in the repository."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_first_command_parses_the_examples(cli, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli(
        "parse", "--config", "examples/tracker.yml", "--format", "json", "examples/minutes/"
    )
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
