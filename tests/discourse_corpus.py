"""The shared Pulpcore corpus as what it was copied from: a Discourse topic (issue 13).

The file is a copy of a topic, one post per meeting. :func:`seed_topic` puts it back on the
Discourse emulator that way: the first post holds the title line, then each meeting heading
starts a post of its own (created the day after that meeting), with the rendered page's
``N Like(s)`` lines left out, and forum noise between the meetings: replies by other
people, a small action post and a whisper (which tracker must not read).

Who posts, as on the real forum: the minutes are posted by the people who run the meeting,
the topic's creator (:data:`FACILITATOR`) and, every third meeting, a second facilitator who
is a forum moderator (:data:`MODERATOR`), so that tracker reads them by default (the topic's
creator and staff); the replies between are by ordinary, non-staff users.
"""

from __future__ import annotations

import datetime
import re

from tests import corpus
from tests.discourse_emulator import Forum, Topic
from tests.discourse_emulator.state import SMALL_ACTION, WHISPER

FACILITATOR = "ggainey"
"""Created the topic; posts most meetings' minutes."""
MODERATOR = "dkliban"
"""A forum moderator (staff) who posts every third meeting's minutes."""
_LIKES = re.compile(r"^\s*\d+ Likes?\s*$")
#: (after which meeting post, who, post type, text): the noise between the minutes.
NOISE = (
    (2, "mdellweg", 1, "Thanks for writing these up!"),
    (5, "community-user", 1, "Is there a recording of this meeting somewhere?"),
    (5, "system", SMALL_ACTION, "pinned globally"),
    (9, "dkliban", WHISPER, "AI: [dkliban] this whisper is no minutes and no AI"),
    (14, "x9c4", 1, "Great discussion today, see you next week."),
)


def meeting_posts() -> list[tuple[datetime.date | None, str]]:
    """The corpus cut at each meeting heading: (the meeting's date, the post's Markdown)."""
    lines = corpus.MINUTES.read_text(encoding="utf-8").splitlines(keepends=True)
    meetings = corpus.expected()["meetings"]
    starts = [1] + [m["line"] for m in meetings] + [len(lines) + 1]
    dates = [None] + [m["date"] for m in meetings]
    posts = []
    for date, start, end in zip(dates, starts, starts[1:], strict=False):
        text = "".join(line for line in lines[start - 1 : end - 1] if not _LIKES.match(line))
        posts.append((date, text))
    return posts


def seed_topic(forum: Forum) -> Topic:
    """The corpus on ``forum`` as one topic, one post per meeting, noise between them."""
    first = datetime.datetime(2022, 9, 20, 10, 0, tzinfo=datetime.UTC)
    forum.user(MODERATOR, moderator=True)
    topic = forum.create_topic("Pulpcore meeting minutes", user=FACILITATOR, at=first)
    for index, (date, text) in enumerate(meeting_posts(), start=1):
        at = first
        if date is not None:
            at = datetime.datetime.combine(date, datetime.time(9), datetime.UTC)
            at += datetime.timedelta(days=1)
        writer = MODERATOR if index % 3 == 0 else FACILITATOR
        forum.add_post(topic.id, text, user=writer, at=at)
        for after, user, kind, noise in NOISE:
            if after == index:
                forum.add_post(topic.id, noise, user=user, post_type=kind, at=at)
    return topic


def topic_spec(url: str, topic: Topic) -> str:
    return f"discourse:{url}/t/{topic.slug}/{topic.id}"
