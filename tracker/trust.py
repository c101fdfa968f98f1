"""Whose Discourse posts count (issue 13 follow-up): who writes the minutes, and which
replies are tracker's own.

Anyone who can reply to a public topic could otherwise open an issue assigned to a
maintainer with one ``AI:`` line, or forge tracker's reply so that ``--post`` thinks the
topic is up to date. So, pure and over the posts as read:

- a post is **minutes** when its author is in ``discourse.authors``, or, when that is not
  set, when they created the topic or are staff (the post's ``staff``, ``admin`` or
  ``moderator``), as on a forum where the facilitators post the minutes;
- a post is **tracker's own** reply only when it starts with tracker's marker and its author
  is the user tracker posts as (``DISCOURSE_API_USERNAME``) or one the minutes trust.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.config import Config

if TYPE_CHECKING:  # tracker.discourse loads requests, which this module never needs
    from tracker.discourse import Post


@dataclass(frozen=True)
class Trust:
    """Who writes a topic's minutes, and who posts tracker's replies."""

    authors: tuple[str, ...] = ()
    """``discourse.authors``: empty, the topic's creator and staff."""
    poster: str | None = None
    """The user tracker posts as, when it has a key (or ``DISCOURSE_API_USERNAME`` is set)."""

    @classmethod
    def of(cls, config: Config, poster: str | None) -> Trust:
        return cls(config.discourse_authors, poster)

    def reads(self, post: Post) -> bool:
        """``post`` is minutes, if it is not tracker's own."""
        if self.authors:
            return post.username.casefold() in {a.casefold() for a in self.authors}
        return post.creator or post.staff

    def own(self, post: Post) -> bool:
        """``post`` is a reply tracker posted, never read as minutes."""
        if not post.marked:
            return False
        by_poster = self.poster is not None and post.username.casefold() == self.poster.casefold()
        return by_poster or self.reads(post)

    def who(self) -> str:
        """Whose posts are read, as a warning says it."""
        if self.authors:
            return "the users in discourse.authors"
        return "the topic's creator or staff"

    def config_line(self, read: Sequence[Post], author: str) -> str:
        """The config that reads ``author``'s posts too, keeping those read now."""
        names = list(self.authors) or list(dict.fromkeys(post.username for post in read))
        names.append(author)
        return f"discourse: {{authors: [{', '.join(names)}]}}"
