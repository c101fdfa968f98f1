"""Lines read by their grammar (issue 8): clauses, speakers, assignments and what is not one.

The first block is the example of issue 8: nineteen AIs written the ways real teams
write them, none in a listed "form", then five lines that only look like AIs.
"""

from __future__ import annotations

from textwrap import dedent

import pytest

from tracker import parse_text
from tracker.config import parse_config

CONFIG_DATA = {
    "people": {"kim": ["Kim"], "lee": ["Lee"], "sam": ["Sam"], "rob": ["rob"]},
    "groups": ["everyone"],
}
CONFIG = parse_config(CONFIG_DATA).config

AIS = [
    ("Sunset policy -- AI Kim to draft the wording", ["Kim"], "draft the wording"),
    ("AI Kim/Lee Review the infra PR and make it less formal", ["Kim", "Lee"], "Review the infra PR and make it less formal"),
    ("AI for kim to write up and implement", ["kim"], "write up and implement"),
    ("AI open a task to add integration tests in CI", [], "open a task to add integration tests in CI"),
    ("decision: go with option 2, @kim to update the PR and reply", ["@kim"], "update the PR and reply"),
    ("solution: kim to write up the component list", ["kim"], "write up the component list"),
    ("**Conclusion**: Kim to propose updates to the guidelines", ["Kim"], "propose updates to the guidelines"),
    ("Quota period - Kim will take a look", ["Kim"], "take a look"),
    ("Interested (Kim will ping the auth group about it)", ["Kim"], "ping the auth group about it"),
    ("We think this is a regression and should block the release, Kim to bump priority.", ["Kim"], "bump priority."),
    ("Kim add a comment on the design doc explaining the problem", ["Kim"], "add a comment on the design doc explaining the problem"),
    ("[Kim] I'll open a thread to discuss the schedule", ["Kim"], "open a thread to discuss the schedule"),
    ("[Kim] will send the email out tonight", ["Kim"], "send the email out tonight"),
    ("Kim: Action item, I'll update the doc to explain observers", ["Kim"], "update the doc to explain observers"),
    ("EVERYONE -- go through the spreadsheet and mark your rows", ["EVERYONE"], "go through the spreadsheet and mark your rows"),
    ("[Kim][**ACTION**] Write a proposal for the new layout", ["Kim"], "Write a proposal for the new layout"),
    ("kim owns creating the makefile for those tests", ["kim"], "creating the makefile for those tests"),
    ("Lee is going to create patches for this", ["Lee"], "create patches for this"),
    ("**Lee**: Will send an email to see if that's feasible.", ["Lee"], "send an email to see if that's feasible."),
]  # fmt: skip

NOT_AIS = [
    "AI: sounds good",  # a marker with no task
    "[AI]: still waiting on the docs PR from the other team",  # status
    "Sam should feel free to ask the foundation for budget",  # permission
    "@lee has already opened a draft PR for it",  # work done
    "[rob] To clarify, is this only for nightly builds?",  # a speaker's question
]


def parse_lines(lines: list[str]):
    text = "## 2024-03-05\n\n" + "".join(f"* {line}\n" for line in lines)
    return parse_text(text, source="m.md", config=CONFIG)


def test_the_issue_example_finds_all_nineteen_ais_and_none_of_the_five_lookalikes():
    minutes = parse_lines([line for line, _owners, _text in AIS] + NOT_AIS)
    got = [(ai.line, list(ai.owners), ai.text) for ai in minutes.action_items]
    assert got == [(3 + i, owners, text) for i, (_line, owners, text) in enumerate(AIS)]


@pytest.mark.parametrize(("line", "form"), [
    ("AI Kim to draft the wording", "marker"),
    ("Quota period - Kim will take a look", "assignment"),
    ("[Kim] I'll open a thread", "speaker"),
])  # fmt: skip
def test_each_ai_says_which_rule_took_it(line, form):
    [ai] = parse_lines([line]).action_items
    assert ai.form == form


