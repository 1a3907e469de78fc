"""A process that dies (a crash, kill -9) loses nothing and does nothing twice: simulated here by
leaving the table and files as a dead process would and starting a new runner on them."""

from __future__ import annotations

import time
from collections import Counter

from tests.jobs.conftest import RunnerFactory
from vantage.jobs.kinds import DeliveryRefused, JobEnv, Kind, Sink
from vantage.jobs.model import Job


def _counting(runs: Counter[str], delivered: Counter[str] | None = None) -> Kind:
    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        runs[job.id] += 1
        sink.write(b"whole\n")
        sink.add_rows(1)

    def deliver(env: JobEnv, job: Job) -> None:
        assert delivered is not None
        delivered[job.id] += 1

    return Kind("k", write, deliver if delivered is not None else None)


def _drain(runner) -> None:  # type: ignore[no-untyped-def]
    while runner.run_once():
        pass


def test_a_job_left_in_progress_runs_again_exactly_once(make_runner: RunnerFactory) -> None:
    runs: Counter[str] = Counter()
    dead = make_runner(_counting(runs))
    job = dead.submit("k", 101, "", {})
    claimed = dead.queue.claim(time.time())  # the dead process had claimed it…
    assert claimed is not None and claimed.id == job.id
    folder = dead.directory / "101"
    folder.mkdir()
    (folder / f"{job.id}.csv.partial").write_bytes(b"half a fi")  # …and written some of it
    (folder / f"{job.id}.csv").write_bytes(b"renamed but not committed")

    alive = make_runner(_counting(runs))
    alive.start(0)
    assert [p.name for p in folder.iterdir()] == []
    _drain(alive)
    done = alive.get(job.id, 101)
    assert done is not None and done.state == "completed"
    assert runs == {job.id: 1}
    assert alive.path_of(done).read_bytes() == b"whole\n"

    again = make_runner(_counting(runs))
    again.start(0)
    _drain(again)
    assert runs == {job.id: 1}  # a completed job is never run again
    assert again.path_of(done).read_bytes() == b"whole\n"


def test_pending_jobs_survive_a_restart(make_runner: RunnerFactory) -> None:
    runs: Counter[str] = Counter()
    jobs = [make_runner(_counting(runs)).submit("k", 101, "", {}) for _ in range(3)]
    alive = make_runner(_counting(runs))
    alive.start(0)
    _drain(alive)
    assert runs == {j.id: 1 for j in jobs}


def test_a_delivery_is_retried_on_its_own_and_never_repeated(make_runner: RunnerFactory) -> None:
    runs: Counter[str] = Counter()
    tries: Counter[str] = Counter()

    def write(env: JobEnv, job: Job, sink: Sink) -> None:
        runs[job.id] += 1
        sink.write(b"x")

    def deliver(env: JobEnv, job: Job) -> None:
        tries[job.id] += 1
        if tries[job.id] < 3:
            raise OSError("mail server down")

    runner = make_runner(Kind("k", write, deliver), delivery_backoff_s=0.0)
    job = runner.submit("k", 101, "", {})
    _drain(runner)
    done = runner.get(job.id, 101)
    assert done is not None
    assert (done.state, done.delivery, done.delivery_attempts) == ("completed", "done", 3)
    assert runs == {job.id: 1} and tries == {job.id: 3}

    restarted = make_runner(Kind("k", write, deliver), delivery_backoff_s=0.0)
    restarted.start(0)
    _drain(restarted)
    assert runs == {job.id: 1} and tries == {job.id: 3}


def test_a_delivery_that_keeps_failing_fails_with_its_error(make_runner: RunnerFactory) -> None:
    def deliver(env: JobEnv, job: Job) -> None:
        raise OSError("mailbox unavailable")

    runner = make_runner(
        Kind("k", lambda env, job, sink: None, deliver),
        delivery_backoff_s=0.0,
        delivery_attempts=2,
    )
    job = runner.submit("k", 101, "", {})
    _drain(runner)
    done = runner.get(job.id, 101)
    assert done is not None
    assert (done.state, done.delivery, done.delivery_attempts) == ("completed", "failed", 2)
    assert done.delivery_error == "mailbox unavailable"


def test_a_refused_delivery_is_not_tried_again(make_runner: RunnerFactory) -> None:
    def deliver(env: JobEnv, job: Job) -> None:
        raise DeliveryRefused("550 no such mailbox")

    runner = make_runner(
        Kind("k", lambda env, job, sink: None, deliver),
        delivery_backoff_s=0.0,
        delivery_attempts=4,
    )
    job = runner.submit("k", 101, "", {})
    _drain(runner)
    done = runner.get(job.id, 101)
    assert done is not None
    assert (done.delivery, done.delivery_attempts) == ("failed", 1)
    assert done.delivery_error == "550 no such mailbox"


def test_a_delivery_a_dead_process_held_is_made_again(make_runner: RunnerFactory) -> None:
    runs: Counter[str] = Counter()
    delivered: Counter[str] = Counter()
    dead = make_runner(_counting(runs, delivered))
    job = dead.submit("k", 101, "", {})
    claimed = dead.queue.claim(time.time())
    assert claimed is not None
    dead.kinds["k"].write(dead.env, claimed, _Null())
    dead.queue.complete(job.id, f"{job.id}.csv", 1, time.time(), time.time() + 60, "pending")
    held = dead.queue.claim_delivery(time.time(), time.time() + 3600)  # then it died sending
    assert held is not None and held.delivery_attempts == 1

    alive = make_runner(_counting(runs, delivered))
    assert not alive.run_once()  # the lease holds while its holder might be alive…
    alive.start(0)  # …but a start knows it is not
    _drain(alive)
    assert runs == {job.id: 1} and delivered == {job.id: 1}
    done = alive.queue.get(job.id)
    assert done is not None and (done.delivery, done.delivery_attempts) == ("done", 2)


class _Null:
    def write(self, data: bytes) -> None:
        pass

    def add_rows(self, n: int) -> None:
        pass

    def cancelled(self) -> bool:
        return False
