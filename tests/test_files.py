"""Writing the user's files: only the lines between the markers change, atomically."""

from __future__ import annotations

import os

import pytest

from tracker.errors import InputError
from tracker.files import atomic_write, splice, write_between, write_new
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
    with pytest.raises(InputError, match="not valid UTF-8"):
        write_between(path, SECTION, markers=MARKERS)
    assert path.read_bytes() == b"caf\xe9\n"


# ------------------------------------------------------- files tracker must not harm (issue #10)


def test_markers_shown_in_a_code_block_or_a_comment_are_not_markers():
    """A README-like file that documents the markers in a fence and in a comment: those lines
    stay, and the section goes between the real markers."""
    text = (
        f"Put these lines in your minutes:\n\n```\n{START_MARKER}\n{END_MARKER}\n```\n\n"
        f"<!--\n{START_MARKER}\n-->\n\n~~~~\n{END_MARKER}\n~~~~\n\n"
        f"{START_MARKER}\nold\n{END_MARKER}\ntail\n"
    )
    assert splice(text, SECTION, markers=MARKERS) == text.replace("old\n", SECTION)


def test_write_goes_through_a_link_to_its_target(tmp_path):
    """`latest.md -> 2024-03-19.md`: the target gets the section, the link stays a link."""
    target = tmp_path / "2024-03-19.md"
    target.write_text("# 2024-03-19\n", encoding="utf-8")
    link = tmp_path / "latest.md"
    link.symlink_to(target.name)
    assert write_between(link, SECTION, markers=MARKERS).written
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text(encoding="utf-8") == (
        f"# 2024-03-19\n\n{START_MARKER}\n{SECTION}{END_MARKER}\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024-03-19.md", "latest.md"]


def test_a_read_only_file_is_refused_with_a_message_and_left_alone(tmp_path):
    """Even for root, who could write it: the file says it is not to be changed."""
    path = tmp_path / "next.md"
    path.write_text("# Next\n", encoding="utf-8")
    path.chmod(0o444)
    with pytest.raises(InputError) as caught:
        write_between(path, SECTION, markers=MARKERS)
    assert str(caught.value) == (
        f"{path}: is read-only; not written (hint: make it writable (chmod u+w) if tracker "
        "should update it)"
    )
    assert path.read_text(encoding="utf-8") == "# Next\n"


def test_a_named_pipe_is_refused_at_once(tmp_path):
    """Nothing ever writes to the pipe: tracker must not wait for it. The hint is about
    writing (reading's "pass -" does not apply to a file to write into)."""
    import threading

    pipe = tmp_path / "next.md"
    os.mkfifo(pipe)
    caught: list[Exception] = []

    def attempt() -> None:
        try:
            write_between(pipe, SECTION, markers=MARKERS)
        except InputError as exc:
            caught.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "write_between waited on a named pipe"
    assert [str(e) for e in caught] == [
        (
            f"{pipe}: is a named pipe, not a regular file; tracker writes only into a regular "
            "file (hint: name the minutes file whose section to refresh)"
        )
    ]


def test_a_device_is_refused_with_a_hint_about_writing():
    with pytest.raises(InputError) as error:
        write_between(os.devnull, SECTION, markers=MARKERS)
    assert str(error.value) == (
        f"{os.devnull}: is a character device, not a regular file; tracker writes only into a "
        "regular file (hint: name the minutes file whose section to refresh)"
    )


@pytest.mark.parametrize(("codec", "label"), [("utf-16", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_files_are_refused_not_converted(tmp_path, codec, label):
    """tracker reads them, but writing UTF-8 into them would change every byte."""
    path = tmp_path / "next.md"
    data = "# Next\n".encode(codec)
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        write_between(path, SECTION, markers=MARKERS)
    assert str(caught.value) == (
        f"{path}: is {label} text; tracker writes only UTF-8 files, so it leaves this one "
        "alone (hint: save the file as UTF-8)"
    )
    assert path.read_bytes() == data


def test_write_new_never_writes_through_a_dangling_link(tmp_path):
    """A link to nowhere is an existing name: the agenda is not created at its target."""
    link = tmp_path / "2024-03-19.md"
    link.symlink_to(tmp_path / "elsewhere.md")
    with pytest.raises(InputError, match="already exists"):
        write_new(link, "# 2024-03-19\n")
    assert not (tmp_path / "elsewhere.md").exists()


def test_a_write_that_fails_at_the_rename_leaves_the_target_and_no_temporary_file(tmp_path):
    """An OSError while writing or renaming (a full disk; here the target is a folder by
    then) is an error naming the file, not a crash, and no `.NAME.*.tmp` is left behind."""
    target = tmp_path / "next.md"
    target.mkdir()
    (target / "kept.md").write_text("mine\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        atomic_write(target, b"## Pending AIs\n")
    assert (
        str(error.value) == f"{target}: cannot write: Is a directory; the file was left as it was"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["next.md"]
    assert (target / "kept.md").read_text(encoding="utf-8") == "mine\n"
