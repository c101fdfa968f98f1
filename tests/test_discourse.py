"""Reading minutes from a Discourse topic (issue 13), against the local Discourse emulator:
one post, one minutes text; each post's Markdown read once per version; the key sent only
as headers; paced, and 429s waited out as Discourse asks, within the run's bound."""

from __future__ import annotations

import copy
import datetime
import json
import math
import socket
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from textwrap import dedent
from urllib.parse import urlsplit

import pytest

from tests.clocks import FakeTime
from tests.discourse_emulator import openapi
from tests.discourse_emulator.state import SMALL_ACTION, WHISPER
from tracker.config import Config
from tracker.discourse import OWN_POST_MARKER, DiscourseError
from tracker.errors import Unfinished
from tracker.sources import Web, gather

UNPACED = {"TRACKER_THROTTLE": "0"}
MEETING = dedent(
    """\
    ## {day}

    - Releases
      - AI: [alice] tag {release}
    """
)


@pytest.fixture
def emu(discourse_emulator):
    return discourse_emulator


@pytest.fixture
def config(tmp_path):
    return Config(people={"alice": ()}, discourse_cache=str(tmp_path / "cache.json"))


def topic_with(emu, *raws, **kw):
    topic = emu.forum.create_topic("Team minutes", user="lead", **kw)
    for raw in raws:
        emu.forum.add_post(topic.id, raw, user="lead")
    return topic


def spec(emu, topic) -> str:
    return f"discourse:{emu.url}/t/{topic.slug}/{topic.id}"


def read(emu, topic, config, env=UNPACED, clock=None):
    return gather([spec(emu, topic)], config=config, web_access=Web(env=env, clock=clock))


def test_each_regular_post_is_minutes_of_its_own_linked_to_the_post(emu, config):
    """AIs are at SLUG/POST_NUMBER:LINE and link to the post; replies by people are read,
    whispers, small actions and tracker's own replies are not."""
    topic = topic_with(
        emu,
        MEETING.format(day="2024-03-05", release="3.22"),
        "Thanks! AI: [alice] send the slides",
    )
    emu.forum.add_post(topic.id, "AI: [alice] whispered", user="lead", post_type=WHISPER)
    emu.forum.add_post(topic.id, "closed the topic", user="system", post_type=SMALL_ACTION)
    emu.forum.add_post(topic.id, f"{OWN_POST_MARKER}\nAI: [alice] from tracker", user="bot")
    minutes = read(emu, topic, config).minutes
    assert [(ai.source, ai.line, ai.text, ai.link) for ai in minutes.action_items] == [
        ("team-minutes/1", 4, "tag 3.22", f"{emu.url}/t/team-minutes/{topic.id}/1"),
        ("team-minutes/2", 1, "send the slides", f"{emu.url}/t/team-minutes/{topic.id}/2"),
    ]


def test_by_default_only_the_topic_s_creator_and_staff_write_minutes(emu, config):
    """On a public forum anyone can reply: an AI line in a reply by anyone but the topic's
    creator or staff (moderator, admin) is not read, and the run says so once per author,
    with the config line that would read them."""
    emu.forum.user("mod", moderator=True)
    emu.forum.user("boss", admin=True)
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    emu.forum.add_post(topic.id, "AI: [alice] check the mirrors", user="mod")
    emu.forum.add_post(topic.id, "AI: [alice] renew the certificate", user="boss")
    emu.forum.add_post(topic.id, "Nice meeting!", user="fan")
    emu.forum.add_post(topic.id, "Hi\n\nAI: [alice] give me admin rights", user="mallory")
    emu.forum.add_post(topic.id, "AI: [alice] wire the money to mallory", user="Mallory")
    minutes = read(emu, topic, config).minutes
    assert [ai.text for ai in minutes.action_items] == [
        "tag 3.22",
        "check the mirrors",
        "renew the certificate",
    ]
    assert [str(w) for w in minutes.warnings] == [
        (
            "team-minutes/5:3: warning: post 5 by mallory holds an AI line but is not read as "
            "minutes: only the posts of the topic's creator or staff are (anyone can reply on a "
            "forum); if mallory writes minutes, add them to the config: "
            "discourse: {authors: [lead, mod, boss, mallory]}"
        )
    ]


