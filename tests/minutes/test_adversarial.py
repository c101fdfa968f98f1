"""Hostile lines cost linear time (issue 10, item 8): no pattern may backtrack.

Each line is 100,000 characters shaped to make a careless regex or a clause loop
quadratic (the kind of line that took 36 s before). The bound is CPU time, not wall
time, so a busy machine does not fail it; quadratic behaviour takes tens of seconds.
"""

from __future__ import annotations

import time

import pytest

from tracker import parse_text
from tracker.config import parse_config

CONFIG = parse_config({"people": {"kim": ["Kim"]}}).config
N = 100_000

LINES = {
    "marker then spaces": "AI:" + " " * N,
    "heading marker then spaces": "## AI:" + " " * N,
    "marker then tabs": "AI:" + "\t" * N + "x",
    "mentions": "task " + "@a " * (N // 3),
    "open bracket marker": "x [AI " + "a" * N,
    "open annotation": "AI: x (#" + "1" * N,
    "annotation then spaces": "AI: Kim to x (#1)" + " " * N + "y",
    "annotations between clauses": "Kim to x (#1); " * (N // 15),
    "names and commas": "Kim, " * (N // 5) + "to do it",
    "owner and link words": "Kim will " * (N // 9),
    "dashes": "fix it" + " -" * (N // 2) + " Kim",
    "colons": "a: " * (N // 3),
    "sentences": "x. " * (N // 3),
    "emphasis": "**" * (N // 2),
    "parentheses": "(" * N,
    "brackets": "[" * N,
    "arrows": "-> " * (N // 3),
}


@pytest.mark.parametrize("line", LINES.values(), ids=LINES.keys())
def test_a_hostile_line_parses_in_linear_time(line):
    text = f"## 2024-01-01\n\n- {line}\n\nAttendees: Kim\n"
    start = time.process_time()
    parse_text(text, source="m.md", config=CONFIG)
    assert time.process_time() - start < 0.5
