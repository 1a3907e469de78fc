"""The demo's chat and collaboration activity, which the C&C reports read: virtual events of
several rooms, chat, private messages, Q&A moderation and labels, polls with their visuals,
groups and scheduling, registrations with their app and job role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.demo.conftest import NOW, open_store, q
from vantage.demo import DemoSummary, generate
from vantage.demo.ids import app_guid
from vantage.demo.questions import LABELS
from vantage.ingest.store import Store

Demo = tuple[Store, DemoSummary]


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The school at its natural size (``make run``'s), without player beacons: the smallest
    that has virtual events."""
    store = open_store(tmp_path_factory.mktemp("demo") / "natural.duckdb")
    summary = generate(store, seed=3, player_events=0, now=NOW)
    yield store, summary
    store.close()


def _count(store: Store, sql: str) -> int:
    return int(q(store, sql)[0][0])


def test_virtual_events_hold_several_rooms_with_activity(school: Demo) -> None:
    store, summary = school
    rooms = q(
        store,
        """
        SELECT virtual_event_id, count(DISTINCT entry_id) FROM room_events
        WHERE virtual_event_id IS NOT NULL AND event_type IN ('groupMessageSent', 'pollLaunched')
        GROUP BY 1""",
    )
    assert len(rooms) == summary.virtual_events >= 2
    assert all(n >= 2 for _, n in rooms)
    assert {ve for ve, _ in summary.app_guids} == {ve for ve, _ in rooms}


def test_chat_has_replies_likes_deletions_and_sub_contexts(school: Demo) -> None:
    store, _ = school
    # several likes on one message, now and then
    assert _count(
        store,
        """
        SELECT count(*) FROM (SELECT message_id FROM room_events
            WHERE event_type = 'messageLiked' GROUP BY 1 HAVING count(*) >= 2)""",
    )
    deleted_by = q(
        store,
        """
        SELECT DISTINCT d.user_id = m.user_id FROM room_events d JOIN room_events m
          ON m.event_type = 'groupMessageSent' AND m.message_id = d.message_id
        WHERE d.event_type = 'groupMessageDeleted'""",
    )
    assert {own for (own,) in deleted_by} == {True, False}  # by the author and by the host
    assert _count(
        store,
        "SELECT count(*) FROM room_events WHERE event_type = 'groupMessageSent' "
        "AND context_id IS NOT NULL",
    )
    # a reply answers an earlier message of the same room
    assert not _count(
        store,
        """
        SELECT count(*) FROM room_events r WHERE r.event_type = 'groupMessageSent'
          AND r.reply_to_message_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM room_events m WHERE m.event_type = 'groupMessageSent'
            AND m.message_id = r.reply_to_message_id AND m.entry_id = r.entry_id
            AND m.time <= r.time)""",
    )


def test_private_messages_within_and_across_organisations(school: Demo) -> None:
    store, _ = school
    same = q(
        store,
        """
        SELECT DISTINCT split_part(s.email, '@', 2) = split_part(r.email, '@', 2)
        FROM room_events p
        JOIN users s ON s.id = p.user_id JOIN users r ON r.id = p.recipient_user_id
        WHERE p.event_type = 'privateMessageSent'""",
    )
    assert {x for (x,) in same} == {True, False}


