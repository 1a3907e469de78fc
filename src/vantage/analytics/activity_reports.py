"""The activity reports of the Reports Microservice (chat & collaboration, registrations,
attachments), each declared once: what a row is, its columns in order with a person's name for
each, the filters it takes and its order. docs/reports.md#report-names explains each one.

A row is one of :class:`Rows`; a column is an expression over the relations the compiler
(vantage.analytics.activity_compiler) names for that kind of row, listed beside each kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vantage.analytics.room_measures import quiz_answer_right
from vantage.analytics.room_reports import Filter
from vantage.sql.expr import Col, Expr, case, fn


class Rows(Enum):
    """What one row stands for; the aliases its columns may read."""

    GROUP_MESSAGE = "group message"  # m message, lk likes, dl deletion, sr session role, u, e
    PRIVATE_MESSAGE = "private message"  # m message, u sender, r recipient, e
    CHAT_USER = "person's chat"  # a counts per person, u
    QNA_MESSAGE = "Q&A message"  # m message, t thread, mo moderation, u sender, r recipient, e
    CONTEXT = "room's Q&A"  # c thread and message counts per room, e
    POLL_ANSWER = "poll answer"  # m answer, l the poll's launch, u, e
    REGISTRATION = "registration"  # g per person, registration app and virtual event, u
    RSVP = "RSVP"  # g per room and person, u, e
    DOWNLOAD = "download"  # m the download, u, e


@dataclass(frozen=True)
class Column:
    header: str  # the field name
    title: str  # a person's name for it (descriptive headers)
    expr: Expr


@dataclass(frozen=True)
class ActivityReport:
    name: str  # the Reports Microservice's reportName
    title: str  # the dashboard's custom report menu
    rows: Rows
    columns: tuple[Column, ...]
    filters: frozenset[Filter]
    order: tuple[str, ...]  # headers, ascending
    privileged: bool = False  # read only through a KS privilege virtualeventid:<id>

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.columns]


def _cols(*triples: tuple[str, str, Expr]) -> tuple[Column, ...]:
    return tuple(Column(*t) for t in triples)


def _person(alias: str, prefix: str, title: str) -> tuple[tuple[str, str, Expr], ...]:
    """A users row's names and e-mail, as ``<prefix>FirstName`` …"""
    return (
        (f"{prefix}FirstName", f"{title} first name", Col("first_name", alias)),
        (f"{prefix}LastName", f"{title} last name", Col("last_name", alias)),
        (f"{prefix}Email", f"{title} e-mail", Col("email", alias)),
    )


_CONTEXT = (
    ("contextId", "Room ID", Col("entry_id", "m")),
    ("contextName", "Room name", Col("name", "e")),
)
_ROOMS = frozenset({Filter.ENTRY_IDS, Filter.VIRTUAL_EVENT_IDS})
_PEOPLE = _ROOMS | {Filter.USER_IDS}
_PROFILE = (
    ("title", "Title", "title"),
    ("company", "Company", "company"),
    ("industry", "Industry", "industry"),
    ("country", "Country", "country"),
)


def _latest_or_user(column: str) -> Expr:
    """What the person's latest registration form said, else their users row."""
    return fn("coalesce", Col(column, "g"), Col(column, "u"))


