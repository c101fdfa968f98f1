"""The typed, frozen configuration and its one loader.

A config file is YAML (``tracker.yml`` or ``.github/tracker.yml``)::

    repo: pulp/pulpcore
    people:                    # GitHub login -> the names people write for them
      dkliban: [Dennis, DKliban]
    groups: [team, all]        # owners that mean the whole team

The schema is declared once: each field of :class:`Config` that a file can set carries
its :class:`Option` (the key in the file, how its value is checked, and its
documentation). :func:`parse_config` reads every option from it, and the README's config
table is generated from it (:func:`reference_table`; a test holds the two equal).
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tracker.errors import ConfigError
from tracker.locations import locate
from tracker.pacing import parse_duration

DEFAULT_CONFIG_FILES = (
    "tracker.yml",
    "tracker.yaml",
    ".github/tracker.yml",
    ".github/tracker.yaml",
)

#: A GitHub repository's full name, ``owner/name``.
#: ``owner/name``; ``.`` and ``..`` are no name, and in the API's path they would climb.
REPO_NAME = re.compile(r"(?!\.\.?/)[\w.-]+/(?!\.\.?$)[\w.-]+")

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


# --------------------------------------------------------------------------- the schema


@dataclass(frozen=True)
class At:
    """Where a value being checked sits: the file and the key path; warnings go to ``warnings``."""

    path: str
    key: str
    warnings: list[str]

    def error(self, message: str, *, key: str | None = None) -> ConfigError:
        return ConfigError(message, path=self.path, key=key or self.key)


#: Checks one value from the file and returns what the Config field holds.
Check = Callable[[Any, At], Any]


@dataclass(frozen=True)
class Option:
    """One key of the config file."""

    key: str
    """Its path in the file: ``repo``, ``labels.blocker``."""
    check: Check
    doc: str
    """What it means, as the README's config table says it."""


def option(key: str, check: Check, doc: str, **default: Any) -> Any:
    """A :class:`Config` field that the file sets with ``key`` (``default=`` or
    ``default_factory=`` as for :func:`dataclasses.field`)."""
    return field(metadata={"option": Option(key, check, doc)}, **default)


def _string(value: Any, at: At) -> str:
    if not isinstance(value, str) or not value.strip():
        raise at.error(f"expected a non-empty string, got {value!r}")
    return value


def _strings(value: Any, at: At) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise at.error(f"expected a list of strings, got {value!r}")
    return tuple(
        _string(item, dataclasses.replace(at, key=f"{at.key}[{i}]")) for i, item in enumerate(value)
    )


def _boolean(value: Any, at: At) -> bool:
    if not isinstance(value, bool):
        raise at.error(f"expected true or false, got {value!r}")
    return value


#: GitHub refuses longer label names (422).
MAX_LABEL = 50


def _label(value: Any, at: At) -> str:
    text = _string(value, at)
    if len(text) > MAX_LABEL:
        raise at.error(
            f"a label name has at most {MAX_LABEL} characters on GitHub, got {len(text)}"
        )
    return text


def _listed_label(value: Any, at: At) -> str:
    """The tracker's label: sync lists its issues by it, and GitHub's ``labels=`` filter
    reads a comma as two labels, so a comma would find none and open every AI again."""
    text = _label(value, at)
    if "," in text:
        raise at.error(
            "tracker lists its issues by this label, and GitHub reads a comma there as two "
            f"labels: choose a name without one, got {text!r}"
        )
    return text


def _repo(value: Any, at: At) -> str:
    if not isinstance(value, str) or not REPO_NAME.fullmatch(value):
        raise at.error(f"expected `owner/name`, got {value!r}")
    return value


def _people(value: Any, at: At) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise at.error("expected a mapping of GitHub login to names")
    people: dict[str, tuple[str, ...]] = {}
    for login, names in value.items():
        key = f"{at.key}.{login}"
        if not isinstance(login, str) or not _LOGIN.fullmatch(login):
            raise at.error(f"{login!r} is not a GitHub login", key=key)
        people[login] = () if names is None else _strings(names, dataclasses.replace(at, key=key))
    at.warnings.extend(_shared_names(people, at.path))
    return people


_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?")


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


