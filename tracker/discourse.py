"""Discourse: the only module that talks to a Discourse forum (issue 13).

It reads a topic's posts and writes tracker's replies and edits, through the endpoints of
Discourse's official OpenAPI description (a pinned subset is in ``shared/discourse``):

- ``GET /t/{id}.json``: the topic's post ids in order (``post_stream.stream``) and its
  first 20 posts, each with its ``version``;
- ``GET /t/{id}/posts.json?post_ids[]=…``: further posts, 20 a request;
- ``GET /posts/{id}.json``: one post's Markdown (``raw``), read only for a post whose
  ``(id, version)`` is not in the :class:`VersionCache`, so that a run with no edit costs
  1 + ceil(posts/20) requests;
- ``POST /posts.json`` (a reply) and ``PUT /posts/{id}.json`` (an edit, sent with
  ``post[original_text]`` so that a concurrent human edit answers 409 ``edit_conflict``).

It uses ``requests``, already installed with PyGithub: the endpoints are five plain JSON
calls, and the Python clients of Discourse (pydiscourse) neither read ``post_ids[]`` batches
nor send ``original_text``, and put the API key in the query string.

``DISCOURSE_API_KEY`` and ``DISCOURSE_API_USERNAME`` are sent as the ``Api-Key`` and
``Api-Username`` headers when set, never in a URL. Requests are paced to about two a
second; a 429 is waited out as it asks (``Retry-After``, else the JSON body's
``extras.wait_seconds``: the front-end limiter answers text/plain with ``Retry-After``
only) within the run's bound on waits (:class:`~tracker.pacing.Pacer`, as for GitHub).
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tracker.errors import TrackerError, network_reason
from tracker.files import atomic_write
from tracker.locations import Topic
from tracker.pacing import SECONDARY_WAIT, Clock, Pacer, SystemClock, span

API_KEY = "DISCOURSE_API_KEY"
API_USERNAME = "DISCOURSE_API_USERNAME"
#: Posts per ``/t/{id}/posts.json`` request, and in the topic's first answer.
BATCH = 20
#: About two requests a second.
REQUEST_INTERVAL = 0.5
TIMEOUT = 30.0
REGULAR = 1
"""``post_type`` of a regular post (2 moderator action, 3 small action, 4 whisper)."""
#: The first line of every reply tracker posts: tracker never reads its own replies as minutes.
OWN_POST_MARKER = "<!-- tracker:post -->"


class DiscourseError(TrackerError):
    """Discourse refused, could not be reached, or answered unlike Discourse."""


class EditConflict(DiscourseError):
    """Someone edited the post after tracker read it: tracker's edit was not applied."""


@dataclass(frozen=True)
class Post:
    """One regular post of a topic."""

    id: int
    number: int
    """``post_number``: its place in the topic, as its link shows it."""
    version: int
    username: str
    created: datetime.date | None
    raw: str
    """Its Markdown."""
    creator: bool = False
    """Written by the topic's creator (the topic's ``user_id``)."""
    staff: bool = False
    """Written by staff: the post's ``staff``, ``admin`` or ``moderator`` is true."""

    @property
    def marked(self) -> bool:
        """It starts as tracker's replies do. Anyone can write that line: whether it is
        tracker's own is :mod:`tracker.trust`'s to say, by its author."""
        return self.raw.lstrip().startswith(OWN_POST_MARKER)


# --------------------------------------------------------------------------- the cache