REPORTS: dict[str, ActivityReport] = {
    r.name: r
    for r in (
        ActivityReport(
            "groupChatTranscripts",
            "Group Chat Transcripts",
            Rows.GROUP_MESSAGE,
            _cols(
                ("contextId", "Room ID", Col("entry_id", "m")),
                ("userId", "User ID", Col("user_id", "m")),
                *_person("u", "user", "User"),
                (
                    "userRole",
                    "User role",
                    # in a session: their role there; outside one: the users entity's
                    case(
                        (Col("session_id", "m").is_null(), Col("role", "u")),
                        otherwise=fn("coalesce", Col("role", "sr"), "participant"),
                    ),
                ),
                ("messageId", "Message ID", Col("message_id", "m")),
                ("sentAt", "Sent at", Col("time", "m")),
                ("message", "Message", Col("text", "m")),
                ("repliedToMessageId", "Replied to message ID", Col("reply_to_message_id", "m")),
                ("likes", "Likes", fn("coalesce", Col("likes", "lk"), 0)),
                ("deleted", "Deleted", Col("message_id", "dl").not_null()),
                ("subContext", "Sub-context", Col("context_id", "m")),
            ),
            _PEOPLE | {Filter.SESSION_IDS},
            ("sentAt", "contextId", "messageId"),
            privileged=True,
        ),
        ActivityReport(
            "privateTranscripts",
            "Private Chat Transcripts",
            Rows.PRIVATE_MESSAGE,
            _cols(
                *_CONTEXT,
                ("messageId", "Message ID", Col("message_id", "m")),
                ("sentAt", "Sent at", Col("time", "m")),
                ("senderId", "Sender ID", Col("user_id", "m")),
                *_person("u", "sender", "Sender"),
                ("recipientId", "Recipient ID", Col("recipient_user_id", "m")),
                *_person("r", "recipient", "Recipient"),
                ("message", "Message", Col("text", "m")),
            ),
            _PEOPLE | {Filter.SESSION_IDS},
            ("sentAt", "contextId", "messageId"),
            privileged=True,
        ),
        ActivityReport(
            "chatUserActivity",
            "Chat User Activity",
            Rows.CHAT_USER,
            _cols(
                ("userId", "User ID", Col("user_id", "a")),
                ("userEmail", "User e-mail", Col("email", "u")),
                ("connections", "Connections", Col("connections", "a")),
                ("internalReceived", "Internal messages received", Col("internal_received", "a")),
                ("internalSent", "Internal messages sent", Col("internal_sent", "a")),
                ("externalReceived", "External messages received", Col("external_received", "a")),
                ("externalSent", "External messages sent", Col("external_sent", "a")),
            ),
            _ROOMS | {Filter.SESSION_IDS},
            ("userId",),
            privileged=True,
        ),
        ActivityReport(
            "moderatorTranscripts",
            "Moderator Transcript",
            Rows.QNA_MESSAGE,
            _cols(
                *_CONTEXT,
                ("threadId", "Thread ID", Col("thread_id", "m")),
                ("creator", "Creator", Col("creator", "t")),
                ("sender", "Sender", Col("user_id", "m")),
                ("senderEmail", "Sender e-mail", Col("email", "u")),
                ("recipient", "Recipient", Col("recipient", "m")),
                ("recipientEmail", "Recipient e-mail", Col("email", "r")),
                ("message", "Message", Col("text", "m")),
                ("time", "Time", Col("time", "m")),
                ("state", "State", fn("coalesce", Col("state", "mo"), "pending")),
                ("labels", "Labels", fn("coalesce", Col("labels", "mo"), "")),
            ),
            _PEOPLE | {Filter.SESSION_IDS},
            ("time", "contextId", "threadId"),
            privileged=True,
        ),
        ActivityReport(
            "chatModeration",
            "Chat Moderation",
            Rows.CONTEXT,
            _cols(
                ("contextId", "Room ID", Col("entry_id", "c")),
                ("contextName", "Room name", Col("name", "e")),
                ("lastActivity", "Last activity", Col("last_activity", "c")),
                ("pendingThreads", "Pending threads", Col("pending", "c")),
                ("ownedThreads", "Owned threads", Col("owned", "c")),
                ("resolvedThreads", "Resolved threads", Col("resolved", "c")),
                ("doneThreads", "Done threads", Col("done", "c")),
                ("userMessages", "User messages", Col("user_messages", "c")),
                ("moderatorMessages", "Moderator messages", Col("moderator_messages", "c")),
                (
                    "moderatorsOwningResolvedThreads",
                    "Moderators owning resolved threads",
                    Col("owners_resolved", "c"),
                ),
                (
                    "moderatorsOwningUnresolvedThreads",
                    "Moderators owning unresolved threads",
                    Col("owners_unresolved", "c"),
                ),
            ),
            _ROOMS | {Filter.SESSION_IDS},
            ("contextId",),
            privileged=True,
        ),
        ActivityReport(
            "pollsActivity",
            "Polls Activity",
            Rows.POLL_ANSWER,
            _cols(
                ("contextId", "Room ID", Col("entry_id", "m")),
                ("pollId", "Poll ID", Col("poll_id", "m")),
                ("userId", "User ID", Col("user_id", "m")),
                *_person("u", "user", "User"),
                ("question", "Question", Col("question", "l")),
                ("type", "Type", Col("poll_type", "l")),
                ("vote", "Vote", Col("answer", "m")),
                ("voteTime", "Vote time", Col("time", "m")),
                ("visualType", "Visual type", Col("visual_type", "l")),
                ("visualIcon", "Visual icon", Col("visual_icon", "l")),
                (
                    "isCorrect",
                    "Is correct",
                    # quizzes only: as the answer said, else compared with the correct answer
                    case(
                        (
                            Col("poll_type", "l").eq("quiz"),
                            quiz_answer_right(
                                Col("answer", "m"),
                                Col("is_correct", "m"),
                                Col("correct_answer", "l"),
                            ),
                        )
                    ),
                ),
                ("groupPollName", "Group poll name", Col("group_poll_name", "l")),
                ("groupPollId", "Group poll ID", Col("group_poll_id", "l")),
                ("schedulingType", "Scheduling type", Col("scheduling_type", "l")),
                ("schedulingTime", "Scheduling time", Col("launched_at", "l")),
            ),
            _PEOPLE | {Filter.SESSION_IDS},
            ("voteTime", "contextId", "pollId", "userId"),
            privileged=True,
        ),
        ActivityReport(
            "registration",
            "Registrations",
            Rows.REGISTRATION,
            _cols(
                ("userId", "User ID", Col("user_id", "g")),
                ("firstName", "First name", _latest_or_user("first_name")),
                ("lastName", "Last name", _latest_or_user("last_name")),
                ("email", "E-mail", _latest_or_user("email")),
                *((h, t, _latest_or_user(c)) for h, t, c in _PROFILE),
                ("role", "Role", fn("coalesce", Col("job_role", "g"), Col("role", "u"))),
                ("appGuid", "Registration app", Col("app_guid", "g")),
                ("virtualEventId", "Virtual event ID", Col("virtual_event_id", "g")),
                ("entryId", "Entry ID", Col("entry_id", "g")),
                ("registeredAt", "Registered at", Col("registered_at", "g")),
                ("status", "Status", Col("status", "g")),
                ("updatedAt", "Updated at", Col("updated_at", "g")),
            ),
            _PEOPLE | {Filter.APP_GUIDS},
            ("registeredAt", "userId", "appGuid", "virtualEventId"),
        ),
        ActivityReport(
            "rsvp",
            "RSVP",
            Rows.RSVP,
            _cols(
                ("entry_id", "Entry ID", Col("entry_id", "g")),
                ("media_name", "Media name", Col("name", "e")),
                ("first_name", "First name", _latest_or_user("first_name")),
                ("last_name", "Last name", _latest_or_user("last_name")),
                ("title", "Title", _latest_or_user("title")),
                ("company", "Company", _latest_or_user("company")),
                ("email", "E-mail", _latest_or_user("email")),
                ("country", "Country", _latest_or_user("country")),
                ("role", "Role", fn("coalesce", Col("job_role", "g"), Col("role", "u"))),
                ("industry", "Industry", _latest_or_user("industry")),
            ),
            _PEOPLE | {Filter.APP_GUIDS},
            ("entry_id", "email", "first_name", "last_name"),
        ),
        ActivityReport(
            "attachment",
            "Attachment Downloads",
            Rows.DOWNLOAD,
            _cols(
                ("entryId", "Entry ID", Col("entry_id", "m")),
                ("entryName", "Entry name", Col("name", "e")),
                ("attachmentId", "Attachment ID", Col("attachment_id", "m")),
                ("attachmentTitle", "Attachment title", Col("attachment_title", "m")),
                ("userId", "User ID", Col("user_id", "m")),
                *_person("u", "user", "User"),
                ("downloadedAt", "Downloaded at", Col("time", "m")),
            ),
            _PEOPLE | {Filter.SESSION_IDS},
            ("downloadedAt", "entryId", "userId", "attachmentId"),
        ),
    )
}