def _patterns(required: str) -> Check:
    """Regular expressions, each with the named group ``required``."""

    def check(value: Any, at: At) -> tuple[re.Pattern[str], ...]:
        compiled = []
        for i, source in enumerate(_strings(value, at)):
            key = f"{at.key}[{i}]"
            try:
                pattern = re.compile(source, re.IGNORECASE)
            except re.error as exc:
                raise at.error(f"invalid regular expression: {exc}", key=key) from None
            if required not in pattern.groupindex:
                raise at.error(f"the pattern needs a named group `(?P<{required}>...)`", key=key)
            compiled.append(pattern)
        return tuple(compiled)

    return check


def _template(placeholder: str) -> Check:
    """A string that may use ``{placeholder}`` and nothing else."""

    def check(value: Any, at: At) -> str:
        text = _string(value, at)
        try:
            text.format(**{placeholder: "x"})
        except (KeyError, IndexError, ValueError) as exc:
            raise at.error(f"may only use the placeholder `{{{placeholder}}}` ({exc})") from None
        return text

    return check


def _duration(value: Any, at: At) -> float | None:
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise at.error(str(exc)) from None


def _positive(value: Any, at: At) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise at.error(f"expected a whole number of 1 or more, got {value!r}")
    return value


def _folder(value: Any, at: At) -> str:
    folder = _string(value, at)
    resolved = (Path(at.path).parent / folder) if at.path != "<config>" else Path(folder)
    if not resolved.is_dir():
        raise at.error(f"no such folder: {resolved}")
    return str(resolved)


def _count(value: Any, at: At) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise at.error(f"expected a whole number, 0 or more, got {value!r}")
    return value


def _day(value: Any, at: At) -> datetime.date:
    # YAML reads an unquoted 2024-03-05 as a date already; a quoted one is a string.
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise at.error(f"expected a date as YYYY-MM-DD, got {value!r}")


def _flag(value: Any, at: At) -> bool:
    if not isinstance(value, bool):
        raise at.error(f"expected true or false, got {value!r}")
    return value


def _sources(value: Any, at: At) -> tuple[str, ...]:
    """Paths, ``discourse:`` topics and Markdown URLs, each checked by how it is written."""
    if isinstance(value, str):
        value = [value]
    sources = _strings(value, at)
    for i, spec in enumerate(sources):
        try:
            locate(spec)
        except ValueError as exc:
            raise dataclasses.replace(at, key=f"{at.key}[{i}]").error(str(exc)) from None
    return sources


# --------------------------------------------------------------------------- the config


