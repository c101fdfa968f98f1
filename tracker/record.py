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

from tracker.escape import drop_controls
from tracker.identity import marker, marker_match

#: The fields tracker owns, in the order they are reported.
FIELDS = ("title", "body", "assignees", "labels", "milestone")

_STATE_RE = re.compile(r"\n*<!-- tracker:state (\{[^>]*\}) -->\n?")
_STATE_VERSION = 1
#: The write record is cut to fit in this many characters (its texts shortened).
MAX_RECORD = 3_000


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
        """The hidden comment, at most :data:`MAX_RECORD` characters: a long AI's texts are
        shortened (they only help to recognise the AI once its text is edited)."""
        cap = 300
        while True:
            text = self._json(cap)
            if len(text) <= MAX_RECORD - 25 or cap <= 10:
                return f"<!-- tracker:state {text} -->"
            cap //= 2

    def _json(self, cap: int) -> str:
        def cut(text: str) -> str:
            return drop_controls(text)[:cap]

        data = {
            "v": _STATE_VERSION,
            "h": dict(self.hashes),
            "meeting": self.meeting,
            "source": cut(self.source) if self.source else self.source,
            "line": self.line,
            "text": cut(self.text),
            "owners": [cut(owner) for owner in self.owners[:10]],
            "topic": [cut(topic) for topic in self.topic[-5:]],
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # No ">" may appear inside, or the comment would end early.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    @classmethod
    def from_body(cls, body: str) -> WriteRecord | None:
        """The record in an issue body; None when absent or unreadable."""
        match = None
        for match in _STATE_RE.finditer(body or ""):
            pass  # the last one: tracker writes its record at the end of the body
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
    found = marker_match(body)
    if found:
        body = body[: found.start()] + body[found.end() :]
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
    found = marker_match(body)
    if found is None:
        body = f"{body}\n\n{marker(ai_id)}"
    elif found.group(1) != ai_id:
        body = body[: found.start()] + marker(ai_id) + body[found.end() :]
    return f"{body}\n{record.comment()}\n"