class VersionCache:
    """Each post's Markdown by ``(site, post id, version)``, in a JSON file kept between runs.

    A missing or unreadable file is an empty cache (the run reads every post once); the file
    is written only when something was added.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._posts: dict[str, dict[str, Any]] = self._load()
        self._changed = False

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        posts = data.get("posts") if isinstance(data, dict) else None
        return posts if isinstance(posts, dict) else {}

    def get(self, site: str, post_id: int, version: int) -> str | None:
        entry = self._posts.get(f"{site}#{post_id}")
        if isinstance(entry, dict) and entry.get("version") == version:
            raw = entry.get("raw")
            return raw if isinstance(raw, str) else None
        return None

    def put(self, site: str, post_id: int, version: int, raw: str) -> None:
        self._posts[f"{site}#{post_id}"] = {"version": version, "raw": raw}
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"posts": self._posts}, ensure_ascii=False, sort_keys=True, indent=1)
        atomic_write(self.path, data.encode("utf-8"))
        self._changed = False


# --------------------------------------------------------------------------- the client


class Discourse:
    """One Discourse site: paced, authenticated requests, each counted."""

    def __init__(
        self,
        site: str,
        *,
        env: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        max_wait: float | None = 300.0,
        notify: Callable[[str], None] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        env = os.environ if env is None else env
        self.site = site.rstrip("/")
        self.session = session or requests.Session()
        self.headers = {"Accept": "application/json", "User-Agent": "minutes-tracker"}
        self.poster: str | None = env.get(API_USERNAME) or None
        """The user tracker posts as (its replies are its own only when by them)."""
        if env.get(API_KEY):
            self.poster = self.poster or "system"
            self.headers["Api-Key"] = env[API_KEY]
            self.headers["Api-Username"] = self.poster
        # TRACKER_THROTTLE=0 turns pacing off for a local emulator, as for GitHub.
        interval = 0.0 if env.get("TRACKER_THROTTLE", "").strip() == "0" else REQUEST_INTERVAL
        self.pacer = Pacer(
            clock or SystemClock(),
            write_interval=interval,
            max_wait=max_wait,
            creates_per_minute=None,
            notify=notify,
        )
        self.requests = 0
        """Requests sent, each retry after a 429 included."""

    # ------------------------------------------------------------------ reading

    def topic_posts(self, topic: Topic, cache: VersionCache) -> tuple[Topic, list[Post]]:
        """The topic (its slug as Discourse has it now) and its regular posts, in order.

        ``raw`` is read only for posts whose version the cache does not hold.
        """
        first = self._json("GET", f"/t/{topic.id}.json", doing=f"reading the topic {topic.url}")
        try:
            stream = [int(i) for i in first["post_stream"]["stream"]]
            listed = {p["id"]: p for p in first["post_stream"]["posts"]}
            topic = Topic(topic.site, str(first.get("slug") or topic.slug), topic.id)
            for batch in _batches([i for i in stream if i not in listed]):
                more = self._json(
                    "GET",
                    f"/t/{topic.id}/posts.json",
                    params=[("post_ids[]", str(i)) for i in batch],
                    doing=f"reading the posts of {topic.url}",
                )
                listed.update({p["id"]: p for p in more["post_stream"]["posts"]})
            creator = int(first["user_id"])
            posts = [
                self._post(listed[i], cache, creator)
                for i in stream
                if i in listed and listed[i].get("post_type") == REGULAR
            ]
        except (KeyError, TypeError, ValueError) as exc:
            raise DiscourseError(
                f"{self.site} answered unlike Discourse while reading {topic.url} "
                f"(no {exc} where a topic has one)"
            ) from None
        return topic, posts

    def _post(self, summary: Mapping[str, Any], cache: VersionCache, creator: int) -> Post:
        post_id, version = int(summary["id"]), int(summary["version"])
        raw = cache.get(self.site, post_id, version)
        if raw is None:
            raw, version = self.read_post(post_id)
            cache.put(self.site, post_id, version, raw)
        return Post(
            post_id,
            int(summary["post_number"]),
            version,
            str(summary.get("username", "")),
            _day(summary.get("created_at")),
            raw,
            creator=summary.get("user_id") == creator,
            staff=any(summary.get(role) is True for role in ("staff", "admin", "moderator")),
        )

    def read_post(self, post_id: int) -> tuple[str, int]:
        """A post's Markdown and its version."""
        data = self._json("GET", f"/posts/{post_id}.json", doing=f"reading post {post_id}")
        try:
            return str(data["raw"]), int(data["version"])
        except (KeyError, TypeError, ValueError):
            raise DiscourseError(
                f"{self.site} answered unlike Discourse to GET /posts/{post_id}.json (no raw)"
            ) from None

    # ------------------------------------------------------------------ writing

    def reply(self, topic: Topic, raw: str) -> int:
        """Post ``raw`` as a reply to the topic; its post number."""
        data = self._json(
            "POST",
            "/posts.json",
            data={"topic_id": str(topic.id), "raw": raw},
            doing=f"replying to {topic.url}",
        )
        return int(data.get("post_number", 0))

    def edit(self, post_id: int, raw: str, *, original: str, reason: str) -> None:
        """Replace the post's Markdown, unless it is no longer ``original``
        (:class:`EditConflict`: Discourse kept the other edit)."""
        self._json(
            "PUT",
            f"/posts/{post_id}.json",
            data={"post[raw]": raw, "post[original_text]": original, "post[edit_reason]": reason},
            doing=f"editing post {post_id}",
        )

    # ------------------------------------------------------------------ HTTP

    def _json(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        params: Sequence[tuple[str, str]] | None = None,
        data: Mapping[str, str] | None = None,
    ) -> Any:
        response = self._send(method, path, params=params, data=data, doing=doing)
        if response.status_code == 409:
            raise EditConflict(
                f"Discourse refused the edit while {doing}: the post was edited since tracker "
                "read it (409 edit_conflict); it was left as it is",
                hint="rerun to edit the post as it is now",
            )
        if response.status_code != 200:
            raise DiscourseError(
                f"Discourse answered {response.status_code} {_why(response)} while {doing}",
                hint=_hint(response.status_code),
            )
        try:
            return response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "?")
            raise DiscourseError(
                f"Discourse answered 200 with {kind} instead of JSON while {doing}"
            ) from None

    def _send(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        params: Sequence[tuple[str, str]] | None,
        data: Mapping[str, str] | None,
    ) -> requests.Response:
        while True:
            self.pacer.before_write(creates=False)
            try:
                response = self.session.request(
                    method,
                    self.site + path,
                    params=params,
                    data=data,
                    headers=self.headers,
                    timeout=TIMEOUT,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                raise DiscourseError(
                    f"cannot reach Discourse at {self.site} while {doing}: {network_reason(exc)}"
                ) from None
            self.requests += 1
            self.pacer.answered(write=True, created=False)
            if response.status_code != 429:
                return response
            seconds = _wait_asked(response)
            self.pacer.wait(seconds, f"Discourse asked to wait {span(seconds)} ({doing})")


def _wait_asked(response: requests.Response) -> float:
    """What a 429 asks: ``Retry-After``, else the body's ``extras.wait_seconds``."""
    try:
        return max(float(response.headers["Retry-After"]), 1.0)
    except (KeyError, ValueError):
        pass
    try:
        return max(float(response.json()["extras"]["wait_seconds"]), 1.0)
    except (ValueError, KeyError, TypeError):
        return SECONDARY_WAIT


def _why(response: requests.Response) -> str:
    try:
        errors = response.json().get("errors")
    except (ValueError, AttributeError):
        errors = None
    if isinstance(errors, list) and errors:
        return f"({'; '.join(str(e) for e in errors)[:200]})"
    return f"({response.reason})"


def _hint(status: int) -> str | None:
    if status in (403, 404):
        return (
            "is the address right? A private topic needs DISCOURSE_API_KEY and "
            "DISCOURSE_API_USERNAME"
        )
    return None


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield list(ids[start : start + BATCH])


def _day(value: object) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        return None
