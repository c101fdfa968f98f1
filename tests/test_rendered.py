"""What maintainers read, as GitHub shows it: the section, an issue body and the job summary
rendered by cmark-gfm, GitHub's own Markdown renderer (issue 12)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from tests.factories import ai, issue_fields
from tests.test_section import status
from tracker import actions_output
from tracker.config import Config
from tracker.issue import new_issue
from tracker.model import Blocker
from tracker.section import build_pending, render_pending
from tracker.status import State

UTC = datetime.UTC
ISSUES = "https://github.com/o/r/issues/"


def html(markdown: str) -> str:
    """The page GitHub shows for ``markdown`` (raw HTML kept, as GitHub sanitises it later)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


@dataclass
class Item:
    """One list item as rendered: its own text (nested lists apart) and its links."""

    text: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    """(href, text) of each link."""
    paragraphs: int = 0


class Page(HTMLParser):
    """The list items, links and text of a rendered page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.items: list[Item] = []
        self.links: list[tuple[str, str]] = []
        self.text_outside_links = ""
        self._open: list[Item] = []
        self._href: str | None = None
        self._link_text = ""
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._open.append(Item())
        elif tag == "a":
            self._href, self._link_text = dict(attrs).get("href") or "", ""
        elif tag == "p" and self._open:
            self._open[-1].paragraphs += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self.items.append(self._open.pop())
        elif tag == "a" and self._href is not None:
            link = (self._href, self._link_text)
            self.links.append(link)
            if self._open:
                self._open[-1].links.append(link)
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._link_text += data
        else:
            self.text_outside_links += data
        if self._open:
            self._open[-1].text += data


def assert_reads_well(page: Page) -> None:
    """No bare URL (a link whose text is its address), no `#N` GitHub would not link in a file."""
    assert not [link for link in page.links if link[1].startswith(("http://", "https://"))]
    assert not re.search(r"(?<![\w/])#\d+\b", page.text_outside_links)


def section() -> str:
    closed = datetime.datetime(2024, 3, 13, 9, tzinfo=UTC)
    statuses = [
        status(1, "benchmark it", topic=("Parser",)),
        status(9, "merge it", topic=("Labels PR needs review: https://github.com/o/r/pull/3427",)),
        status(10, "read it", topic=("See https://example.com/notes.",)),
        status(
            2,
            "Upgrading Django, 4.2 (LTS) is coming in April",
            owners=("dkliban",),
            is_blocker=True,
            milestone="3.22",
            blocker=Blocker("3.22", "Upgrading Django, 4.2 (LTS) is coming in April"),
        ),
        status(3, "pick a date", owners=(), meeting=datetime.date(2024, 3, 12)),
        status(4, "review the docs", owners=(), group="team"),
        status(5, "new one", state=State.NOT_SYNCED, issue=None, url=None),
        status(6, "done it", state=State.CLOSED, closed_at=closed, state_reason="completed"),
        status(7, "drop it", state=State.CLOSED, closed_at=closed, state_reason="not_planned"),
    ]
    pending = build_pending(statuses, since=None, today=datetime.date(2024, 3, 19), stale_after=1)
    return render_pending(pending, Config())


def test_every_ai_of_the_section_is_one_list_item_with_one_link_to_its_issue():
    """Each open AI, blocker and closed item: a list item of one paragraph-free line, linked once
    as `#N` to its issue; no bare URL, no raw `#N` (GitHub links those in issues, not in files)."""
    page = Page(html(section()))
    assert_reads_well(page)
    entries = [item for item in page.items if item.links or "not on GitHub yet" in item.text]
    assert [(item.links, item.paragraphs) for item in entries] == [
        ([(f"{ISSUES}1", "#1")], 0),
        ([(f"{ISSUES}2", "#2")], 0),
        ([], 0),  # not on GitHub yet
        ([(f"{ISSUES}9", "#9")], 0),
        ([("https://github.com/o/r/pull/3427", "o/r#3427")], 0),  # its topic: a short link
        ([(f"{ISSUES}10", "#10")], 0),
        ([("https://example.com/notes", "example.com")], 0),
        ([(f"{ISSUES}3", "#3")], 0),
        ([(f"{ISSUES}4", "#4")], 0),
        ([(f"{ISSUES}2", "#2")], 0),  # the blocker
        ([(f"{ISSUES}6", "#6")], 0),
        ([(f"{ISSUES}7", "#7")], 0),
    ]
    # One line each: the owner, task, link, meeting and age read as one sentence.
    assert entries[0].text == "AI: [alice] benchmark it (#1, from 2024-03-05, carried 2 weeks)"
    assert entries[7].text == "AI: pick a date (#3, from 2024-03-12, carried 1 week)"
    ais = [item for item in entries if not item.links or item.links[0][0].startswith(ISSUES)]
    assert len(ais) == 10 and all("\n" not in item.text for item in ais)


def test_an_issue_body_reads_as_a_quote_and_a_list_with_its_link():
    """The body: the line quoted once, the facts as a list, the minutes line linked; no bare
    URL and no paragraph merging the facts."""
    item = ai("post to discourse", raw="[ ] ggainey to post to discourse")
    body = new_issue(item, issue_fields(item, link_base="https://github.com/o/m/blob/main")).body
    rendered = html(body)
    page = Page(rendered)
    assert_reads_well(page)
    assert "<blockquote>\n<p>ggainey to post to discourse</p>\n</blockquote>" in rendered
    assert [item.text for item in page.items] == [
        "Meeting: 2022-11-15",
        "Topic: 3.22 release schedule",
        "Owners: ggainey",
        "Minutes: minutes/2022.md line 10",
    ]
    assert page.links == [
        ("https://github.com/o/m/blob/main/minutes/2022.md?plain=1#L10", "minutes/2022.md line 10")
    ]


def test_the_job_summary_links_each_issue_in_its_table():
    """The summary's table: one link per issue, no bare URL."""
    rows = [
        actions_output.Row("created", 1, "Post to discourse", "m.md:3", "new AI"),
        actions_output.Row("updated", 2, "Tag it | now", "m.md:4", "text changed"),
    ]
    text = actions_output.summary(
        "tracker sync", "**Done.** o/r: 1 created", rows=rows, url=ISSUES + "{number}"
    )
    page = Page(html(text))
    assert_reads_well(page)
    assert page.links == [(f"{ISSUES}1", "#1"), (f"{ISSUES}2", "#2")]
    assert "<td>Tag it | now</td>" in html(text)
