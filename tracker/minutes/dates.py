"""Finding meeting dates in headings and bare lines, and giving year-less dates a year.

Minutes write dates many ways: ``October 18, 2022``, ``Jan 3, 2023``,
``2023-01-10``, ``10 January 2023``, and often no year at all (``January 10``),
leaving it to the headings around. A :class:`PartialDate` keeps what was written;
:func:`closest_year` fills in the year from the nearest dated neighbour (the parser
picks the neighbour).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

# Each alternative names its groups differently, so they are tried one by one.
_DATE_FORMS = (
    re.compile(
        r"(?<![\d.])(?P<year>(?:19|20)\d\d)[-/.](?P<month>[01]?\d)[-/.](?P<day>[0-3]?\d)(?![\d])"
    ),
    re.compile(
        _WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?![\d:])",
        re.IGNORECASE,
    ),
    re.compile(
        _WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?![\d:])",
        re.IGNORECASE,
    ),
    # 3/7/2023 is read the US way (month first) unless the first number cannot be a month;
    # 7.3.2023 the European way (day first).
    re.compile(
        r"(?<![\d./])(?P<month>[0-3]?\d)/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])"
    ),
    re.compile(
        r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?![\d.])"
    ),
)
_YEAR_ONLY = re.compile(
    r"^\W*(?:(?:19|20)\d\d)\W*$|^\W*(?P<year>(?:19|20)\d\d)\s+(?:meetings?|minutes|notes)\W*$",
    re.IGNORECASE,
)
_SKIPPED = re.compile(r"\b(?:skipped|cancell?ed|no meeting|not held|postponed)\b", re.IGNORECASE)

# A bare (non-heading) line counts as a meeting heading only when it is short and
# the date leads it, perhaps after a short title: "January 10",
# "November 8, 2022 - skipped, conference week", "Team meeting - 2023-01-10".
_BARE_PREFIX = re.compile(
    r"^(?:[\w'&/.]+\s+){0,4}?(?:(?:meeting|minutes|notes|call|sync|standup|triage)s?\b\s*)+"
    r"(?:[-–—:|,]|\bon\b|\bfor\b|\bof\b|\bfrom(?:\s+the)?\b)?\s*",
    re.IGNORECASE,
)
_BARE_SUFFIX = re.compile(
    r"^\s*(?:$|[-–—:|,(\[]\s*.{0,100}$|[\w\s'&/.\-]{0,40}?(?:meeting|minutes|notes|call|sync)s?\b.{0,60}$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PartialDate:
    """A date as written: the year may be missing."""

    year: int | None
    month: int
    day: int

    def with_year(self, year: int) -> datetime.date | None:
        try:
            return datetime.date(year, self.month, self.day)
        except ValueError:
            return None


@dataclass(frozen=True)
class DateMatch:
    date: PartialDate
    start: int
    end: int


_DIGIT = re.compile(r"\d")


def find_date(text: str) -> DateMatch | None:
    """The first valid date written in ``text``, or None."""
    if _DIGIT.search(text) is None:  # every form has a day or a year: prose is done at once
        return None
    best: DateMatch | None = None
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            date = _partial(match)
            if date is not None:
                if best is None or match.start() < best.start:
                    best = DateMatch(date, match.start(), match.end())
                break
    return best


def _partial(match: re.Match[str]) -> PartialDate | None:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text[:3].lower()]
    day = int(match.group("day"))
    if month > 12 and day <= 12:
        month, day = day, month
    year = int(match.group("year")) if match.group("year") else None
    # A year-less date is checked against a leap year so that Feb 29 survives.
    if PartialDate(year, month, day).with_year(year or 2024) is None:
        return None
    return PartialDate(year, month, day)


def bare_date_line(text: str) -> DateMatch | None:
    """The date of a bare line that is a meeting heading, or None for ordinary prose."""
    if len(text) > 160:
        return None
    prefix = _BARE_PREFIX.match(text)
    offset = prefix.end() if prefix else 0
    found = find_date(text[offset:])
    if found is None or text[offset : offset + found.start].strip(" *_,") != "":
        return None
    if not _BARE_SUFFIX.match(text[offset + found.end :]):
        return None
    return found


def heading_year(text: str) -> int | None:
    """The year of a heading that is only a year (``# 2023``), or None."""
    match = _YEAR_ONLY.match(text)
    if not match:
        return None
    digits = re.search(r"(?:19|20)\d\d", text)
    return int(digits.group(0)) if digits else None


def says_skipped(text: str) -> bool:
    """The heading says that the meeting did not happen."""
    return _SKIPPED.search(text) is not None


def date_in_name(name: str) -> PartialDate | None:
    """A full date in a file name such as ``2023-01-10.md`` or ``minutes-20230110.md``."""
    found = find_date(name)
    if found and found.date.year is not None:
        return found.date
    compact = re.search(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)", name)
    if compact:
        date = PartialDate(int(compact.group(1)), int(compact.group(2)), int(compact.group(3)))
        if date.with_year(date.year or 2024):
            return date
    return None


def closest_year(date: PartialDate, reference: datetime.date) -> datetime.date | None:
    """The year that puts ``date`` nearest to ``reference``: minutes go in either order."""
    candidates = [
        d
        for y in (reference.year - 1, reference.year, reference.year + 1)
        if (d := date.with_year(y)) is not None
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - reference).days))
