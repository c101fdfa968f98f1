"""`tracker parse` from the command line: outputs, inputs and clear errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

MINUTES = dedent(
    """\
    # Team sync 2024-03-05

    - Releases
      - AI: alice to tag 3.22
      - needs issue, add to 3.22 blockers [AI: bob]
    - Hiring
      - zed to post the job ad
    """
)
CONFIG = "people:\n  alice: [Alice]\n  bob: []\ngroups: [team]\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "tracker.yml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def test_help_lists_the_commands(cli):
    """`tracker --help` names the parse command and how to start."""
    result = cli("--help")
    assert "parse" in result.stdout
    assert "tracker parse minutes/" in result.stdout


def test_parse_prints_a_table_grouped_by_meeting(cli, project):
    result = cli("parse", "minutes")
    assert result.stdout == dedent(
        """\
        2024-03-05  minutes/2024-03-05.md:1
          minutes/2024-03-05.md:4  alice: tag 3.22
          minutes/2024-03-05.md:5  bob: needs issue, add to 3.22 blockers  [blocker 3.22: Releases]
        1 meeting, 2 action items (2 distinct), 1 blocker decision, 0 warnings
        """
    )


def test_parse_json_has_the_documented_shape(cli, project):
    data = json.loads(cli("parse", "--format", "json", "minutes").stdout)
    assert data["meetings"] == [
        {
            "date": "2024-03-05",
            "source": "minutes/2024-03-05.md",
            "line": 1,
            "skipped": False,
            "title": "Team sync 2024-03-05",
        }
    ]
    first, second = data["action_items"]
    assert first == {
        "id": first["id"],
        "source": "minutes/2024-03-05.md",
        "line": 4,
        "meeting": "2024-03-05",
        "owners": ["alice"],
        "assignees": ["alice"],
        "group": None,
        "text": "tag 3.22",
        "topic": ["Releases"],
        "implicit": False,
        "carry_over_of": None,
        "blocker": None,
        "done": False,
        "issue": None,
        "raw": "AI: alice to tag 3.22",
        "form": "marker",
        "link": None,
    }
    assert second["blocker"] == {"release": "3.22", "subject": "Releases"}
    assert data["warnings"] == []


def test_parse_reads_stdin(cli, project):
    result = cli("parse", "--format", "json", "-", input=MINUTES.encode())
    data = json.loads(result.stdout)
    assert [ai["source"] for ai in data["action_items"]] == ["<stdin>", "<stdin>"]


def test_unknown_owners_are_warned_about_with_file_and_line(cli, project):
    (project / "minutes" / "2024-03-12.md").write_text(
        "- AI: zed to post the job ad\n", encoding="utf-8"
    )
    result = cli("parse", "minutes/2024-03-12.md")
    assert result.stderr == (
        "minutes/2024-03-12.md:1: warning: unknown owner 'zed': "
        "add their GitHub login to `people:` in the config\n"
    )


def test_explicit_config_and_its_errors(cli, project):
    (project / "bad.yml").write_text("people:\n  alice: [Alice]\npeeple: {}\n", encoding="utf-8")
    result = cli("parse", "--config", "bad.yml", "minutes")
    assert (
        "tracker: warning: bad.yml: unknown key `peeple` ignored; did you mean `people`?"
        in result.stderr
    )

    (project / "bad.yml").write_text("people:\n  alice: 3\n", encoding="utf-8")
    result = cli("parse", "--config", "bad.yml", "minutes", code=1)
    assert (
        result.stderr
        == "tracker: error: bad.yml: people.alice: expected a list of strings, got 3\n"
    )

    (project / "bad.yml").write_text("people: [\n", encoding="utf-8")
    result = cli("parse", "--config", "bad.yml", "minutes", code=1)
    assert result.stderr.startswith("tracker: error: bad.yml:2: invalid YAML")

    result = cli("parse", "--config", "missing.yml", "minutes", code=1)
    assert result.stderr == "tracker: error: missing.yml: no such config file\n"


@pytest.mark.parametrize(
    ("setup", "arg", "message"),
    [
        (None, "nope.md", "tracker: error: nope.md: no such file or folder\n"),
        (
            "empty",
            "empty",
            (
                "tracker: error: empty: no minutes files in this folder "
                "(hint: tracker reads *.md, *.markdown, *.txt)\n"
            ),
        ),
        ("binary", "blob.md", "tracker: error: blob.md:2: binary data, not minutes text\n"),
        (
            "latin1",
            "latin1.md",
            (
                "tracker: error: latin1.md:2: not valid UTF-8 (byte 0xe9) "
                "(hint: save the minutes as UTF-8)\n"
            ),
        ),
    ],
)
def test_unreadable_input_is_one_line_and_exit_1(cli, project, setup, arg, message):
    if setup == "empty":
        (project / "empty").mkdir()
        (project / "empty" / "notes.png").write_bytes(b"\x89PNG")
    elif setup == "binary":
        (project / "blob.md").write_bytes(b"# title\n\x00\x01\x02")
    elif setup == "latin1":
        (project / "latin1.md").write_bytes(
            "# 2024-03-05\n- AI: alice to caf\u00e9\n".encode("latin-1")
        )
    result = cli("parse", arg, code=1)
    assert result.stderr == message
    assert "Traceback" not in result.stdout + result.stderr


def test_utf16_and_bom_files_are_read(cli, project):
    (project / "u16.md").write_bytes(MINUTES.encode("utf-16"))
    (project / "bom.md").write_bytes(b"\xef\xbb\xbf" + MINUTES.encode())
    for name in ("u16.md", "bom.md"):
        data = json.loads(cli("parse", "--format", "json", name).stdout)
        assert [ai["line"] for ai in data["action_items"]] == [4, 5]


def test_no_paths_is_a_usage_error(cli, project):
    """Without PATHS, the config's sources: are read (issue 13); without those either, a usage error."""
    result = cli("parse", code=2)
    assert "which minutes? pass PATH..." in result.stderr


