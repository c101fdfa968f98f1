"""Recorded Discourse traffic of the main scenarios (issue 13), replayed strictly: no server.

Five cassettes in ``tests/cassettes/discourse_*.yaml``, recorded in this order against one
topic of the Discourse emulator, with one version cache: ``first_read`` (every post's
Markdown read once), ``quiet_week`` (no edit: the topic alone), ``edited_post`` (one post
edited: the topic and that post), ``reply`` (``pending --post``: the section as a reply)
and ``edit_conflict`` (``--edit-post`` against a post edited meanwhile: 409, nothing
overwritten). Replay matches method, path, query and body, and every recorded request must
be made. The ``Api-Key`` header is recorded as ``REDACTED``.

Re-record with ``TRACKER_RECORD=emulator``, running this whole module so that the steps
happen in order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from typing import Any, cast
from urllib.parse import urlsplit

import pytest
import vcr
import yaml

from tracker.config import Config
from tracker.discourse import EditConflict
from tracker.locations import Topic
from tracker.posting import post_section
from tracker.sources import Gathered, Web, gather

CASSETTES = Path(__file__).parent / "cassettes"
RECORD = os.environ.get("TRACKER_RECORD", "")
STEPS = ("first_read", "quiet_week", "edited_post", "reply", "edit_conflict")
KEY = "discourse-test-key-0123456789"
MEETINGS = [
    dedent(
        f"""\
        ## 2024-03-{day:02d}

        - Releases
          - AI: [alice] tag 3.{day}
        """
    )
    for day in range(1, 24)
]
EDITED = MEETINGS[21].replace("tag 3.22", "tag 3.22 and 3.22.1")
SECTION = "- AI: [alice] tag 3.23 (#23)\n"


@dataclass
class Scene:
    """Where a step runs: the topic (its site is the emulator's when recording, the recorded
    one when replaying), the version cache, and the emulator when recording."""

    topic: Topic
    cache: Path
    emu: object | None


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    cache = tmp_path_factory.mktemp("discourse") / "cache.json"
    if RECORD == "emulator":
        from tests.discourse_emulator import DiscourseEmulator

        emu = DiscourseEmulator.start()
        emu.forum.add_key(KEY, username="tracker-bot")
        topic = emu.forum.create_topic("Team minutes", user="lead")
        for raw in MEETINGS:
            emu.forum.add_post(topic.id, raw, user="lead")
        yield Scene(Topic(emu.url, topic.slug, topic.id), cache, emu)
        emu.stop()
    elif RECORD:
        pytest.fail(f"TRACKER_RECORD must be `emulator` to record these, not {RECORD!r}")
    else:
        yield Scene(_recorded_topic(), cache, None)


def _recorded_topic() -> Topic:
    data = yaml.safe_load((CASSETTES / "discourse_first_read.yaml").read_text(encoding="utf-8"))
    url = urlsplit(data["interactions"][0]["request"]["uri"])
    topic_id = int(url.path.split("/")[2].removesuffix(".json"))
    return Topic(f"{url.scheme}://{url.netloc}", "team-minutes", topic_id)


def recorder(mode: str) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=mode,
        match_on=["method", "path", "query", "body"],
        filter_headers=[("Api-Key", "REDACTED")],
        decode_compressed_response=True,
    )


def _access() -> Web:
    return Web(
        env={
            "TRACKER_THROTTLE": "0",
            "DISCOURSE_API_KEY": KEY,
            "DISCOURSE_API_USERNAME": "tracker-bot",
        }
    )


def _act(step: str, scene: Scene) -> object:
    config = Config(people={"alice": ()}, discourse_cache=str(scene.cache))
    spec = f"discourse:{scene.topic.url}"
    if step == "edited_post" and scene.emu is not None:
        forum = cast(Any, scene.emu).forum
        forum.edit_post(forum.topics[scene.topic.id].posts[21].id, EDITED)
    if step == "reply":
        return post_section(SECTION, topic=scene.topic, config=config, web_access=_access())
    if step == "edit_conflict":
        return _conflict(scene, config)
    return gather([spec], config=config, web_access=_access())


def _conflict(scene: Scene, config: Config) -> object:
    """--edit-post of the first post, which a human edits between tracker's read and write."""
    if scene.emu is None:
        post_id = _conflict_post_id()
    else:
        emu: Any = scene.emu
        post = emu.forum.topics[scene.topic.id].posts[0]
        post_id = post.id
        emu.after(
            "GET",
            "/posts/{id}.json",
            lambda forum, _record: forum.edit_post(post.id, post.raw + "\n- a late note\n"),
        )
    with pytest.raises(EditConflict) as caught:
        post_section(
            SECTION, topic=scene.topic, config=config, edit_post=post_id, web_access=_access()
        )
    return caught.value


