"""The typed, frozen configuration and its one loader.

A config file is YAML (``tracker.yml`` or ``.github/tracker.yml``)::

    repo: pulp/pulpcore
    people:                    # GitHub login -> the names people write for them
      dkliban: [Dennis, DKliban]
    groups: [team, all]        # owners that mean the whole team

Each option's documentation sits next to its field below; the README's config
reference is written from it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.errors import ConfigError

DEFAULT_CONFIG_FILES = (
    "tracker.yml",
    "tracker.yaml",
    ".github/tracker.yml",
    ".github/tracker.yaml",
)

#: A GitHub repository's full name, ``owner/name``.
REPO_NAME = re.compile(r"[\w.-]+/[\w.-]+")

DEFAULT_PENDING_SECTIONS = (
    "Pending AIs",
    "Pending action items",
    "Previous action items",
    "Open action items",
    "Outstanding action items",
    "Carried over action items",
    "Action items from last meeting",
    "Previous AIs",
    "Open AIs",
    "Action items, by person",  # MeetBot's summary restates the action items per person
)
DEFAULT_ACTION_ITEM_SECTIONS = (
    "Action items",
    "AIs",
    "Actions",
    "Action points",
    "Todo",
    "To do",
    "Tasks",
)


def _doc(text: str) -> dict[str, str]:
    return {"doc": text}


@dataclass(frozen=True)
class Config:
    """Everything tracker can be told, with its defaults."""

    path: str | None = field(default=None, metadata=_doc("The file this was read from, if any."))
    repo: str | None = field(
        default=None,
        metadata=_doc("`owner/name` of the GitHub repository that holds the issues."),
    )
    people: Mapping[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata=_doc(
            "GitHub login -> the names written for that person in the minutes. "
            "The login itself always counts; names match case-insensitively."
        ),
    )
    groups: tuple[str, ...] = field(
        default=("team", "all", "everyone"),
        metadata=_doc("Owners that mean the whole team: no assignee, a group label instead."),
    )
    action_item_patterns: tuple[re.Pattern[str], ...] = field(
        default=(),
        metadata=_doc(
            "`patterns.action_items`: extra regular expressions for AI lines, tried before the "
            "built-in forms, with a named group `text` and optionally `owner`."
        ),
    )
    blocker_patterns: tuple[re.Pattern[str], ...] = field(
        default=(),
        metadata=_doc(
            "`patterns.blockers`: extra regular expressions for blocker decisions, with a named "
            "group `release` and optionally `subject`."
        ),
    )
    pending_sections: tuple[str, ...] = field(
        default=DEFAULT_PENDING_SECTIONS,
        metadata=_doc(
            "`sections.pending`: titles of sections that restate open AIs (carry-overs)."
        ),
    )
    action_item_sections: tuple[str, ...] = field(
        default=DEFAULT_ACTION_ITEM_SECTIONS,
        metadata=_doc("`sections.action_items`: titles of sections whose every item is an AI."),
    )
    label: str = field(
        default="action-item", metadata=_doc("`labels.action_item`: the tracker's label.")
    )
    blocker_label: str = field(
        default="release-blocker", metadata=_doc("`labels.blocker`: label of blocker issues.")
    )
    group_label: str = field(
        default="owner:{group}",
        metadata=_doc("`labels.group`: label given instead of assignees to group-owned AIs."),
    )
    milestone: str = field(
        default="{release}", metadata=_doc("Milestone name for a release's blockers.")
    )
    bot_authors: tuple[str, ...] = field(
        default=("github-actions[bot]",),
        metadata=_doc("Authors besides the token's user whose tracker issues are trusted."),
    )
    templates: str | None = field(
        default=None,
        metadata=_doc(
            "A folder of the team's own Jinja2 templates, tried before the built-in ones."
        ),
    )

    _login_index: dict[str, str] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _group_index: dict[str, str] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # Name -> login and name -> group, folded once: owners are looked up per AI line.
        logins: dict[str, str] = {}
        for login, names in self.people.items():
            logins[login.casefold()] = login
            for name in names:
                logins.setdefault(name.casefold(), login)
        object.__setattr__(self, "_login_index", logins)
        object.__setattr__(self, "_group_index", {g.casefold(): g for g in self.groups})

    def login_for(self, name: str) -> str | None:
        """The GitHub login a written name stands for, or None when nobody is known by it."""
        return self._login_index.get(name.lstrip("@").casefold())

    def group_for(self, name: str) -> str | None:
        """The configured group a written name stands for, or None."""
        return self._group_index.get(name.casefold())

    @property
    def known_names(self) -> tuple[str, ...]:
        """Every name (logins, aliases, groups) an owner can be written as, case-folded."""
        return tuple(self._login_index) + tuple(self._group_index)


@dataclass(frozen=True)
class Loaded:
    config: Config
    warnings: tuple[str, ...]


_TOP_KEYS = {
    "repo": "`owner/name`",
    "people": "a mapping of login to names",
    "groups": "a list of names",
    "patterns": "a mapping with `action_items` and `blockers`",
    "sections": "a mapping with `pending` and `action_items`",
    "labels": "a mapping with `action_item`, `blocker` and `group`",
    "milestone": "a string with `{release}`",
    "bot_authors": "a list of logins",
    "templates": "a folder",
}


def find_config_file(start: Path | None = None) -> Path | None:
    """The first of the default config files that exists in ``start`` (the working folder)."""
    base = start or Path.cwd()
    for name in DEFAULT_CONFIG_FILES:
        candidate = base / name
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | os.PathLike[str] | None = None, *, search: bool = True) -> Loaded:
    """Read a config file; with no path, the default files, else the defaults.

    Raises ConfigError naming the file and the key that is wrong.
    """
    if path is None:
        found = find_config_file() if search else None
        if found is None:
            return Loaded(Config(), ())
        path = found
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such config file", path=shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path=shown) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark is not None else shown
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", path=where) from None
    return parse_config(data, path=shown)


def parse_config(data: Any, *, path: str = "<config>") -> Loaded:
    """Check a config's data and build the Config; unknown keys are warnings."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping of keys to values", path=path)
    warnings: list[str] = []
    for key in data:
        if key not in _TOP_KEYS:
            close = difflib.get_close_matches(str(key), _TOP_KEYS, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else ""
            warnings.append(f"{path}: unknown key `{key}` ignored{hint}")

    values: dict[str, Any] = {"path": path}
    if "repo" in data:
        repo = data["repo"]
        if not isinstance(repo, str) or not REPO_NAME.fullmatch(repo):
            raise ConfigError(f"expected `owner/name`, got {repo!r}", path=path, key="repo")
        values["repo"] = repo
    if "people" in data:
        values["people"] = _people(data["people"], path)
        warnings.extend(_shared_names(values["people"], path))
    if "groups" in data:
        values["groups"] = _strings(data["groups"], path, "groups")
    patterns = _mapping(
        data.get("patterns", {}), path, "patterns", ("action_items", "blockers"), warnings
    )
    if "action_items" in patterns:
        values["action_item_patterns"] = _patterns(
            patterns["action_items"], path, "patterns.action_items", required="text"
        )
    if "blockers" in patterns:
        values["blocker_patterns"] = _patterns(
            patterns["blockers"], path, "patterns.blockers", required="release"
        )
    sections = _mapping(
        data.get("sections", {}), path, "sections", ("pending", "action_items"), warnings
    )
    if "pending" in sections:
        values["pending_sections"] = _strings(sections["pending"], path, "sections.pending")
    if "action_items" in sections:
        values["action_item_sections"] = _strings(
            sections["action_items"], path, "sections.action_items"
        )
    labels = _mapping(
        data.get("labels", {}), path, "labels", ("action_item", "blocker", "group"), warnings
    )
    for key, attr in (
        ("action_item", "label"),
        ("blocker", "blocker_label"),
        ("group", "group_label"),
    ):
        if key in labels:
            values[attr] = _string(labels[key], path, f"labels.{key}")
    if "milestone" in data:
        values["milestone"] = _template(data["milestone"], path, "milestone", "release")
    if "group" in labels:
        _template(labels["group"], path, "labels.group", "group")
    if "bot_authors" in data:
        values["bot_authors"] = _strings(data["bot_authors"], path, "bot_authors")
    if "templates" in data:
        folder = _string(data["templates"], path, "templates")
        resolved = (Path(path).parent / folder) if path != "<config>" else Path(folder)
        if not resolved.is_dir():
            raise ConfigError(f"no such folder: {resolved}", path=path, key="templates")
        values["templates"] = str(resolved)
    return Loaded(Config(**values), tuple(warnings))


def _mapping(
    value: Any, path: str, key: str, allowed: tuple[str, ...], warnings: list[str]
) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"expected {_TOP_KEYS.get(key, 'a mapping')}", path=path, key=key)
    for sub in value:
        if sub not in allowed:
            close = difflib.get_close_matches(str(sub), allowed, n=1)
            hint = f"; did you mean `{key}.{close[0]}`?" if close else ""
            warnings.append(f"{path}: unknown key `{key}.{sub}` ignored{hint}")
    return value


