"""Minutes served at a URL (HackMD's ``/download``, a raw file): one GET, its bytes (issue 13).

The one place that fetches a plain URL; Discourse has its own client (:mod:`tracker.discourse`).
"""

from __future__ import annotations

import requests

from tracker.errors import InputError, network_reason

TIMEOUT = 30.0
#: Far more than any minutes; a URL that serves more is not minutes.
MAX_BYTES = 20 * 1024 * 1024
_TEXT_TYPES = ("text/", "application/octet-stream", "application/markdown")


def fetch(url: str, *, session: requests.Session | None = None) -> bytes:
    """The body ``url`` serves, or an :class:`InputError` naming the URL.

    Redirects are followed (a raw file's host often answers with one); an answer that is
    not text (an HTML login page, a JSON error) is refused, not read as minutes.
    """
    client = session or requests.Session()
    try:
        with client.get(url, timeout=TIMEOUT, stream=True) as response:
            if response.status_code != 200:
                raise InputError(
                    f"the URL answered {response.status_code} {response.reason}", path=url
                )
            kind = response.headers.get("Content-Type", "text/plain").split(";")[0].strip()
            if kind == "text/html" or not kind.startswith(_TEXT_TYPES):
                raise InputError(
                    f"the URL serves {kind}, not Markdown",
                    path=url,
                    hint="give the address of the raw text (HackMD: the note's /download)",
                )
            data = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise InputError(f"cannot fetch: {network_reason(exc)}", path=url) from None
    if len(data) > MAX_BYTES:
        raise InputError(f"more than {MAX_BYTES // 1024 // 1024} MB: not minutes", path=url)
    return bytes(data)