@pytest.mark.parametrize(
    "line",
    [
        "Kim will be out next week",  # availability, not a task
        "Kim can help with the review",  # an offer
        "Kim might take a look, no promises",  # a possibility
        "Lee is willing to mentor whoever picks it up",  # an offer
        "Kim reviewed the patch yesterday",  # work done
        "Kim to the rescue on the artwork",  # an idiom: no task follows
        "we need someone to own the release notes",  # nobody is given the task
        "Kim: I think we should wait for 2.0",  # a speaker's opinion
        "[Lee] I'll be at the sprints on Monday only",  # a plan, not a task
        "**Lee**: will the CI run on arm64?",  # a question
        "AI-assisted triage was demoed",  # the word is not a marker
        "@kim: the runner got OOM-killed twice last week",  # who speaks, and a report
        "@lee: probably the arm64 jobset, it grew a lot",  # a guess
        "@kim: could we just cap its memory?",  # a question to the room
        "@lee: would hide the problem, we'd rather find the leak",  # an opinion
        "Lee: sounds good, will do",  # an acknowledgement
        "[Lee] will do",  # the same
        "Kim will see",  # no task
        "Kim: thanks, I'll take a look at the logs later maybe",  # a hedge
        "Kim to confirm? (not decided)",  # a question
        "Lee will send slides? not sure",  # a question, hedged
    ],
)
def test_lines_that_read_as_no_task_are_not_action_items(line):
    assert parse_lines([line]).action_items == ()


def test_a_person_in_the_attendance_list_can_own_an_unmarked_ai():
    text = dedent(
        """\
        ## 2024-03-05
        Attendees: Mira Okafor, Tove

        * Release: Tove will tag the release candidate
        * Budget: Zed will tag the release candidate
        """
    )
    minutes = parse_text(text, source="m.md")
    assert [(ai.line, ai.owners) for ai in minutes.action_items] == [(4, ("Tove",))]


SECTIONS = """\
# 2024-03-05

## Actions
1. Open items for the monthly call
- 1.1 Open PRs
    - Release 2.1
        - about to happen
        - help out with testing if you have time
        - mid July

Action Items
- Rework the config loader for v2
- what does "least surprise" mean here?
- this is a high-prio thing for v2
- we no longer allow md5 here
- maybe a v3 discussion
"""


def test_an_action_items_heading_over_an_agenda_or_discussion_holds_only_tasks():
    minutes = parse_text(SECTIONS, source="m.md")
    assert [(ai.line, ai.text, ai.form) for ai in minutes.action_items] == [
        (12, "Rework the config loader for v2", "section")
    ]


def test_indented_paragraphs_of_plain_text_minutes_are_read_not_skipped_as_code():
    text = (
        "Board meeting, 2024-03-05\n\n"
        "3. Reports\n\n"
        "    The treasurer presented the report. Questions followed.\n"
        "    @Kim: Request a better report for next month\n"
    )
    minutes = parse_text(text, source="board.txt")
    assert [(ai.line, ai.owners, ai.text) for ai in minutes.action_items] == [
        (6, ("@Kim",), "Request a better report for next month")
    ]


HOMEWORK = """\
## 2024-03-05

### Homework
- Kim: the draft of the travel policy
- the venue quote (Lee)
- still waiting on the catering quote
- maybe a v3 discussion
  - notes on the v3 idea
- is the CI budget enough?

### Discussion
- maybe a v3 discussion
"""


def test_a_section_the_config_calls_every_item_makes_each_top_item_an_ai():
    """Questions, notes and items with sub-items too; a status report still is none."""
    config = parse_config({**CONFIG_DATA, "sections": {"every_item": ["Homework"]}}).config
    minutes = parse_text(HOMEWORK, source="m.md", config=config)
    assert [(ai.line, ai.owners, ai.text, ai.form) for ai in minutes.action_items] == [
        (4, ("Kim",), "the draft of the travel policy", "section"),
        (5, ("Lee",), "the venue quote", "section"),
        (7, (), "maybe a v3 discussion", "section"),
        (9, (), "is the CI budget enough?", "section"),
    ]


