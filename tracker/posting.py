"""``tracker pending --post``: the Pending AIs section where the team reads its minutes on
Discourse (issue 13). Opt-in, and never a second copy of the same section:

- ``--post discourse:TOPIC`` replies to the topic with the section, unless tracker's latest
  reply there already says the same;
- ``--edit-post ID`` rewrites only the lines between the section's markers in post ``ID``
  (appending them when absent), sending the text it read as ``post[original_text]``, so that
  a human edit made in between is refused by Discourse (409 ``edit_conflict``), reported, and
  never overwritten. An up-to-date post is not edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.config import Config
from tracker.discourse import OWN_POST_MARKER, Discourse, VersionCache
from tracker.files import splice
from tracker.locations import Topic
from tracker.section import MARKERS
from tracker.sources import Web
from tracker.trust import Trust

EDIT_REASON = "tracker: Pending AIs refreshed"


@dataclass(frozen=True)
class Posted:
    """What posting the section did."""

    url: str
    """The post written, or the one that already says it."""
    changed: bool
    """A reply was posted or the post edited; False: it was up to date."""
    requests: int


def reply_body(section: str) -> str:
    """A reply of tracker's: its marker (so that it is never read as minutes), then the
    section between its markers."""
    return f"{OWN_POST_MARKER}\n{MARKERS.around(section)}"


def post_section(
    section: str,
    *,
    topic: Topic,
    config: Config,
    edit_post: int | None = None,
    web_access: Web | None = None,
) -> Posted:
    """Put ``section`` on the topic's site: a reply to ``topic``, or into post ``edit_post``."""
    access = web_access or Web()
    client = Discourse(
        topic.site,
        env=access.env,
        clock=access.clock,
        max_wait=config.max_wait,
        notify=access.notify,
    )
    if edit_post is not None:
        raw, _version = client.read_post(edit_post)
        new = splice(raw, section, markers=MARKERS, path=f"post {edit_post}")
        url = f"{topic.site}/p/{edit_post}"
        if _same(new, raw):
            return Posted(url, False, client.requests)
        client.edit(edit_post, new, original=raw, reason=EDIT_REASON)
        return Posted(url, True, client.requests)
    cache = VersionCache(config.discourse_cache)
    try:
        topic, posts = client.topic_posts(topic, cache)
    finally:
        cache.save()
    body = reply_body(section)
    trust = Trust.of(config, client.poster)
    own = [post for post in posts if trust.own(post)]
    if own and _same(own[-1].raw, body):
        return Posted(topic.post_url(own[-1].number), False, client.requests)
    number = client.reply(topic, body)
    return Posted(topic.post_url(number), True, client.requests)


def _same(a: str, b: str) -> bool:
    # Discourse trims trailing white space when it saves a post.
    return [line.rstrip() for line in a.strip().splitlines()] == [
        line.rstrip() for line in b.strip().splitlines()
    ]