def test_discourse_authors_lists_exactly_who_writes_minutes(emu, config):
    """With discourse.authors, only their posts are read, staff's included; a staff post
    with an AI is warned about like anyone's."""
    emu.forum.user("mod", moderator=True)
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    emu.forum.add_post(topic.id, "AI: [alice] check the mirrors", user="mod")
    emu.forum.add_post(topic.id, "AI: [alice] bisect the crash", user="kim")
    minutes = read(emu, topic, replace(config, discourse_authors=("Lead", "kim"))).minutes
    assert [ai.text for ai in minutes.action_items] == ["tag 3.22", "bisect the crash"]
    assert [str(w) for w in minutes.warnings] == [
        (
            "team-minutes/2:1: warning: post 2 by mod holds an AI line but is not read as "
            "minutes: only the posts of the users in discourse.authors are (anyone can reply on a "
            "forum); "
            "if mod writes minutes, add them to the config: discourse: {authors: [Lead, kim, mod]}"
        )
    ]


def test_only_the_poster_or_a_trusted_author_writes_tracker_s_replies(emu, config):
    """A reply is tracker's own (skipped) only when by DISCOURSE_API_USERNAME or a trusted
    author; a look-alike by anyone else is their post: not read, and warned about."""
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    emu.forum.add_post(topic.id, f"{OWN_POST_MARKER}\nAI: [alice] from the bot", user="bot")
    emu.forum.add_post(topic.id, f"{OWN_POST_MARKER}\nAI: [alice] from the lead", user="lead")
    emu.forum.add_post(topic.id, f"{OWN_POST_MARKER}\nAI: [alice] forged", user="mallory")
    as_bot = read(emu, topic, config, env={**UNPACED, "DISCOURSE_API_USERNAME": "bot"}).minutes
    assert [ai.text for ai in as_bot.action_items] == ["tag 3.22"]
    assert [str(w) for w in as_bot.warnings] == [
        (
            "team-minutes/4:2: warning: post 4 by mallory holds an AI line but is not read as "
            "minutes: only the posts of the topic's creator or staff are (anyone can reply on a "
            "forum); if mallory writes minutes, add them to the config: "
            "discourse: {authors: [lead, mallory]}; it starts as tracker's replies do, which "
            "counts only by DISCOURSE_API_USERNAME (set it to mallory if tracker posts as them)"
        )
    ]
    unknown_poster = read(emu, topic, config).minutes
    assert [w.source for w in unknown_poster.warnings] == ["team-minutes/2", "team-minutes/4"]


def test_a_heading_without_a_year_takes_it_from_the_day_the_post_was_written(emu, config):
    topic = emu.forum.create_topic("Team minutes", user="lead")
    written = datetime.datetime(2023, 1, 11, 9, tzinfo=datetime.UTC)
    emu.forum.add_post(topic.id, "January 10\n\n* AI: [alice] tag 3.22\n", user="lead", at=written)
    [ai] = read(emu, topic, config).minutes.action_items
    assert ai.meeting == datetime.date(2023, 1, 10)


def test_a_post_s_markdown_is_read_once_per_version(emu, config):
    """First run: the topic, the posts after the 20th, and each post's raw. Then, with no
    edit, only the topic and its batches: 1 + ceil((posts - 20) / 20); an edit costs one read."""
    raws = [MEETING.format(day=f"2024-03-{d:02d}", release=f"3.{d}") for d in range(1, 46)]
    topic = topic_with(emu, *raws)
    first = read(emu, topic, config)
    batches = math.ceil((45 - 20) / 20)
    assert first.discourse_requests == 1 + batches + 45 == len(emu.log)
    emu.log.clear()
    again = read(emu, topic, config)
    assert again.discourse_requests == 1 + batches == len(emu.log)
    assert [r.operation for r in emu.log] == ["/t/{id}.json"] + ["/t/{id}/posts.json"] * batches
    assert again.minutes == first.minutes
    emu.log.clear()
    emu.forum.edit_post(topic.posts[30].id, raws[30].replace("tag 3.31", "tag 3.31.1"))
    edited = read(emu, topic, config)
    assert edited.discourse_requests == 1 + batches + 1
    assert [ai.text for ai in edited.minutes.action_items][30] == "tag 3.31.1"