def test_without_the_every_item_key_the_same_section_holds_no_ai():
    assert parse_text(HOMEWORK, source="m.md", config=CONFIG).action_items == ()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Kim to update the docs; Lee to review the PR",
            [(("Kim",), "update the docs"), (("Lee",), "review the PR")],
        ),
        (
            "AI: Kim to draft the policy, and @sam will test it",
            [(("Kim",), "draft the policy"), (("@sam",), "test it")],
        ),
        (
            "[Kim] I'll draft it - Lee to review it",
            [(("Kim",), "draft it"), (("Lee",), "review it")],
        ),
        (
            "Decision: option 2. Kim to update the docs. Lee to review the PR.",
            [(("Kim",), "update the docs."), (("Lee",), "review the PR.")],
        ),
        # One owner, or a second name that is not given a task: one AI, as written.
        ("Kim to ask Lee; Kim to follow up", [(("Kim",), "ask Lee; Kim to follow up")]),
        ("Kim to talk to Lee about the release", [(("Kim",), "talk to Lee about the release")]),
        (
            "Kim to update the docs - Lee might help",
            [(("Kim",), "update the docs - Lee might help")],
        ),
        (
            "Kim to update the docs (Lee will review)",
            [(("Kim",), "update the docs (Lee will review)")],
        ),
    ],
)
def test_a_line_gives_two_ais_only_when_two_owners_each_get_a_task(line, expected):
    minutes = parse_text(f"## 2024-03-05\n\n- {line}\n", source="m.md", config=CONFIG)
    assert [(ai.owners, ai.text) for ai in minutes.action_items] == expected
    assert len({ai.id for ai in minutes.action_items}) == len(expected)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("@kim: review the arm64 patch", "review the arm64 patch"),
        ("@kim: what is the plan for the 2.0 branch?", "what is the plan for the 2.0 branch?"),
        # A request to them, though the question goes on on the next line.
        (
            "@kim: can you confirm whether the mirrors already",
            "can you confirm whether the mirrors already",
        ),
    ],
)
def test_a_task_or_a_question_put_to_a_mentioned_person_is_their_ai(line, text):
    [ai] = parse_lines([line]).action_items
    assert (ai.owners, ai.text) == (("@kim",), text)


@pytest.mark.parametrize(
    "line",
    ["#5721 Kim to bisect the regression", "PR #88: Kim to bisect the regression"],
)
def test_an_issue_reference_before_the_owner_is_not_part_of_the_owner(line):
    [ai] = parse_lines([line]).action_items
    assert (ai.owners, ai.text) == (("Kim",), "bisect the regression")


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        ("The CLA process to be documented by Kim", ("Kim",), "The CLA process to be documented"),
        ("release notes will be written by Kim and Lee.", ("Kim", "Lee"), "release notes will be written"),
        ("The CLA process to be documented by Kim - carried over", ("Kim",), "The CLA process to be documented"),
        ("Teodor asks Kim to review the fix since he can test on Windows", ("Kim",), "review the fix since he can test on Windows"),
        ("Assigned to @sam to get the backport into the stable branch", ("@sam",), "get the backport into the stable branch"),
    ],
)  # fmt: skip
def test_passives_and_requests_name_who_does_the_task(line, owners, text):
    [ai] = parse_lines([line]).action_items
    assert (ai.owners, ai.text) == (owners, text)


@pytest.mark.parametrize(
    "line",
    [
        "the date is to be decided by the end of the week",  # no person after "by"
        "the release was delayed by Kim's vacation",  # no "to be"
        "Kim asked about the schedule",  # a question, not a task given
    ],
)
def test_by_and_asks_without_a_task_given_to_someone_are_no_ai(line):
    assert parse_lines([line]).action_items == ()


