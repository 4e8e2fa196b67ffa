"""The durable job queue: SQLite in `RESBOT_DATA_DIR`, leases for at-least-once, dedupe and coalescing.

Semantics (the same for every backend):
- `enqueue()` records the delivery id and its jobs in one transaction; a delivery id seen before is a
  duplicate and queues nothing. The call returns only after the transaction is committed (fsync'd), so a 202
  means the work survives a crash.
- Review jobs carry a coalesce key (repo#pr) and a head SHA. A second delivery for the same head while a job
  is queued (or running) coalesces into it; a delivery for a newer head supersedes the queued one.
- Jobs of one key (one PR) run one at a time, in order; jobs of one installation run at most
  `per_installation` at a time (a bulkhead, so one busy org cannot starve the others).
- `claim()` leases a job to a worker. A job whose worker died is claimed again once its lease expires, or at
  once when its owner process on this host is gone.
- `fail()` re-queues with exponential backoff and full jitter (at least the server's `Retry-After`), or
  dead-letters the job with its reason when the failure is permanent or attempts run out.

Writes go through one writer thread that commits in batches (group commit): many concurrent enqueues cost
one fsync, which is what lets one process accept over a thousand deliveries a second.
"""

from __future__ import annotations

import concurrent.futures
import json
import queue as stdqueue
import random
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import psutil

from bot.errors import BotError, ConfigError

JobStatus = Literal["queued", "running", "done", "dead", "superseded"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    coalesce_key TEXT,
    head_sha TEXT,
    installation TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    delivery TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    run_after REAL NOT NULL,
    lease_until REAL,
    owner TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    started REAL,
    last_error TEXT,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, run_after);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (key, status);
CREATE INDEX IF NOT EXISTS jobs_coalesce ON jobs (coalesce_key, status);
CREATE TABLE IF NOT EXISTS deliveries (
    id TEXT PRIMARY KEY,
    event TEXT NOT NULL,
    received REAL NOT NULL,
    jobs TEXT NOT NULL
);
"""


class QueueError(BotError):
    """The queue could not record or hand out work."""

    exit_code = 3


@dataclass(frozen=True, slots=True)
class JobSpec:
    """Work an event asks for, before it is queued."""

    kind: str
    key: str
    payload: dict[str, Any]
    installation: str = ""
    coalesce_key: str | None = None
    head_sha: str | None = None
    force: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """A queued job as a worker sees it."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    installation: str
    coalesce_key: str | None
    head_sha: str | None
    delivery: str | None
    attempts: int
    created: float


@dataclass(frozen=True, slots=True)
class EnqueueResult:
    """What happened to a delivery: queued (new jobs), coalesced into queued ones, or a duplicate."""

    status: Literal["queued", "coalesced", "duplicate", "ignored"]
    job_ids: tuple[int, ...] = ()


@dataclass(slots=True)
class _Write:
    fn: Callable[[sqlite3.Connection], Any]
    future: concurrent.futures.Future[Any] = field(default_factory=concurrent.futures.Future)


def retry_decision(
    job: Job, error: str, *, transient: bool, retry_after: float | None, max_attempts: int, base: float, cap: float
) -> tuple[float | None, str]:
    """(seconds until the next attempt, or None to dead-letter; the error to record) — shared by every backend.

    Exponential backoff with full jitter, never sooner than the server's Retry-After.
    """
    if transient and job.attempts < max_attempts:
        ceiling = min(cap, base * 2 ** (job.attempts - 1))
        return max(retry_after or 0.0, random.uniform(0, ceiling)), error[:2000]  # noqa: S311 - jitter, not security
    reason = error if not transient else f"gave up after {job.attempts} attempts: {error}"
    return None, reason[:2000]


def owner_id() -> str:
    """This process, as recorded on the jobs it leases: host, pid and start time (pids get reused)."""
    proc = psutil.Process()
    return f"{socket.gethostname()}:{proc.pid}:{int(proc.create_time())}"