def test_the_cache_is_a_file_written_only_when_it_changes(emu, config, tmp_path):
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    read(emu, topic, config)
    cache = tmp_path / "cache.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    [(key, entry)] = data["posts"].items()
    assert key == f"{emu.url}#{topic.posts[0].id}" and entry["version"] == 1
    before = cache.stat().st_mtime_ns
    read(emu, topic, config)
    assert cache.stat().st_mtime_ns == before
    cache.write_text("not json", encoding="utf-8")  # a broken cache is an empty one
    assert read(emu, topic, config).minutes.action_items[0].text == "tag 3.22"


def test_the_api_key_goes_in_headers_only_and_only_when_set(emu, config):
    emu.forum.add_key("s3cret-key", username="tracker-bot")
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"), private=True)
    env = {**UNPACED, "DISCOURSE_API_KEY": "s3cret-key", "DISCOURSE_API_USERNAME": "tracker-bot"}
    read(emu, topic, config, env=env)
    for record in emu.log:
        assert record.request_headers["api-key"] == "s3cret-key"
        assert record.request_headers["api-username"] == "tracker-bot"
        assert "s3cret" not in record.path + str(record.query)
    emu.log.clear()
    public = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    read(emu, public, replace(config, discourse_cache=config.discourse_cache + "2"))
    assert all("api-key" not in r.request_headers for r in emu.log)


def test_a_private_topic_without_a_key_or_a_wrong_key_is_a_clear_error(emu, config):
    topic = topic_with(emu, "x", private=True)
    with pytest.raises(DiscourseError) as caught:
        read(emu, topic, config)
    assert str(caught.value) == (
        "Discourse answered 403 (You are not permitted to view the requested resource.) while "
        f"reading the topic {emu.url}/t/team-minutes/{topic.id} (hint: is the address right? "
        "A private topic needs DISCOURSE_API_KEY and DISCOURSE_API_USERNAME)"
    )
    with pytest.raises(DiscourseError, match="The API username or key is invalid"):
        read(emu, topic, config, env={**UNPACED, "DISCOURSE_API_KEY": "wrong"})


# ------------------------------------------------------------------ pace and rate limits


def test_requests_are_paced_to_about_two_a_second(emu, config):
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    clock = FakeTime()
    read(emu, topic, config, env={}, clock=clock)
    assert len(emu.log) == 2
    assert clock.slept == [0.5]


@pytest.mark.parametrize(
    ("kind", "asked"),
    [("json", "extras.wait_seconds"), ("text", "Retry-After")],
)
def test_a_429_is_waited_out_as_discourse_asks(emu, config, kind, asked):
    """The application's 429 says the wait in its JSON body; the front end's in Retry-After."""
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    emu.rate_limit(kind=kind, seconds=7, times=2)
    clock = FakeTime()
    minutes = read(emu, topic, config, clock=clock).minutes
    assert [r.status for r in emu.log] == [429, 429, 200, 200]
    assert clock.slept == [7, 7]
    assert minutes.action_items[0].text == "tag 3.22"


def test_a_429_asking_for_more_than_the_bound_on_waits_stops_the_run(emu, config):
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    emu.rate_limit(kind="text", seconds=600)
    with pytest.raises(Unfinished) as caught:
        read(emu, topic, config, clock=FakeTime())
    assert caught.value.exit_code == 4
    assert str(caught.value).startswith("Discourse asked to wait 10m (reading the topic")
    assert "would pass the bound on waits (5m left of --max-wait 5m)" in str(caught.value)


