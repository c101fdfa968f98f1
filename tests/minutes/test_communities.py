"""Minutes in the styles other communities write, end to end through the CLI.

The fixtures in tests/fixtures/minutes are our own text in each convention: the
HackMD source of minutes like the Pulpcore ones (front matter, dated headings, a
"Previous AIs" bullet), a
Kubernetes-SIG-style notes doc (bold section paragraphs, task lists, @mentions), a
compiler-team triage page (front matter, an Action items section), and plain-text
board minutes (a dated title line, numbered sections, ACTION lines).
"""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "minutes"


def parse_json(cli, name: str) -> dict:
    return json.loads(cli("parse", "--format", "json", str(FIXTURES / name)).stdout)


def rows(data: dict) -> list[tuple[int, str | None, list[str], str]]:
    return [(ai["line"], ai["meeting"], ai["owners"], ai["text"]) for ai in data["action_items"]]


def test_sig_style_notes(cli):
    data = parse_json(cli, "sig-notes.md")
    assert [m["date"] for m in data["meetings"]] == ["2024-03-14", "2024-03-07"]
    assert rows(data) == [
        (11, "2024-03-14", ["@bo"], "follow up with sig-arch"),
        (13, "2024-03-14", ["cchen"], "file issues for the top 5 flakes"),
        (16, "2024-03-14", [], "CSI migration must land before 1.30 - add to 1.30 blockers"),
        # @bo is mentioned above, so "Bo will check …" is Bo's commitment.
        (17, "2024-03-14", ["Bo"], "check with release team"),
        (21, "2024-03-14", ["@dmitri"], "write the migration guide"),
        (22, "2024-03-14", ["@ana"], "send the survey"),
        (27, "2024-03-07", ["Ana"], "book the room"),
    ]
    blocker = data["action_items"][2]["blocker"]
    assert blocker == {"release": "1.30", "subject": "Release 1.30 (code freeze 2024-03-20)"}
    assert [ai["done"] for ai in data["action_items"]] == [False] * 5 + [True, False]


def test_triage_page_with_front_matter(cli):
    data = parse_json(cli, "triage.md")
    assert [m["date"] for m in data["meetings"]] == ["2024-02-29"]
    assert rows(data) == [
        (14, "2024-02-29", ["pnkfelix"], "write up the summary of the incremental discussion"),
        (15, "2024-02-29", ["wesleywiser"], "nominate #12345 for backport"),
        (16, "2024-02-29", ["@oli-obk"], "cleanup of the old query system"),
    ]


def test_plain_text_board_minutes(cli):
    data = parse_json(cli, "board.txt")
    assert [(m["date"], m["line"]) for m in data["meetings"]] == [("2024-01-17", 1)]
    assert rows(data) == [
        (11, "2024-01-17", ["John Doe"], "circulate the budget draft by Feb 1."),
        # Ken Ito is in the attendance list, so "Ken Ito will contact …" is an assignment.
        (12, "2024-01-17", ["Ken Ito"], "contact the auditor."),
        (18, "2024-01-17", ["Jane"], "draft the CoC update."),
    ]
    # Unknown people are kept as written, each with a warning at its line.
    assert [(w["line"], w["message"].split(":")[0]) for w in data["warnings"]] == [
        (11, "unknown owner 'John Doe'"),
        (12, "unknown owner 'Ken Ito'"),
        (18, "unknown owner 'Jane'"),
    ]


def test_hackmd_source_of_weekly_minutes(cli, tmp_path):
    config = tmp_path / "tracker.yml"
    config.write_text(
        "people:\n  hrivera: [HRivera]\n  okafor: [Obi]\n  tchen: []\ngroups: [team]\n",
        encoding="utf-8",
    )
    out = cli("parse", "--config", str(config), "--format", "json", str(FIXTURES / "hackmd.md"))
    data = json.loads(out.stdout)
    assert [(m["date"], m["skipped"]) for m in data["meetings"]] == [
        ("2024-03-12", False),
        ("2024-03-05", False),
        ("2024-02-27", True),
    ]
    assert rows(data) == [
        (13, "2024-03-12", ["hrivera"], "draft the 2.4 release notes"),
        (14, "2024-03-12", ["okafor"], "disable the flaky test"),
        (16, "2024-03-12", ["okafor"], "needs a tracking issue, add to 2.4 blockers"),
        (17, "2024-03-12", ["HRivera"], "ask the docs team for a review."),
        (24, "2024-03-05", ["hrivera"], "draft the 2.4 release notes"),
        (25, "2024-03-05", ["Obi"], "disable the flaky test"),
    ]
    by_line = {ai["line"]: ai for ai in data["action_items"]}
    # The "Previous AIs" bullet restates last week's AIs: carry-overs, not new ones.
    assert by_line[13]["carry_over_of"] == by_line[24]["id"]
    assert by_line[14]["carry_over_of"] == by_line[25]["id"]
    assert by_line[16]["blocker"] == {"release": "2.4", "subject": "chunked uploads"}
    assert data["warnings"] == []


def test_the_pre_check_changes_no_result(monkeypatch):
    """Every fixture parses the same with the quick pre-check turned off."""
    from tracker import parse
    from tracker.minutes.recognise import Recogniser

    paths = [str(p) for p in sorted(FIXTURES.iterdir()) if p.suffix in (".md", ".txt")]
    fast = parse(paths)
    monkeypatch.setattr(Recogniser, "may_hold", lambda self, text: True)
    assert parse(paths) == fast