@dataclass(frozen=True)
class Config:
    """Everything tracker can be told, with its defaults."""

    path: str | None = None
    """The file this was read from, if any."""
    repo: str | None = option(
        "repo", _repo, "`owner/name` of the repository that holds the issues", default=None
    )
    people: Mapping[str, tuple[str, ...]] = option(
        "people",
        _people,
        "GitHub login → the names written for that person; names match case-insensitively; "
        "an owner nobody is known by is kept as written, with a warning",
        default_factory=dict,
    )
    groups: tuple[str, ...] = option(
        "groups",
        _strings,
        "owners that mean the whole team: a group label instead of assignees",
        default=("team", "all", "everyone"),
    )
    action_item_patterns: tuple[re.Pattern[str], ...] = option(
        "patterns.action_items",
        _patterns("text"),
        "regular expressions with a named group `text` and optionally `owner`, tried before "
        "the built-in forms",
        default=(),
    )
    blocker_patterns: tuple[re.Pattern[str], ...] = option(
        "patterns.blockers",
        _patterns("release"),
        "regular expressions with a named group `release` and optionally `subject`",
        default=(),
    )
    pending_sections: tuple[str, ...] = option(
        "sections.pending",
        _strings,
        "titles of sections that restate open AIs",
        default=DEFAULT_PENDING_SECTIONS,
    )
    action_item_sections: tuple[str, ...] = option(
        "sections.action_items",
        _strings,
        "titles of sections that list the meeting's AIs: an item there is an AI when it reads "
        "as a task (an owner, a marker, a checkbox or an imperative verb); questions, notes "
        "and numbered agenda headings are not",
        default=DEFAULT_ACTION_ITEM_SECTIONS,
    )
    every_item_sections: tuple[str, ...] = option(
        "sections.every_item",
        _strings,
        "titles of sections whose every top item is an AI, however it is written (a trailing "
        "`(name)` or `name:` gives its owner), unless it is empty, an acknowledgement or a "
        "status report",
        default=(),
    )
    label: str = option(
        "labels.action_item",
        _listed_label,
        "the label of every tracker issue (no comma: sync lists its issues by it)",
        default="action-item",
    )
    blocker_label: str = option(
        "labels.blocker", _label, "the label of blocker issues", default="release-blocker"
    )
    group_label: str = option(
        "labels.group",
        _template("group"),
        "the label of group-owned AIs (given instead of assignees)",
        default="owner:{group}",
    )
    milestone: str = option(
        "milestone",
        _template("release"),
        "milestone name for a release's blockers",
        default="{release}",
    )
    bot_authors: tuple[str, ...] = option(
        "bot_authors",
        _strings,
        "authors besides the token's user whose tracker issues are trusted",
        default=("github-actions[bot]",),
    )
    mentions: bool = option(
        "mentions",
        _boolean,
        "`true` keeps `@user` and `@org/team` of the minutes live in issue titles and bodies "
        "(GitHub notifies them whenever tracker writes one); by default a zero-width joiner "
        "after the `@` keeps them from notifying anyone",
        default=False,
    )
    templates: str | None = option(
        "templates",
        _folder,
        "a folder of Jinja2 templates that override the built-in ones (relative to the config "
        "file)",
        default=None,
    )
    max_creates: int = option(
        "sync.max_creates",
        _count,
        "a sync that would open more issues than this opens none: it prints the plan's summary "
        "and asks for `--yes` or a narrower run (the safe first run over an archive)",
        default=50,
    )
    since: datetime.date | None = option(  # noqa: RUF009 - option() returns a field()
        "sync.since",
        _day,
        "`YYYY-MM-DD`: `sync` leaves out the AIs of earlier meetings, unless a later Pending "
        "AIs section still carries them; `tracker init` sets it to the newest meeting's date",
        default=None,
    )
    pull_request: bool = option(
        "pending.pull_request",
        _flag,
        "the weekly workflow proposes the refreshed Pending AIs section in a pull request "
        "instead of committing it to the branch",
        default=False,
    )
    pending_chart: bool = option(
        "pending.chart",
        _flag,
        "the Pending AIs section ends with the burn-down of the last 12 weeks as a Mermaid "
        "chart (as `tracker stats --format mermaid`), which GitHub draws",
        default=False,
    )
    stale_after: int | None = option(
        "ageing.stale_after",
        _positive,
        "weeks after which an open AI is stale: the Pending AIs section shows its age in bold, "
        "and with `ageing.escalate` its issue is flagged once",
        default=None,
    )
    escalate: bool = option(
        "ageing.escalate",
        _flag,
        "`tracker sync` comments once on the issue of an AI open longer than "
        "`ageing.stale_after` weeks (never twice: the comment carries a hidden marker) and "
        "gives it the `ageing.label` label",
        default=False,
    )
    stale_label: str = option(
        "ageing.label", _label, "the label of a stale AI's issue", default="stale-ai"
    )
    max_wait: float | None = option(
        "limits.max_wait",
        _duration,
        "how long a run may wait for GitHub's rate limits in all (seconds, or `90s`, `5m`, "
        "`1h`; `none`: no bound); a longer wait stops it with exit code 4 and the time to "
        "rerun (`--max-wait`)",
        default=300,
    )
    time_budget: float | None = option(
        "limits.time_budget",
        _duration,
        "how long `tracker sync` may run before it stops writing with exit code 4 and leaves "
        "the rest to the next run (`--time-budget`; the default fits a 15-minute Actions job)",
        default=600,
    )
    creates_per_hour: int = option(
        "limits.creates_per_hour",
        _positive,
        "issues, labels and milestones created per hour at most, counting those the last "
        "hour's runs created (GitHub refuses past about 500); the rest waits for a later run",
        default=480,
    )
    # Minutes on the web (issue 13).
    sources: tuple[str, ...] = option(
        "sources",
        _sources,
        "where the minutes are when the command line names none: paths (relative to the "
        "current folder), `discourse:https://HOST/t/SLUG/ID` topics and `https://` URLs that "
        "serve Markdown (HackMD's `/download`, a raw file)",
        default=(),
    )
    discourse_cache: str = option(
        "discourse.cache",
        _string,
        "the file that keeps each Discourse post's Markdown by its version, so that a run "
        "with no edit reads only the topic's post list (keep it between workflow runs with "
        "`actions/cache`)",
        default=".tracker-cache/discourse.json",
    )
    discourse_authors: tuple[str, ...] = option(
        "discourse.authors",
        _strings,
        "the Discourse usernames whose posts are minutes, exactly (default: the topic's "
        "creator and staff, since on a forum anyone can reply with an AI line; a post by "
        "anyone else that holds one is warned about, with the line that trusts its author)",
        default=(),
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


def options() -> Iterator[tuple[dataclasses.Field[Any], Option]]:
    """Every option of the config file, in the order of the Config's fields."""
    for config_field in dataclasses.fields(Config):
        if "option" in config_field.metadata:
            yield config_field, config_field.metadata["option"]


def reference_table() -> str:
    """The README's table of config keys (key, default, meaning), from the schema."""
    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    for config_field, opt in options():
        default = (
            config_field.default_factory()
            if config_field.default_factory is not dataclasses.MISSING
            else config_field.default
        )
        rows.append(f"| `{opt.key}` | {_shown(default)} | {opt.doc} |".replace("\n", " "))
    return "\n".join(rows) + "\n"


def _shown(default: object) -> str:
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if default is None or default == ():
        return "none"
    if isinstance(default, tuple):
        return ", ".join(f"`{item}`" for item in default)
    return f"`{default}`"


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Loaded:
    config: Config
    warnings: tuple[str, ...]


class _Loader(yaml.SafeLoader):
    """``yaml.safe_load``'s loader, but a date that is no day (``since: 2024-13-45``) is a
    YAML error on its line: PyYAML's own raises a bare ``ValueError``."""


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError) as exc:
        raise yaml.constructor.ConstructorError(
            problem=f"{node.value!r} is no day ({exc}); quote it if it is meant as text",
            problem_mark=node.start_mark,
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


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
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader: see _Loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"invalid YAML: {problem}", path=shown, line=line) from None
    return parse_config(data, path=shown)


