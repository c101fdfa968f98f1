"""The English the recogniser reads: which words start a task, report a status, or hedge.

Kept apart from the rules so that a rule reads as grammar ("an owner, a link word, a
task that starts with a verb") and the word lists can grow without touching it. Every
set holds case-folded words.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


IMPERATIVE_VERBS = _words(
    """
    add address adjust announce answer apply approve archive ask assign attend audit automate
    backport benchmark book bring build bump call cancel capture change check circulate clarify
    clean close collect comment communicate compare compile complete configure confirm connect
    consolidate contact continue convert coordinate copy create cut debug decide define delete
    demo deploy deprecate describe design determine develop disable discuss dig document double-check
    draft drive drop edit email enable ensure escalate estimate evaluate explain explore extend
    file fill finalize find finish fix flag follow follow-up forward gather generate get give go
    grab handle host identify implement improve include inform install integrate introduce
    investigate invite join keep kick label land launch lead list locate log look maintain make
    manage mark measure meet mention merge migrate monitor move nominate notify open order organize
    organise outline own pick ping plan poll port post prepare present prioritize prioritise
    produce profile promote propose prototype provide publish pull push put raise reach read
    rebase recap reconcile record redo refactor reference reformat register reject release remind
    remove rename renew reopen reorganize replace reply report reproduce request rerun research
    reserve resolve respond restart restructure resume retest retry return revert review revise
    revisit rework rewrite rotate run schedule scope search send set setup share sign
    sort spec specify split start submit summarize summarise support survey swap switch sync
    tag take talk test track transfer triage try turn unblock update upgrade upload validate
    verify vote wrap write let map
    """
)
"""Verbs that start a task when written bare: ``Kim add a comment``, ``Write the post``."""

FILLERS = _words("ok okay sure yes yep yeah and then so also alright fine right well oh")
"""Words a speaker puts before a commitment: ``sure, I'll …``, ``ok then I'll …``."""

FIRST_PERSON = (
    "i'll ",
    "i will ",
    "i'm going to ",
    "i am going to ",
    "i shall ",
    "i can take ",
    "i'll take ",
    "i volunteer to ",
    "i'm going ",
    "i plan to ",
    "ill ",
)
"""How a speaker commits to a task themselves (checked against case-folded text)."""

STATUS_STARTS = (
    "still ",
    "waiting",
    "pending",
    "in progress",
    "in-progress",
    "blocked",
    "wip",
    "ongoing",
    "on hold",
    "on-hold",
    "done",
    "completed",
    "complete",
    "no update",
    "no progress",
    "no news",
    "not yet",
    "carried over",
    "carry over",
    "n/a",
    "tbd",
    "ditto",
    "same as",
)
"""A line that starts like this reports on a task rather than setting one."""

ACKNOWLEDGEMENTS = _words(
    """
    ok okay sure agreed agree yes no yep nope thanks thank +1 -1 lgtm sgtm fine good great
    nice cool noted ack right correct indeed same sounds none nothing n/a na tbd -- -
    do it so that see will
    """
)
"""Words that, alone or nearly, answer rather than set a task (``AI: sounds good``,
``Kim: will do``, ``[Lee] will see``)."""

LABELS = _words(
    """
    decision decisions decided outcome outcomes conclusion conclusions solution solutions
    resolution result results consensus agreed agreement summary note notes update updates status
    question questions answer proposal proposals context background discussion topic topics
    agenda minutes next steps step follow-up follow-ups followup followups recommendation plan
    plans idea ideas problem issue issues comment comments feedback info fyi link links reminder
    motion motions vote votes voted passed failed carried accepted rejected seconded
    result attendees attendance present regrets apologies chair scribe notetaker
    facilitator time date location where when who what why how overview goal goals proposed
    tl;dr tldr bottom line takeaway takeaways highlights concern concerns risk risks pros cons
    reason reasons example examples requirement requirements option options alternative
    """
)
"""Words that label a clause (``Decision: …``, ``Next steps: …``) rather than name a speaker."""

NOT_NAMES = _words(
    """
    a an the this that these those it its we i you he she they them us our your their his her my
    someone somebody anyone anybody everybody nobody noone people folks others other
    who what when where why how which whether if then than so as and or but not no yes also still
    need needs needed want wants have has had going plan plans planned try tries tried remember
    continue continues ought used due back up down out in on at by for from of off over into onto
    with about time way nothing something anything everything able ready sure next prior
    be is are was were been being do does did done would should could can may might must shall
    let lets make makes made changes change changed added note notes decision question idea
    proposal summary fyi status reminder blocked todo action actions item items ai ais task tasks
    discussion topic topics issue issues pr prs bug bugs fix fixes docs doc documentation release
    releases meeting meetings mtg agenda please tbd na n/a none here there now today tomorrow
    week weeks month year all any each every both either neither one two three first last
    more most less some many much few lot lots such only just even very too really again
    work code tests test ci team teams group project projects community users user folks plan
    """
)
"""Words that stand where an owner would ("Need to check", "Plans to") without naming one."""

TAGS = _words(
    """
    wip done rfc draft fyi tbd todo x ok new old info update urgent blocker blocked hold na
    n/a optional question idea discuss nit minor major critical high low medium p0 p1 p2 p3
    """
)
"""Bracketed tags (``[WIP]``, ``[RFC]``) that are not who is speaking."""

HEDGES = (
    " feel free",
    " if you have time",
    " if anyone ",
    " if someone ",
    " if nobody",
    " if no one",
    " no promises",
    " maybe ",
    " perhaps ",
    " possibly ",
    " not sure",
)
"""Conditions that turn a commitment into an offer (``I'll take it if nobody else does``).
Modal offers (``Kim can help``, ``Lee may look``) never match an assignment at all: ``can``
and ``may`` are not words that commit anyone."""

NO_TASK_STARTS = (
    "none",
    "nothing",
    "see above",
    "see below",
    "see ",
    "tracked in",
    "tracked at",
    "tbd",
    "n/a",
    "no action",
    "no new",
    "no ais",
)
"""What follows a marker when there is no task (``AI: none, parked``, ``Action items: see above``)."""

STATUS_MARKS = "✅✔✓☑⏳⌛🔴🟠🟡🟢🔵❌✗✘🎉🚧⚠️👍👎🔁➕"
"""Emoji and ticks a recap puts before an item to say how it stands."""

PAST_TENSE_IRREGULAR = _words(
    """
    sent wrote made did took got found ran began went spoke told said put set met built brought
    bought held left led gave saw knew thought had was were became came kept showed shown
    written done taken given seen known run begun gone spoken told
    """
)
"""Past forms that do not end in ``-ed``: ``Lee sent the mail`` reports, it does not assign."""

NO_TASK_AFTER_TO = _words(
    "the a an this that these those our their his her my your its all each every some any "
    "be been being"
)
"""``x to the docs``, ``plugins to be updated``: no one is given a task."""

AGENDA_PHRASES = (
    "open items",
    "open issues",
    "open prs",
    "open pull requests",
    "open questions",
    "open discussion",
    "open floor",
    "open topics",
    "open forum",
    "open mic",
    "review of ",
    "review past ",
    "recap of ",
    "approve the minutes",
    "approve minutes",
    "approval of ",
    "call to order",
    "roll call",
)
"""Agenda headings that open with a verb's spelling (``Open items for the call``)."""

NOT_COMMITMENTS = _words(
    "be try have admit say note mention add-that think guess hope bet see agree disagree "
    "leave keep-it believe be-honest wait"
)
"""Words after ``I'll`` that do not start a task (``I'll admit``, ``I'll be out``)."""
