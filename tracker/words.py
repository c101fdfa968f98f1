"""Counts in words: ``1 label``, ``2 labels`` (issue 12: "1 milestones" read as a typo)."""

from __future__ import annotations

#: Plurals that are not the singular with an ``s``.
_IRREGULAR = {"was": "were", "is": "are", "person": "people"}


def plural(word: str, count: int) -> str:
    """``word`` as it goes with ``count``: ``label`` / ``labels``; ``AI`` / ``AIs``."""
    if count == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


def counted(count: int, word: str) -> str:
    """``1 label``, ``2 labels``, ``1,500 issues``."""
    return f"{count:,} {plural(word, count)}"
