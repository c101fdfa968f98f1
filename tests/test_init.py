"""`tracker init`: a repository set up in one command; then check and a dry run pass."""

from __future__ import annotations

from textwrap import dedent

import pytest

MINUTES = dedent(
    """\
    # Storage team 2024-03-12

    - AI: [Kim] benchmark the parser
    - AI: [@lee-k] write the migration guide
    - AI: [Kim] tag the release
    """
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text("# 2024-03-05\n\n- AI: [Kim] old\n")
    (tmp_path / "minutes" / "2024-03-12.md").write_text(MINUTES, encoding="utf-8")
    return tmp_path


def test_init_then_check_then_a_dry_run(cli, repo, github_emulator, monkeypatch):
    """Three commands in a new repository: init writes the files, check passes (warnings
    only), and the dry run plans only the newest meeting's AIs (sync.since)."""
    result = cli("init")
    assert result.stdout.startswith(
        "tracker: wrote tracker.yml, .github/workflows/tracker-sync.yml, "
        ".github/workflows/tracker-pending.yml\n\nNext steps:\n"
    )
    config = (repo / "tracker.yml").read_text(encoding="utf-8")
    assert "  lee-k: []  # 1 AI, first at minutes/2024-03-12.md:4\n" in config
    assert "  # LOGIN: [Kim]  # 3 AIs, first at minutes/2024-03-05.md:3\n" in config
    assert "  since: 2024-03-12\n" in config
    assert "uses: minutes-tracker/tracker@" in (
        repo / ".github" / "workflows" / "tracker-sync.yml"
    ).read_text(encoding="utf-8")

    check = cli("check")
    assert check.stdout.endswith(
        "tracker check: 2 meetings, 4 action items: 0 errors, 3 warnings\n"
    )

    github_emulator.add_repo("widgets/minutes", collaborators=["lee-k"])
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    dry = cli(
        "sync",
        "--dry-run",
        "--repo",
        "widgets/minutes",
        "--api-url",
        github_emulator.url,
        "minutes",
    )
    assert "dry run: would create 3, update 0" in dry.stdout
    assert "tracker: 1 AIs of meetings before sync.since left out\n" in dry.stderr
    assert github_emulator.writes() == 0


def test_init_never_overwrites_without_force(cli, repo):
    (repo / "tracker.yml").write_text("repo: o/r\n", encoding="utf-8")
    result = cli("init", code=1)
    assert result.stderr == (
        "tracker: error: tracker.yml: already there; nothing was written "
        "(hint: rerun with --force to overwrite)\n"
    )
    assert not (repo / ".github").exists()
    cli("init", "--force")
    assert (repo / "tracker.yml").read_text(encoding="utf-8").startswith("# tracker's config")


def test_without_minutes_yet_it_says_where_to_put_them(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--minutes", "docs/meetings", "--pending-file", "docs/next.md")
    assert "  - put the minutes in docs/meetings/ (or rerun with --minutes PATH)\n" in result.stdout
    assert "since:" not in (tmp_path / "tracker.yml").read_text(encoding="utf-8")
    pending = (tmp_path / ".github" / "workflows" / "tracker-pending.yml").read_text("utf-8")
    assert '          pending-file: "docs/next.md"\n' in pending
    sync = (tmp_path / ".github" / "workflows" / "tracker-sync.yml").read_text("utf-8")
    assert '      - "docs/meetings/**"\n' in sync