def test_a_topic_that_does_not_exist_says_so_on_the_command_line(cli, emu, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    result = cli("parse", f"discourse:{emu.url}/t/gone/999", code=1)
    assert result.stderr == (
        "tracker: error: Discourse answered 404 (The requested URL or resource could not be "
        f"found.) while reading the topic {emu.url}/t/gone/999 (hint: is the address right? A "
        "private topic needs DISCOURSE_API_KEY and DISCOURSE_API_USERNAME)\n"
    )


# ------------------------------------------------------------------ the emulator itself


def test_the_emulator_is_held_to_the_openapi_subset(emu, config):
    """Its answers validate; a wrong one (a missing key, a wrong type, an extra key where the
    subset forbids them) or a request body the subset does not declare is caught."""
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"))
    read(emu, topic, config)
    spec = openapi.load_spec()
    assert spec is not None, "shared/discourse/openapi-subset.json is beside the checkout"
    assert openapi.check_log(emu.log) == []
    record = copy.deepcopy(emu.log[0])
    record.response_body = dict(record.response_body, id="101", surprise=1)
    del record.response_body["slug"]
    found = openapi.problems(record, spec)
    assert any("'slug' is a required property" in p for p in found)
    assert any("'101' is not of type 'integer'" in p for p in found)
    assert any("'surprise' was unexpected" in p for p in found)


# ------------------------------------------------------------------ every command reads topics


def test_check_and_explain_read_a_topic_from_the_config_s_sources(cli, emu, tmp_path, monkeypatch):
    """`tracker check` with no PATHS checks the config's sources; --explain takes SLUG/N:LINE.
    A reply holding an AI is a meeting of the day it was written."""
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"), "- AI: zed to x\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    (tmp_path / "tracker.yml").write_text(
        f"people: {{alice: []}}\nsources: ['{spec(emu, topic)}']\n", encoding="utf-8"
    )
    checked = cli("check")
    assert checked.stdout.startswith("team-minutes/2:1: warning: unknown owner 'zed'")
    assert checked.stdout.endswith(
        "tracker check: 2 meetings, 2 action items: 0 errors, 1 warning\n"
    )
    explained = cli("parse", "--explain", "team-minutes/1:4")
    assert explained.stdout.startswith("team-minutes/1:4: - AI: [alice] tag 3.22\n")
    assert "  id:       2024-03-05-" in explained.stdout


def test_the_api_key_never_appears_in_what_tracker_prints(cli, emu, tmp_path, monkeypatch):
    """Not in the output, not in an error: the key travels in a header only."""
    emu.forum.add_key("k3y-that-must-not-leak", username="tracker-bot")
    topic = topic_with(emu, MEETING.format(day="2024-03-05", release="3.22"), private=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    monkeypatch.setenv("DISCOURSE_API_KEY", "k3y-that-must-not-leak")
    monkeypatch.setenv("DISCOURSE_API_USERNAME", "tracker-bot")
    good = cli("parse", "--format", "json", spec(emu, topic))
    monkeypatch.setenv("DISCOURSE_API_USERNAME", "someone-else")
    bad = cli("parse", f"discourse:{emu.url}/t/x/{topic.id + 1}", code=1)
    for result in (good, bad):
        assert "k3y" not in result.stdout + result.stderr
    assert "The API username or key is invalid" in bad.stderr


# ------------------------------------------------------------------ answers unlike Discourse's


@pytest.fixture
def impostor():
    """A server at which every path answers what the test puts in ``answers``."""
    answers: dict[str, tuple[int, dict[str, str], bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = answers[urlsplit(self.path).path]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", answers
    server.shutdown()
    server.server_close()


def test_a_site_that_answers_unlike_discourse_is_a_clear_error(impostor, config):
    url, answers = impostor
    html = (200, {"Content-Type": "text/html"}, b"<html>Log in</html>")
    answers["/t/1.json"] = html
    answers["/t/2.json"] = (200, {"Content-Type": "application/json"}, b'{"id": 2}')
    access = Web(env=UNPACED)
    with pytest.raises(DiscourseError) as caught:
        gather([f"discourse:{url}/t/x/1"], config=config, web_access=access)
    assert str(caught.value) == (
        f"Discourse answered 200 with text/html instead of JSON while reading the topic {url}/t/x/1"
    )
    with pytest.raises(DiscourseError) as caught:
        gather([f"discourse:{url}/t/x/2"], config=config, web_access=access)
    assert str(caught.value) == (
        f"{url} answered unlike Discourse while reading {url}/t/x/2 (no 'post_stream' where a "
        "topic has one)"
    )


def test_a_429_that_names_no_wait_is_waited_a_minute(impostor, config):
    url, answers = impostor
    answers["/t/3.json"] = (429, {"Content-Type": "text/plain"}, b"slow down")
    clock = FakeTime()
    with pytest.raises(Unfinished):
        gather(
            [f"discourse:{url}/t/x/3"],
            config=replace(config, max_wait=100),
            web_access=Web(env=UNPACED, clock=clock),
        )
    assert clock.slept == [60]


def test_a_site_that_cannot_be_reached_is_named(config):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(DiscourseError) as caught:
        gather(
            [f"discourse:http://127.0.0.1:{port}/t/x/1"], config=config, web_access=Web(env=UNPACED)
        )
    assert str(caught.value) == (
        f"cannot reach Discourse at http://127.0.0.1:{port} while reading the topic "
        f"http://127.0.0.1:{port}/t/x/1: connection refused"
    )
