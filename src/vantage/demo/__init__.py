"""Deterministic demo data: a whole school's entities, room events and player beacons
(``vantage demo``).

Where things are, in the order the generator uses them:

* ``generator`` — ``generate``: plan the school, store its entities, write its events.
* Planning, all done before any event is made:
  ``clock`` time units and the window, ``streams`` seeded random streams, ``ids`` entry and
  session ids, ``specs`` what each course and virtual event is, ``sizing`` how many courses
  make a requested event count, ``people`` users and their habits, ``build`` the whole plan,
  with ``planner`` (what is planned so far), ``courses``, ``virtual_events`` and
  ``summer_school``; ``school`` holds the resulting plan's types.
* Events: ``units`` turns one planned unit into events: ``registrations`` before it and
  ``session``, which uses ``attendance``, ``breakouts``, ``presence`` (heartbeats),
  ``live`` (what a session's parts share) and one module per kind of activity:
  ``engagement``, ``chat``, ``reactions``, ``polls``, ``questions``, ``attachments``.
  ``frame`` collects the rows into an Arrow table.
* Player beacons, after the room events: ``media`` plans the library (uploads, recordings of
  the sessions that took place, live streams), ``audience`` the enriched pools of addresses,
  agents and pages, ``player`` writes batches of page loads: ``watching`` plans what each viewer
  does, ``beacons`` turns that into what a web player sends, ``beacon_frame`` into an Arrow
  table. ``delays`` says how late the server gets events, room or player.
* Fixed words: ``names`` (people, places, courses, events) and ``texts`` (what people type).
"""

from vantage.demo.generator import DemoSummary, generate

__all__ = ["DemoSummary", "generate"]
