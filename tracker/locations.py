"""Where minutes live: a path, a Discourse topic, or a URL serving Markdown (issue 13).

Pure: a location is told by how it is written, before anything is read, so that the
config can check its ``sources:`` when it loads and the command line its arguments.

- ``discourse:https://HOST/t/SLUG/ID`` is a Discourse topic (a trailing post number, as
  in a post's link, is ignored);
- ``https://…`` (or ``http://…``) is a URL that serves Markdown: HackMD's ``/download``,
  a raw file;
- anything else is a path (a file, a folder, or ``-`` for standard input).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DISCOURSE_PREFIX = "discourse:"
_TOPIC_PATH = re.compile(r"^/t/(?P<slug>[^/]+)/(?P<id>\d+)(?:/\d+)?/?$")


class Kind(enum.Enum):
    PATH = "path"
    URL = "url"
    DISCOURSE = "discourse"


@dataclass(frozen=True)
class Topic:
    """A Discourse topic: the site, the topic's slug and its id."""

    site: str
    """``https://HOST`` (with a port, or a path prefix for a subfolder install)."""
    slug: str
    id: int

    @property
    def url(self) -> str:
        return f"{self.site}/t/{self.slug}/{self.id}"

    def post_url(self, post_number: int) -> str:
        """The link Discourse gives a post."""
        return f"{self.url}/{post_number}"


@dataclass(frozen=True)
class Location:
    """One minutes source as given: its kind and what was written."""

    kind: Kind
    spec: str
    """As written (a path, a URL, ``discourse:URL``)."""

    @property
    def topic(self) -> Topic:
        """The Discourse topic (only for :attr:`Kind.DISCOURSE`)."""
        return topic_of(self.spec.removeprefix(DISCOURSE_PREFIX))


def locate(spec: str) -> Location:
    """What ``spec`` names; ValueError (with what is expected) for a malformed remote one."""
    if spec.startswith(DISCOURSE_PREFIX):
        topic_of(spec.removeprefix(DISCOURSE_PREFIX))  # checked now, not when read
        return Location(Kind.DISCOURSE, spec)
    if spec.startswith(("https://", "http://")):
        if not urlsplit(spec).hostname:
            raise ValueError(f"{spec!r} is not a URL with a host")
        return Location(Kind.URL, spec)
    return Location(Kind.PATH, spec)


def topic_of(url: str) -> Topic:
    """The topic of ``https://HOST/t/SLUG/ID`` (or a post's link inside it)."""
    parts = urlsplit(url)
    prefix, found = _topic_in(parts.path)
    if parts.scheme not in ("https", "http") or not parts.netloc or found is None:
        raise ValueError(
            f"expected discourse:https://HOST/t/SLUG/ID (a topic's address), got "
            f"{DISCOURSE_PREFIX}{url}"
        )
    host = parts.netloc.rpartition("@")[2]  # never keep credentials written into the URL
    return Topic(f"{parts.scheme}://{host}{prefix}", found.group("slug"), int(found.group("id")))


def _topic_in(path: str) -> tuple[str, re.Match[str] | None]:
    # A subfolder install (https://HOST/forum/t/…) keeps its prefix.
    at = path.rfind("/t/")
    if at < 0:
        return "", None
    return path[:at], _TOPIC_PATH.match(path[at:])
