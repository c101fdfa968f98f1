"""The forum's state: users, API keys, topics and posts with versions, under one lock."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

REGULAR, MODERATOR_ACTION, SMALL_ACTION, WHISPER = 1, 2, 3, 4


def stamp(moment: datetime) -> str:
    """Discourse's timestamps: ``2023-01-11T09:30:00.000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class User:
    id: int
    username: str
    admin: bool = False
    moderator: bool = False

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator


@dataclass
class Post:
    id: int
    topic_id: int
    number: int
    user: User
    raw: str
    created_at: datetime
    post_type: int = REGULAR
    version: int = 1
    updated_at: datetime | None = None
    edit_reason: str | None = None

    @property
    def cooked(self) -> str:
        # Not Discourse's renderer: tracker reads raw, and only the shape matters here.
        return "".join(f"<p>{line}</p>" for line in self.raw.splitlines() if line.strip())


@dataclass
class Topic:
    id: int
    slug: str
    title: str
    user: User
    created_at: datetime
    private: bool = False
    posts: list[Post] = field(default_factory=list)


class Forum:
    """Everything the emulator knows; change it only under :attr:`lock`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.keys: dict[str, str | None] = {}
        """API key -> the username it is bound to (None: an all-users key)."""
        self.topics: dict[int, Topic] = {}
        self.posts: dict[int, Post] = {}
        self._next_topic = 100
        self._next_post = 1000
        self.now = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)
        """The time of writes made through the API."""

    def user(self, username: str, *, admin: bool = False, moderator: bool = False) -> User:
        """The user, made on first use (with the roles given then)."""
        with self.lock:
            if username not in self.users:
                self.users[username] = User(len(self.users) + 1, username, admin, moderator)
            return self.users[username]

    def add_key(self, key: str, *, username: str | None = None) -> None:
        """An API key, bound to ``username`` or (None) usable as any user."""
        with self.lock:
            if username:
                self.user(username, admin=True)
            self.keys[key] = username

    def create_topic(
        self, title: str, *, user: str, private: bool = False, at: datetime | None = None
    ) -> Topic:
        with self.lock:
            self._next_topic += 1
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "topic"
            topic = Topic(self._next_topic, slug, title, self.user(user), at or self.now, private)
            self.topics[topic.id] = topic
            return topic

    def add_post(
        self,
        topic_id: int,
        raw: str,
        *,
        user: str,
        post_type: int = REGULAR,
        at: datetime | None = None,
    ) -> Post:
        with self.lock:
            topic = self.topics[topic_id]
            self._next_post += 1
            post = Post(
                self._next_post,
                topic_id,
                len(topic.posts) + 1,
                self.user(user),
                raw,
                at or self.now,
                post_type,
            )
            topic.posts.append(post)
            self.posts[post.id] = post
            return post

    def edit_post(self, post_id: int, raw: str, *, reason: str | None = None) -> Post:
        """An edit, as from the composer: a new version when the text changes."""
        with self.lock:
            post = self.posts[post_id]
            if raw != post.raw:
                post.raw = raw
                post.version += 1
                post.updated_at = self.now
                post.edit_reason = reason
            return post
