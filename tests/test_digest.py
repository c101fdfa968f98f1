"""`tracker digest` (issue 12): each owner's open AIs, oldest first, as Markdown."""

from __future__ import annotations

from textwrap import dedent

from tests.test_pending_cli import (  # the widgets minutes, synced and acted on as there
    MIGRATION_PATH,
    MIGRATION_SCRIPT,
    PLUGIN_API,
    RETRO,
    STREAMING,
    URL,
    emu,  # noqa: F401 - fixture
    first_sync,
    maintainers_act,
    workdir,  # noqa: F401 - fixture
)
from tests.test_rendered import Page, assert_reads_well, html

DIGEST = dedent(
    f"""\
    ## Open AIs by owner, 2024-03-26

    ### alice: 1 open

    - schedule the 2.1 retro ([#{RETRO}]({URL}/{RETRO}), from 2024-03-12, carried 2 weeks)

    ### bob: 1 open

    - streaming input, add to 2.1 blockers ([#{STREAMING}]({URL}/{STREAMING}), from 2024-03-05, **carried 3 weeks**)

    ### carol: 2 open

    - needs a migration path, add to 2.2 blockers ([#{MIGRATION_PATH}]({URL}/{MIGRATION_PATH}), from 2024-03-12, carried 2 weeks)
    - write the migration script ([#{MIGRATION_SCRIPT}]({URL}/{MIGRATION_SCRIPT}), from 2024-03-12, carried 2 weeks)

    ### team: 1 open

    - review the plugin API proposal ([#{PLUGIN_API}]({URL}/{PLUGIN_API}), from 2024-03-05, **carried 3 weeks**)
    """
)


def test_the_digest_lists_each_owner_s_open_ais_oldest_first(cli, emu, workdir):  # noqa: F811
    """Owners in order, each with their open AIs and ages (the reassigned script under carol;
    past ageing.stale_after in bold); one read of the issues; it renders as GitHub shows it."""
    first_sync(emu)
    maintainers_act(emu)
    with open("tracker.yml", "a", encoding="utf-8") as config:
        config.write("ageing: {stale_after: 2}\n")
    result = cli("digest", "minutes.txt", "--date", "2024-03-26")
    assert result.stdout == DIGEST
    assert result.stderr == "tracker: 5 open AIs; 2 API requests\n"
    page = Page(html(result.stdout))
    assert_reads_well(page)
    assert [len(item.links) for item in page.items] == [1] * 5


def test_owner_narrows_the_digest_to_one_login_or_group(cli, emu, workdir):  # noqa: F811
    """--owner carol: only hers; --owner nobody-here: nothing open."""
    first_sync(emu)
    maintainers_act(emu)
    carol = cli("digest", "minutes.txt", "--owner", "Carol", "--date", "2024-03-26").stdout
    assert carol.splitlines()[2:4] == ["### carol: 2 open", ""]
    assert "### alice" not in carol and carol.count("\n- ") == 2
    nobody = cli("digest", "minutes.txt", "--owner", "zed", "--date", "2024-03-26").stdout
    assert nobody == "## Open AIs by owner, 2024-03-26\n\nNothing is open.\n"


def test_an_ai_of_two_owners_is_listed_under_both_and_one_of_nobody_last():
    """Owners in any case order; the AIs nobody owns come last, under "No owner"."""
    import datetime

    from tests.test_section import status
    from tracker.config import Config
    from tracker.digests import build_digest, render_digest

    statuses = [
        status(1, "pair on it", owners=("bob", "Alice")),
        status(2, "pick a date", owners=()),
        status(3, "older one", owners=("bob",), meeting=datetime.date(2024, 2, 27)),
    ]
    built = build_digest(statuses, today=datetime.date(2024, 3, 12))
    assert [(o.owner, [ai.issue for ai in o.items]) for o in built.owners] == [
        ("Alice", [1]),
        ("bob", [3, 1]),  # oldest first
        (None, [2]),
    ]
    assert built.open_count == 3
    assert "### No owner: 1 open\n\n- pick a date ([#2](" in render_digest(built, Config())
