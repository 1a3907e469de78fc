"""The room-event vocabulary: every event type Vantage accepts, declared once.

Each class below is one event type. Its tag is the JSON ``type`` value, its fields (camelCase on
the wire, snake_case as store columns) are the type's fields, and its docstring is what
docs/events.md says about it. Names follow Kaltura's own event names where Kaltura has one
(``joinSession``, ``viewPeriod``, ``raiseHand``, ``reactionClicked``, ``groupMessageSent`` …);
the rest are ours. Adding an event type means adding a class here and its columns in a migration.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Union

import msgspec

from vantage.devices import Device
from vantage.storable import Int64, Natural

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Text = Annotated[str, msgspec.Meta(max_length=20_000)]
Name = Annotated[str, msgspec.Meta(max_length=512)]
# A country's English name as the player enrichment's GeoLite2 database gives it ("Netherlands",
# "South Korea"): printable, no space at either end.
Country = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[^\x00-\x20\x7f](?:[^\x00-\x1f\x7f]*[^\x00-\x20\x7f])?$",
    ),
]
# Unix seconds (fractions allowed) or an RFC 3339 timestamp with its UTC offset.
Timestamp = int | float | dt.datetime

VIEW_PERIOD_SECONDS = 10.0


class Role(StrEnum):
    """A person's role in one session."""

    HOST = "host"
    MODERATOR = "moderator"  # Kaltura calls this co-host in some products
    SPEAKER = "speaker"
    PARTICIPANT = "participant"


class Reaction(StrEnum):
    CLAP = "clap"
    HEART = "heart"
    THINK = "think"
    WOW = "wow"
    SMILE = "smile"


class PollType(StrEnum):
    POLL = "poll"
    QUIZ = "quiz"
    RATING_SCALE = "ratingScale"
    OPEN = "open"
    CROWD_VOTE = "crowdVote"


class SchedulingType(StrEnum):
    """How a poll came to be launched."""

    MANUAL = "manual"  # by a moderator, there and then
    SCHEDULED = "scheduled"  # automatically, at a time planned beforehand


class ThreadAction(StrEnum):
    OWNED = "owned"
    RESOLVED = "resolved"
    DONE = "done"
    LABELED = "labeled"  # the thread's labels were set (``labels``)


class RoomEvent(
    msgspec.Struct,
    kw_only=True,
    frozen=True,
    tag_field="type",
    forbid_unknown_fields=True,
    rename="camel",
):
    """Fields every event carries."""

    event_id: Id | None = None
    """Client-chosen id; an event sent again with the same id and time is stored once."""
    partner_id: Natural
    """Partner (account) the event belongs to."""
    entry_id: Id
    """Room (or breakout room) entry the event happened in."""
    session_id: Id | None = None
    """Room session (Kaltura cue point id), for events that happen inside a session."""
    user_id: Id
    """Partner-scoped id of the person who acted."""
    time: Timestamp
    """When it happened: unix seconds or an RFC 3339 timestamp with offset."""
    virtual_event_id: Int64 | None = None
    """Virtual event the room belongs to, when the sender knows it."""


class SessionEvent(RoomEvent, kw_only=True, frozen=True):
    """An event that only happens inside a room session."""

    session_id: Id


# --- session lifecycle and presence ------------------------------------------------------------


class SessionStarted(SessionEvent, tag="sessionStarted", kw_only=True, frozen=True):
    """A room session began; ``userId`` is the host who started it."""


class SessionEnded(SessionEvent, tag="sessionEnded", kw_only=True, frozen=True):
    """A room session ended; ``userId`` is who ended it."""


class JoinSession(SessionEvent, tag="joinSession", kw_only=True, frozen=True):
    """A person joined a session (again, after a reconnect)."""

    role: Role = Role.PARTICIPANT
    """The person's role in this session."""
    device: Device | None = None
    """The class of the person's client for this join, named as the player enrichment names a
    viewer's (``Computer``, ``Mobile``, ``Tablet`` …); absent when unknown."""
    country: Country | None = None
    """Where the person joined from: the country's English name, as the player enrichment names
    a viewer's (``Germany``); absent when unknown."""


class LeaveSession(SessionEvent, tag="leaveSession", kw_only=True, frozen=True):
    """A person left a session or lost the connection."""


class ViewPeriod(SessionEvent, tag="viewPeriod", kw_only=True, frozen=True):
    """Presence heartbeat, sent every 10 seconds while a person is in a session, with the
    engagement state of those seconds (Kaltura's meeting ``viewPeriod``)."""

    view_time: Annotated[float, msgspec.Meta(gt=0, le=VIEW_PERIOD_SECONDS)] = VIEW_PERIOD_SECONDS
    """Seconds of presence this heartbeat stands for (0 < viewTime <= 10)."""
    tab_focused: bool
    """The room's browser tab had focus."""
    sound_on: bool
    """The room's sound was on."""
    mic_unmuted: bool
    """The person's microphone was unmuted."""
    camera_on: bool
    """The person's camera was on."""
    full_screen: bool
    """The room was shown full screen."""
    on_stage: bool
    """The person was on stage."""


# --- interactions ------------------------------------------------------------------------------


class ReactionClicked(SessionEvent, tag="reactionClicked", kw_only=True, frozen=True):
    """A person sent a reaction."""

    reaction: Reaction


class RaiseHand(SessionEvent, tag="raiseHand", kw_only=True, frozen=True):
    """A person raised their hand."""


