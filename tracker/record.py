"""The two hidden comments tracker keeps in an issue body: the AI's marker and the write
record (issue #4).

The write record holds a short hash of each field as tracker last wrote it (title, body,
assignees, labels, milestone) plus where the AI was (meeting, source, line, text, owners,
topic). The planner compares it with GitHub and the minutes; the status reads it to
describe an issue whose AI left the minutes. :func:`with_record` is the one place that
puts a marker into a body.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from tracker.identity import find_marker, marker

#: The fields tracker owns, in the order they are reported.
FIELDS = ("title", "body", "assignees", "labels", "milestone")

_STATE_RE = re.compile(r"\n*<!-- tracker:state (\{[^>]*\}) -->\n?")
_STATE_VERSION = 1


@dataclass(frozen=True)
class WriteRecord:
    """What tracker last wrote to an issue, kept in a hidden comment in its body."""

    hashes: Mapping[str, str]
    meeting: str | None = None
    source: str | None = None
    line: int | None = None
    text: str = ""
    owners: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()

    def comment(self) -> str:
        data = {
            "v": _STATE_VERSION,
            "h": dict(self.hashes),
            "meeting": self.meeting,
            "source": self.source,
            "line": self.line,
            "text": self.text[:300],
            "owners": list(self.owners),
            "topic": list(self.topic),
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # No ">" may appear inside, or the comment would end early.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"<!-- tracker:state {text} -->"

    @classmethod
    def from_body(cls, body: str) -> WriteRecord | None:
        """The record in an issue body; None when absent or unreadable."""
        match = _STATE_RE.search(body or "")
        if not match:
            return None
        try:
            data = json.loads(match.group(1))
            hashes = {str(k): str(v) for k, v in data["h"].items()}
            line = data.get("line")
            return cls(
                hashes=hashes,
                meeting=data.get("meeting"),
                source=data.get("source"),
                line=line if isinstance(line, int) else None,
                text=str(data.get("text") or ""),
                owners=tuple(str(o) for o in data.get("owners") or ()),
                topic=tuple(str(t) for t in data.get("topic") or ()),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def visible_body(body: str) -> str:
    """The body without tracker's hidden comments, as compared for human edits."""
    body = _STATE_RE.sub("\n", (body or "").replace("\r\n", "\n"))
    ai_id = find_marker(body)
    if ai_id:
        body = body.replace(marker(ai_id), "")
    return body.strip()


def field_hash(field_name: str, value: object) -> str:
    """The short hash the write record keeps of one field's value."""
    if field_name == "body":
        text = visible_body(str(value))
    elif field_name in ("assignees", "labels"):
        text = "\n".join(sorted(str(v).casefold() for v in value))  # type: ignore[attr-defined]
    else:
        text = "" if value is None else str(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def with_record(body: str, record: WriteRecord, ai_id: str) -> str:
    """``body`` with its marker set to ``ai_id`` and its write record replaced."""
    body = _STATE_RE.sub("\n", (body or "").replace("\r\n", "\n")).rstrip()
    old = find_marker(body)
    if old is None:
        body = f"{body}\n\n{marker(ai_id)}"
    elif old != ai_id:
        body = body.replace(marker(old), marker(ai_id))
    return f"{body}\n{record.comment()}\n"