def test_an_internal_error_asks_for_a_report(cli, project, monkeypatch):
    import tracker

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(tracker.sources, "gather", boom)
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    result = cli("parse", "minutes", code=3)
    assert "internal error: RuntimeError: kaboom" in result.stderr
    assert "please report" in result.stderr
    log = project / "cache" / "tracker" / "tracker.log"
    assert result.stderr == (
        "tracker: internal error: RuntimeError: kaboom\n"
        f"This is a bug in tracker; please report it with the log at {log}\n"
    )
    text = log.read_text(encoding="utf-8")
    assert text.startswith("### version information\n\n```\ntracker: 0.1.0\nPython: 3.")
    assert "\nPyGithub: 2." in text and "\nplatform: " in text
    assert (
        "options: paths=('minutes',), config_path=None, output_format='text', explain_at=None\n"
        in text
    )
    assert "RuntimeError: kaboom\n```\n\n```\nTraceback (most recent call last):\n" in text
    assert 'raise RuntimeError("kaboom")' in text


def test_a_crash_without_a_writable_cache_prints_the_report(cli, project, monkeypatch):
    """No log file can be written: the traceback and versions go to stderr instead."""
    import tracker

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(tracker.sources, "gather", boom)
    (project / "cache").write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    result = cli("parse", "minutes", code=3)
    assert result.stderr.startswith(
        "tracker: internal error: RuntimeError: kaboom\n### version information\n"
    )
    assert "Traceback (most recent call last):" in result.stderr
    assert result.stderr.endswith(
        "```\nThis is a bug in tracker; please report it with the text above.\n"
    )


def test_a_folder_skips_its_readme_and_templates(cli, project):
    """A README explaining the conventions is not minutes (unless named explicitly)."""
    (project / "minutes" / "README.md").write_text("- AI: [alice] an example\n", encoding="utf-8")
    (project / "minutes" / "template.md").write_text("- AI: [alice] fill me\n", encoding="utf-8")
    data = json.loads(cli("parse", "--format", "json", "minutes").stdout)
    assert {ai["source"] for ai in data["action_items"]} == {"minutes/2024-03-05.md"}
    named = json.loads(cli("parse", "--format", "json", "minutes/README.md").stdout)
    assert [ai["text"] for ai in named["action_items"]] == ["an example"]


@pytest.mark.parametrize(
    "args",
    [["--help"], ["parse", "--config", "examples/tracker.yml", "examples/minutes/"]],
    ids=["help", "parse"],
)
def test_help_and_parse_load_neither_jinja2_nor_pygithub(args):
    """Start-up (issue 14): a command imports what it needs when it runs; --help and parse
    never render a template or talk to GitHub, so they load neither."""
    script = (
        "import sys\n"
        "from tracker.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "loaded = [m for m in ('jinja2', 'github', 'requests') if m in sys.modules]\n"
        "print(loaded, file=sys.stderr)\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "[]\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stats", "--date", "0001-01-01"), "'0001-01-01': expected a year from 1900 to 2999"),
        (("digest", "--date", "9999-12-31"), "'9999-12-31': expected a year from 1900 to 2999"),
        (("pending", "--date", "2024-02-30"), "'2024-02-30' is not a day written YYYY-MM-DD"),
        (("agenda", "--date", "next monday"), "'next monday' is not a day written YYYY-MM-DD"),
        (("pending", "--since", "2024-5-7x"), "'2024-5-7x' is not a day written YYYY-MM-DD"),
    ],
)
def test_a_date_that_is_no_day_or_out_of_range_is_a_usage_error(cli, args, message):
    """A day that does not exist says so (click said it did not match the format), and a
    year weeks cannot be counted around is refused up front (stats crashed on 0001-01-01)."""
    result = cli(*args, "minutes.md", code=2)
    option = args[1]
    assert f"Error: Invalid value for '{option}': {message}" in result.stderr


@pytest.mark.parametrize(
    "command",
    ["agenda", "check", "demo", "digest", "init", "parse", "pending", "stats", "status", "sync"],
)
def test_every_command_s_help_says_what_it_does_and_shows_examples(cli, command):
    result = cli(command, "--help")
    summary, _, rest = result.stdout.partition("\n\n")
    assert summary.startswith(f"Usage: main {command} [OPTIONS]")
    assert re.search(r"\n  Examples:\n(    (\S+=\S+ )*tracker \S.*\n)+", rest), rest


def test_sync_s_help_shows_that_a_dry_run_needs_the_token_too(cli):
    """Its example ran `tracker sync --dry-run minutes/` alone, which stops at 'no GitHub
    token': a dry run reads the issues to plan."""
    result = cli("sync", "--help")
    assert "\n    GITHUB_TOKEN=... tracker sync --dry-run --repo pulp/pulpcore minutes/\n" in (
        result.stdout
    )
