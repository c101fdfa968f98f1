"""Reading minutes from files, folders and stdin into text, or a clear error.

What is read (issue #10, items 2 and 11):

- **Each file once, whatever path reaches it.** ``m.md ./m.md``, ``dir dir/m.md``, a hard
  link or a symbolic link to a file also read: the file is read once, under the name it was
  first reached by (files are told apart by device and inode, not by spelling). Within one
  folder a regular file keeps its own name over a link to it, so ``latest.md -> 2024-03-05.md``
  is read as ``2024-03-05.md``, whose name carries the meeting date. Standard input (``-``) is
  read once too, and not at all when it is a file also named on the command line.
- **A folder never reaches out of itself.** The walk does not enter linked folders, and skips
  a linked file whose target lies outside the folder given (the link may still be named on the
  command line). Nothing is printed for a skipped link or a file read already.
- **Only regular files.** A named pipe, a device or a socket, given or found in a folder, is
  refused with an :class:`~tracker.errors.InputError` naming it, after a ``stat`` and before
  anything opens it (opening a pipe would wait for a writer forever).
- **Text only.** UTF-8 (with or without a BOM), or UTF-16 or UTF-32 with a BOM. A NUL anywhere
  in the text (not only near its start) marks a binary file, refused with the line of the first
  NUL; in UTF-16/32 a NUL *byte* is ordinary, and only a decoded NUL *character* counts.
"""

from __future__ import annotations

import codecs
import datetime
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.errors import InputError

MINUTES_SUFFIXES = (".md", ".markdown", ".txt")
STDIN_NAME = "<stdin>"
# A folder of minutes often explains its conventions in a README ("write AIs as
# `AI: [name] task`"): such files are not minutes, unless named on the command line.
_NOT_MINUTES = ("readme", "contributing", "changelog", "license", "code_of_conduct", "template")
_SKIPPED_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox"}

_FileKey = tuple[int, int]
"""(st_dev, st_ino): the same for every path, link and hard link to one file."""
# Standard input that is not a file (a pipe, a terminal, a test's buffer) can only be "-".
_STDIN_STREAM: _FileKey = (-1, -1)
# On Windows os.open has no O_NONBLOCK; there opening a pipe does not wait for a writer.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True)
class Source:
    """One minutes text and the name it is reported under."""

    name: str
    text: str
    """With every line ending turned into ``\\n``."""
    written: datetime.date | None = None
    """The day the text was written, when its home says (a forum post's creation): the year
    of a meeting heading without one, when no heading beside it has a year (issue 13)."""


def read_sources(paths: Iterable[str], *, stdin: BinaryIO | None = None) -> Iterator[Source]:
    """Each minutes text named by ``paths``: files, folders (recursively) and ``-``.

    Every file is read once, under the first name that reaches it; see the module
    documentation for links and for what is refused.
    """
    seen: set[_FileKey] = set()
    for given in paths:
        if given == "-":
            if stdin is None:
                raise InputError("no standard input to read", path=STDIN_NAME)
            key = _stdin_key(stdin)
            if key not in seen:
                seen.add(key)
                yield Source(STDIN_NAME, decode(stdin.read(), STDIN_NAME))
            continue
        path = Path(given)
        if path.is_dir():
            files = _folder_files(path, given)
        else:
            files = [(path, given, _regular_status(path, given))]
        for file, name, status in files:
            key = (status.st_dev, status.st_ino)
            if key not in seen:
                seen.add(key)
                yield Source(name, decode(_read_regular(file, name), name))


def read_file(path: str | os.PathLike[str], *, name: str | None = None) -> Source:
    """One minutes file as text, refusing anything but a regular file of text.

    ``name`` is what errors and the source are reported under (by default the path).
    """
    shown = os.fspath(path) if name is None else name
    file = Path(path)
    _regular_status(file, shown)
    return Source(shown, decode(_read_regular(file, shown), shown))


def _stdin_key(stdin: BinaryIO) -> _FileKey:
    try:
        status = os.fstat(stdin.fileno())
    except OSError:  # io.UnsupportedOperation: a stream without a file descriptor
        return _STDIN_STREAM
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else _STDIN_STREAM


