"""The player facts as stored (merged per keys) and as the beacons give them again, as DuckDB
SQL: the two must hold the same rows."""

from vantage.player import facts
from vantage.sql.duckdb import DuckDB
from vantage.sql.plan import Table

STORED = DuckDB().sql(facts.combined(Table("player_facts")))
FRESH = DuckDB().sql(facts.aggregate(Table("player_events")))