def test_threads_are_moderated_in_order_by_their_owner(school: Demo) -> None:
    store, _ = school
    stages = q(
        store,
        """
        WITH m AS (
            SELECT thread_id,
                   min(time) FILTER (action = 'owned') AS owned,
                   min(time) FILTER (action = 'resolved') AS resolved,
                   min(time) FILTER (action = 'done') AS done,
                   count(DISTINCT user_id) FILTER (action <> 'labeled') AS moderators,
                   count(*) FILTER (action <> 'labeled') AS steps
            FROM room_events WHERE event_type = 'questionThreadModerated' GROUP BY 1)
        SELECT t.message_id, t.time, m.owned, m.resolved, m.done, m.moderators, m.steps
        FROM room_events t LEFT JOIN m ON m.thread_id = t.thread_id
        WHERE t.event_type = 'questionAnswerMessageSent' AND t.message_id = t.thread_id""",
    )
    seen = set()
    for _, asked, owned, resolved, done, moderators, steps in stages:
        reached = [t for t in (owned, resolved, done) if t is not None]
        # each step once, after the one before it, all by one moderator
        assert reached == [owned, resolved, done][: len(reached)]
        assert all(a < b for a, b in zip([asked, *reached], reached, strict=False))
        assert (steps or 0) == len(reached) and (moderators or 0) <= 1
        seen.add(len(reached))
    assert seen == {0, 1, 2, 3}  # pending, owned and unresolved, resolved, done


def test_labels_only_on_labeled_threads(school: Demo) -> None:
    store, _ = school
    rows = q(
        store,
        "SELECT action, labels FROM room_events WHERE event_type = 'questionThreadModerated'",
    )
    labeled = [labels for action, labels in rows if action == "labeled"]
    assert labeled and all(1 <= len(x) <= 3 and set(x) <= set(LABELS) for x in labeled)
    assert all(not labels for action, labels in rows if action != "labeled")
    assert not _count(
        store,
        """
        SELECT count(*) FROM room_events x WHERE x.event_type = 'questionThreadModerated'
          AND NOT EXISTS (SELECT 1 FROM room_events m
            WHERE m.event_type = 'questionAnswerMessageSent' AND m.message_id = x.thread_id
            AND m.entry_id = x.entry_id AND m.time < x.time)""",
    )


def test_polls_have_visuals_groups_and_scheduling(school: Demo) -> None:
    store, _ = school
    polls = q(
        store,
        """
        SELECT poll_type, visual_type, visual_icon, group_poll_id, group_poll_name,
               scheduling_type, epoch_us(time) % 60000000 = 0
        FROM room_events WHERE event_type = 'pollLaunched'""",
    )
    assert {p[0] for p in polls} == {"poll", "quiz", "ratingScale", "open", "crowdVote"}
    assert all(p[1] is not None for p in polls)
    assert any(p[2] is not None for p in polls) and any(p[2] is None for p in polls)
    assert {p[5] for p in polls} == {"manual", "scheduled"}
    assert all(
        on_the_minute for *_, scheduling, on_the_minute in polls if scheduling == "scheduled"
    )
    # groups are quizzes of several questions, in one session
    assert all(
        (p[3] is not None) == (p[0] == "quiz") and (p[3] is None) == (p[4] is None) for p in polls
    )
    groups = q(
        store,
        """
        SELECT count(*), count(DISTINCT session_id), count(DISTINCT question)
        FROM room_events WHERE event_type = 'pollLaunched' AND group_poll_id IS NOT NULL
        GROUP BY group_poll_id""",
    )
    assert groups and all(n >= 2 and sessions == 1 and asked == n for n, sessions, asked in groups)
    # an answer answers a poll launched before it in the same room
    assert not _count(
        store,
        """
        SELECT count(*) FROM room_events a WHERE a.event_type = 'pollAnswered' AND NOT EXISTS (
            SELECT 1 FROM room_events p WHERE p.event_type = 'pollLaunched'
            AND p.poll_id = a.poll_id AND p.entry_id = a.entry_id AND p.time <= a.time)""",
    )


def test_registrations_carry_the_app_of_their_virtual_event(school: Demo) -> None:
    store, summary = school
    rows = q(
        store,
        """
        SELECT event_type, virtual_event_id, app_guid, job_role FROM room_events
        WHERE event_type IN ('registered', 'unregistered')""",
    )
    apps = dict(summary.app_guids)
    assert apps == {ve: app_guid(ve) for ve in apps}
    assert {r[0] for r in rows if r[1] is not None} == {"registered", "unregistered"}
    for event_type, ve, app, role in rows:
        assert app == (None if ve is None else apps[ve])
        assert (role is not None) == (event_type == "registered")
