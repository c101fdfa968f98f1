"""Reading minutes: each file once whatever path reaches it, regular files only, any BOM'd text.

Issue #10, items 2 and 11 and the NUL part of item 10.
"""

from __future__ import annotations

import codecs
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from tracker import parse
from tracker.errors import InputError
from tracker.minutes.reading import read_file

MARCH = "# Team sync 2024-03-05\n\n- AI: alice to tag 3.22\n"
APRIL = "# Team sync 2024-04-02\n\n- AI: bob to post the job ad\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``minutes/2024-03-05.md`` in the current folder, alice and bob known."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tracker.yml").write_text("people:\n  alice: []\n  bob: []\n", encoding="utf-8")
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text(MARCH, encoding="utf-8")
    return tmp_path


def sources(minutes) -> list[str]:
    return [ai.source for ai in minutes.action_items]


def test_one_file_named_by_two_spellings_is_read_once_under_the_first(cli, project):
    """`m.md ./m.md`: one meeting, one AI, reported under the name given first."""
    result = cli(
        "parse",
        "minutes/2024-03-05.md",
        "./minutes/2024-03-05.md",
        "minutes/../minutes/2024-03-05.md",
    )
    assert result.stdout == dedent(
        """\
        2024-03-05  minutes/2024-03-05.md:1
          minutes/2024-03-05.md:3  alice: tag 3.22
        1 meeting, 1 action item (1 distinct), 0 blocker decisions, 0 warnings
        """
    )


def test_a_folder_and_a_file_in_it_read_the_file_once_whichever_comes_first(project):
    """`dir dir/m.md` and `dir/m.md dir` both read m.md once."""
    (project / "minutes" / "2024-04-02.md").write_text(APRIL, encoding="utf-8")
    assert sources(parse(["minutes", "minutes/2024-03-05.md"])) == [
        "minutes/2024-03-05.md",
        "minutes/2024-04-02.md",
    ]
    assert sources(parse(["./minutes/2024-04-02.md", "minutes"])) == [
        "./minutes/2024-04-02.md",
        "minutes/2024-03-05.md",
    ]


def test_a_link_in_the_folder_to_a_file_in_it_is_that_file_under_its_own_name(cli, project):
    """`latest.md -> 2024-03-05.md` in the folder: read once, as the dated file."""
    (project / "minutes" / "latest.md").symlink_to("2024-03-05.md")
    result = cli("parse", "minutes")
    assert result.stdout == dedent(
        """\
        2024-03-05  minutes/2024-03-05.md:1
          minutes/2024-03-05.md:3  alice: tag 3.22
        1 meeting, 1 action item (1 distinct), 0 blocker decisions, 0 warnings
        """
    )


def test_a_link_named_before_its_folder_keeps_the_name_given(project):
    """The first name that reaches a file wins, even a link's."""
    (project / "minutes" / "latest.md").symlink_to("2024-03-05.md")
    assert sources(parse(["minutes/latest.md", "minutes"])) == ["minutes/latest.md"]
    assert sources(parse(["minutes/latest.md", "minutes/2024-03-05.md"])) == ["minutes/latest.md"]


def test_a_hard_link_is_the_same_file(project):
    """Two names for one inode are one file."""
    os.link(project / "minutes" / "2024-03-05.md", project / "minutes" / "copy.md")
    assert sources(parse(["minutes"])) == ["minutes/2024-03-05.md"]


def test_a_folder_never_follows_a_link_out_of_itself(project):
    """Linked files and folders outside are skipped by the walk; named, such a link is read."""
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "2024-04-02.md").write_text(APRIL, encoding="utf-8")
    (project / "minutes" / "april.md").symlink_to("../elsewhere/2024-04-02.md")
    (project / "minutes" / "more").symlink_to("../elsewhere", target_is_directory=True)
    assert sources(parse(["minutes"])) == ["minutes/2024-03-05.md"]
    assert sources(parse(["minutes", "minutes/april.md"])) == [
        "minutes/2024-03-05.md",
        "minutes/april.md",
    ]


def test_a_folder_holding_only_links_out_of_itself_has_no_minutes(cli, project):
    """The error says why the links were not read."""
    (project / "links").mkdir()
    (project / "links" / "march.md").symlink_to("../minutes/2024-03-05.md")
    result = cli("parse", "links", code=1)
    assert result.stderr == (
        "tracker: error: links: no minutes files in this folder (hint: tracker reads *.md, "
        "*.markdown, *.txt, and never follows a link out of the folder)\n"
    )


def test_a_folder_reached_through_a_link_reads_the_files_inside_it(project):
    """Given on the command line, a linked folder is walked; its own files are inside it."""
    (project / "current").symlink_to("minutes", target_is_directory=True)
    (project / "minutes" / "latest.md").symlink_to("2024-03-05.md")
    assert sources(parse(["current"])) == ["current/2024-03-05.md"]


def test_a_broken_link_names_its_missing_target(cli, project):
    (project / "minutes" / "latest.md").symlink_to("2024-12-31.md")
    result = cli("parse", "minutes", code=1)
    assert result.stderr == (
        "tracker: error: minutes/latest.md: broken link: its target 2024-12-31.md does not exist\n"
    )


def test_a_link_loop_is_refused_not_followed(cli, project):
    (project / "minutes" / "a.md").symlink_to("b.md")
    (project / "minutes" / "b.md").symlink_to("a.md")
    result = cli("parse", "minutes", code=1)
    assert result.stderr == (
        "tracker: error: minutes/a.md: cannot read: Too many levels of symbolic links\n"
    )


