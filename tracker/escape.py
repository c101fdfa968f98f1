"""Text tracker does not control, made safe for where tracker writes it (issue #10).

Tracker copies the minutes' lines into issue titles and bodies, text read from GitHub
into the minutes' Pending AIs section, and both onto the terminal. Anyone who can
write a minutes line or edit an issue chooses that text, so in each place it must
stay text:

- **No hidden comments, no HTML** (:func:`defuse_html`): tracker ties an issue to its AI by
  a hidden comment in the body (``<!-- tracker:ai:ID -->``). Text that could open one,
  in any spelling (``<!--tracker:ai:…-->``, tabs, upper case), or open a ``<details>``
  that hides the rest, gets a zero-width joiner after its ``<``: it shows the same and
  is no tag.
- **No mentions** (:func:`defuse_mentions`): ``@user`` and ``@org/team`` get a zero-width
  joiner after the ``@``, so that a sync does not notify them (config ``mentions: true``
  keeps them).
- **No block that swallows the rest** (:func:`markdown`): a line starting a code fence,
  a heading or a quote is escaped with a backslash.
- **No control characters**: dropped from what goes to GitHub and into the minutes,
  shown escaped (``\\x1b``) on the terminal (:func:`printable`).
- **One line** (:func:`one_line`): text read from GitHub becomes a single line wherever
  it lands in the minutes, so it can never add a line of its own.
"""

from __future__ import annotations

import re
import unicodedata

#: U+200D ZERO WIDTH JOINER: invisible, and breaks a tag or a mention it is put into.
ZWJ = "\u200d"

# C0 controls but tab and newline, DEL and the C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# `<` that could start a tag, a comment, a declaration or a processing instruction.
_TAG_START = re.compile(r"<(?=[A-Za-z!/?])")
# `@` that GitHub would read as a mention: not after a word character (so not in an email).
_MENTION = re.compile(r"(?<![A-Za-z0-9_`])@(?=[A-Za-z0-9])")
# A line that starts a heading, a quote or a code fence (up to three spaces in).
_BLOCK_START = re.compile(r"^( {0,3})(#|>|`{3,}|~{3,})", re.MULTILINE)
# What opens one of tracker's hidden comments, in any spelling.
_TRACKER_COMMENT = re.compile(r"<(?=!--\s*tracker\s*:)", re.IGNORECASE)
# Bidirectional overrides: they reorder what a terminal shows ("Trojan source").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def drop_controls(text: str) -> str:
    """``text`` without control characters, but tabs and newlines."""
    return _CONTROLS.sub("", text)


def defuse_html(text: str) -> str:
    """``text`` where no ``<`` can start a tag or a comment (a zero-width joiner follows it)."""
    return _TAG_START.sub("<" + ZWJ, text)


def defuse_tracker_comments(text: str) -> str:
    """``text`` where nothing opens a comment that looks like tracker's own
    (``<!-- tracker:…``, in any case and spacing); other comments stay."""
    return _TRACKER_COMMENT.sub("<" + ZWJ, text)


def defuse_mentions(text: str) -> str:
    """``text`` where no ``@name`` or ``@org/team`` notifies anyone."""
    return _MENTION.sub("@" + ZWJ, text)


def plain(text: str, *, mentions: bool = False) -> str:
    """Text for a field GitHub shows as it is (an issue title): no controls, no tags, and no
    mentions unless ``mentions``."""
    text = defuse_html(drop_controls(text))
    return text if mentions else defuse_mentions(text)


def markdown(text: str, *, mentions: bool = False) -> str:
    """Text for a Markdown body: as :func:`plain`, and no line of it starts a heading, a
    quote or a code fence (a backslash escapes it)."""
    return _BLOCK_START.sub(r"\1\\\2", plain(text, mentions=mentions))


def one_line(text: str) -> str:
    """Text read from GitHub for a line of the minutes: one line (every line break and run
    of spaces becomes one space), no controls, no tags, and no heading, quote or fence."""
    return markdown(" ".join(text.split()), mentions=True)


def printable(text: str) -> str:
    """Text for the terminal: control characters and bidirectional overrides shown escaped
    (``\\x07``, ``\\x1b``, ``\\u202e``), as ``tracker sync`` shows a title."""
    if text.isprintable():
        return text
    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) == "Cc" or c in _BIDI else c for c in text
    )
