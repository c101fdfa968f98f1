"""Stable identities for action items, and the hidden marker that carries one in an issue.

An AI's id must not change when the file is re-parsed, when unrelated lines move,
or when the file is renamed or split, so it is derived only from what the AI
*is*: its meeting's date and its normalized text (plus an occurrence number for
the rare identical twins in one meeting). Paths and line numbers never enter it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NOISE = re.compile(r"[^\w]+")

MARKER_PREFIX = "tracker:ai:"
_MARKER_RE = re.compile(r"<!--\s*tracker:ai:([A-Za-z0-9._-]+)\s*-->")


def normalize_text(text: str) -> str:
    """Text as compared for identity: case, quotes, punctuation and spacing folded."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(_NOISE.sub(" ", text.casefold()).split())


def action_item_id(
    meeting: str, text: str, occurrence: int = 0, *, normalized: bool = False
) -> str:
    """The id of the ``occurrence``-th AI with this normalized text in this meeting.

    ``normalized=True`` says ``text`` already went through :func:`normalize_text`.
    """
    key = f"{meeting}\x00{text if normalized else normalize_text(text)}\x00{occurrence}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{meeting}-{digest}" if meeting else digest


def marker(ai_id: str) -> str:
    """The hidden HTML comment that ties an issue body to an AI id."""
    return f"<!-- {MARKER_PREFIX}{ai_id} -->"


def find_marker(body: str | None) -> str | None:
    """The AI id in an issue body's marker, or None."""
    if not body:
        return None
    match = _MARKER_RE.search(body)
    return match.group(1) if match else None
