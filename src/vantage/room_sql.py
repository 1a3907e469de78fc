"""SQL over room events and people that both report engines use (the room CSV reports in
vantage.reports, the player reports' room facts and user names in vantage.kava), declared once.
"""

from __future__ import annotations

MEETING_ENGAGED = "(tab_focused OR full_screen OR camera_on OR on_stage)"
"""Kaltura's meeting engagement of a presence period, over room event columns."""
QNA_THREAD = "event_type = 'questionAnswerMessageSent' AND message_id = thread_id"
"""A question that opens a Q&A thread (the thread's first message), over room event columns."""


def full_name(alias: str) -> str:
    """A person's "first last" from the users row ``alias``; NULL when they have neither."""
    return f"nullif(trim(concat_ws(' ', {alias}.first_name, {alias}.last_name)), '')"