def _owner_alive(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    if host != socket.gethostname():
        return True  # another host: only its lease can tell
    pid_text, _, started = rest.partition(":")
    try:
        proc = psutil.Process(int(pid_text))
        return int(proc.create_time()) == int(started)
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False


class SQLiteQueue:
    """The embedded queue (DESIGN §8): one SQLite file, safe across threads and processes on one host."""

    def __init__(
        self,
        path: Path,
        *,
        lease_seconds: float = 300.0,
        max_attempts: int = 5,
        retry_base: float = 2.0,
        retry_max: float = 300.0,
        per_installation: int = 2,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.per_installation = per_installation
        self.clock = clock
        self.owner = owner_id()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._connect() as conn:
            conn.executescript(SCHEMA)
        self._writes: stdqueue.Queue[_Write | None] = stdqueue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name="resbot-queue-writer", daemon=True)
        self._closed = False
        self.wakeup = threading.Condition()
        self._writer.start()

    # --- connections and the writer thread ------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a 202 promises the delivery survives power loss too
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _write_loop(self) -> None:
        conn = self._connect()
        while True:
            first = self._writes.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < 256:
                try:
                    item = self._writes.get_nowait()
                except stdqueue.Empty:
                    break
                if item is None:
                    self._writes.put(None)
                    break
                batch.append(item)
            self._commit_batch(conn, batch)
        conn.close()

    def _commit_batch(self, conn: sqlite3.Connection, batch: list[_Write]) -> None:
        results: list[tuple[_Write, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for item in batch:
                conn.execute("SAVEPOINT one")
                try:
                    results.append((item, item.fn(conn), None))
                    conn.execute("RELEASE one")
                except sqlite3.Error as exc:
                    conn.execute("ROLLBACK TO one")
                    conn.execute("RELEASE one")
                    results.append((item, None, exc))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for item in batch:
                item.future.set_exception(QueueError(f"queue write failed: {exc}"))
            return
        for item, value, error in results:
            if error is not None:
                item.future.set_exception(QueueError(f"queue write failed: {error}"))
            else:
                item.future.set_result(value)
        with self.wakeup:
            self.wakeup.notify_all()

    def _submit(self, fn: Callable[[sqlite3.Connection], Any]) -> concurrent.futures.Future[Any]:
        if self._closed:
            raise QueueError("the queue is closed")
        item = _Write(fn)
        self._writes.put(item)
        return item.future

    def _write(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        return self._submit(fn).result(timeout=60)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._writes.put(None)
            self._writer.join(timeout=10)

    # --- producers -----------------------------------------------------------------------------------------

    def enqueue_future(self, delivery: str, event: str, specs: list[JobSpec]) -> concurrent.futures.Future[EnqueueResult]:
        """Queue a delivery's jobs; the future resolves once they are committed."""
        return self._submit(lambda conn: self._enqueue(conn, delivery, event, specs))

    def enqueue(self, delivery: str, event: str, specs: list[JobSpec]) -> EnqueueResult:
        result: EnqueueResult = self.enqueue_future(delivery, event, specs).result(timeout=60)
        return result

    def _enqueue(self, conn: sqlite3.Connection, delivery: str, event: str, specs: list[JobSpec]) -> EnqueueResult:
        now = self.clock()
        cur = conn.execute(
            "INSERT OR IGNORE INTO deliveries (id, event, received, jobs) VALUES (?, ?, ?, '[]')", (delivery, event, now)
        )
        if cur.rowcount == 0:
            return EnqueueResult("duplicate")
        if not specs:
            return EnqueueResult("ignored")
        ids: list[int] = []
        coalesced = 0
        for spec in specs:
            if spec.coalesce_key is not None and not spec.force:
                same = conn.execute(
                    "SELECT id FROM jobs WHERE coalesce_key = ? AND head_sha IS ? AND status IN ('queued', 'running')",
                    (spec.coalesce_key, spec.head_sha),
                ).fetchone()
                if same is not None:
                    ids.append(int(same[0]))
                    coalesced += 1
                    continue
            if spec.coalesce_key is not None:
                conn.execute(
                    "UPDATE jobs SET status = 'superseded', updated = ?, outcome = 'superseded by a newer delivery' "
                    "WHERE coalesce_key = ? AND status = 'queued'",
                    (now, spec.coalesce_key),
                )
            cur = conn.execute(
                "INSERT INTO jobs (kind, key, coalesce_key, head_sha, installation, payload, delivery, status, "
                "run_after, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (
                    spec.kind,
                    spec.key,
                    spec.coalesce_key,
                    spec.head_sha,
                    spec.installation,
                    json.dumps(spec.payload, separators=(",", ":")),
                    delivery,
                    now,
                    now,
                    now,
                ),
            )
            ids.append(int(cur.lastrowid or 0))
        conn.execute("UPDATE deliveries SET jobs = ? WHERE id = ?", (json.dumps(ids), delivery))
        return EnqueueResult("coalesced" if coalesced == len(specs) else "queued", tuple(ids))

    # --- consumers -----------------------------------------------------------------------------------------

    def claim(self) -> Job | None:
        """Lease the next runnable job to this process, or None."""
        return self._write(self._claim)  # type: ignore[no-any-return]

    def _claim(self, conn: sqlite3.Connection) -> Job | None:
        now = self.clock()
        # Leases that ran out, and leases held by a dead process on this host, go back to the queue.
        for job_id, owner, lease in conn.execute(
            "SELECT id, owner, lease_until FROM jobs WHERE status = 'running'"
        ).fetchall():
            if lease < now or (owner and owner != self.owner and not _owner_alive(owner)):
                conn.execute(
                    "UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, updated = ?, "
                    "last_error = 'worker lost (lease expired or process gone)' WHERE id = ?",
                    (now, job_id),
                )
        row = conn.execute(
            "SELECT id, kind, key, payload, installation, coalesce_key, head_sha, delivery, attempts, created "
            "FROM jobs WHERE status = 'queued' AND run_after <= ? "
            "AND key NOT IN (SELECT key FROM jobs WHERE status = 'running') "
            "AND installation NOT IN (SELECT installation FROM jobs WHERE status = 'running' "
            "  GROUP BY installation HAVING COUNT(*) >= ?) "
            "ORDER BY id LIMIT 1",
            (now, self.per_installation),
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, owner = ?, lease_until = ?, "
            "started = ?, updated = ? WHERE id = ?",
            (self.owner, now + self.lease_seconds, now, now, row[0]),
        )
        return Job(
            id=int(row[0]),
            kind=row[1],
            key=row[2],
            payload=json.loads(row[3]),
            installation=row[4],
            coalesce_key=row[5],
            head_sha=row[6],
            delivery=row[7],
            attempts=int(row[8]) + 1,
            created=float(row[9]),
        )

    def complete(self, job: Job, outcome: str = "done") -> None:
        now = self.clock()
        self._write(
            lambda conn: conn.execute(
                "UPDATE jobs SET status = 'done', outcome = ?, owner = NULL, lease_until = NULL, updated = ? "
                "WHERE id = ?",
                (outcome, now, job.id),
            )
        )

    def fail(self, job: Job, error: str, *, transient: bool, retry_after: float | None = None) -> JobStatus:
        """Record a failure: back off and retry a transient one, dead-letter the rest. Returns the new status."""
        now = self.clock()
        delay, reason = retry_decision(
            job, error, transient=transient, retry_after=retry_after, max_attempts=self.max_attempts,
            base=self.retry_base, cap=self.retry_max,
        )
        if delay is not None:
            self._write(
                lambda conn: conn.execute(
                    "UPDATE jobs SET status = 'queued', run_after = ?, owner = NULL, lease_until = NULL, "
                    "last_error = ?, updated = ? WHERE id = ?",
                    (now + delay, reason, now, job.id),
                )
            )
            return "queued"
        self._write(
            lambda conn: conn.execute(
                "UPDATE jobs SET status = 'dead', owner = NULL, lease_until = NULL, last_error = ?, outcome = 'dead', "
                "updated = ? WHERE id = ?",
                (reason, now, job.id),
            )
        )
        return "dead"

    def extend(self, job: Job) -> None:
        """Heartbeat: keep the lease of a long job."""
        now = self.clock()
        self._write(
            lambda conn: conn.execute(
                "UPDATE jobs SET lease_until = ? WHERE id = ? AND owner = ?", (now + self.lease_seconds, job.id, self.owner)
            )
        )

    def superseded(self, job: Job) -> bool:
        """True when a newer head of the same PR has been queued since this job was."""
        if job.coalesce_key is None:
            return False
        row = self._conn().execute(
            "SELECT 1 FROM jobs WHERE coalesce_key = ? AND id > ? AND head_sha IS NOT ? "
            "AND status IN ('queued', 'running', 'done') LIMIT 1",
            (job.coalesce_key, job.id, job.head_sha),
        ).fetchone()
        return row is not None

    # --- inspection ----------------------------------------------------------------------------------------

    def depth(self) -> dict[str, int]:
        """Jobs per status (for /metrics and /readyz)."""
        rows = self._conn().execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall()
        counts = dict.fromkeys(("queued", "running", "done", "dead", "superseded"), 0)
        counts.update({str(s): int(n) for s, n in rows})
        return counts

    def jobs(self, *, status: str | None = None) -> list[dict[str, Any]]:
        """Rows of the jobs table, oldest first (dead letters included) — for `resbot jobs` and tests."""
        if status:
            cur = self._conn().execute("SELECT * FROM jobs WHERE status = ? ORDER BY id", (status,))
        else:
            cur = self._conn().execute("SELECT * FROM jobs ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def retry_dead(self, job_id: int | None = None) -> int:
        """Put dead-lettered jobs back in the queue (all, or one)."""
        now = self.clock()

        def requeue(conn: sqlite3.Connection) -> int:
            if job_id is None:
                cur = conn.execute(
                    "UPDATE jobs SET status = 'queued', attempts = 0, run_after = ?, updated = ? WHERE status = 'dead'",
                    (now, now),
                )
            else:
                cur = conn.execute(
                    "UPDATE jobs SET status = 'queued', attempts = 0, run_after = ?, updated = ? "
                    "WHERE status = 'dead' AND id = ?",
                    (now, now, job_id),
                )
            return int(cur.rowcount)

        count: int = self._write(requeue)
        return count

    def ping(self) -> None:
        self._conn().execute("SELECT 1").fetchone()


class Queue(Protocol):
    """What the web service and the workers need from a queue (SQLiteQueue, RedisQueue)."""

    wakeup: threading.Condition

    def enqueue(self, delivery: str, event: str, specs: list[JobSpec]) -> EnqueueResult: ...
    def enqueue_future(self, delivery: str, event: str, specs: list[JobSpec]) -> concurrent.futures.Future[EnqueueResult]: ...
    def claim(self) -> Job | None: ...
    def complete(self, job: Job, outcome: str = "done") -> None: ...
    def fail(self, job: Job, error: str, *, transient: bool, retry_after: float | None = None) -> JobStatus: ...
    def extend(self, job: Job) -> None: ...
    def superseded(self, job: Job) -> bool: ...
    def depth(self) -> dict[str, int]: ...
    def jobs(self, *, status: str | None = None) -> list[dict[str, Any]]: ...
    def retry_dead(self, job_id: int | None = None) -> int: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


def open_queue(url: str | None, data_dir: Path, **options: Any) -> Queue:
    """The queue named by `RESBOT_QUEUE_URL`: SQLite in the data directory by default, or `redis://…`."""
    if url is None or url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite:")) if url else data_dir / "queue.sqlite3"
        return SQLiteQueue(path, **options)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from bot.jobs.redis_queue import RedisQueue

        return RedisQueue(url, **options)
    scheme = url.partition(":")[0]
    raise ConfigError(f"RESBOT_QUEUE_URL: unsupported scheme {scheme!r} (use sqlite:///PATH or redis://HOST:PORT/DB)")