def test_a_pending_section_above_the_meeting_s_own_ais_restates_them():
    """`pending --write` into the newest meeting puts the section above that meeting's AIs:
    its lines are carry-overs of those AIs, never AIs of their own."""
    text = dedent(
        """\
        ## 2024-03-05

        ### Pending AIs
        - AI: [Kim] update the docs
        - AI: [Lee] review the PR

        ### Notes
        - AI: [Kim] update the docs
        - AI: [Lee] review the PR
        """
    )
    minutes = parse_text(text, source="m.md", config=CONFIG)
    originals = [ai for ai in minutes.action_items if ai.carry_over_of is None]
    assert [(ai.line, ai.text) for ai in originals] == [
        (8, "update the docs"),
        (9, "review the PR"),
    ]
    assert [ai.carry_over_of for ai in minutes.action_items if ai.line in (4, 5)] == [
        originals[0].id,
        originals[1].id,
    ]


def test_an_action_items_section_passes_over_attendance_and_reports_of_work_done():
    text = dedent(
        """\
        ## 2024-03-05

        ### Action items
        **Kim**: draft the release notes
        **Lee**: summary updated, finally
        **Sam**: RTBC'd it, waiting for a committer now
        **Kim**: staging DB moved to the new cluster
        Participants: Kim, Lee, Sam
        """
    )
    minutes = parse_text(text, source="m.md", config=CONFIG)
    assert [(ai.line, ai.owners, ai.text) for ai in minutes.action_items] == [
        (4, ("Kim",), "draft the release notes")
    ]


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        ("Kim agreed to update the wiki", ("Kim",), "update the wiki"),
        ("Kim volunteered to update the wiki", ("Kim",), "update the wiki"),
        ("Kim takes the action to follow up with infra", ("Kim",), "follow up with infra"),
        ("Action item: (Kim) follow up with infra", ("Kim",), "follow up with infra"),
        ("@kim @lee please update the wiki", ("@kim", "@lee"), "update the wiki"),
        # MeetBot's summary: who typed the line, and when, is not part of the task.
        ("Kim to update the wiki (kim, 14:05:12)", ("Kim",), "update the wiki"),
        ("Kim to update the wiki (kim, 14:05:12) (#12)", ("Kim",), "update the wiki"),
    ],
)  # fmt: skip
def test_commitments_meetbot_lines_and_owners_in_parentheses(line, owners, text):
    [ai] = parse_lines([line]).action_items
    assert (ai.owners, ai.text) == (owners, text)


def test_an_ai_in_any_cell_of_a_notes_table_is_found():
    """A table with no owner column: each cell after the row's topic may hold an AI."""
    text = dedent(
        """\
        ## 2024-03-05

        | Topic | Notes | Follow-up |
        |---|---|---|
        | CI | flaky on arm64 | AI: Kim to pin the runner image |
        | Docs | AI: Lee to fix the broken links | |
        """
    )
    minutes = parse_text(text, source="m.md", config=CONFIG)
    assert [(ai.line, ai.owners, ai.text, ai.topic) for ai in minutes.action_items] == [
        (5, ("Kim",), "pin the runner image", ("CI",)),
        (6, ("Lee",), "fix the broken links", ("Docs",)),
    ]


