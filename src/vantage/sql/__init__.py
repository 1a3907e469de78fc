"""Engine-neutral queries and their SQL for each engine.

``expr`` and ``plan`` describe what to compute; ``functions`` is the short list of functions
a plan may call, each with one meaning; ``prune`` drops the columns a plan computes and never
reads; ``render`` with a dialect (``duckdb``, ``clickhouse``) writes a plan as that engine's
SQL text. Nothing here runs a query.
"""
