"""Generated minutes archives for the benchmarks: many meetings, every AI form.

Deterministic (a fixed seed), so figures from two runs describe the same input.
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
_NOISE = (
    "discussion about the {thing}",
    "[{owner}] reviewed the {thing} PR",
    "{owner}: leaning yes on the {thing}",
    "proposal: move the {thing} to the next release",
    "see https://example.invalid/issues/{n} for details",
    "{owner} is willing to look at the {thing}",
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
            for _ in range(3):
                lines.append("    • " + rng.choice(_NOISE).format(owner=rng.choice(owners), thing=thing, n=counter))
            counter += 1
            task = f"{rng.choice(_VERBS)} the {thing} item {counter}"
            form = rng.choice(_FORMS)
            lines.append("    • " + form.format(owner=rng.choice(owners), task=task))
            if topic == 0 and index % 10 == 0:
                lines.append(f"    • needs issue, add to 3.{index} blockers [AI: carol]")
        lines += ["", "1 Like", ""]
        blocks.append("\n".join(lines))
    return "Team Meeting Minutes\n\n" + "\n".join(reversed(blocks))
