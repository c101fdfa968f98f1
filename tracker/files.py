"""Writing files the user owns: only a marker-bounded block of them, always atomically.

:func:`splice` replaces only the lines between a start and an end marker (or appends
the block with its markers), keeping every other byte and the file's newline style;
:func:`write_between` does that to a file, or in check mode only says whether the file
is out of date; :func:`atomic_write` is the one way tracker writes a file (the Pending
AIs section, a new agenda, the annotations of ``sync --annotate``).

What tracker rewrites (issue #10, item 11) must be a regular, writable UTF-8 file
(:func:`read_for_rewrite`): a named pipe or a device is refused before it is opened (it
would hang or never end), a read-only file is refused rather than replaced, and UTF-16
or UTF-32 minutes are refused rather than turned into UTF-8. A symbolic link is written
through: its target gets the new text, the link stays a link.
"""

from __future__ import annotations

import codecs
import difflib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import InputError
from tracker.minutes.reading import read_file, split_lines

# Opening a pipe for reading waits for a writer; O_NONBLOCK makes it return at once.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# As the parser reads them: a fence is three backticks or tildes; a comment opens on a line
# that starts with "<!--" and closes at the first "-->".
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


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
    # Markers shown in a code block or a comment (documenting them) are not markers.
    shown = [(i, lines[i].strip().lstrip("\ufeff")) for i in _outside_code_and_comments(lines)]
    starts = [i for i, line in shown if line == markers.start]
    ends = [i for i, line in shown if line == markers.end]
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


def _outside_code_and_comments(lines: Sequence[str]) -> Iterator[int]:
    """The indexes of the lines outside fenced code and multi-line HTML comments."""
    fence: str | None = None
    in_comment = False
    for index, line in enumerate(lines):
        stripped = line.strip().lstrip("\ufeff")
        if fence is not None:
            found = _FENCE.match(line)
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if found := _FENCE.match(line):
            fence = found.group(1)
            continue
        if stripped.startswith("<!--") and "-->" not in stripped:
            in_comment = True
            continue
        yield index


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
    old = read_for_rewrite(target, name=shown, missing_ok=True) or ""
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


def read_for_rewrite(
    path: str | os.PathLike[str], *, name: str | None = None, missing_ok: bool = False
) -> str | None:
    """The exact text (every line ending kept) of a file tracker is about to rewrite part of.

    Refused with an :class:`InputError` naming the file: anything but a regular file (a pipe
    is never waited on), text :func:`tracker.minutes.reading.read_file` cannot read, UTF-16
    or UTF-32 (tracker writes UTF-8 only), and a read-only file. A missing file is None with
    ``missing_ok``; a link is read through (:func:`atomic_write` writes through it too).
    """
    shown = os.fspath(path) if name is None else name
    target = Path(path)
    if missing_ok and not target.exists() and not target.is_symlink():
        return None
    try:
        read_file(target, name=shown)  # a regular file of text, else a clear error
    except InputError as exc:
        if exc.hint and exc.hint.startswith("to read a pipe"):
            # Reading's hint (pass -) does not help a file tracker is to write into.
            raise InputError(
                f"{exc.message}; tracker writes only into a regular file",
                path=shown,
                hint="name the minutes file whose section to refresh",
            ) from None
        raise
    data = _read_bytes(target, shown)
    wide = next((label for bom, label in _WIDE_BOMS if data.startswith(bom)), None)
    if wide is not None:
        raise InputError(
            f"is {wide} text; tracker writes only UTF-8 files, so it leaves this one alone",
            path=shown,
            hint="save the file as UTF-8",
        )
    _check_writable(target, shown)
    return data.decode("utf-8")  # read_file decoded it, and it has no UTF-16/32 BOM


def _read_bytes(path: Path, shown: str) -> bytes:
    # Opened without waiting and checked again: a file swapped for a pipe since read_file
    # looked at it is refused rather than waited on.
    fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    with open(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("is not a regular file any more; not written", path=shown)
        return file.read()


def _check_writable(path: Path, shown: str) -> None:
    status = path.stat()
    # The mode bits too: root may write anything, but a read-only file says "leave me alone".
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        path, os.W_OK
    ):
        raise InputError(
            "is read-only; not written",
            path=shown,
            hint="make it writable (chmod u+w) if tracker should update it",
        )


def write_new(path: str | os.PathLike[str], text: str, *, hint: str | None = None) -> None:
    """Create ``path`` with ``text`` (atomically); an existing file (or link) is never
    overwritten."""
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise InputError("already exists; not overwritten", path=str(path), hint=hint)
    atomic_write(target, text.encode("utf-8"))


def atomic_write(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` through a temporary file and a rename, keeping its mode.

    A symbolic link is written through: the file it points to is replaced, and the link
    stays (a rename over the link itself would turn it into a copy).
    """
    target = Path(os.path.realpath(target))
    folder = target.parent
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
    except OSError as exc:
        # A full disk, a quota, the target swapped for a folder: the old file stays whole.
        Path(temp).unlink(missing_ok=True)
        raise InputError(
            f"cannot write: {exc.strerror or exc}; the file was left as it was", path=str(target)
        ) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