def _string(value: Any, path: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"expected a non-empty string, got {value!r}", path=path, key=key)
    return value


def _strings(value: Any, path: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"expected a list of strings, got {value!r}", path=path, key=key)
    return tuple(_string(item, path, f"{key}[{i}]") for i, item in enumerate(value))


def _people(value: Any, path: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError("expected a mapping of GitHub login to names", path=path, key="people")
    people: dict[str, tuple[str, ...]] = {}
    for login, names in value.items():
        if not isinstance(login, str) or not re.fullmatch(
            r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?", login
        ):
            raise ConfigError(f"{login!r} is not a GitHub login", path=path, key=f"people.{login}")
        people[login] = () if names is None else _strings(names, path, f"people.{login}")
    return people


def _shared_names(people: Mapping[str, tuple[str, ...]], path: str) -> list[str]:
    """Warnings for a name written for two people: the first login listed wins."""
    owner: dict[str, str] = {login.casefold(): login for login in people}
    warnings = []
    for login, names in people.items():
        for name in names:
            first = owner.setdefault(name.casefold(), login)
            if first != login:
                warnings.append(
                    f"{path}: people.{login}: the name {name!r} is also {first}'s; it stays {first}'s"
                )
    return warnings


def _patterns(value: Any, path: str, key: str, *, required: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, source in enumerate(_strings(value, path, key)):
        try:
            pattern = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise ConfigError(
                f"invalid regular expression: {exc}", path=path, key=f"{key}[{i}]"
            ) from None
        if required not in pattern.groupindex:
            raise ConfigError(
                f"the pattern needs a named group `(?P<{required}>...)`",
                path=path,
                key=f"{key}[{i}]",
            )
        compiled.append(pattern)
    return tuple(compiled)


def _template(value: Any, path: str, key: str, placeholder: str) -> str:
    text = _string(value, path, key)
    try:
        text.format(**{placeholder: "x"})
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"may only use the placeholder `{{{placeholder}}}` ({exc})", path=path, key=key
        ) from None
    return text
