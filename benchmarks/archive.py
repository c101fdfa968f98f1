"""Generated minutes archives for the benchmarks: many meetings, every AI form.

Shaped like real minutes (the Pulpcore corpus has about 2 AIs per KB, 47-byte lines):
five topics a meeting, each with six discussion lines and one AI. Deterministic (a
fixed seed), so figures from two runs describe the same input.
"""

from __future__ import annotations

import datetime
import random

PEOPLE = {
    "alice": ["Alice", "ali"],
    "bob": ["Robert"],
    "carol": [],
    "dave": ["Dave D"],
    "erin": [],
}
GROUPS = ["team", "all"]

_FORMS = (
    "AI: [{owner}] {task}",
    "AI: {owner} to {task}",
    "[AI] {owner} to {task}",
    "[AI {owner}] {task}",
    "{task} [AI: {owner}]",
    "[{owner}] to {task}",
    "{owner} to {task}",
    "Action item: {owner}: {task}",
)
# Discussion lines: most name nobody, a few start with a name, as in real minutes.
_NOISE = (
    "discussion about the {thing}, and whether it should wait for the next release",
    "proposal: move the {thing} work to the next release so that plugins can catch up",
    "see https://example.invalid/issues/{n} for the details and the earlier discussion",
    "what about backports? prob OK for the {thing}, for multiple reasons",
    "we need to fix this problem, or disable the unreliable {thing} tests for now",
    "CI is currently broken because of the {thing} change - about 1/3 of the tests fail",
    "{owner} is willing to look at the {thing}, but needs reviewers",
    "[{owner}] reviewed the {thing} PR, looks good",
    "{owner}: leaning yes on the {thing}",
    "question: does the {thing} need a migration? nobody knows yet",
    "consensus: the {thing} is fine as it is",
    "the {thing} is on hold until after the conference season",
)
_THINGS = ("release", "migration", "CI", "docs", "plugin API", "telemetry", "labels", "domains")
_VERBS = ("write", "review", "post", "update", "investigate", "open", "fix", "document")


def generate(meetings: int, *, action_items_per_meeting: int = 5, seed: int = 1) -> str:
    """Minutes for ``meetings`` weekly meetings, newest first, Discourse-text style."""
    rng = random.Random(seed)
    owners = list(PEOPLE) + ["Robert", "ali", "team"]
    day = datetime.date(2020, 1, 7)
    blocks = []
    counter = 0
    for index in range(meetings):
        date = day + datetime.timedelta(weeks=index)
        lines = [date.strftime("%B %-d, %Y"), ""]
        for topic in range(action_items_per_meeting):
            thing = rng.choice(_THINGS)
            lines.append(f"  • {thing} topic {counter}")
            for _ in range(6):
                lines.append(
                    "    • "
                    + rng.choice(_NOISE).format(owner=rng.choice(owners), thing=thing, n=counter)
                )
            counter += 1
            task = f"{rng.choice(_VERBS)} the {thing} item {counter}"
            form = rng.choice(_FORMS)
            lines.append("    • " + form.format(owner=rng.choice(owners), task=task))
            if topic == 0 and index % 10 == 0:
                lines.append(f"    • needs issue, add to 3.{index} blockers [AI: carol]")
        lines += ["", "1 Like", ""]
        blocks.append("\n".join(lines))
    return "Team Meeting Minutes\n\n" + "\n".join(reversed(blocks))
