"""The config file: defaults, where it is found, and errors that name the file and the key."""

from __future__ import annotations

import pytest

from tracker.config import Config, load_config, parse_config
from tracker.errors import ConfigError


def write(tmp_path, text, name="tracker.yml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_the_defaults_apply(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = load_config()
    assert loaded.config == Config()
    assert loaded.config.label == "action-item"
    assert loaded.config.milestone == "{release}"
    assert loaded.warnings == ()


@pytest.mark.parametrize("name", ["tracker.yml", ".github/tracker.yml"])
def test_the_default_files_are_found(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "repo: o/r\n", name)
    assert load_config().config.repo == "o/r"


def test_every_key_is_read(tmp_path):
    (tmp_path / "tpl").mkdir()
    path = write(
        tmp_path,
        "repo: pulp/pulpcore\n"
        "people:\n  dkliban: [Dennis]\n  x9c4:\n"
        "groups: [team]\n"
        "patterns:\n  action_items: ['^=> (?P<text>.+)$']\n  blockers: ['before (?P<release>[0-9.]+)']\n"
        "sections:\n  pending: [Still open]\n  action_items: [Next steps]\n"
        "labels:\n  action_item: ai\n  blocker: blocker\n  group: 'group:{group}'\n"
        "milestone: 'v{release}'\n"
        "bot_authors: [my-bot]\n"
        "templates: tpl\n",
    )
    config = load_config(path).config
    assert config.repo == "pulp/pulpcore"
    assert config.people == {"dkliban": ("Dennis",), "x9c4": ()}
    assert config.login_for("dennis") == "dkliban" and config.login_for("@X9C4") == "x9c4"
    assert config.group_for("TEAM") == "team"
    assert [p.pattern for p in config.action_item_patterns] == ["^=> (?P<text>.+)$"]
    assert config.pending_sections == ("Still open",)
    assert config.action_item_sections == ("Next steps",)
    assert (config.label, config.blocker_label, config.group_label) == (
        "ai",
        "blocker",
        "group:{group}",
    )
    assert config.milestone == "v{release}"
    assert config.bot_authors == ("my-bot",)
    assert config.templates == str(tmp_path / "tpl")


def test_unknown_keys_are_warnings_with_a_suggestion():
    loaded = parse_config({"peeple": {}, "labels": {"blokcer": "x"}, "zzz": 1}, path="t.yml")
    assert loaded.warnings == (
        "t.yml: unknown key `peeple` ignored; did you mean `people`?",
        "t.yml: unknown key `zzz` ignored",
        "t.yml: unknown key `labels.blokcer` ignored; did you mean `labels.blocker`?",
    )


def test_a_name_written_for_two_people_is_a_warning():
    loaded = parse_config({"people": {"alice": ["Al"], "albert": ["al"]}}, path="t.yml")
    assert loaded.warnings == (
        "t.yml: people.albert: the name 'al' is also alice's; it stays alice's",
    )
    assert loaded.config.login_for("AL") == "alice"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "t.yml: the config must be a mapping of keys to values"),
        ({"repo": "pulpcore"}, "t.yml: repo: expected `owner/name`, got 'pulpcore'"),
        ({"people": ["dkliban"]}, "t.yml: people: expected a mapping of GitHub login to names"),
        ({"people": {"Dennis K": []}}, "t.yml: people.Dennis K: 'Dennis K' is not a GitHub login"),
        (
            {"people": {"dkliban": [""]}},
            "t.yml: people.dkliban[0]: expected a non-empty string, got ''",
        ),
        ({"groups": {"team": 1}}, "t.yml: groups: expected a list of strings, got {'team': 1}"),
        (
            {"patterns": ["x"]},
            "t.yml: patterns: expected a mapping with `action_items` and `blockers`",
        ),
        (
            {"patterns": {"action_items": ["(unclosed"]}},
            (
                "t.yml: patterns.action_items[0]: invalid regular expression: "
                "missing ), unterminated subpattern at position 0"
            ),
        ),
        (
            {"patterns": {"blockers": ["blocker"]}},
            "t.yml: patterns.blockers[0]: the pattern needs a named group `(?P<release>...)`",
        ),
        (
            {"milestone": "Release {version}"},
            "t.yml: milestone: may only use the placeholder `{release}` ('version')",
        ),
        (
            {"labels": {"group": "{owner}"}},
            "t.yml: labels.group: may only use the placeholder `{group}` ('owner')",
        ),
        ({"templates": "nowhere"}, "t.yml: templates: no such folder: nowhere"),
        (
            {"limits": {"max_wait": "soon"}},
            "t.yml: limits.max_wait: expected a duration like 90, 90s, 5m or 1h, got 'soon'",
        ),
        (
            {"limits": {"creates_per_hour": 0}},
            "t.yml: limits.creates_per_hour: expected a whole number of 1 or more, got 0",
        ),
        ({"mentions": "yes"}, "t.yml: mentions: expected true or false, got 'yes'"),
        (  # GitHub's labels= filter splits on commas: every sync opened every AI again.
            {"labels": {"action_item": "ai,tracked"}},
            (
                "t.yml: labels.action_item: tracker lists its issues by this label, and GitHub "
                "reads a comma there as two labels: choose a name without one, got 'ai,tracked'"
            ),
        ),
        (
            {"labels": {"blocker": "b" * 51}},
            "t.yml: labels.blocker: a label name has at most 50 characters on GitHub, got 51",
        ),
        (
            {
                "groups": ["a-rather-long-group-name-for-a-github-label"],
                "labels": {"group": "owned by {group}!"},
            },
            (
                "t.yml: labels.group: the label of group 'a-rather-long-group-name-for-a-github-label', "
                "'owned by a-rather-long-group-name-for-a-github-label!', is longer than GitHub's 50 "
                "characters"
            ),
        ),
    ],
)
def test_invalid_values_name_the_file_and_the_key(data, message):
    with pytest.raises(ConfigError) as error:
        parse_config(data, path="t.yml")
    assert str(error.value) == message


