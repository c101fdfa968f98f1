"""``tracker init``: set up a repository that keeps its minutes to use tracker (issue 11).

Writes a commented ``tracker.yml`` (the people the minutes name, listed for the user to
map to GitHub logins; ``sync.since`` set to the newest meeting's date, so that the first
sync opens issues only for live AIs) and the two workflows that run the tracker action:
``tracker-sync.yml`` on every change to the minutes, ``tracker-pending.yml`` weekly.
Refuses to overwrite any of them without ``force``. Reads no GitHub.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tracker import files
from tracker.config import Config
from tracker.errors import TrackerError
from tracker.minutes import parse
from tracker.model import ActionItem, Minutes
from tracker.templating import builtin_templates_dir

#: Where the action lives, pinned by commit as Actions' hardening guide asks (and zizmor
#: checks): the commit that added action.yml. A release moves it forward.
ACTION_REPOSITORY = "minutes-tracker/tracker"
ACTION_COMMIT = "a3cef35754f1d2dd97f88ff93b54cb2ca5ae8627"
ACTION = f"{ACTION_REPOSITORY}@{ACTION_COMMIT}"

WORKFLOWS = ("tracker-sync.yml", "tracker-pending.yml")
CONFIG_FILE = "tracker.yml"


class AlreadyThere(TrackerError):
    """A file ``tracker init`` would write exists: nothing was written."""


@dataclass(frozen=True)
class Person:
    """A name the minutes give an owner, with how often and where first."""

    name: str
    action_items: int
    first: str
    """``source:line`` of its first AI."""


@dataclass(frozen=True)
class InitResult:
    """What ``tracker init`` wrote, and what it found in the minutes."""

    written: tuple[str, ...]
    people: tuple[Person, ...]
    since: datetime.date | None
    minutes: str
    found_minutes: bool

    def next_steps(self) -> str:
        """What to do next, for the terminal."""
        lines = [f"tracker: wrote {', '.join(self.written)}", "", "Next steps:"]
        if not self.found_minutes:
            lines.append(f"  - put the minutes in {self.minutes}/ (or rerun with --minutes PATH)")
        if self.people:
            lines.append(
                f"  - map the {len(self.people)} people listed in {CONFIG_FILE} to their "
                "GitHub logins (until then their AIs stay unassigned)"
            )
        lines += [
            f"  - check the config and the minutes: tracker check {self.minutes}",
            f"  - the first sync's plan: tracker sync --dry-run --repo OWNER/NAME {self.minutes}",
            "  - in the repository's Settings > Actions > General, let workflows read and write",
            "    (the sync opens issues; the weekly job commits the Pending AIs section);",
            "    with pending.pull_request, also allow Actions to create pull requests",
            "  - commit and push: each run's plan, warnings and links are in its job summary",
        ]
        if self.since is not None:
            lines.append(
                f"  - sync.since is {self.since.isoformat()}: older AIs get no issue unless "
                "a later Pending AIs section carries them; move it back to take more"
            )
        return "\n".join(lines) + "\n"


def init(
    root: str | Path = ".",
    *,
    minutes: str = "minutes",
    pending_file: str | None = None,
    action: str = ACTION,
    branch: str = "main",
    force: bool = False,
) -> InitResult:
    """Write ``tracker.yml`` and the two workflows into ``root``; ``minutes`` and
    ``pending_file`` are relative to it."""
    base = Path(root)
    targets = [base / CONFIG_FILE] + [base / ".github" / "workflows" / n for n in WORKFLOWS]
    there = [str(t.relative_to(base)) for t in targets if t.exists()]
    if there and not force:
        raise AlreadyThere(
            f"{', '.join(there)}: already there; nothing was written",
            hint="rerun with --force to overwrite",
        )
    where = base / minutes
    found = where.exists()
    parsed = parse([str(where)], config=Config()) if found else Minutes()
    since = max((m.date for m in parsed.meetings if m.date), default=None)
    people = _people(parsed.distinct_action_items, base)
    folder = where.is_dir() or not found
    values = {
        "__ACTION__": action,
        "__MINUTES__": minutes,
        "__MINUTES_GLOB__": f"{minutes.rstrip('/')}/**" if folder else minutes,
        "__PENDING_FILE__": pending_file or "",
        "__BRANCH__": branch,
    }
    texts = [config_text(people, since)] + [_workflow(n, values) for n in WORKFLOWS]
    for target, text in zip(targets, texts):
        target.parent.mkdir(parents=True, exist_ok=True)
        files.atomic_write(target, text.encode("utf-8"))
    written = tuple(str(t.relative_to(base)) for t in targets)
    return InitResult(written, people, since, minutes, found)


def _workflow(name: str, values: dict[str, str]) -> str:
    text = (builtin_templates_dir() / "init" / name).read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _people(action_items: Iterable[ActionItem], base: Path) -> tuple[Person, ...]:
    """The owners the minutes name (groups aside), most AIs first."""
    config = Config()
    found: dict[str, list[ActionItem]] = {}
    names: dict[str, str] = {}
    for ai in action_items:
        for owner in ai.owners:
            if config.group_for(owner) is None:
                key = owner.lstrip("@").casefold()
                names.setdefault(key, owner)
                found.setdefault(key, []).append(ai)
    people = [
        Person(names[key], len(ais), f"{_shown(ais[0].source, base)}:{ais[0].line}")
        for key, ais in found.items()
    ]
    return tuple(sorted(people, key=lambda p: (-p.action_items, p.name.casefold())))


def _shown(source: str, base: Path) -> str:
    path = Path(source)
    return (path.relative_to(base) if path.is_relative_to(base) else path).as_posix()


def config_text(people: Iterable[Person], since: datetime.date | None) -> str:
    """The commented tracker.yml."""
    lines = [
        "# tracker's config: who is who on GitHub, and how sync runs. Every key is in the",
        "# README's Configuration table; `tracker check` checks this file and the minutes.",
        "",
        "# The repository the issues go to (default: the one the workflow runs in).",
        "# repo: owner/name",
        "",
        "# GitHub login -> the names the minutes write for that person.",
        "people:",
    ]
    listed = list(people)
    logins = [p for p in listed if p.name.startswith("@")]
    names = [p for p in listed if not p.name.startswith("@")]
    for person in logins:
        lines.append(
            f"  {person.name[1:]}: []  # {_ais(person.action_items)}, first at {person.first}"
        )
    if names:
        lines += [
            "  # Named in the minutes: put each name under its owner's GitHub login and",
            "  # remove the #, e.g. `kim-lee: [Kim, KLee]`. Until then their AIs stay unassigned.",
        ]
        lines += [
            f"  # LOGIN: [{p.name}]  # {_ais(p.action_items)}, first at {p.first}" for p in names
        ]
    lines += [
        "",
        "# Owners that mean the whole team: a group label instead of assignees.",
        "groups: [team, all, everyone]",
        "",
        "sync:",
        "  # A sync that would open more issues than this opens none, and asks for --yes.",
        "  max_creates: 50",
    ]
    if since is not None:
        lines += [
            "  # The newest meeting when tracker was set up: AIs of older meetings get no",
            "  # issue unless a later Pending AIs section still carries them.",
            f"  since: {since.isoformat()}",
        ]
    lines += [
        "",
        "pending:",
        "  # true: the weekly refresh of the Pending AIs section comes as a pull request.",
        "  pull_request: false",
    ]
    return "\n".join(lines) + "\n"


def _ais(count: int) -> str:
    return "1 AI" if count == 1 else f"{count} AIs"
