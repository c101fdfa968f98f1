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
