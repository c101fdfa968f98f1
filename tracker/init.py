"""``tracker init``: set up a repository that keeps its minutes to use tracker (issue 11).

Writes a commented ``tracker.yml`` (the people the minutes name, listed for the user to
map to GitHub logins; ``sync.since`` set to the newest meeting's date, so that the first
sync opens issues only for live AIs) and the two workflows that run the tracker action:
``tracker-sync.yml`` on every change to the minutes, ``tracker-pending.yml`` weekly.
Refuses to overwrite any of them without ``force``. Reads no GitHub.

Minutes on the web (``discourse:https://HOST/t/SLUG/ID``, an ``https://`` URL; issue 13)
are read once, for the same people and ``sync.since``, and named in ``sources:``; their
workflows (``templates/init/web``) run on a schedule, since nothing is pushed when a post
changes, keep a topic's version cache with ``actions/cache``, and post the section back
only when asked (``post``, ``edit_post``), the only place that gets Discourse's secrets.
"""

from __future__ import annotations

import datetime
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tracker import files
from tracker.config import Config
from tracker.errors import InputError, TrackerError
from tracker.locations import Kind, locate
from tracker.minutes import parse
from tracker.model import ActionItem, Minutes
from tracker.templating import builtin_templates_dir
from tracker.words import counted

#: Where the action lives, pinned by commit as Actions' hardening guide asks (and zizmor
#: checks): a commit whose action.yml is this tree's (a test holds them equal), so a change
#: to the action is followed by a commit moving the pin onto it.
ACTION_REPOSITORY = "minutes-tracker/tracker"
ACTION_COMMIT = "52ebacab81c9044c66cd152dfa3ac9fd80e16e8b"
ACTION = f"{ACTION_REPOSITORY}@{ACTION_COMMIT}"

WORKFLOWS = ("tracker-sync.yml", "tracker-pending.yml")
CONFIG_FILE = "tracker.yml"
#: Where the workflows keep ``discourse.cache`` (its default file is inside).
CACHE_DIR = ".tracker-cache"
#: actions/cache, pinned as action.yml pins it.
CACHE_STEP = f"""\
      - uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3
        with:
          # discourse.cache: each post's Markdown by its version, so that a run with no
          # edit reads only the topic's post list
          path: {CACHE_DIR}
          key: tracker-discourse-${{{{ github.run_id }}}}
          restore-keys: tracker-discourse-"""


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
    web: bool = False
    """The minutes are on the web (``sources:`` names them; the commands need no PATH)."""
    posting: bool = False
    """The weekly workflow posts the section back to the topic."""
    unread: str | None = None
    """Why the minutes on the web could not be read (no people listed, no ``sync.since``)."""

    def next_steps(self) -> str:
        """What to do next, for the terminal."""
        lines = [f"tracker: wrote {', '.join(self.written)}", "", "Next steps:"]
        if self.unread is not None:
            lines += [
                f"  - tracker could not read the minutes: {self.unread}",
                "    so no people are listed and sync.since is not set: the first sync opens",
                "    an issue for every AI (set sync.since to a meeting's date to start there)",
            ]
        if not self.found_minutes:
            lines.append(f"  - put the minutes in {self.minutes}/ (or rerun with --minutes PATH)")
        if self.people:
            lines.append(
                f"  - map the {counted(len(self.people), 'person')} listed in {CONFIG_FILE} to their "
                "GitHub logins (until then their AIs stay unassigned)"
            )
        given = "" if self.web else f" {self.minutes}"
        lines += [
            f"  - check the config and the minutes: tracker check{given}",
            (
                "  - the first sync's plan: "
                f"GITHUB_TOKEN=… tracker sync --dry-run --repo OWNER/NAME{given}"
            ),
            "    (a dry run writes nothing, but reads the repository's issues with the token)",
        ]
        lines += self._actions_steps()
        if self.since is not None:
            lines.append(
                f"  - sync.since is {self.since.isoformat()}: older AIs get no issue unless "
                "a later Pending AIs section carries them; move it back to take more"
            )
        return "\n".join(lines) + "\n"

    def _actions_steps(self) -> list[str]:
        settings = (
            "  - in the repository's Settings > Actions > General, let workflows read and write"
        )
        if not self.web:
            return [
                settings,
                "    (the sync opens issues; the weekly job commits the Pending AIs section);",
                "    with pending.pull_request, also allow Actions to create pull requests",
                "  - commit and push: each run's plan, warnings and links are in its job summary",
            ]
        lines = [
            settings,
            "    (the hourly sync opens issues; the weekly job shows the section in its summary)",
        ]
        if self.posting:
            lines += [
                "  - add the repository secrets DISCOURSE_API_KEY and DISCOURSE_API_USERNAME:",
                "    a user allowed to reply to the topic; make it staff (or list it in",
                "    discourse.authors) so that the sync, which has no key, knows its replies",
            ]
        lines.append("  - commit and push: each run's plan, warnings and links are in its summary")
        return lines


