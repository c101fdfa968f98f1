"""The Pending AIs section of `tracker demo`, rendered as GitHub renders it (cmark-gfm) and
photographed with headless Chromium (issue 12). Chromium is a Debian package this machine
may not have: without it the screenshot is skipped, saying so; the rendering is not."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tools import screenshot

CHROMIUM = screenshot.find_chromium()


@pytest.fixture(scope="module")
def section() -> str:
    return screenshot.demo_section()


def test_the_section_renders_as_github_renders_a_markdown_file(section):
    # cmark-gfm turns it into headed lists on a page styled like GitHub's.
    page = screenshot.to_html(section)
    assert page.count("<h2>") == 3 and "<h2>Pending AIs</h2>" in page
    assert page.count("<li>") >= 10
    assert "markdown-body" in page and "font-family" in page


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium or chromium-headless-shell on PATH (apt-get install chromium)",
)
def test_a_screenshot_of_the_rendered_section_is_a_real_picture(section, tmp_path):
    # A PNG of the requested size whose pixels vary (text on a page, not a blank window).
    out = screenshot.screenshot(
        screenshot.to_html(section), tmp_path / "pending.png", width=900, height=700
    )
    width, height, pixels = read_png(out)
    assert (width, height) == (900, 700)
    assert out.stat().st_size > 20_000
    assert len(set(pixels)) > 32


def read_png(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the filtered pixel rows of a PNG (enough to tell it is no blank)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, width, height, compressed = 8, 0, 0, b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, chunk = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            compressed += chunk
        at += 12 + length
    return width, height, zlib.decompress(compressed)
