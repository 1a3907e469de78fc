"""The job runner: durable submission, the state machine, cancel, expiry, progress, delivery."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.jobs.conftest import RunnerFactory
from vantage.jobs import result_file
from vantage.jobs import runner as runner_module
from vantage.jobs.kinds import JobEnv, JobFailed, Kind, Sink
from vantage.jobs.model import Job
from vantage.jobs.queue import JobQueue
from vantage.jobs.runner import DATABASE, Runner, TooManyJobs, UnknownKind, store_folder


def _lines(n: int) -> Kind:
    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        for i in range(n):
            sink.write(f"line {i}\n".encode())
            sink.add_rows(1)

    return Kind("lines", write)


def _failing(exc: Exception) -> Kind:
    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        sink.write(b"half")
        raise exc

    return Kind("failing", write)


def _drain(runner: Runner) -> None:
    while runner.run_once():
        pass


def test_a_submitted_job_is_on_disk_before_submit_returns(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(3))
    job = runner.submit("lines", 101, "alice", {"n": 3})
    other = JobQueue(runner.directory / DATABASE)  # another connection sees it committed
    stored = other.get(job.id)
    other.close()
    assert stored == job
    assert (stored.state, stored.request, stored.user_id) == ("pending", {"n": 3}, "alice")
    assert len(job.id) >= 22 and job.id.replace("-", "").replace("_", "").isalnum()


def test_unknown_kinds_are_refused(make_runner: RunnerFactory) -> None:
    with pytest.raises(UnknownKind):
        make_runner(_lines(1)).submit("nope", 101, "", {})


def test_a_partner_has_at_most_so_many_jobs_waiting(
    make_runner: RunnerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "MAX_ACTIVE_PER_PARTNER", 2)
    runner = make_runner(_lines(1))
    runner.submit("lines", 101, "", {})
    runner.submit("lines", 101, "", {})
    with pytest.raises(TooManyJobs):
        runner.submit("lines", 101, "", {})
    runner.submit("lines", 102, "", {})  # another partner's queue is its own
    runner.run_once()
    runner.submit("lines", 101, "", {})  # one finished: room for one more


def test_a_job_runs_to_a_whole_file(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(3))
    job = runner.submit("lines", 101, "", {})
    assert runner.run_once() and not runner.run_once()
    done = runner.get(job.id, 101)
    assert done is not None
    assert (done.state, done.rows_written, done.error, done.delivery) == (
        "completed",
        3,
        None,
        "none",
    )
    assert done.started_at and done.finished_at and done.expires_at
    assert done.expires_at == pytest.approx(done.finished_at + 7 * 86_400)
    path = runner.path_of(done)
    assert path == runner.directory / "101" / f"{job.id}.csv"
    assert path.read_text() == "line 0\nline 1\nline 2\n"
    assert not list(path.parent.glob("*.partial"))


def test_another_partners_job_is_unknown(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(1))
    job = runner.submit("lines", 101, "", {})
    assert runner.get(job.id, 102) is None
    assert runner.cancel(job.id, 102) is None
    assert runner.get(job.id, 101) is not None
    assert runner.get("made-up", 101) is None


@pytest.mark.parametrize(
    ("exc", "error"),
    [
        (JobFailed("no such virtual event"), "no such virtual event"),
        (RuntimeError("secret detail"), "the job failed on the server; see its log"),
    ],
)
def test_a_failing_job_fails_with_its_error_and_leaves_no_file(
    make_runner: RunnerFactory, exc: Exception, error: str
) -> None:
    runner = make_runner(_failing(exc))
    job = runner.submit("failing", 101, "", {})
    _drain(runner)
    failed = runner.get(job.id, 101)
    assert failed is not None and (failed.state, failed.error) == ("failed", error)
    assert not list((runner.directory / "101").iterdir())


def test_a_result_file_that_cannot_be_written_fails_the_job(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(1))
    job = runner.submit("lines", 101, "", {})
    (runner.directory / "101").write_text("a file where the partner's folder should be")
    assert runner.run_once()
    failed = runner.get(job.id, 101)
    assert failed is not None and failed.state == "failed"
    assert failed.error == "the server could not write the result file"


def test_a_pending_job_cancelled_never_runs(make_runner: RunnerFactory) -> None:
    ran = []
    runner = make_runner(Kind("k", lambda env, job, sink: ran.append(job.id)))
    job = runner.submit("k", 101, "", {})
    cancelled = runner.cancel(job.id, 101)
    assert cancelled is not None and (cancelled.state, cancelled.error) == ("failed", "cancelled")
    assert not runner.run_once() and not ran


def test_a_running_job_cancelled_stops_between_batches(make_runner: RunnerFactory) -> None:
    written = []
    runner: Runner

    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        for i in range(100):
            if sink.cancelled():
                return
            sink.write(b"x")
            written.append(i)
            if i == 2:
                runner.cancel(job.id, job.partner_id)

    runner = make_runner(Kind("k", write))
    job = runner.submit("k", 101, "", {})
    runner.run_once()
    assert written == [0, 1, 2]
    done = runner.get(job.id, 101)
    assert done is not None and (done.state, done.error, done.file) == ("failed", "cancelled", None)
    assert not list((runner.directory / "101").iterdir())


def test_a_done_job_cannot_be_cancelled(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(1))
    job = runner.submit("lines", 101, "", {})
    _drain(runner)
    after = runner.cancel(job.id, 101)
    assert after is not None and after.state == "completed"
    assert runner.path_of(after).exists()


def test_results_expire_after_the_keep_days(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(1))
    job = runner.submit("lines", 101, "", {})
    _drain(runner)
    done = runner.get(job.id, 101)
    assert done is not None and done.expires_at is not None
    assert runner.sweep(done.expires_at - 1) == 0 and runner.path_of(done).exists()
    assert runner.sweep(done.expires_at + 1) == 1
    gone = runner.get(job.id, 101)
    assert gone is not None and gone.expired and gone.state == "completed"
    assert not runner.path_of(gone).exists()
    assert runner.sweep(done.expires_at + 2) == 0


def test_progress_is_visible_while_the_job_runs(
    make_runner: RunnerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(result_file, "PROGRESS_EVERY_S", 0.0)
    seen = []
    runner: Runner

    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        for _ in range(3):
            sink.write(b"row\n" * 10)
            sink.add_rows(10)
            now = runner.get(job.id, job.partner_id)
            assert now is not None
            seen.append((now.state, now.rows_written))

    runner = make_runner(Kind("k", write))
    runner.submit("k", 101, "", {})
    runner.run_once()
    assert seen == [("in_progress", 10), ("in_progress", 20), ("in_progress", 30)]


def test_workers_run_jobs_in_the_background(make_runner: RunnerFactory) -> None:
    runner = make_runner(_lines(5))
    runner.start(2)
    jobs = [runner.submit("lines", 101, "", {}) for _ in range(6)]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        states = {runner.get(j.id, 101).state for j in jobs}  # type: ignore[union-attr]
        if states == {"completed"}:
            break
        time.sleep(0.05)
    assert states == {"completed"}


def test_stopping_puts_a_running_job_back_to_pending(make_runner: RunnerFactory) -> None:
    started = threading.Event()

    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        sink.write(b"partial")
        started.set()
        while not sink.cancelled():
            time.sleep(0.01)

    runner = make_runner(Kind("slow", write))
    runner.start(1)
    job = runner.submit("slow", 101, "", {})
    assert started.wait(10)
    runner.stop(wait_s=10)
    stored = JobQueue(runner.directory / DATABASE).get(job.id)
    assert stored is not None and stored.state == "pending"
    assert not list(Path(runner.directory / "101").iterdir())


def test_each_store_keeps_its_jobs_apart_in_one_jobs_dir(tmp_path: Path) -> None:
    """Two servers on different stores started from one folder share the default jobs_dir:
    each must see only its own store's jobs (else each ran the other's on its own store)."""
    here = store_folder(str(tmp_path / "a.duckdb"))
    assert store_folder(f"duckdb:{tmp_path / 'a.duckdb'}") == here  # one store, two spellings
    assert store_folder(str(tmp_path / "b.duckdb")) != here
    assert store_folder(f"chdb:{tmp_path / 'a.duckdb'}") != here
    server = store_folder("clickhouse://u:secret@db.example:8123/vantage")
    assert server == store_folder(
        "clickhouse://u:other@db.example:8123/vantage"
    )  # not the password
    assert server != store_folder("clickhouse://u:secret@db.example:8123/other")
