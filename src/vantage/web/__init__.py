"""The room analytics dashboard: server-rendered pages over the one analytics core.

Read it in this order: ``cookies`` (the signed session cookie), ``viewer`` (who signed in and
what they may see), ``signin`` (the form and the KS link), ``dates`` (the range and the time
zone a page asks about), ``render`` (templates and number formatting), ``panels`` (what each
panel answers), ``pages`` (the room and category pages, their panels and JSON twins), ``reports``
(the custom report menu's CSV downloads), ``pdf`` (Download Report and the interactions' PDF:
the panels' fragments printed by WeasyPrint) and ``routes``. Every number comes from the
analytics core's panels (``room_panels``, ``recording_panels``, ``session_panels``); this
package only formats and lays them out.
"""
