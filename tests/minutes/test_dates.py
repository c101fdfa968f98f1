"""Meeting dates as minutes write them, and years for dates written without one."""

from __future__ import annotations

import datetime

import pytest

from tracker.minutes import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("October 18, 2022", datetime.date(2022, 10, 18)),
        ("Pulp meeting - 2023-01-10", datetime.date(2023, 1, 10)),
        ("10 January 2023", datetime.date(2023, 1, 10)),
        ("3/7/2023", datetime.date(2023, 3, 7)),  # month first, the US way
        ("13/7/2023", datetime.date(2023, 7, 13)),  # 13 cannot be a month: day first
        ("7.3.2023", datetime.date(2023, 3, 7)),  # dots: day first
    ],
)
def test_written_dates_are_found(text, expected):
    found = dates.find_date(text)
    assert found is not None
    assert found.date.with_year(found.date.year or 0) == expected


def test_an_impossible_date_is_no_date():
    assert dates.find_date("2023-02-30") is None


def test_a_bare_date_line_is_a_heading_but_prose_with_a_date_is_not():
    assert dates.bare_date_line("November 8, 2022 - skipped due to PulpCON") is not None
    assert dates.bare_date_line("We shipped 3.22 on 2023-01-10 after the freeze") is None


def test_a_year_heading_and_a_skipped_meeting():
    assert dates.heading_year("2023") == 2023
    assert dates.heading_year("2023 goals") is None
    assert dates.says_skipped("November 8, 2022 - cancelled")
    assert not dates.says_skipped("November 8, 2022")


def test_a_date_in_a_file_name():
    assert dates.date_in_name("2023-01-10.md") == dates.PartialDate(2023, 1, 10)
    assert dates.date_in_name("notes.md") is None


def test_a_date_without_a_year_takes_the_nearest_year_to_its_neighbour():
    january = dates.PartialDate(None, 1, 10)
    december = dates.PartialDate(None, 12, 20)
    reference = datetime.date(2022, 12, 27)
    assert dates.closest_year(january, reference) == datetime.date(2023, 1, 10)
    assert dates.closest_year(december, reference) == datetime.date(2022, 12, 20)
