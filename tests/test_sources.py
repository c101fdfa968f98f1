"""Minutes sources (issue 13): a path, a Markdown URL or a Discourse topic, on the command line
or in the config's ``sources:``; everything downstream sees the same minutes."""

from __future__ import annotations

import functools
import json
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from textwrap import dedent
from typing import ClassVar

import pytest

from tracker.config import parse_config
from tracker.errors import ConfigError, InputError
from tracker.locations import Kind, Topic, locate
from tracker.sources import gather

MINUTES = dedent(
    """\
    ## 2024-03-05

    - Releases
      - AI: alice to tag 3.22
    """
)


# ------------------------------------------------------------------ telling them apart


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        ("minutes/", Kind.PATH),
        ("-", Kind.PATH),
        ("notes/2024-03-05.md", Kind.PATH),
        ("https://hackmd.io/abc123/download", Kind.URL),
        ("http://127.0.0.1:8000/m.md", Kind.URL),
        (
            "discourse:https://discourse.pulpproject.org/t/pulpcore-meeting-notes/123",
            Kind.DISCOURSE,
        ),
    ],
)
def test_a_source_is_told_by_how_it_is_written(spec, kind):
    assert locate(spec).kind is kind


def test_a_topic_s_address_gives_its_site_slug_and_id_and_a_post_s_link():
    """A post's link (…/ID/7) names the same topic; a subfolder install keeps its prefix."""
    assert locate("discourse:https://d.example/t/minutes/123/7").topic == Topic(
        "https://d.example", "minutes", 123
    )
    topic = locate("discourse:https://example.org/forum/t/minutes/9").topic
    assert topic == Topic("https://example.org/forum", "minutes", 9)
    assert topic.post_url(4) == "https://example.org/forum/t/minutes/9/4"


@pytest.mark.parametrize(
    "spec",
    ["discourse:https://d.example/c/general/4", "discourse:d.example/t/x/1", "discourse:"],
)
def test_a_discourse_source_that_is_not_a_topic_is_refused_saying_what_is_expected(spec):
    with pytest.raises(ValueError, match=r"expected discourse:https://HOST/t/SLUG/ID"):
        locate(spec)


def test_the_config_s_sources_are_checked_when_it_loads():
    """A bad source is an error naming the file and the key, with the item's index."""
    loaded = parse_config({"sources": ["minutes/", "discourse:https://d.example/t/m/1"]})
    assert loaded.config.sources == ("minutes/", "discourse:https://d.example/t/m/1")
    with pytest.raises(ConfigError) as caught:
        parse_config({"sources": ["minutes/", "discourse:https://d.example/"]}, path="t.yml")
    assert str(caught.value).startswith("t.yml: sources[1]: expected discourse:https://HOST/t/")
    assert parse_config({"sources": "minutes/"}).config.sources == ("minutes/",)


# ------------------------------------------------------------------ a Markdown URL


@pytest.fixture
def web(tmp_path) -> Iterator[tuple[str, Path]]:
    """A plain web server over a folder (as a raw file's host), and the folder."""
    root = tmp_path / "served"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        ".md": "text/markdown",
        ".html": "text/html",
        "": "text/plain",
    }

    def log_message(self, *args: object) -> None:
        pass


def test_minutes_at_a_url_parse_as_the_same_file_would_and_link_to_the_url(web, tmp_path):
    url, root = web
    (root / "notes.md").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "2024-03-05.md").write_text(MINUTES, encoding="utf-8")
    config = parse_config({}).config
    online = gather([f"{url}/notes.md"], config=config).minutes
    local = gather([str(tmp_path / "2024-03-05.md")], config=config).minutes
    [ai] = online.action_items
    [twin] = local.action_items
    assert (ai.id, ai.owners, ai.text, ai.topic, ai.meeting) == (
        twin.id,
        twin.owners,
        twin.text,
        twin.topic,
        twin.meeting,
    )
    assert (ai.source, ai.line, ai.link) == (f"{url}/notes.md", 4, f"{url}/notes.md")
    assert (twin.source, twin.link) == (str(tmp_path / "2024-03-05.md"), None)


def test_a_url_that_fails_or_serves_a_web_page_is_an_error_naming_it(web):
    url, root = web
    (root / "page.html").write_text("<html><body>log in</body></html>", encoding="utf-8")
    config = parse_config({}).config
    with pytest.raises(InputError) as caught:
        gather([f"{url}/missing.md"], config=config)
    assert str(caught.value) == f"{url}/missing.md: the URL answered 404 File not found"
    with pytest.raises(InputError) as caught:
        gather([f"{url}/page.html"], config=config)
    assert str(caught.value).startswith(f"{url}/page.html: the URL serves text/html, not Markdown")


def test_the_config_s_sources_are_read_when_the_command_line_names_none(
    cli, web, tmp_path, monkeypatch
):
    url, root = web
    monkeypatch.chdir(tmp_path)
    (root / "notes.md").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "local.md").write_text(MINUTES.replace("tag 3.22", "tag 3.23"), encoding="utf-8")
    (tmp_path / "tracker.yml").write_text(
        f"sources: [local.md, '{url}/notes.md']\n", encoding="utf-8"
    )
    data = json.loads(cli("parse", "--format", "json").stdout)
    assert [(ai["source"], ai["text"], ai["link"]) for ai in data["action_items"]] == [
        ("local.md", "tag 3.23", None),
        (f"{url}/notes.md", "tag 3.22", f"{url}/notes.md"),
    ]


def test_without_minutes_on_the_command_line_or_in_the_config_the_command_says_so(
    cli, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = cli("status", code=2)
    assert "Error: which minutes? pass PATH..., or set sources: in the config\n" in result.stderr
    # pending alone also takes the file it writes (it named --write to every command).
    result = cli("pending", code=2)
    assert "which minutes? pass PATH... or --write FILE, or set sources: in the config" in (
        result.stderr
    )


def test_a_url_nothing_answers_at_says_why_in_words(cli, tmp_path, monkeypatch):
    """A Markdown URL that cannot be fetched says why (it said only `ConnectionError`)."""
    monkeypatch.chdir(tmp_path)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    url = f"http://127.0.0.1:{port}/minutes.md"
    result = cli("parse", url, code=1)
    assert result.stderr == f"tracker: error: {url}: cannot fetch: connection refused\n"