def parse_config(data: Any, *, path: str = "<config>") -> Loaded:
    """Check a config's data against the schema and build the Config; unknown keys are warnings."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping of keys to values", path=path)
    tables = _tables()
    warnings = _unknown(data, tuple(tables), path, prefix="")
    read: dict[str, dict[Any, Any]] = {"": data}
    values: dict[str, Any] = {"path": path}
    for config_field, opt in options():
        table, _, key = opt.key.rpartition(".")
        if table not in read:
            read[table] = _table(data.get(table), table, tables[table], path, warnings)
        if key in read[table]:
            values[config_field.name] = opt.check(read[table][key], At(path, opt.key, warnings))
    config = Config(**values)
    for group in config.groups:
        label = config.group_label.format(group=group)
        if len(label) > MAX_LABEL:
            raise ConfigError(
                f"the label of group {group!r}, {label!r}, is longer than GitHub's {MAX_LABEL} "
                "characters",
                path=path,
                key="labels.group",
            )
    return Loaded(config, tuple(warnings))


def _tables() -> dict[str, tuple[str, ...]]:
    """The top-level keys, each with its sub-keys (none for a plain value)."""
    tables: dict[str, tuple[str, ...]] = {}
    for _field, opt in options():
        top, _, sub = opt.key.partition(".")
        tables[top] = tables.get(top, ()) + ((sub,) if sub else ())
    return tables


def _table(
    value: Any, key: str, allowed: tuple[str, ...], path: str, warnings: list[str]
) -> dict[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        names = [f"`{name}`" for name in allowed]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        raise ConfigError(f"expected a mapping with {listed}", path=path, key=key)
    warnings.extend(_unknown(value, allowed, path, prefix=f"{key}."))
    return value


def _unknown(
    data: dict[Any, Any], allowed: tuple[str, ...], path: str, *, prefix: str
) -> list[str]:
    warnings = []
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean `{prefix}{close[0]}`?" if close else ""
            warnings.append(f"{path}: unknown key `{prefix}{key}` ignored{hint}")
    return warnings
