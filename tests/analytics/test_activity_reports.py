"""Every activity report of the catalog on a small conference worked out by hand.

Partner 101, times from B (2026-08-03 10:00 UTC). Virtual event 7 holds room 1_main and its
breakout 1_break; room 1_other belongs to no event. A KS with ``virtualeventid:7`` reads
1_main and 1_break only. Partner 102 has events with the same ids; none may show.

People: alice, bob, prof (x.edu), dan (acme.com), carol (no e-mail).

Session s1 of 1_main: prof joins as host; alice as participant, then again as speaker; bob.
Group chat: m1 alice "hello, all" liked by bob (twice: one like), prof; m2 bob replies to m1,
liked by alice; m3 alice in the breakout's context, deleted by prof. m9 alice in 1_other.
Private: alice → prof and prof → alice (one domain: internal), dan → alice (external), carol
→ bob (no e-mail: external).
Q&A (and q9 in 1_other): q1 alice asks, prof owns it, answers, alice follows up, prof resolves it and labels it
(technical, follow-up); q2 bob asks, prof owns it; q3 carol asks, only labeled (content):
pending; q4 alice asks, prof owns it, dan takes it over and closes it (done).
Polls: P1 a scheduled quiz "2+2?" (correct "4") answered 4 by alice (said correct) and 5 by
bob (not said: compared, false); P2 a manual poll answered tea by alice; P3 an open question
answered by carol.
Registration app app-7: alice (her form says Alicia, Student, Oxford, …), bob (then withdrew),
dan; carol registered for 1_other without an app. Attachments: alice and bob download att1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.analytics.conftest import ENTRIES, USERS, B, ev, open_store
from vantage.analytics import activity_compiler, catalog, room_compiler
from vantage.analytics.activity_reports import ActivityReport
from vantage.analytics.catalog import CatalogError
from vantage.analytics.period import EARLIEST, LATEST
from vantage.ingest.store import Store
from vantage.sql.clickhouse import ClickHouse
from vantage.sql.duckdb import DuckDB

P101 = frozenset({101})
EVENT_7 = frozenset({"7"})

DAN = {
    "partnerId": 101,
    "id": "dan",
    "firstName": "Dan",
    "lastName": "Doe",
    "email": "dan@acme.com",
}


def _qna(user: str, t: int, message: str, thread: str, text: str) -> dict[str, Any]:
    return ev(
        "questionAnswerMessageSent", user, B + t, messageId=message, threadId=thread, text=text
    )


def _moderated(user: str, t: int, thread: str, action: str, **extra: Any) -> dict[str, Any]:
    return ev("questionThreadModerated", user, B + t, threadId=thread, action=action, **extra)


def conference() -> list[dict[str, Any]]:
    b = B
    elsewhere = {"partner": 102, "entry": "2_room"}
    return [
        ev("joinSession", "prof", b, role="host"),
        ev("joinSession", "alice", b + 10, role="participant"),
        ev("joinSession", "bob", b + 20),
        ev("joinSession", "alice", b + 300, role="speaker"),
        # group chat
        ev("groupMessageSent", "alice", b + 53, messageId="m1", text="hello, all"),
        ev(
            "groupMessageSent",
            "bob",
            b + 60,
            messageId="m2",
            text="hi alice",
            replyToMessageId="m1",
        ),
        ev("groupMessageSent", "alice", b + 70, messageId="m3", text="=1+1", contextId="1_break"),
        ev("messageLiked", "bob", b + 61, messageId="m1"),
        ev("messageLiked", "prof", b + 62, messageId="m1"),
        ev("messageLiked", "bob", b + 63, messageId="m1"),
        ev("messageLiked", "alice", b + 64, messageId="m2"),
        ev("groupMessageDeleted", "prof", b + 80, messageId="m3"),
        ev("groupMessageSent", "alice", b + 90, None, "1_other", messageId="m9", text="other"),
        # private messages
        ev(
            "privateMessageSent",
            "alice",
            b + 100,
            messageId="p1",
            recipientUserId="prof",
            text="question, please",
        ),
        ev(
            "privateMessageSent",
            "prof",
            b + 110,
            messageId="p2",
            recipientUserId="alice",
            text="sure",
        ),
        ev(
            "privateMessageSent",
            "dan",
            b + 120,
            messageId="p3",
            recipientUserId="alice",
            text="hello from acme",
        ),
        ev(
            "privateMessageSent", "carol", b + 130, messageId="p4", recipientUserId="bob", text="hi"
        ),
        # Q&A
        _qna("alice", 200, "q1", "q1", "why?"),
        _moderated("prof", 205, "q1", "owned"),
        _qna("prof", 210, "q1a", "q1", "because"),
        _qna("alice", 220, "q1b", "q1", "thanks, and?"),
        _moderated("prof", 230, "q1", "resolved"),
        _moderated("prof", 231, "q1", "labeled", labels=["technical", "follow-up"]),
        _qna("bob", 240, "q2", "q2", "how?"),
        _moderated("prof", 245, "q2", "owned"),
        _qna("carol", 250, "q3", "q3", "when?"),
        _moderated("prof", 251, "q3", "labeled", labels=["content"]),
        _qna("alice", 260, "q4", "q4", "where?"),
        _moderated("prof", 261, "q4", "owned"),
        _moderated("dan", 262, "q4", "owned"),
        _moderated("dan", 270, "q4", "done"),
        _qna("alice", 280, "q9", "q9", "another room?") | {"entryId": "1_other"},
        # polls
        ev(
            "pollLaunched",
            "prof",
            b + 300,
            pollId="P1",
            question="2+2?",
            pollType="quiz",
            options=["3", "4", "5"],
            correctAnswer="4",
            visualType="bar",
            visualIcon="calculator",
            groupPollId="g1",
            groupPollName="Week 1 quiz",
            schedulingType="scheduled",
        ),
        ev("pollAnswered", "alice", b + 310, pollId="P1", answer="4", isCorrect=True),
        ev("pollAnswered", "bob", b + 312, pollId="P1", answer="5"),
        ev(
            "pollLaunched",
            "prof",
            b + 320,
            pollId="P2",
            question="Coffee or tea?",
            pollType="poll",
            options=["coffee", "tea"],
            visualType="pie",
            schedulingType="manual",
        ),
        ev("pollAnswered", "alice", b + 330, pollId="P2", answer="tea"),
        ev(
            "pollLaunched",
            "prof",
            b + 340,
            pollId="P3",
            question="Any comments, please?",
            pollType="open",
        ),
        ev("pollAnswered", "carol", b + 345, pollId="P3", answer="more, examples"),
        # registrations
        ev(
            "registered",
            "alice",
            b - 7200,
            None,
            appGuid="app-7",
            firstName="Alicia",
            email="alice@x.edu",
            title="Student",
            company="Oxford",
            industry="Education",
            country="UK",
            jobRole="Learner",
        ),
        ev("registered", "bob", b - 7000, None, appGuid="app-7"),
        ev("unregistered", "bob", b - 6000, None, appGuid="app-7"),
        ev(
            "registered",
            "dan",
            b - 5000,
            None,
            appGuid="app-7",
            company="Acme",
            country="US",
            jobRole="Engineer",
        ),
        ev("registered", "carol", b - 4000, None, "1_other"),
        # attachments
        ev(
            "downloadAttachmentClicked",
            "alice",
            b + 400,
            attachmentId="att1",
            attachmentTitle="Slides, week 1",
        ),
        ev(
            "downloadAttachmentClicked",
            "bob",
            b + 410,
            attachmentId="att1",
            attachmentTitle="Slides, week 1",
        ),
        # another partner, the same ids
        ev("groupMessageSent", "alice", b + 53, **elsewhere, messageId="m1", text="not yours"),
        ev("messageLiked", "bob", b + 61, **elsewhere, messageId="m1"),
        ev(
            "privateMessageSent",
            "alice",
            b + 100,
            **elsewhere,
            messageId="p1",
            recipientUserId="prof",
            text="no",
        ),
        _qna("alice", 200, "q1", "q1", "no") | {"partnerId": 102, "entryId": "2_room"},
        ev("pollAnswered", "alice", b + 310, **elsewhere, pollId="P1", answer="4"),
        ev("registered", "alice", b - 7200, None, **elsewhere, appGuid="app-7"),
        ev("downloadAttachmentClicked", "alice", b + 400, **elsewhere, attachmentId="att1"),
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("conference") / "store.duckdb"
    with open_store(path, ENTRIES, [*USERS, DAN], conference()) as opened:
        yield opened


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%dT%H:%M:%S}Z"
    text = str(value)
    return f'"{text}"' if "," in text else text


def csv_of(
    store: Store,
    name: str,
    parameters: dict[str, Any] | None = None,
    granted: frozenset[str] = EVENT_7,
    descriptive: bool = False,
) -> str:
    prepared = catalog.prepare(name, parameters or {}, P101, granted)
    rows = catalog.rows(store.engine, prepared, descriptive)
    lines = [",".join(rows.headers)]
    for batch in rows.batches:
        for row in batch.to_pylist():
            lines.append(",".join(_cell(v) for v in row.values()))
    return "\n".join(lines) + "\n"


def at(seconds: int) -> str:
    return f"{dt.datetime.fromtimestamp(B + seconds, dt.UTC):%Y-%m-%dT%H:%M:%S}Z"


def test_group_chat_transcripts(store: Store) -> None:
    assert csv_of(store, "groupChatTranscripts") == (
        "contextId,userId,userFirstName,userLastName,userEmail,userRole,messageId,sentAt,"
        "message,repliedToMessageId,likes,deleted,subContext\n"
        f'1_main,alice,Alice,Liddell,alice@x.edu,speaker,m1,{at(53)},"hello, all",,2,false,\n'
        f"1_main,bob,Bob,Builder,bob@x.edu,participant,m2,{at(60)},hi alice,m1,1,false,\n"
        f"1_main,alice,Alice,Liddell,alice@x.edu,speaker,m3,{at(70)},=1+1,,0,true,1_break\n"
    )


def test_private_transcripts(store: Store) -> None:
    assert csv_of(store, "privateTranscripts") == (
        "contextId,contextName,messageId,sentAt,senderId,senderFirstName,senderLastName,"
        "senderEmail,recipientId,recipientFirstName,recipientLastName,recipientEmail,message\n"
        f"1_main,Biology 101,p1,{at(100)},alice,Alice,Liddell,alice@x.edu,prof,Pat,Professor,"
        'prof@x.edu,"question, please"\n'
        f"1_main,Biology 101,p2,{at(110)},prof,Pat,Professor,prof@x.edu,alice,Alice,Liddell,"
        "alice@x.edu,sure\n"
        f"1_main,Biology 101,p3,{at(120)},dan,Dan,Doe,dan@acme.com,alice,Alice,Liddell,"
        "alice@x.edu,hello from acme\n"
        f"1_main,Biology 101,p4,{at(130)},carol,,,,bob,Bob,Builder,bob@x.edu,hi\n"
    )


def test_chat_user_activity(store: Store) -> None:
    assert csv_of(store, "chatUserActivity") == (
        "userId,userEmail,connections,internalReceived,internalSent,externalReceived,"
        "externalSent\n"
        "alice,alice@x.edu,2,1,1,1,0\n"
        "bob,bob@x.edu,1,0,0,1,0\n"
        "carol,,0,0,0,0,1\n"
        "dan,dan@acme.com,0,0,0,0,1\n"
        "prof,prof@x.edu,1,1,1,0,0\n"
    )


def test_moderator_transcripts(store: Store) -> None:
    labels = '"follow-up, technical"'
    assert csv_of(store, "moderatorTranscripts") == (
        "contextId,contextName,threadId,creator,sender,senderEmail,recipient,recipientEmail,"
        "message,time,state,labels\n"
        f"1_main,Biology 101,q1,alice,alice,alice@x.edu,prof,prof@x.edu,why?,{at(200)},"
        f"resolved,{labels}\n"
        f"1_main,Biology 101,q1,alice,prof,prof@x.edu,alice,alice@x.edu,because,{at(210)},"
        f"resolved,{labels}\n"
        f'1_main,Biology 101,q1,alice,alice,alice@x.edu,prof,prof@x.edu,"thanks, and?",'
        f"{at(220)},resolved,{labels}\n"
        f"1_main,Biology 101,q2,bob,bob,bob@x.edu,prof,prof@x.edu,how?,{at(240)},owned,\n"
        f"1_main,Biology 101,q3,carol,carol,,,,when?,{at(250)},pending,content\n"
        f"1_main,Biology 101,q4,alice,alice,alice@x.edu,dan,dan@acme.com,where?,{at(260)},"
        "done,\n"
    )


def test_chat_moderation(store: Store) -> None:
    assert csv_of(store, "chatModeration") == (
        "contextId,contextName,lastActivity,pendingThreads,ownedThreads,resolvedThreads,"
        "doneThreads,userMessages,moderatorMessages,moderatorsOwningResolvedThreads,"
        "moderatorsOwningUnresolvedThreads\n"
        f'1_main,Biology 101,{at(270)},1,1,1,1,5,1,"dan, prof",prof\n'
    )


def test_polls_activity(store: Store) -> None:
    quiz = "2+2?,quiz"
    p1 = "bar,calculator"
    group = "Week 1 quiz,g1,scheduled"
    assert csv_of(store, "pollsActivity") == (
        "contextId,pollId,userId,userFirstName,userLastName,userEmail,question,type,vote,"
        "voteTime,visualType,visualIcon,isCorrect,groupPollName,groupPollId,schedulingType,"
        "schedulingTime\n"
        f"1_main,P1,alice,Alice,Liddell,alice@x.edu,{quiz},4,{at(310)},{p1},true,{group},"
        f"{at(300)}\n"
        f"1_main,P1,bob,Bob,Builder,bob@x.edu,{quiz},5,{at(312)},{p1},false,{group},{at(300)}\n"
        f"1_main,P2,alice,Alice,Liddell,alice@x.edu,Coffee or tea?,poll,tea,{at(330)},pie,,,,,"
        f"manual,{at(320)}\n"
        f'1_main,P3,carol,,,,"Any comments, please?",open,"more, examples",{at(345)},,,,,,,'
        f"{at(340)}\n"
    )


def test_registration_by_app(store: Store) -> None:
    assert csv_of(store, "registration", {"appGuid": "app-7"}, frozenset()) == (
        "userId,firstName,lastName,email,title,company,industry,country,role,appGuid,"
        "virtualEventId,entryId,registeredAt,status,updatedAt\n"
        f"alice,Alicia,Liddell,alice@x.edu,Student,Oxford,Education,UK,Learner,app-7,7,1_main,"
        f"{at(-7200)},registered,{at(-7200)}\n"
        f"bob,Bob,Builder,bob@x.edu,,,,,,app-7,7,1_main,{at(-7000)},unregistered,{at(-6000)}\n"
        f"dan,Dan,Doe,dan@acme.com,,Acme,,US,Engineer,app-7,7,1_main,{at(-5000)},registered,"
        f"{at(-5000)}\n"
    )


def test_registration_by_virtual_event_is_the_same(store: Store) -> None:
    by_app = csv_of(store, "registration", {"appGuid": ["app-7"]}, frozenset())
    assert csv_of(store, "registration", {"virtual_event_ids": ["7"]}, frozenset()) == by_app


def test_rsvp(store: Store) -> None:
    assert csv_of(store, "rsvp", granted=frozenset()) == (
        "entry_id,media_name,first_name,last_name,title,company,email,country,role,industry\n"
        "1_main,Biology 101,Alicia,Liddell,Student,Oxford,alice@x.edu,UK,Learner,Education\n"
        "1_main,Biology 101,Dan,Doe,,Acme,dan@acme.com,US,Engineer,\n"
        "1_other,Chemistry,,,,,,,,\n"
    )


def test_attachment(store: Store) -> None:
    title = '"Slides, week 1"'
    assert csv_of(store, "attachment", {"entries_ids": "1_main"}, frozenset()) == (
        "entryId,entryName,attachmentId,attachmentTitle,userId,userFirstName,userLastName,"
        "userEmail,downloadedAt\n"
        f"1_main,Biology 101,att1,{title},alice,Alice,Liddell,alice@x.edu,{at(400)}\n"
        f"1_main,Biology 101,att1,{title},bob,Bob,Builder,bob@x.edu,{at(410)}\n"
    )


def test_dates_are_local_days_and_the_last_is_whole(store: Store) -> None:
    day = f"{dt.datetime.fromtimestamp(B, dt.UTC):%Y-%m-%d}"
    one_day = {"from_date_id": day, "to_date_id": day}
    assert csv_of(store, "attachment", one_day, frozenset()).count("\n") == 3
    # 11 hours west of UTC (JavaScript's sign): that day starts at 11:00 UTC, after them
    west = {**one_day, "timezone_offset": 660}
    assert csv_of(store, "attachment", west, frozenset()).count("\n") == 1
    before = f"{dt.datetime.fromtimestamp(B - 86_400, dt.UTC):%Y-%m-%d}"
    west_from_the_day_before = {**west, "from_date_id": before, "to_date_id": before}
    assert csv_of(store, "attachment", west_from_the_day_before, frozenset()).count("\n") == 3


def test_descriptive_headers(store: Store) -> None:
    first = csv_of(store, "chatUserActivity", descriptive=True).splitlines()[0]
    assert first == (
        "User ID,User e-mail,Connections,Internal messages received,Internal messages sent,"
        "External messages received,External messages sent"
    )


def test_a_virtual_event_privilege_limits_every_report(store: Store) -> None:
    everything = csv_of(store, "attachment", granted=frozenset())
    assert csv_of(store, "attachment", granted=frozenset({"8"})).count("\n") == 1
    assert everything.count("\n") == 3


@pytest.mark.parametrize(
    ("name", "parameters", "granted", "code", "param"),
    [
        ("nope", {}, EVENT_7, "UNKNOWN_REPORT", None),
        ("pollsActivity", {}, frozenset(), "FORBIDDEN", None),
        ("pollsActivity", {"virtual_event_ids": ["8"]}, EVENT_7, "FORBIDDEN", "virtual_event_ids"),
        (
            "pollsActivity",
            {"from_date_id": "2025-9-15"},
            EVENT_7,
            "INVALID_PARAMETER",
            "from_date_id",
        ),
        ("pollsActivity", {"to_date_id": "2025-02-30"}, EVENT_7, "INVALID_PARAMETER", "to_date_id"),
        ("pollsActivity", {"entries_ids": {"a": 1}}, EVENT_7, "INVALID_PARAMETER", "entries_ids"),
        ("pollsActivity", {"color": "red"}, EVENT_7, "INVALID_PARAMETER", "color"),
        ("pollsActivity", {"appGuid": "x"}, EVENT_7, "INVALID_PARAMETER", "appGuid"),
        ("pollsActivity", [], EVENT_7, "INVALID_PARAMETER", "reportParameters"),
        ("registration", {}, frozenset(), "MISSING_PARAMETER", "appGuid"),
        ("reportsEnrichment", {}, frozenset(), "MISSING_PARAMETER", "taskType"),
        ("reportsEnrichment", {"taskType": "x"}, frozenset(), "INVALID_PARAMETER", "taskType"),
        (
            "reportsEnrichment",
            {"taskType": "viewership", "params": {"from_date": "soon"}},
            frozenset(),
            "INVALID_PARAMETER",
            "from_date",
        ),
        (
            "attendeesData",
            {"fromDate": float("nan")},
            frozenset(),
            "INVALID_PARAMETER",
            "from_date",
        ),
        (
            "attendeesData",
            {"timezone_offset": "x"},
            frozenset(),
            "INVALID_PARAMETER",
            "timezone_offset",
        ),
    ],
)
def test_bad_requests_are_refused_before_anything_runs(
    name: str, parameters: Any, granted: frozenset[str], code: str, param: str | None
) -> None:
    with pytest.raises(CatalogError) as raised:
        catalog.prepare(name, parameters, P101, granted)
    assert (raised.value.code, raised.value.param) == (code, param)


def test_room_reports_by_name_and_number(store: Store) -> None:
    by_name = csv_of(store, "attendeesData", {"entries_ids": ["1_main"]}, frozenset())
    assert by_name == csv_of(store, "6001", {"entries_ids": "1_main"}, frozenset())
    assert by_name.splitlines()[0].startswith("entry_id,cue_point_id,user_id")


def test_enriched_viewership_adds_the_profile(store: Store) -> None:
    # report 3007: joins are plays; nobody sent presence, so nobody viewed a minute
    assert csv_of(store, "reportsEnrichment", {"taskType": "viewership"}, EVENT_7) == (
        "user_id,email,entry_id,entry_name,media_type,view_time,play,first_name,last_name,"
        "company,title,industry,country,role\n"
        "alice,alice@x.edu,1_main,Biology 101,,0,2,Alice,Liddell,Oxford,,,,student\n"
        "bob,bob@x.edu,1_main,Biology 101,,0,1,Bob,Builder,,,,,\n"
        "prof,prof@x.edu,1_main,Biology 101,,0,1,Pat,Professor,,,,,\n"
    )


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    [
        "entries_ids",
        "virtual_event_ids",
        "user_ids",
        "cue_point_ids",
        "parentEntryIds",
        "appGuid",
        "from_date_id",
        "to_date_id",
        "fromDate",
        "toDate",
        "timezone_offset",
        "taskType",
        "params",
        "bogus",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(sorted(catalog.NAMES)) | st.text(max_size=10),
    parameters=st.dictionaries(_KEYS, _JSON, max_size=5) | _JSON,
    granted=st.frozensets(st.sampled_from(["7", "8", "x"]), max_size=2),
)
def test_any_request_is_prepared_or_refused_clearly(
    name: str, parameters: Any, granted: frozenset[str]
) -> None:
    """Whatever a caller sends: a query that compiles on both engines, or a CatalogError."""
    try:
        prepared = catalog.prepare(name, parameters, P101, granted)
    except CatalogError as exc:
        assert exc.code in ("UNKNOWN_REPORT", "MISSING_PARAMETER", "INVALID_PARAMETER", "FORBIDDEN")
        return
    q = prepared.query
    compiled = (
        activity_compiler.compile_report(q.report, q)
        if isinstance(q.report, ActivityReport)
        else room_compiler.compile_report(q.report, q)
    )
    DuckDB().sql(compiled.plan)
    ClickHouse().sql(compiled.plan)
    assert q.start >= EARLIEST and q.end <= LATEST


def test_likes_after_the_range_still_count(store: Store) -> None:
    until_m1 = {"fromDate": B, "toDate": B + 55}  # m1 at +53; its likes at +61 … +63
    assert csv_of(store, "groupChatTranscripts", until_m1).splitlines()[1:] == [
        f'1_main,alice,Alice,Liddell,alice@x.edu,speaker,m1,{at(53)},"hello, all",,2,false,'
    ]


def test_descriptive_headers_of_a_room_report(store: Store) -> None:
    first = csv_of(store, "reportsEnrichment", {"taskType": "viewership"}, descriptive=True)
    assert first.splitlines()[0].startswith("User ID,E-mail,Entry ID,")
