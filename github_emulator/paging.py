"""Pagination exactly as PyGithub parses it: ``per_page``/``page`` and the ``Link`` header.

The Link URLs are absolute on the host:port the request came in on, joined with
``", "`` and ``"; "`` (a missing space silently stops PyGithub at page 1), keep
every other query parameter, and give ``rel="last"`` on every page but the last
(``totalCount`` reads the last page number from it).
"""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return default  # GitHub ignores a malformed paging parameter


def paginate(
    items: list[T], *, base: str, path: str, params: dict[str, str]
) -> tuple[list[T], str | None]:
    """Slice ``items`` for the requested page and build the Link header for it."""
    per_page = min(max(_int_param(params, "per_page", DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    page = max(_int_param(params, "page", 1), 1)
    last = max((len(items) + per_page - 1) // per_page, 1)
    chunk = items[(page - 1) * per_page : page * per_page]

    def url(number: int) -> str:
        query = {k: v for k, v in params.items() if k != "page"}
        if "per_page" in params:
            query["per_page"] = str(per_page)
        query["page"] = str(number)
        return f"{base}{path}?{urlencode(query)}"

    rels: list[tuple[int, str]] = []
    if page > 1:
        rels.append((min(page - 1, last), "prev"))
    if page < last:
        rels.append((page + 1, "next"))
        rels.append((last, "last"))
    if page > 1:
        rels.append((1, "first"))
    link = ", ".join(f'<{url(n)}>; rel="{rel}"' for n, rel in rels) or None
    return chunk, link
