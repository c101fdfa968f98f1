"""`tracker stats` (issue 12): the weekly burn-down as text, JSON and a Mermaid chart, from
the one issue listing."""

from __future__ import annotations

import json
from textwrap import dedent

from tests.test_pending_cli import (  # the widgets minutes, synced and acted on as there
    REPO,
    emu,  # noqa: F401 - fixture
    first_sync,
    maintainers_act,
    workdir,  # noqa: F401 - fixture
)

# By hand: 4 AIs on 2024-03-05, 4 on 03-12; #1 and #4 completed on the 13th and 14th, #8
# dropped on the 15th, #7 closed and reopened (open).
TEXT = dedent(
    """\
    week of     opened  completed  not planned  open  median age
    2024-03-04       4          0            0     4          5d
    2024-03-11       4          2            1     5          5d
    2024-03-18       0          0            0     5          7d
    """
)
CHART = dedent(
    """\
    ```mermaid
    xychart-beta
        title "AIs open at the end of each week (line) and closed in it (bars)"
        x-axis ["03-04", "03-11", "03-18"]
        y-axis "AIs" 0 --> 5
        bar [0, 3, 0]
        line [4, 5, 5]
    ```
    """
)


def test_stats_counts_each_week_from_the_one_listing(cli, emu, workdir):  # noqa: F811
    """Text: per week opened, completed, not planned, open at its end, their median age;
    the one listing of the issues is all it reads."""
    first_sync(emu)
    maintainers_act(emu)
    emu.clear_log()
    result = cli("stats", "minutes.txt", "--weeks", "3", "--date", "2024-03-19")
    assert result.stdout == TEXT
    assert result.stderr == "tracker: 2 API requests\n"
    assert [(r.method, r.path) for r in emu.log] == [
        ("GET", "/user"),
        ("GET", f"/repos/{REPO}/issues"),
    ]


def test_stats_as_json_and_as_a_mermaid_chart_github_draws(cli, emu, workdir):  # noqa: F811
    """JSON for scripts; `xychart-beta` for a comment, the job summary or the section."""
    first_sync(emu)
    maintainers_act(emu)
    args = ("stats", "minutes.txt", "--weeks", "3", "--date", "2024-03-19")
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert data[1] == {
        "week": "2024-03-11",
        "opened": 4,
        "completed": 2,
        "not_planned": 1,
        "open": 5,
        "median_age_days": 5,
    }
    assert cli(*args, "--format", "mermaid").stdout == CHART


def test_in_actions_the_chart_and_the_table_go_to_the_job_summary(
    cli,
    emu,  # noqa: F811
    workdir,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """--format github: the chart and the table in $GITHUB_STEP_SUMMARY, `open` as an output."""
    first_sync(emu)
    maintainers_act(emu)
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    cli("stats", "minutes.txt", "--weeks", "3", "--date", "2024-03-19", "--format", "github")
    assert summary.read_text(encoding="utf-8") == (
        f"### tracker stats\n\n{CHART}\n```\n{TEXT}```\n\n"
    )
    assert output.read_text(encoding="utf-8") == "open=5\n"


def test_pending_chart_ends_the_section_with_the_burn_down_and_it_parses_back_harmlessly(
    cli,
    emu,  # noqa: F811
    workdir,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """`pending: {chart: true}`: the section (and the job summary) end with the chart of the
    last 12 weeks; in the minutes it is fenced code, so the next sync opens nothing."""
    from tests.test_pending_cli import CONFIG, settings
    from tracker import parse
    from tracker.sync import sync

    first_sync(emu)
    maintainers_act(emu)
    with open("tracker.yml", "a", encoding="utf-8") as config:
        config.write("pending: {chart: true}\n")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    (tmp_path / "next.md").write_text("## 2024-03-19\n", encoding="utf-8")
    cli("pending", "minutes.txt", "--write", "next.md", "--format", "github")
    written = (tmp_path / "next.md").read_text(encoding="utf-8")
    chart = written.split("## Burn-down\n\n")[1].split("<!-- tracker:pending:end -->")[0]
    assert chart.startswith("```mermaid\nxychart-beta\n") and chart.endswith("```\n")
    assert "    line [0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 5]\n" in chart  # to the 19th
    assert chart in summary.read_text(encoding="utf-8")
    emu.clear_log()
    both = parse(["minutes.txt", "next.md"], config=CONFIG)
    assert sync(both, config=CONFIG, settings=settings(emu)).error is None
    assert emu.writes() == 0
