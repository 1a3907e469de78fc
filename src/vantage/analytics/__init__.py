"""The one analytics core: every report Vantage answers, on either engine.

Read it in this order:

* what a report is: ``report_types`` (Kaltura's numbered report types, rows per dimension or
  date), ``room_reports`` (the room CSV reports, rows per session, attendee or user),
  ``activity_reports`` (the Reports Microservice's chat & collaboration and registration
  reports, rows per message, answer, person or room), ``room_panels`` (the dashboard's panels,
  over report types 60001, 60002 and 60010) and ``recording_panels`` (its recordings, over
  60005 and 60012), built from ``metrics``,
  ``room_metrics``, ``dimensions`` and ``filters``, over the facts of
  ``vantage.player.facts``, ``room_facts`` and ``lifecycle_facts`` and the measures of
  ``room_measures``; ``session_panels`` declares the room dashboard's per-minute panels (live
  timeline, heatmap, interactions) and the rows they answer;
* what is asked: ``period`` (the one date and time-zone rule) and ``query``; ``catalog`` names
  the reports a job or the dashboard asks for and reads their parameters;
* how it is planned: ``compiler`` and ``usage`` (report types), ``room_compiler`` (room
  reports), ``activity_compiler`` (activity reports; its Q&A rows ``qna_relations``) and
  ``panel_compiler`` (session panels; the relations the last three share are ``relations``)
  turn a query into an engine-neutral plan (``vantage.sql``), which each engine writes in its
  own SQL;
* how it runs: ``run``, which returns plain typed values (a session panel's as the rows
  ``session_panels`` declares). Kaltura's wire formatting (number printing, empty cells, date
  labels, delimiters) is ``vantage.kaltura``'s job.
"""
