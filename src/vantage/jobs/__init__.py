"""Report jobs: requests stored durably, run by a pool of worker threads, their results kept as
files for a while.

``model`` is a job, ``kinds`` what a kind of job is and may use, ``queue`` the SQLite table of
jobs (every statement), ``result_file`` a result written whole or not at all, ``runner`` the
pool, ``csv_file`` the CSV writer and ``report`` the kind that runs a report of the catalog.
"""
