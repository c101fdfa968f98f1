"""Reading minutes: any BOM'd text, and no binary data.

Issue #10, item 11 (UTF-32) and the NUL part of item 10.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from textwrap import dedent

import pytest

MARCH = "# Team sync 2024-03-05\n\n- AI: alice to tag 3.22\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``minutes/2024-03-05.md`` in the current folder, alice and bob known."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tracker.yml").write_text("people:\n  alice: []\n  bob: []\n", encoding="utf-8")
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text(MARCH, encoding="utf-8")
    return tmp_path


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
        1 meetings, 1 action items (1 distinct), 0 blocker decisions, 0 warnings
        """
    )


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