def test_yaml_errors_name_the_line(tmp_path):
    path = write(tmp_path, "people:\n  dkliban: [Dennis\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}:3: invalid YAML")


@pytest.mark.parametrize("value", ["2024-13-45", "2024-02-30", "0000-01-01"])
def test_a_date_that_is_no_day_is_a_yaml_error_on_its_line(tmp_path, value):
    """YAML reads an unquoted 2024-13-45 as a date, and PyYAML fails with a bare ValueError
    (once a crash, exit 3): it is a config error naming the file, the line and the value."""
    path = write(tmp_path, f"repo: o/r\nsync:\n  since: {value}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert (error.value.path, error.value.line) == (str(path), 3)
    assert str(error.value).startswith(f"{path}:3: invalid YAML: '{value}' is no day (")
    assert str(error.value).endswith("); quote it if it is meant as text")


def test_an_unreadable_config_is_an_error(tmp_path):
    path = tmp_path / "tracker.yml"
    path.write_bytes(b"people: \xff\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: cannot read config")
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.yml")


def test_the_sync_and_pending_keys_are_read(tmp_path):
    """sync.max_creates, sync.since (a YAML date or a quoted one) and pending.pull_request."""
    path = write(
        tmp_path, "sync:\n  max_creates: 0\n  since: 2024-03-05\npending:\n  pull_request: true\n"
    )
    config = load_config(path).config
    assert (config.max_creates, config.since, config.pull_request) == (
        0,
        __import__("datetime").date(2024, 3, 5),
        True,
    )
    assert load_config(write(tmp_path, "sync:\n  since: '2024-03-05'\n")).config.since.day == 5
    assert (Config().max_creates, Config().since, Config().pull_request) == (50, None, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "sync:\n  max_creates: -1\n",
            "sync.max_creates: expected a whole number, 0 or more, got -1",
        ),
        (
            "sync:\n  max_creates: true\n",
            "sync.max_creates: expected a whole number, 0 or more, got True",
        ),
        ("sync:\n  since: March\n", "sync.since: expected a date as YYYY-MM-DD, got 'March'"),
        (
            "pending:\n  pull_request: yes please\n",
            "pending.pull_request: expected true or false, got 'yes please'",
        ),
    ],
)
def test_wrong_sync_and_pending_values_name_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}: {message}"


def test_the_run_s_limits_take_durations_and_none():
    """limits: durations as people write them; `none` lifts a bound."""
    config = parse_config(
        {"limits": {"max_wait": "2m", "time_budget": "none", "creates_per_hour": 100}}
    ).config
    assert (config.max_wait, config.time_budget, config.creates_per_hour) == (120.0, None, 100)
    assert (Config().max_wait, Config().time_budget, Config().creates_per_hour) == (300, 600, 480)