def _folder_files(folder: Path, given: str) -> list[tuple[Path, str, os.stat_result]]:
    """The minutes files in ``folder``, sorted, each with its status; links as documented."""
    root = Path(os.path.realpath(folder))
    found = sorted(_minutes_files(folder))
    # A link out of the folder would read minutes the folder does not hold (issue #10).
    inside = [
        f for f in found if not f.is_symlink() or Path(os.path.realpath(f)).is_relative_to(root)
    ]
    if not inside:
        raise InputError(
            "no minutes files in this folder",
            path=given,
            hint=f"tracker reads {', '.join('*' + s for s in MINUTES_SUFFIXES)}"
            + (", and never follows a link out of the folder" if found else ""),
        )
    files = [(file, str(file), _regular_status(file, str(file))) for file in inside]
    own_names = {(s.st_dev, s.st_ino) for file, _, s in files if not file.is_symlink()}
    return [
        (file, name, status)
        for file, name, status in files
        if not (file.is_symlink() and (status.st_dev, status.st_ino) in own_names)
    ]


def _minutes_files(folder: Path) -> Iterator[Path]:
    # os.walk lists a linked folder among `dirs` but never descends into it (followlinks=False).
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in files:
            lower = name.lower()
            if lower.endswith(MINUTES_SUFFIXES) and not lower.startswith(_NOT_MINUTES):
                yield Path(root) / name


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _regular_status(path: Path, name: str) -> os.stat_result:
    """``os.stat`` of a regular file (through links), or an error that names ``name``."""
    try:
        status = path.stat()
    except OSError as exc:
        raise _unreadable(exc, path, name) from None
    _check_regular(status, name)
    return status


def _check_regular(status: os.stat_result, name: str) -> None:
    if not stat.S_ISREG(status.st_mode):
        kind = next((k for is_kind, k in _KINDS if is_kind(status.st_mode)), "a special file")
        raise InputError(
            f"is {kind}, not a regular file",
            path=name,
            hint="to read a pipe or a device, pass - and redirect it to standard input",
        )


def _read_regular(path: Path, name: str) -> bytes:
    # O_NONBLOCK and the fstat close the gap between the stat and the open: a file
    # swapped for a pipe in between is refused instead of waited on.
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except OSError as exc:
        raise _unreadable(exc, path, name) from None
    with open(fd, "rb") as file:
        _check_regular(os.fstat(fd), name)
        return file.read()


def _unreadable(exc: OSError, path: Path, name: str) -> InputError:
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return InputError(
                f"broken link: its target {os.readlink(path)} does not exist", path=name
            )
        return InputError("no such file or folder", path=name)
    if isinstance(exc, PermissionError):
        return InputError("permission denied", path=name)
    return InputError(f"cannot read: {exc.strerror or exc}", path=name)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, numbered as the parser numbers them.

    Only ``\\n``, ``\\r\\n`` and ``\\r`` end a line (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would shift every line number after them).
    ``"".join(split_lines(text)) == text``.
    """
    return _LINE.findall(text)


# UTF-32-LE's BOM (FF FE 00 00) starts with UTF-16-LE's (FF FE), so UTF-32 is tried first. A
# UTF-16 text starting with U+0000 would look the same, but a NUL is refused in any encoding.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM; else an error.

    Line endings become ``\\n``. A NUL anywhere is refused as binary data, with its line.
    """
    codec, label = next(
        ((codec, label) for bom, codec, label in _BOMS if data.startswith(bom)),
        ("utf-8-sig", "UTF-8"),
    )
    if codec == "utf-8-sig":
        # A NUL byte is a NUL character in UTF-8; looking for it before decoding reports a
        # binary file as binary rather than by its first byte that is not UTF-8.
        nul = data.find(b"\x00")
        if nul >= 0:
            raise _binary(data[:nul].decode(codec, errors="replace"), name)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {label} (byte 0x{data[exc.start]:02x})",
            path=name,
            line=_line_number(data[: exc.start].decode(codec, errors="replace")),
            hint="save the minutes as UTF-8",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise _binary(text[:nul], name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _binary(before: str, name: str) -> InputError:
    return InputError("binary data, not minutes text", path=name, line=_line_number(before))


def _line_number(before: str) -> int:
    """The line, numbered as :func:`split_lines` numbers them, of the text after ``before``."""
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1