def init(
    root: str | Path = ".",
    *,
    minutes: str = "minutes",
    pending_file: str | None = None,
    action: str = ACTION,
    branch: str = "main",
    force: bool = False,
    post: bool = False,
    edit_post: int | None = None,
) -> InitResult:
    """Write ``tracker.yml`` and the two workflows into ``root``; ``minutes`` (a path
    relative to it, or minutes on the web) and ``pending_file`` are relative to it.
    ``post``/``edit_post``: the weekly workflow posts the section back to the topic."""
    base = Path(root)
    kind = _kind(minutes, posting=post or edit_post is not None)
    targets = [base / CONFIG_FILE] + [base / ".github" / "workflows" / n for n in WORKFLOWS]
    there = [str(t.relative_to(base)) for t in targets if t.exists()]
    if there and not force:
        raise AlreadyThere(
            f"{', '.join(there)}: already there; nothing was written",
            hint="rerun with --force to overwrite",
        )
    where = base / minutes
    found = kind is not Kind.PATH or where.exists()
    unread = None
    if kind is not Kind.PATH:
        parsed, unread = _read_web(minutes)
    else:
        parsed = parse([str(where)], config=Config()) if found else Minutes()
    since = max((m.date for m in parsed.meetings if m.date), default=None)
    people = _people(parsed.distinct_action_items, base)
    if kind is Kind.PATH:
        folder = where.is_dir() or not found
        values = _path_values(minutes, folder=folder, pending_file=pending_file, branch=branch)
    else:
        values = _web_values(minutes, kind, post=post, edit_post=edit_post)
    values["__ACTION__"] = action
    folder_name = "" if kind is Kind.PATH else "web"
    source = None if kind is Kind.PATH else minutes
    texts = [config_text(people, since, source=source)]
    texts += [_workflow(n, values, folder=folder_name) for n in WORKFLOWS]
    for target, text in zip(targets, texts):
        target.parent.mkdir(parents=True, exist_ok=True)
        files.atomic_write(target, text.encode("utf-8"))
    written = tuple(str(t.relative_to(base)) for t in targets)
    web, posting = kind is not Kind.PATH, post or edit_post is not None
    return InitResult(written, people, since, minutes, found, web, posting, unread)


def _path_values(
    minutes: str, *, folder: bool, pending_file: str | None, branch: str
) -> dict[str, str | None]:
    return {
        "__MINUTES__": _plain_or_quoted(minutes),
        "__MINUTES_GLOB__": _inside_quotes(f"{minutes.rstrip('/')}/**" if folder else minutes),
        "__PENDING_FILE__": _inside_quotes(pending_file or ""),
        "__BRANCH__": branch,
    }


