"""What Actions shows: workflow commands escaped as the runner reads them, the outputs file,
and Markdown that a hostile title cannot break."""

from __future__ import annotations

from tracker import actions_output as actions


def test_data_escapes_percent_and_line_breaks():
    assert actions.escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"


def test_properties_also_escape_colons_and_commas():
    assert actions.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_an_annotation_names_file_line_and_title():
    note = actions.Annotation("warning", "unknown owner 'Zed'\nline 2", "m/a,b.md", 9, "x: y")
    assert note.command() == (
        "::warning file=m/a%2Cb.md,line=9,title=x%3A y::unknown owner 'Zed'%0Aline 2"
    )
    assert actions.Annotation("error", "plain").command() == "::error::plain"


def test_an_absolute_path_under_the_working_folder_is_made_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = actions.Annotation("warning", "m", str(tmp_path / "minutes" / "a.md"), 1)
    assert note.command() == "::warning file=minutes/a.md,line=1::m"


def test_warnings_as_tracker_prints_them_become_annotations_on_their_line():
    read = actions.from_message
    assert read("minutes/a.md:12: warning: unknown owner 'Zed'", title="t") == actions.Annotation(
        "warning", "unknown owner 'Zed'", "minutes/a.md", 12, "t"
    )
    assert read("tracker.yml: unknown key `x` ignored", title="t") == actions.Annotation(
        "warning", "unknown key `x` ignored", "tracker.yml", None, "t"
    )
    assert read("something else: entirely", title="t") == actions.Annotation(
        "warning", "something else: entirely", None, None, "t"
    )


def test_outputs_are_lines_and_a_multi_line_value_gets_a_delimiter_it_does_not_hold():
    assert actions.output_lines({"created": 3, "file": "m.md"}) == "created=3\nfile=m.md\n"
    assert actions.output_lines({"text": "a\ntracker_EOF"}) == (
        "text<<tracker_EOF_\na\ntracker_EOF\ntracker_EOF_\n"
    )


def test_enabled_by_the_format_or_by_actions_itself():
    assert actions.enabled("github", env={})
    assert actions.enabled("text", env={"GITHUB_ACTIONS": "true"})
    assert not actions.enabled("text", env={})


def test_a_table_cell_keeps_pipes_html_and_line_breaks_out():
    assert actions.cell("a | <b>\nc \\") == "a \\| &lt;b&gt; c \\\\"


def test_long_tables_and_warning_lists_are_cut_with_a_count():
    rows = [actions.Row("created", n, f"t{n}", "m.md:1", "new") for n in range(1, 103)]
    text = actions.summary("h", "r", rows=rows, warnings=["w"] * 101, url="u/{number}")
    assert "| created | [#100](u/100) | t100 | m.md:1 | new |" in text
    assert "[#101]" not in text
    assert "| … | | 2 more rows: see the log | | |" in text
    assert text.endswith("- … and 1 more (see the log)\n\n")


def test_issue_links_follow_the_server_actions_names():
    assert actions.issue_url_format("o/r", env={}) == "https://github.com/o/r/issues/{number}"
    env = {"GITHUB_SERVER_URL": "https://ghe.example/"}
    assert actions.issue_url_format("o/r", env=env) == "https://ghe.example/o/r/issues/{number}"