def parse_chat(lines: list[str]):
    text = "## 2024-03-05\n\n" + "".join(f"{line}\n" for line in lines)
    return parse_text(text, source="log.txt", config=CONFIG)


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        # A request put to someone by their nick, as IRC and Matrix logs write it.
        ("18:08:20 <kim> lee: can you send the patch upstream?", ("lee",), "send the patch upstream"),
        ("[18:08] <kim> lee: could you please rerun the arm64 job?", ("lee",), "rerun the arm64 job"),
        ("18:08:20 <kim> lee: please forward the mail to the list", ("lee",), "forward the mail to the list"),
        ("18:08:20 <kim> everyone: please fill in the survey by Friday", ("everyone",), "fill in the survey by Friday"),
        # The IRC "/me", logged as a star and the nick: a commitment in the third person.
        ("18:18:20 * lee will proofread the report on friday", ("lee",), "proofread the report on friday"),
        ("[16:21] * sam will update the wiki page tonight", ("sam",), "update the wiki page tonight"),
    ],
)  # fmt: skip
def test_in_a_chat_log_a_request_to_a_nick_and_a_me_commitment_are_ais(line, owners, text):
    [ai] = parse_chat([line]).action_items
    assert (ai.owners, ai.text) == (owners, text)


@pytest.mark.parametrize(
    "line",
    [
        "18:08:20 <kim> lee: is the patch merged yet?",  # a question asking nothing of them
        "18:08:20 <kim> lee: please, no more force-pushes on main",  # a plea, no task
        "18:08:20 <kim> zed: please review it",  # nobody the config or the log knows
        "18:03:30 * lee waves",
        "18:02:26 * kim is Kim Example, hello",
        "18:04:10 * sam has already uploaded it",  # a report of work done
    ],
)
def test_in_a_chat_log_questions_pleas_and_me_remarks_are_no_ai(line):
    assert parse_chat([line]).action_items == ()


FULL_NAMES = parse_config(
    {"people": {"hrostami": ["Hamid Rostami"], "mtanaka": ["Mei Tanaka"], "kim": ["Kim"]}}
).config


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        # Confluence, Google Docs and Jira write a mention as the person's display name.
        ("[ ] @Hamid Rostami cut the 2.1.1 hotfix", ("Hamid Rostami",), "cut the 2.1.1 hotfix"),
        ("Sync regression - @Mei Tanaka will open a PR for the metrics", ("Mei Tanaka",), "open a PR for the metrics"),
        ("@Mei Tanaka: can you check the pruning lag?", ("Mei Tanaka",), "can you check the pruning lag?"),
        # A display name the config does not know is no owner: the login stays the mention.
        ("@kim Review the PR before Friday", ("@kim",), "Review the PR before Friday"),
    ],
)  # fmt: skip
def test_a_mention_by_display_name_owns_the_task_when_the_name_is_known(line, owners, text):
    minutes = parse_text(f"## 2024-03-05\n\n- {line}\n", source="m.md", config=FULL_NAMES)
    [ai] = minutes.action_items
    assert (ai.owners, ai.text) == (owners, text)


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        # News of the owner's, then what they will do about it, the subject not repeated.
        ("Kim has last year's profile, will dig it out", ("Kim",), "dig it out"),
        ("@lee noted the branch is green and will open the PR this week", ("@lee",), "open the PR this week"),
        ("Sam reviewed the draft, then will send it to the list", ("Sam",), "send it to the list"),
    ],
)  # fmt: skip
def test_an_owners_news_then_will_gives_them_the_task(line, owners, text):
    [ai] = parse_lines([line]).action_items
    assert (ai.owners, ai.text) == (owners, text)


@pytest.mark.parametrize(
    "line",
    [
        "Kim is away in May, will be back in June",  # availability
        "Kim has the PR open and will not merge it before the freeze",  # a refusal
        "Lee tried it on arm64 and will probably see the same crash",  # a forecast
        "The bot reported the failure and will retry tonight",  # nobody's task
    ],
)
def test_news_then_will_that_promises_no_task_of_a_person_is_no_ai(line):
    assert parse_lines([line]).action_items == ()


def test_meetbot_s_list_of_its_commands_is_no_ai():
    line = "18:02:11 <MeetBot> Useful Commands: #action #agreed #help #info #idea #link #topic."
    assert parse_chat([line]).action_items == ()
