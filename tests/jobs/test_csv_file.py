"""The CSV writer: its cells, and that a result of any size streams batch by batch to disk."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.jobs.conftest import RunnerFactory
from vantage.csv_cells import guard
from vantage.jobs.csv_file import csv_chunks, write_csv
from vantage.jobs.kinds import JobEnv, Kind, Sink
from vantage.jobs.model import Job


def _file(headers: list[str], *batches: pa.RecordBatch) -> bytes:
    return b"".join(chunk for chunk, _ in csv_chunks(headers, batches))


def test_cells_are_utf8_quoted_guarded_and_iso_times() -> None:
    batch = pa.record_batch(
        {
            "at": pa.array([dt.datetime(2025, 9, 15, 10, 0, 3, 900_000), None], pa.timestamp("us")),
            "yes": [True, False],
            "text": ['=HYPERLINK("x")', 'a, "b"\nc'],
            "n": [-5, None],
            "name": ["Zoë", "+33 1 23"],
        }
    )
    data = _file(["at", "yes", "text", "n", "@name"], batch)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode(), newline="")))
    assert rows == [
        ["at", "yes", "text", "n", "'@name"],
        ["2025-09-15T10:00:03Z", "true", '\'=HYPERLINK("x")', "-5", "Zoë"],
        ["", "false", 'a, "b"\nc', "", "'+33 1 23"],
    ]
    assert data.count(b"\r\n") == 3  # RFC 4180 line ends; the line break inside a cell stays


_CELL = st.none() | st.text(alphabet=st.sampled_from("ab ,\"\r\n=+-@\t'1.éẞ"), max_size=8)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1)
    )
)
def test_lines_are_what_pythons_csv_writes(rows: list[list[str | None]]) -> None:
    """Arrow's kernels write each row as the csv module writes the guarded row."""
    columns = {f"c{i}": pa.array([r[i] for r in rows], pa.string()) for i in range(len(rows[0]))}
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows(
        [[None if v is None else guard(v) for v in row] for row in rows]
    )
    written = _file(list(columns), pa.record_batch(columns)).decode()
    assert written.split("\r\n", 1)[1] == expected.getvalue()
    parsed = list(csv.reader(io.StringIO(written[1:], newline="")))[1:]
    assert parsed == [["" if v is None else guard(v) for v in row] for row in rows]


def test_an_aware_time_is_written_in_utc() -> None:
    paris = dt.timezone(dt.timedelta(hours=2))
    at = pa.array([dt.datetime(2025, 9, 15, 12, 0, 3, tzinfo=paris)], pa.timestamp("ms", "+02:00"))
    assert _file(["at"], pa.record_batch({"at": at})).endswith(b"2025-09-15T10:00:03Z\r\n")


def test_a_large_result_streams_to_disk_batch_by_batch(make_runner: RunnerFactory) -> None:
    """Each batch is on its way to the file before the next one is made: the writer never
    holds more than one batch (flat memory, no row cap)."""
    batches, rows_per_batch = 200, 5_000
    written_when_made: list[int] = []
    sinks: list[Sink] = []

    def produce() -> Iterator[pa.RecordBatch]:
        for b in range(batches):
            written_when_made.append(_rows(sinks[0]))
            yield pa.record_batch(
                {"i": pa.array(range(b * rows_per_batch, (b + 1) * rows_per_batch))}
            )

    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        sinks.append(sink)
        write_csv(["i"], produce(), sink)

    runner = make_runner(Kind("big", write))
    job = runner.submit("big", 101, "", {})
    runner.run_once()
    assert written_when_made == [b * rows_per_batch for b in range(batches)]
    done = runner.get(job.id, 101)
    assert done is not None and done.rows_written == batches * rows_per_batch
    with open(runner.path_of(done), "rb") as fh:
        assert sum(1 for _ in fh) == batches * rows_per_batch + 1


def _rows(sink: Sink) -> int:
    return int(sink.rows)  # type: ignore[attr-defined]


def test_writing_stops_when_cancelled() -> None:
    class Out:
        def __init__(self) -> None:
            self.chunks: list[bytes] = []

        def write(self, data: bytes) -> None:
            self.chunks.append(data)

        def add_rows(self, n: int) -> None:
            pass

        def cancelled(self) -> bool:
            return len(self.chunks) >= 2

    out = Out()
    many = (pa.record_batch({"i": [i]}) for i in range(10))
    assert write_csv(["i"], many, out) is False
    assert len(out.chunks) == 2


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.none() | st.text(max_size=12), st.none() | st.text(max_size=12)),
        min_size=1,
        max_size=20,
    )
)
def test_any_text_reads_back_as_guarded(rows: list[tuple[str | None, str | None]]) -> None:
    """Whatever the cells hold (quotes, commas, line breaks, any character), a CSV reader gets
    back each cell as the formula guard leaves it, and an empty cell for None."""
    batch = pa.record_batch({"a": [r[0] for r in rows], "b": [r[1] for r in rows]})
    text = _file(["a", "b"], batch)[3:].decode()
    got = list(csv.reader(io.StringIO(text, newline="")))
    assert got == [["a", "b"], *([guard(v) if v else "" for v in r] for r in rows)]
