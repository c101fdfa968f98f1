"""Writing files the user owns: only a marker-bounded block of them, always atomically.

:func:`splice` replaces only the lines between a start and an end marker (or appends
the block with its markers), keeping every other byte and the file's newline style;
:func:`write_between` does that to a file, or in check mode only says whether the file
is out of date; :func:`atomic_write` is the one way tracker writes a file (the Pending
AIs section, a new agenda, the annotations of ``sync --annotate``).
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import InputError
from tracker.minutes.reading import split_lines


@dataclass(frozen=True)
class Markers:
    """The two lines that bound a block tracker manages inside someone else's file."""

    start: str
    end: str
    name: str
    """What the block is, for error messages (``Pending AIs``)."""

    def around(self, text: str) -> str:
        """``text`` between the markers, as a new block."""
        return f"{self.start}\n{text}{self.end}\n"


@dataclass(frozen=True)
class WriteResult:
    """What writing (or checking) a block did."""

    path: str
    changed: bool
    """The file differs (or differed) from the refreshed one."""
    written: bool
    diff: str
    """A unified diff from the file to the refreshed file (empty when unchanged)."""


def splice(text: str, block: str, *, markers: Markers, path: str = "<text>") -> str:
    """``text`` with the lines between the markers replaced by ``block``.

    Only the managed lines change: every other character stays, and the block
    takes the file's newline style (``\\r\\n`` when the file uses it). Without
    markers, the block is appended at the end, between new markers.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    body = block.replace("\r\n", "\n").replace("\n", newline)
    lines = split_lines(text)
    starts = [i for i, line in enumerate(lines) if line.strip() == markers.start]
    ends = [i for i, line in enumerate(lines) if line.strip() == markers.end]
    if not starts and not ends:
        head = text
        if head and not head.endswith(("\n", "\r")):
            head += newline
        if head.strip():
            head += newline
        return f"{head}{markers.start}{newline}{body}{markers.end}{newline}"
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise InputError(
            f"the {markers.name} markers must appear once each, start before end",
            path=path,
            line=_misplaced(starts, ends) + 1,
            hint=f"keep one {markers.start} line and one {markers.end} line",
        )
    start, end = starts[0], ends[0]
    return "".join(lines[: start + 1]) + body + "".join(lines[end:])


def _misplaced(starts: list[int], ends: list[int]) -> int:
    """The index of the first marker line that is one too many or out of order."""
    if len(starts) > 1 or len(ends) > 1:
        return starts[1] if len(starts) > 1 else ends[1]
    if starts and ends:
        return ends[0]  # the end comes before the start
    return (starts or ends)[0]


def write_between(
    path: str | os.PathLike[str], block: str, *, markers: Markers, check: bool = False
) -> WriteResult:
    """Put ``block`` between the markers of ``path`` (created when missing).

    The write is atomic: a temporary file in the same folder, renamed over the
    original, so a crash leaves the old file or the new one, never half of one.
    With ``check``, nothing is written.
    """
    target = Path(path)
    shown = str(path)
    old = _read_text(target, shown)
    new = splice(old, block, markers=markers, path=shown)
    if new == old:
        return WriteResult(shown, changed=False, written=False, diff="")
    diff = "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=shown,
            tofile=shown,
        )
    )
    if check:
        return WriteResult(shown, changed=True, written=False, diff=diff)
    atomic_write(target, new.encode("utf-8"))
    return WriteResult(shown, changed=True, written=True, diff=diff)


def _read_text(target: Path, shown: str) -> str:
    """The file's text; "" when it does not exist yet."""
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=shown) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=shown) from None


def write_new(path: str | os.PathLike[str], text: str, *, hint: str | None = None) -> None:
    """Create ``path`` with ``text`` (atomically); an existing file is never overwritten."""
    target = Path(path)
    if target.exists():
        raise InputError("already exists; not overwritten", path=str(path), hint=hint)
    atomic_write(target, text.encode("utf-8"))


def atomic_write(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` through a temporary file and a rename, keeping its mode."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
