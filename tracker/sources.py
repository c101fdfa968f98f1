"""Minutes wherever a team keeps them: files, Discourse topics, Markdown URLs (issue 13).

Every command reads its minutes here, from the locations on its command line or, when it
names none, the config's ``sources:`` (see :mod:`tracker.locations`). Each location becomes
one or more texts, and everything after (sync, status, pending) sees the same
:class:`~tracker.model.Minutes` whatever the location; only an AI's ``source`` and
``link`` say where it was read:

- a file: its path, no link (the repository gives one);
- a URL: the URL, linked to itself;
- a Discourse topic: each regular post is its own minutes text, named ``SLUG/POST_NUMBER``
  (so an AI is at ``SLUG/POST_NUMBER:LINE``) and linked to the post; the post's creation
  day settles a meeting heading written without a year. Only the posts of the minutes'
  authors are read (``discourse.authors``, else the topic's creator and staff), never
  tracker's own replies (:mod:`tracker.trust`); a post by anyone else that holds an AI
  line gets a warning, once per author, naming the config line that would read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, BinaryIO

from tracker.config import Config
from tracker.errors import InputError
from tracker.locations import Kind, Topic, locate
from tracker.minutes import parse_sources
from tracker.minutes.reading import Source, decode, read_sources
from tracker.model import Minutes, ParseWarning
from tracker.pacing import Clock
from tracker.trust import Trust

if TYPE_CHECKING:  # both load requests, which reading files never needs (issue 14)
    from tracker.discourse import Discourse, Post


@dataclass(frozen=True)
class Texts:
    """The minutes texts of some locations, in order, and where people read them."""

    sources: tuple[Source, ...]
    links: Mapping[str, str] = field(default_factory=dict)
    """Source name -> its link, for texts on the web."""
    discourse_requests: int = 0
    warnings: tuple[ParseWarning, ...] = ()
    """Posts not read as minutes although they hold an AI line, one per author."""


@dataclass(frozen=True)
class Gathered:
    """Parsed minutes, and what reading them from the web cost."""

    minutes: Minutes
    discourse_requests: int = 0


@dataclass(frozen=True)
class Web:
    """How to reach the web: the environment (Discourse's key), the clock, the wait bound."""

    env: Mapping[str, str] | None = None
    clock: Clock | None = None
    notify: Callable[[str], None] | None = None


def gather(
    specs: Iterable[str],
    *,
    config: Config,
    stdin: BinaryIO | None = None,
    web_access: Web | None = None,
) -> Gathered:
    """Read and parse the minutes at ``specs`` (else the config's ``sources:``)."""
    texts = read_texts(specs, config=config, stdin=stdin, web_access=web_access)
    minutes = parse_sources(list(texts.sources), config=config)
    minutes = replace(minutes, warnings=texts.warnings + minutes.warnings)
    if texts.links:
        minutes = replace(
            minutes,
            action_items=tuple(
                replace(ai, link=texts.links[ai.source]) if ai.source in texts.links else ai
                for ai in minutes.action_items
            ),
        )
    return Gathered(minutes, texts.discourse_requests)


def read_texts(
    specs: Iterable[str],
    *,
    config: Config,
    stdin: BinaryIO | None = None,
    web_access: Web | None = None,
) -> Texts:
    """The texts at ``specs`` (else the config's ``sources:``), in the order given."""
    given = list(specs) or list(config.sources)
    if not given:
        raise InputError(
            "no minutes given", path="<command line>", hint="pass PATH... or set sources:"
        )
    access = web_access or Web()
    sources: list[Source] = []
    links: dict[str, str] = {}
    paths: list[str] = []
    clients: dict[str, Discourse] = {}
    warnings: list[ParseWarning] = []
    for spec in given:
        try:
            location = locate(spec)
        except ValueError as exc:
            raise InputError(str(exc), path=spec) from None
        if location.kind is Kind.PATH:
            paths.append(spec)
            continue
        # The files given before a web source come before its texts, as given.
        sources += read_sources(paths, stdin=stdin)
        paths = []
        if location.kind is Kind.URL:
            from tracker import web

            sources.append(Source(spec, decode(web.fetch(spec), spec)))
            links[spec] = spec
            continue
        site = location.topic.site
        if site not in clients:
            clients[site] = _client(site, config, access)
        posts, unread = _topic_texts(clients[site], location.topic, config)
        sources += [text for text, _link in posts]
        links.update((text.name, link) for text, link in posts)
        warnings += unread
    sources += read_sources(paths, stdin=stdin)
    requests = sum(client.requests for client in clients.values())
    return Texts(tuple(sources), links, requests, tuple(warnings))


def _client(site: str, config: Config, access: Web) -> Discourse:
    from tracker.discourse import Discourse

    return Discourse(
        site, env=access.env, clock=access.clock, max_wait=config.max_wait, notify=access.notify
    )


def _topic_texts(
    client: Discourse, topic: Topic, config: Config
) -> tuple[list[tuple[Source, str]], list[ParseWarning]]:
    """The topic's minutes posts as texts, each with its link, and a warning for each author
    whose post is not read though it holds an AI line; the cache kept up to date."""
    from tracker.discourse import VersionCache

    cache = VersionCache(config.discourse_cache)
    try:
        topic, posts = client.topic_posts(topic, cache)
    finally:
        cache.save()  # what was read is kept even when a later request fails
    trust = Trust.of(config, client.poster)
    mine = [post for post in posts if not trust.own(post)]
    read = [post for post in mine if trust.reads(post)]
    unread = [post for post in mine if not trust.reads(post)]
    texts = [(_text(topic, post), topic.post_url(post.number)) for post in read]
    return texts, list(_unread_warnings(topic, read, unread, trust, config))


def _text(topic: Topic, post: Post) -> Source:
    return Source(
        f"{topic.slug}/{post.number}",
        post.raw.replace("\r\n", "\n").replace("\r", "\n"),
        written=post.created,
    )


def _unread_warnings(
    topic: Topic, read: list[Post], unread: list[Post], trust: Trust, config: Config
) -> Iterable[ParseWarning]:
    """Once per author: the first of their posts that would have given an AI."""
    warned: set[str] = set()
    for post in unread:
        if post.username.casefold() in warned:
            continue
        found = parse_sources([_text(topic, post)], config=config).action_items
        if not found:
            continue
        warned.add(post.username.casefold())
        forged = (
            f"; it starts as tracker's replies do, which counts only by "
            f"DISCOURSE_API_USERNAME (set it to {post.username} if tracker posts as them)"
            if post.marked
            else ""
        )
        yield ParseWarning(
            found[0].source,
            found[0].line,
            f"post {post.number} by {post.username} holds an AI line but is not read as "
            f"minutes: only the posts of {trust.who()} are (anyone can reply on a forum); "
            f"if {post.username} writes minutes, add them to the config: "
            f"{trust.config_line(read, post.username)}{forged}",
        )