class MicTurnedOn(SessionEvent, tag="micTurnedOn", kw_only=True, frozen=True):
    """A person unmuted their microphone."""


class CameraTurnedOn(SessionEvent, tag="cameraTurnedOn", kw_only=True, frozen=True):
    """A person turned their camera on."""


# --- chat, Q&A ---------------------------------------------------------------------------------


class GroupMessageSent(RoomEvent, tag="groupMessageSent", kw_only=True, frozen=True):
    """A message to the room's group chat."""

    message_id: Id
    text: Text
    reply_to_message_id: Id | None = None
    """The message this one replies to."""
    context_id: Id | None = None
    """Sub-context of the chat, such as the breakout room entry it was sent in."""


class MessageLiked(RoomEvent, tag="messageLiked", kw_only=True, frozen=True):
    """A person liked a group message."""

    message_id: Id


class GroupMessageDeleted(RoomEvent, tag="groupMessageDeleted", kw_only=True, frozen=True):
    """A group message was deleted; ``userId`` is who deleted it."""

    message_id: Id


class PrivateMessageSent(RoomEvent, tag="privateMessageSent", kw_only=True, frozen=True):
    """A private message from ``userId`` to ``recipientUserId``."""

    message_id: Id
    recipient_user_id: Id
    text: Text


class QuestionAnswerMessageSent(
    RoomEvent, tag="questionAnswerMessageSent", kw_only=True, frozen=True
):
    """A Q&A message. The message whose ``messageId`` equals its ``threadId`` opens the thread
    (the question); the others answer it."""

    message_id: Id
    thread_id: Id
    text: Text


class QuestionThreadModerated(RoomEvent, tag="questionThreadModerated", kw_only=True, frozen=True):
    """A moderator (``userId``) acted on a Q&A thread."""

    thread_id: Id
    action: ThreadAction
    labels: Annotated[list[Name], msgspec.Meta(max_length=20)] = []
    """The thread's labels after this action; read only when ``action`` is ``labeled`` (an empty
    list clears them)."""


# --- polls and quizzes -------------------------------------------------------------------------


class PollLaunched(RoomEvent, tag="pollLaunched", kw_only=True, frozen=True):
    """A poll or quiz question was put to the room."""

    poll_id: Id
    question: Text
    poll_type: PollType
    options: Annotated[list[Name], msgspec.Meta(max_length=100)] = []
    """The choices offered (empty for open questions)."""
    correct_answer: Name | None = None
    """The right choice, for quizzes."""
    visual_type: Name | None = None
    """How the results are shown, such as ``bar``, ``pie`` or ``wordCloud``."""
    visual_icon: Name | None = None
    """The poll's icon: an icon name or URL."""
    group_poll_id: Id | None = None
    """The group of questions the poll belongs to, such as a quiz of several questions or a
    survey."""
    group_poll_name: Name | None = None
    """The name of that group."""
    scheduling_type: SchedulingType | None = None
    """How the poll was launched, ``manual`` or ``scheduled``; absent when unknown."""


class PollAnswered(RoomEvent, tag="pollAnswered", kw_only=True, frozen=True):
    """A person answered a poll or quiz question."""

    poll_id: Id
    answer: Text
    is_correct: bool | None = None
    """Whether the answer was right (quizzes only)."""


# --- attachments, calendar, registration -------------------------------------------------------


class DownloadAttachmentClicked(
    RoomEvent, tag="downloadAttachmentClicked", kw_only=True, frozen=True
):
    """A person downloaded an attachment of the room."""

    attachment_id: Id
    attachment_title: Name = ""


class AddToCalendarClicked(RoomEvent, tag="addToCalendarClicked", kw_only=True, frozen=True):
    """A person added the room or session to their calendar."""


class Registered(RoomEvent, tag="registered", kw_only=True, frozen=True):
    """A person registered (RSVP'd) for the room or event, with the registration form's fields."""

    first_name: Name | None = None
    last_name: Name | None = None
    email: Name | None = None
    title: Name | None = None
    company: Name | None = None
    industry: Name | None = None
    country: Name | None = None
    job_role: Name | None = None
    """The role or job function the form asked for (the RSVP report's ``role``)."""
    app_guid: Id | None = None
    """The registration app (event site) the form belongs to; Kaltura's Reports Microservice
    selects registrations by it."""


class Unregistered(RoomEvent, tag="unregistered", kw_only=True, frozen=True):
    """A person withdrew their registration."""

    app_guid: Id | None = None
    """The registration app (event site) the registration belonged to."""


EVENT_TYPES: tuple[type[RoomEvent], ...] = (
    SessionStarted,
    SessionEnded,
    JoinSession,
    LeaveSession,
    ViewPeriod,
    ReactionClicked,
    RaiseHand,
    MicTurnedOn,
    CameraTurnedOn,
    GroupMessageSent,
    MessageLiked,
    GroupMessageDeleted,
    PrivateMessageSent,
    QuestionAnswerMessageSent,
    QuestionThreadModerated,
    PollLaunched,
    PollAnswered,
    DownloadAttachmentClicked,
    AddToCalendarClicked,
    Registered,
    Unregistered,
)

# The tagged union the decoder takes, built from the one list above.
AnyEvent = Union[EVENT_TYPES]  # type: ignore[valid-type]  # noqa: UP007


def type_name(cls: type[RoomEvent]) -> str:
    tag = cls.__struct_config__.tag
    assert isinstance(tag, str)
    return tag


BY_NAME: dict[str, type[RoomEvent]] = {type_name(cls): cls for cls in EVENT_TYPES}
