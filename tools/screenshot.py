"""A screenshot of the Pending AIs section as GitHub shows it (issue 12).

    python -m tools.screenshot OUT.png [--width 900]

runs ``tracker demo`` (the example minutes on the local GitHub), renders the section it
refreshed with cmark-gfm (GitHub's own Markdown renderer; ``cmarkgfm``, in the test extra)
inside a GitHub-like stylesheet (``github.css`` beside this file), and takes the picture
with headless Chromium (Debian's ``chromium`` or ``chromium-headless-shell``).
``tests/test_screenshot.py`` does the same when Chromium is there.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import cmarkgfm

STYLESHEET = Path(__file__).with_name("github.css")
BROWSERS = ("chromium", "chromium-headless-shell")
LINE_HEIGHT = 28
"""Pixels per source line, to size the window to the page (a screenshot shows the window)."""


def find_chromium() -> str | None:
    """The headless Chromium on PATH, if any."""
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def to_html(markdown: str, *, title: str = "Pending AIs") -> str:
    """``markdown`` as GitHub renders a Markdown file, on a page with GitHub-like CSS."""
    body = cmarkgfm.github_flavored_markdown_to_html(markdown)
    css = STYLESHEET.read_text(encoding="utf-8")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>\n{css}</style></head>\n"
        f'<body><article class="markdown-body">\n{body}</article></body></html>\n'
    )


def screenshot(page: str, out: Path, *, width: int = 900, height: int) -> Path:
    """Take a PNG of the HTML ``page`` with headless Chromium; raises when it cannot."""
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("no Chromium on PATH: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="tracker-screenshot-") as folder:
        source = Path(folder, "page.html")
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",  # as root (CI) Chromium refuses to start with its sandbox
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                f"--user-data-dir={folder}/profile",
                f"--window-size={width},{height}",
                f"--screenshot={out.resolve()}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def demo_section() -> str:
    """The Pending AIs section ``tracker demo`` refreshes."""
    from tracker import demo

    with demo.running() as run:
        return run.pending.text


def window_height(markdown: str) -> int:
    return 80 + LINE_HEIGHT * (markdown.count("\n") + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshot", description=__doc__)
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("--width", type=int, default=900)
    args = parser.parse_args(argv)
    section = demo_section()
    screenshot(to_html(section), args.out, width=args.width, height=window_height(section))
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