def _plain_or_quoted(value: str) -> str:
    """``value`` as a YAML scalar: as written when YAML reads it back as that text (``minutes``,
    ``my notes``), else double-quoted (``notes #3``, ``a: b``, ``2024``, a ``"``)."""
    try:
        plain = yaml.safe_load(value) == value and "\n" not in value
    except (yaml.YAMLError, ValueError):  # ValueError: a date that is no day, 2024-13-45
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _inside_quotes(value: str) -> str:
    """``value`` escaped for a slot already inside double quotes (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _kind(minutes: str, *, posting: bool) -> Kind:
    """What ``minutes`` names; posting back needs a Discourse topic."""
    try:
        kind = locate(minutes).kind
    except ValueError as exc:
        raise InputError(str(exc), path=minutes) from None
    if "${{" in minutes:  # it goes into the workflows, where Actions would evaluate it
        raise InputError("an address with ${{ cannot go into a workflow", path=minutes)
    if posting and kind is not Kind.DISCOURSE:
        raise InputError(
            "--post and --edit-post post to a Discourse topic",
            path=minutes,
            hint="give --minutes discourse:https://HOST/t/SLUG/ID",
        )
    return kind


def _read_web(minutes: str) -> tuple[Minutes, str | None]:
    """The minutes on the web, read once for the people and ``sync.since`` (the version
    cache in a temporary folder: nothing is left in the repository); unreadable, none and
    why: the files are written all the same, for a forum this machine cannot reach."""
    from tracker.sources import gather

    with tempfile.TemporaryDirectory() as folder:
        config = Config(discourse_cache=str(Path(folder) / "discourse.json"))
        try:
            return gather([minutes], config=config).minutes, None
        except TrackerError as exc:
            return Minutes(), str(exc)


def _web_values(
    minutes: str, kind: Kind, *, post: bool, edit_post: int | None
) -> dict[str, str | None]:
    discourse = kind is Kind.DISCOURSE
    if post or edit_post is not None:
        inputs = [
            "          # Posts the section back (opt-in: `tracker init --post` or --edit-post ID),",
            "          # as the user of the key in the repository's secrets.",
        ]
        inputs += [f"          post: {json.dumps(minutes)}"] if post else []
        inputs += [f'          edit-post: "{edit_post}"'] if edit_post is not None else []
        inputs += [
            "          discourse-api-key: ${{ secrets.DISCOURSE_API_KEY }}",
            "          discourse-api-username: ${{ secrets.DISCOURSE_API_USERNAME }}",
        ]
    elif discourse:
        inputs = [
            "          # To post the section back to the topic, rerun `tracker init --force",
            "          # --post` (a reply) or `--edit-post ID` (into post ID), with the",
            "          # DISCOURSE_API_KEY and DISCOURSE_API_USERNAME repository secrets.",
        ]
    else:
        inputs = []
    return {
        "__MINUTES__": json.dumps(minutes),
        "__SOURCE_KIND__": "a Discourse topic" if discourse else "a Markdown URL",
        "__CACHE_STEP__": CACHE_STEP if discourse else None,
        "__POST_INPUTS__": "\n".join(inputs) or None,
    }


def _workflow(name: str, values: dict[str, str | None], *, folder: str = "") -> str:
    """A workflow template with its placeholders filled; a line holding only a placeholder
    whose value is None is left out."""
    text = (builtin_templates_dir() / "init" / folder / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if values.get(line.strip(), "") is not None]
    text = "\n".join(lines) + "\n"
    for placeholder, value in values.items():
        text = text.replace(placeholder, value or "")
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


def config_text(
    people: Iterable[Person], since: datetime.date | None, *, source: str | None = None
) -> str:
    """The commented tracker.yml; ``source``: the minutes on the web it names."""
    lines = [
        "# tracker's config: who is who on GitHub, and how sync runs. Every key is in the",
        "# README's Configuration table; `tracker check` checks this file and the minutes.",
        "",
        "# The repository the issues go to (default: the one the workflow runs in).",
        "# repo: owner/name",
        "",
    ]
    if source is not None:
        lines += _sources_text(source)
    lines += [
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
    if source is None:
        lines += [
            "",
            "pending:",
            "  # true: the weekly refresh of the Pending AIs section comes as a pull request.",
            "  pull_request: false",
        ]
    return "\n".join(lines) + "\n"


def _sources_text(source: str) -> list[str]:
    lines = [
        "# Where the minutes are, read on every run (the commands need no PATH).",
        f"sources: [{json.dumps(source)}]",
        "",
    ]
    if locate(source).kind is Kind.DISCOURSE:
        lines += [
            "discourse:",
            "  # Each post's Markdown by its version; the workflows keep it with actions/cache.",
            f"  cache: {CACHE_DIR}/discourse.json",
            "  # Whose posts are minutes (default: the topic's creator and staff). Listed, only",
            "  # theirs are read: anyone can reply on a forum.",
            "  # authors: [LOGIN, LOGIN]",
            "",
        ]
    return lines


def _ais(count: int) -> str:
    return "1 AI" if count == 1 else f"{count} AIs"
