"""Reading minutes from files, folders and stdin into text, or a clear error."""

from __future__ import annotations

import codecs
import os
import re
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


@dataclass(frozen=True)
class Source:
    """One minutes text and the name it is reported under."""

    name: str
    text: str
    """With every line ending turned into ``\\n``."""


def read_sources(paths: Iterable[str], *, stdin: BinaryIO | None = None) -> Iterator[Source]:
    """Each minutes text named by ``paths``: files, folders (recursively) and ``-``."""
    for given in paths:
        if given == "-":
            if stdin is None:
                raise InputError("no standard input to read", path=STDIN_NAME)
            yield Source(STDIN_NAME, decode(stdin.read(), STDIN_NAME))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(_minutes_files(path))
            if not files:
                raise InputError(
                    "no minutes files in this folder",
                    path=given,
                    hint=f"tracker reads {', '.join('*' + s for s in MINUTES_SUFFIXES)}",
                )
            for file in files:
                yield _read_file(file, str(file))
            continue
        yield _read_file(path, given)


def _minutes_files(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in files:
            lower = name.lower()
            if lower.endswith(MINUTES_SUFFIXES) and not lower.startswith(_NOT_MINUTES):
                yield Path(root) / name


def _read_file(path: Path, name: str) -> Source:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file or folder", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return Source(name, decode(data, name))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, numbered as the parser numbers them.

    Only ``\\n``, ``\\r\\n`` and ``\\r`` end a line (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would shift every line number after them).
    ``"".join(split_lines(text)) == text``.
    """
    return _LINE.findall(text)


def decode(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; else an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text", path=name) from None
    else:
        if b"\x00" in data[:8192]:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise InputError("binary data, not minutes text", path=name, line=line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                path=name,
                line=line,
                hint="save the minutes as UTF-8",
            ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