def test_standard_input_named_twice_is_read_once(cli, project):
    """`- -` reads the stream once."""
    result = cli("parse", "--format", "json", "-", "-", input=MARCH)
    assert [ai["source"] for ai in json.loads(result.stdout)["action_items"]] == ["<stdin>"]


def test_standard_input_redirected_from_a_file_also_named_is_read_once(project):
    """`tracker parse minutes/2024-03-05.md - < minutes/2024-03-05.md`: one AI."""
    with open(project / "minutes" / "2024-03-05.md", "rb") as stdin:
        assert sources(parse(["minutes", "-"], stdin=stdin)) == ["minutes/2024-03-05.md"]
    with open(project / "minutes" / "2024-03-05.md", "rb") as stdin:
        assert sources(parse(["-", "minutes"], stdin=stdin)) == ["<stdin>"]


@pytest.fixture
def fifo(project: Path) -> Iterator[Path]:
    """``minutes/pipe.md``, a named pipe; a test that opens it to read fails instead of hanging."""
    path = project / "minutes" / "pipe.md"
    os.mkfifo(path)
    release = threading.Timer(5, lambda: path.open("wb").close())
    release.daemon = True
    release.start()
    yield path
    release.cancel()


@needs_fifo
def test_a_named_pipe_given_is_refused_at_once(cli, fifo):
    result = cli("parse", "minutes/pipe.md", code=1)
    assert result.stderr == (
        "tracker: error: minutes/pipe.md: is a named pipe, not a regular file "
        "(hint: to read a pipe or a device, pass - and redirect it to standard input)\n"
    )


@needs_fifo
def test_a_named_pipe_found_in_a_folder_is_refused_at_once(fifo):
    with pytest.raises(InputError) as caught:
        parse(["minutes"])
    assert (caught.value.path, caught.value.line) == ("minutes/pipe.md", None)
    assert caught.value.message == "is a named pipe, not a regular file"


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_is_refused(cli, project):
    """A device, even behind a link named on the command line, is not minutes."""
    (project / "null.md").symlink_to("/dev/null")
    result = cli("parse", "null.md", code=1)
    assert result.stderr.startswith(
        "tracker: error: null.md: is a character device, not a regular file (hint: "
    )


@needs_fifo
def test_read_file_refuses_what_is_not_a_regular_file(fifo):
    """The one-file reader applies the same rules as the command line."""
    with pytest.raises(InputError, match="is a named pipe, not a regular file"):
        read_file(fifo, name="pipe.md")
    with pytest.raises(InputError, match="is a folder, not a regular file"):
        read_file(fifo.parent)


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_utf32_and_utf16_with_a_bom_are_read_in_either_byte_order(cli, project, codec, bom):
    """UTF-32-LE's BOM begins like UTF-16-LE's: the file is still read as what it is."""
    (project / "minutes" / "2024-03-05.md").write_bytes(bom + MARCH.encode(codec))
    result = cli("parse", "minutes")
    assert result.stdout == dedent(
        """\
        2024-03-05  minutes/2024-03-05.md:1
          minutes/2024-03-05.md:3  alice: tag 3.22
        1 meeting, 1 action item (1 distinct), 0 blocker decisions, 0 warnings
        """
    )
    assert read_file("minutes/2024-03-05.md").text == MARCH


def test_a_nul_far_into_a_file_is_binary_data_with_its_line(cli, project):
    """Not only the first 8 KiB: a NUL at 100 KB is found, on the line the parser would give."""
    padding = "- notes\r\n" * 10_000 + "- more\r- last\n"
    (project / "minutes" / "2024-03-05.md").write_bytes(
        (MARCH + padding).encode() + b"- AI: alice to \x00 fix\n"
    )
    result = cli("parse", "minutes", code=1)
    assert result.stderr == (
        "tracker: error: minutes/2024-03-05.md:10006: binary data, not minutes text\n"
    )


def test_a_nul_is_binary_data_before_bytes_that_are_not_utf8(cli, project):
    """A binary file is reported as binary, wherever its first NUL is."""
    (project / "minutes" / "2024-03-05.md").write_bytes(b"\x89PNG\r\n" + b"x" * 9000 + b"\x00")
    result = cli("parse", "minutes", code=1)
    assert result.stderr == (
        "tracker: error: minutes/2024-03-05.md:2: binary data, not minutes text\n"
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_a_nul_character_in_utf16_or_utf32_is_binary_data_too(cli, project, codec):
    """NUL bytes are how UTF-16/32 spell text; a decoded NUL character is still refused."""
    (project / "minutes" / "2024-03-05.md").write_bytes((MARCH + "- \x00\n").encode(codec))
    result = cli("parse", "minutes", code=1)
    assert (
        result.stderr == "tracker: error: minutes/2024-03-05.md:4: binary data, not minutes text\n"
    )


def test_invalid_utf16_names_its_line(cli, project):
    """A truncated UTF-16 file (an odd byte at the end) is refused where it breaks."""
    (project / "minutes" / "2024-03-05.md").write_bytes(MARCH.encode("utf-16") + b"A")
    result = cli("parse", "minutes", code=1)
    assert result.stderr == (
        "tracker: error: minutes/2024-03-05.md:4: not valid UTF-16 (byte 0x41) "
        "(hint: save the minutes as UTF-8)\n"
    )