def _conflict_post_id() -> int:
    data = yaml.safe_load((CASSETTES / "discourse_edit_conflict.yaml").read_text("utf-8"))
    return int(urlsplit(data["interactions"][0]["request"]["uri"]).path.split("/")[2][:-5])


def play(step: str, scene: Scene) -> object:
    with recorder("all" if RECORD else "none").use_cassette(f"discourse_{step}.yaml") as tape:
        result = _act(step, scene)
    if not RECORD:
        assert tape.all_played, f"{step}: requests recorded but not made"
    return result


def replay_until(step: str, scene: Scene) -> tuple[object, int]:
    """The steps before ``step`` first when replaying (they built the cache); the step's
    result and how many requests it made."""
    if not RECORD:
        for earlier in STEPS[: STEPS.index(step)]:
            play(earlier, scene)
    result = play(step, scene)
    data = yaml.safe_load((CASSETTES / f"discourse_{step}.yaml").read_text(encoding="utf-8"))
    return result, len(data["interactions"])


@pytest.fixture(autouse=True)
def fresh_cache(scene: Scene) -> None:
    """Replay rebuilds the cache from the first step for every test; recording keeps it."""
    if not RECORD:
        scene.cache.unlink(missing_ok=True)


def test_first_read(scene):
    """23 posts: the topic (20 posts), one batch (3), and each post's Markdown."""
    result, requests = replay_until("first_read", scene)
    assert isinstance(result, Gathered)
    assert result.discourse_requests == requests == 1 + 1 + 23
    assert len(result.minutes.action_items) == 23


def test_quiet_week(scene):
    """No edit: the topic and one batch, no post read."""
    result, requests = replay_until("quiet_week", scene)
    assert isinstance(result, Gathered)
    assert result.discourse_requests == requests == 2


def test_edited_post(scene):
    result, requests = replay_until("edited_post", scene)
    assert isinstance(result, Gathered)
    assert result.discourse_requests == requests == 3
    assert result.minutes.action_items[21].text == "tag 3.22 and 3.22.1"


def test_reply(scene):
    """The topic (to see tracker's last reply), then one POST."""
    result, requests = replay_until("reply", scene)
    assert requests == 3
    assert cast(Any, result).changed


def test_edit_conflict(scene):
    result, requests = replay_until("edit_conflict", scene)
    assert requests == 2
    assert "409 edit_conflict" in str(result)


def test_no_cassette_holds_the_api_key():
    for path in sorted(CASSETTES.glob("discourse_*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert KEY not in text, path.name
        for interaction in yaml.safe_load(text)["interactions"]:
            headers = {k.casefold(): v for k, v in interaction["request"]["headers"].items()}
            assert headers.get("api-key") == ["REDACTED"], path.name


@pytest.mark.skipif(bool(RECORD), reason="replay only")
def test_a_request_the_cassette_does_not_hold_fails_the_replay(scene):
    """Strict replay: a quiet week read with an empty cache asks for posts it never recorded."""
    with pytest.raises(vcr.errors.CannotOverwriteExistingCassetteException):
        play("quiet_week", scene)
