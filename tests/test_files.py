"""Writing the user's files: only the lines between the markers change, atomically."""

from __future__ import annotations

import os

import pytest

from tracker.errors import InputError
from tracker.files import splice, write_between, write_new
from tracker.section import END_MARKER, MARKERS, START_MARKER

SECTION = "## Pending AIs\n\n- AI: [alice] do it (#1)\n"


# ------------------------------------------------------------------------------- splice


def test_only_the_lines_between_the_markers_change():
    """Text before and after the markers stays byte for byte, odd spacing and all."""
    before = "# Notes  \n\n\tindented\n"
    after = "trailing text without newline"
    text = f"{before}{START_MARKER}\nold\nlines\n{END_MARKER}\n{after}"
    assert (
        splice(text, SECTION, markers=MARKERS)
        == f"{before}{START_MARKER}\n{SECTION}{END_MARKER}\n{after}"
    )


def test_a_crlf_file_stays_crlf():
    """The section takes the file's newline style."""
    text = f"a\r\n{START_MARKER}\r\nold\r\n{END_MARKER}\r\nb\r\n"
    assert (
        splice(text, SECTION, markers=MARKERS)
        == f"a\r\n{START_MARKER}\r\n{SECTION.replace(chr(10), chr(13) + chr(10))}{END_MARKER}\r\nb\r\n"
    )


def test_without_markers_the_section_is_appended_between_new_markers():
    """Appending adds a newline to an unterminated last line and a blank line before the block."""
    assert (
        splice("# Notes", SECTION, markers=MARKERS)
        == f"# Notes\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n"
    )
    assert splice("", SECTION, markers=MARKERS) == f"{START_MARKER}\n{SECTION}{END_MARKER}\n"


def test_splicing_twice_gives_the_same_text():
    """Idempotent: the second splice changes nothing."""
    once = splice("# Notes\n", SECTION, markers=MARKERS)
    assert splice(once, SECTION, markers=MARKERS) == once


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"{START_MARKER}\nx\n", 1),
        (f"x\n{END_MARKER}\n{START_MARKER}\n", 2),
        (f"{START_MARKER}\n{START_MARKER}\n{END_MARKER}\n", 2),
    ],
    ids=["no-end", "end-first", "two-starts"],
)
def test_broken_markers_are_an_error_with_the_line(text, line):
    """A lone, doubled or reversed marker is never guessed at: path:line and a hint."""
    with pytest.raises(InputError) as caught:
        splice(text, SECTION, markers=MARKERS, path="next.md")
    assert (caught.value.path, caught.value.line) == ("next.md", line)
    assert str(caught.value).startswith(
        f"next.md:{line}: the Pending AIs markers must appear once each"
    )


# ------------------------------------------------------------------------------- write_between


def test_write_is_atomic_and_keeps_the_file_mode(tmp_path):
    """The file is replaced by a rename: no temporary file is left behind, the mode stays."""
    path = tmp_path / "next.md"
    path.write_text("# Notes\n", encoding="utf-8")
    os.chmod(path, 0o640)
    result = write_between(path, SECTION, markers=MARKERS)
    assert result.written and result.changed
    assert path.read_text(encoding="utf-8") == f"# Notes\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.md"]
    assert path.stat().st_mode & 0o777 == 0o640


def test_check_reports_a_diff_and_writes_nothing(tmp_path):
    """Check mode: changed, a unified diff, the file untouched."""
    path = tmp_path / "next.md"
    path.write_text("# Notes\n", encoding="utf-8")
    result = write_between(path, SECTION, markers=MARKERS, check=True)
    assert (result.changed, result.written) == (True, False)
    assert path.read_text(encoding="utf-8") == "# Notes\n"
    assert f"+{START_MARKER}\n" in result.diff


def test_an_up_to_date_file_is_not_rewritten(tmp_path):
    """Nothing to change: no write at all (the file's mtime stays)."""
    path = tmp_path / "next.md"
    path.write_text(f"{START_MARKER}\n{SECTION}{END_MARKER}\n", encoding="utf-8")
    os.utime(path, (1, 1))
    result = write_between(path, SECTION, markers=MARKERS)
    assert (result.changed, result.written, result.diff) == (False, False, "")
    assert path.stat().st_mtime == 1


def test_a_missing_file_is_created(tmp_path):
    """--write to a new file: just the markers and the section."""
    path = tmp_path / "new.md"
    write_between(path, SECTION, markers=MARKERS)
    assert path.read_text(encoding="utf-8") == f"{START_MARKER}\n{SECTION}{END_MARKER}\n"


# ------------------------------------------------------------------------------- write_new


def test_write_new_creates_a_file_and_never_overwrites_one(tmp_path):
    """A new file is written whole; an existing one is an error naming it, with the hint given."""
    path = tmp_path / "next.md"
    write_new(path, "# Next\n")
    assert path.read_text(encoding="utf-8") == "# Next\n"
    with pytest.raises(InputError) as caught:
        write_new(path, "other\n", hint="refresh it instead")
    assert (
        str(caught.value) == f"{path}: already exists; not overwritten (hint: refresh it instead)"
    )
    assert path.read_text(encoding="utf-8") == "# Next\n"


def test_a_file_that_is_not_utf8_is_not_touched(tmp_path):
    """The block goes only into text tracker can read back."""
    path = tmp_path / "next.md"
    path.write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8 text"):
        write_between(path, SECTION, markers=MARKERS)
    assert path.read_bytes() == b"caf\xe9\n"
