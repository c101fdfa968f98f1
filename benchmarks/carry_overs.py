"""Carry-over linking on a carry-heavy archive: right links, and time growing linearly.

    python -m benchmarks.carry_overs [--meetings 100 200 400] [--open 12]

Each meeting opens five AIs (``AI: [owner] review item 7``) and its Pending AIs section
restates the AIs of the meetings before that are still open, each with a note appended
(``… item 7 - in progress, blocked on review``), as teams write them. Prints, per size,
the parse time (best of 3), the restatements, and how many link to their own original,
to a neighbour, or to none. A figure, not a test: the machine is small and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import time

from tracker import parse_text
from tracker.config import parse_config

_OWNERS = ("alice", "bob", "carol", "dave")
_NOTES = ("wip", "in progress, blocked on review", "no update", "PR open, needs a second review")


def generate(meetings: int, *, still_open: int = 12) -> tuple[str, dict[int, int]]:
    """The archive, and for each restatement line the line of its original."""
    lines: list[str] = []
    originals: list[tuple[int, str, str]] = []  # (line, owner, task)
    expected: dict[int, int] = {}
    for index in range(meetings):
        day = datetime.date(2000, 1, 4) + datetime.timedelta(weeks=index)
        lines += [f"## {day.isoformat()}", "", "- Discussion"]
        for k in range(5):
            number = index * 5 + k
            owner = _OWNERS[number % len(_OWNERS)]
            task = f"review item {number} of the backlog"
            lines.append(f"  - AI: [{owner}] {task}")
            originals.append((len(lines), owner, task))
        lines += ["", "### Pending AIs", ""]
        for line, owner, task in originals[-5 - still_open : -5]:
            note = _NOTES[line % len(_NOTES)]
            lines.append(f"- [{owner}] {task} - {note}")
            expected[len(lines)] = line
        lines.append("")
    return "\n".join(lines) + "\n", expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--open", type=int, default=12, help="AIs each section restates")
    args = parser.parse_args()
    config = parse_config({"people": {o: [] for o in _OWNERS}}).config
    print(f"{'meetings':>8} {'seconds':>8} {'restated':>9} {'own':>6} {'other':>6} {'none':>6}")
    for meetings in args.meetings:
        text, expected = generate(meetings, still_open=args.open)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            minutes = parse_text(text, source="archive.md", config=config)
            best = min(best, time.perf_counter() - start)
        by_line = {ai.line: ai for ai in minutes.action_items}
        own = other = none = 0
        for line, original in expected.items():
            link = by_line[line].carry_over_of if line in by_line else None
            if link is None:
                none += 1
            elif link == by_line[original].id:
                own += 1
            else:
                other += 1
        print(f"{meetings:>8} {best:>8.3f} {len(expected):>9} {own:>6} {other:>6} {none:>6}")


if __name__ == "__main__":
    main()
