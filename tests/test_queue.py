"""The durable queue: dedupe, coalescing, supersede, ordering per PR, bulkheads, leases, retries, dead letters."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.jobs.queue import JobSpec, SQLiteQueue


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


OPTIONS = {"lease_seconds": 60, "max_attempts": 3, "retry_base": 2, "retry_max": 10, "per_installation": 2}


@pytest.fixture(params=["sqlite", "redis"])
def queue(request, tmp_path: Path, clock: Clock):
    if request.param == "sqlite":
        q = SQLiteQueue(tmp_path / "q.sqlite3", clock=clock, **OPTIONS)
    else:
        import uuid

        from bot.jobs.redis_queue import RedisQueue

        q = RedisQueue(request.getfixturevalue("redis_url"), clock=clock, prefix=f"t{uuid.uuid4().hex[:8]}:", **OPTIONS)
    yield q
    q.close()


def test_open_queue_picks_the_backend_from_the_url(tmp_path: Path, redis_url: str) -> None:
    from bot.errors import ConfigError
    from bot.jobs.queue import open_queue
    from bot.jobs.redis_queue import RedisQueue

    sqlite = open_queue(None, tmp_path)
    redis_q = open_queue(redis_url, tmp_path)
    try:
        assert isinstance(sqlite, SQLiteQueue) and (tmp_path / "queue.sqlite3").exists()
        assert isinstance(redis_q, RedisQueue)
        redis_q.ping()
    finally:
        sqlite.close()
        redis_q.close()
    with pytest.raises(ConfigError, match="unsupported scheme 'amqp'") as raised:
        open_queue("amqp://user:secret@host", tmp_path)
    assert "secret" not in str(raised.value)


def review(repo: str = "o/r", number: int = 1, head: str = "a" * 40, inst: str = "1", force: bool = False) -> JobSpec:
    key = f"{repo}#{number}"
    return JobSpec("review", key, {"repo": repo, "number": number}, installation=inst, coalesce_key=key, head_sha=head, force=force)


def test_a_delivery_id_is_queued_once(queue) -> None:
    first = queue.enqueue("d1", "pull_request", [review()])
    again = queue.enqueue("d1", "pull_request", [review()])
    assert first.status == "queued" and len(first.job_ids) == 1
    assert again.status == "duplicate" and again.job_ids == ()
    assert queue.depth()["queued"] == 1


def test_same_head_coalesces_and_newer_head_supersedes(queue) -> None:
    a = queue.enqueue("d1", "pull_request", [review(head="a" * 40)])
    b = queue.enqueue("d2", "pull_request", [review(head="a" * 40)])
    assert b.status == "coalesced" and b.job_ids == a.job_ids
    c = queue.enqueue("d3", "pull_request", [review(head="b" * 40)])
    assert c.status == "queued"
    rows = {r["id"]: r for r in queue.jobs()}
    assert rows[a.job_ids[0]]["status"] == "superseded"
    job = queue.claim()
    assert job is not None and job.head_sha == "b" * 40
    assert queue.claim() is None


def test_a_running_job_learns_it_was_superseded(queue) -> None:
    queue.enqueue("d1", "pull_request", [review(head="a" * 40)])
    job = queue.claim()
    assert job is not None and not queue.superseded(job)
    queue.enqueue("d2", "pull_request", [review(head="b" * 40)])
    assert queue.superseded(job)


def test_one_job_per_pr_at_a_time_and_a_bulkhead_per_installation(queue) -> None:
    queue.enqueue("d1", "issue_comment", [JobSpec("command", "o/r#1", {}, installation="1")])
    queue.enqueue("d2", "issue_comment", [JobSpec("command", "o/r#1", {}, installation="1")])
    for n in (2, 3, 4):
        queue.enqueue(f"e{n}", "pull_request", [review(number=n, inst="1")])
    queue.enqueue("f", "pull_request", [review(repo="x/y", number=9, inst="2")])
    claimed = [queue.claim() for _ in range(4)]
    keys = [j.key for j in claimed if j is not None]
    # the second command of o/r#1 waits for the first; installation 1 runs at most 2 jobs; installation 2 is not starved
    assert keys == ["o/r#1", "o/r#2", "x/y#9"]
    assert claimed[3] is None


def test_transient_failures_back_off_then_dead_letter_with_reason(queue, clock: Clock) -> None:
    queue.enqueue("d1", "pull_request", [review()])
    job = queue.claim()
    assert job is not None
    assert queue.fail(job, "HTTP 502", transient=True, retry_after=5) == "queued"
    assert queue.claim() is None, "Retry-After must be honoured"
    clock.now += 5.01
    job = queue.claim()
    assert job is not None and job.attempts == 2
    assert queue.fail(job, "HTTP 502", transient=True) == "queued"
    clock.now += 11
    job = queue.claim()
    assert job is not None and job.attempts == 3
    assert queue.fail(job, "HTTP 502", transient=True) == "dead"
    dead = queue.jobs(status="dead")
    assert len(dead) == 1 and "gave up after 3 attempts: HTTP 502" in dead[0]["last_error"]
    assert queue.retry_dead() == 1 and queue.depth()["queued"] == 1


def test_permanent_failure_is_dead_at_once(queue) -> None:
    queue.enqueue("d1", "pull_request", [review()])
    job = queue.claim()
    assert job is not None
    assert queue.fail(job, "HTTP 404: Not Found", transient=False) == "dead"
    assert queue.jobs(status="dead")[0]["last_error"] == "HTTP 404: Not Found"


def test_an_expired_lease_hands_the_job_out_again(queue, clock: Clock) -> None:
    queue.enqueue("d1", "pull_request", [review()])
    assert queue.claim() is not None
    assert queue.claim() is None
    clock.now += 61
    again = queue.claim()
    assert again is not None and again.attempts == 2


def test_a_job_held_by_a_dead_process_is_picked_up_at_once(tmp_path: Path) -> None:
    """At-least-once: a worker process dies holding a lease; the next process claims the job without waiting."""
    db = tmp_path / "q.sqlite3"
    code = (
        "import sys; from pathlib import Path; from bot.jobs.queue import SQLiteQueue, JobSpec\n"
        f"q = SQLiteQueue(Path({str(db)!r}), lease_seconds=3600)\n"
        "q.enqueue('d1', 'pull_request', [JobSpec('review', 'o/r#1', {'n': 1}, coalesce_key='o/r#1', head_sha='a')])\n"
        "job = q.claim(); assert job is not None\n"
        "import os; os._exit(0)\n"  # dies without completing or releasing
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    q = SQLiteQueue(db, lease_seconds=3600)
    try:
        job = q.claim()
        assert job is not None and job.payload == {"n": 1} and job.attempts == 2
    finally:
        q.close()


def test_enqueue_survives_a_reopen(tmp_path: Path) -> None:
    q = SQLiteQueue(tmp_path / "q.sqlite3")
    q.enqueue("d1", "pull_request", [review()])
    q.close()
    q2 = SQLiteQueue(tmp_path / "q.sqlite3")
    try:
        assert q2.enqueue("d1", "pull_request", [review()]).status == "duplicate"
        assert q2.depth()["queued"] == 1
    finally:
        q2.close()
