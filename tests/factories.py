"""Action items as the parser hands them on: owners already resolved to logins and groups."""

from __future__ import annotations

import datetime

from tracker.config import Config
from tracker.identity import action_item_id
from tracker.issue import IssueFields, IssueMaker
from tracker.model import ActionItem

CONFIG = Config(people={"dkliban": ("Dennis",), "ggainey": ()}, groups=("team", "all"))
MEETING = datetime.date(2022, 11, 15)


def ai(
    text: str, *, owners: tuple[str, ...] = ("ggainey",), line: int = 10, **kw: object
) -> ActionItem:
    """An AI of the 2022-11-15 meeting, owned by known people unless told otherwise."""
    assignees = tuple(CONFIG.login_for(o) for o in owners if CONFIG.login_for(o))
    group = next((CONFIG.group_for(o) for o in owners if CONFIG.group_for(o)), None)
    values: dict[str, object] = {
        "id": action_item_id(MEETING.isoformat(), text),
        "source": "minutes/2022.md",
        "line": line,
        "meeting": MEETING,
        "owners": owners,
        "assignees": assignees,
        "group": group,
        "text": text,
        "topic": ("3.22 release schedule",),
        "raw": f"AI: {', '.join(owners)} to {text}",
    }
    values.update(kw)
    return ActionItem(**values)  # type: ignore[arg-type]


def issue_fields(
    item: ActionItem, *, config: Config = CONFIG, link_base: str | None = None
) -> IssueFields:
    """The fields ``item``'s issue should have in a repository where both people are assignable."""
    maker = IssueMaker(
        config, repo="pulp/pulpcore", assignable=("dkliban", "ggainey"), link_base=link_base
    )
    return maker.fields(item)
