"""Minutes text -> Minutes model (work in progress)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from tracker.config import Config
from tracker.model import Minutes


def parse_text(text: str, *, source: str = "-", config: Config | None = None) -> Minutes:
    return Minutes()


def parse(paths: Iterable[str], *, config: Config | None = None, stdin: BinaryIO | None = None) -> Minutes:
    return Minutes()
