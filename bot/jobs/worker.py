"""The worker: claims jobs from the queue and runs them; the one place that sequences stages and catches broadly.

A job ends in exactly one of: done (with an outcome), re-queued with backoff (transient failure), or
dead-lettered with its reason — and a dead letter is also reported on the pull request when GitHub is
reachable, so an accepted webhook never ends in silence.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.errors import BotError, GitHubError
from bot.github.client import OBSERVER, GitHubClients
from bot.jobs.queue import Job, Queue
from bot.metrics import Metrics
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What jobs need: settings, the queue, GitHub clients, metrics, and the job handlers by kind."""

    settings: Settings
    queue: Queue
    clients: GitHubClients
    metrics: Metrics
    handlers: dict[str, Callable[[Job, Runtime], str]] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)


class WorkerPool:
    """N threads claiming jobs; `run_once()` runs one job in the caller's thread (CLI and tests)."""

    def __init__(self, runtime: Runtime, *, threads: int, poll_seconds: float = 0.5) -> None:
        self.runtime = runtime
        self.threads = threads
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for n in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"resbot-worker-{n}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        with self.runtime.queue.wakeup:
            self.runtime.queue.wakeup.notify_all()
        for thread in self._threads:
            thread.join(timeout=timeout)
        self._threads.clear()

    def _loop(self) -> None:
        queue = self.runtime.queue
        while not self._stop.is_set():
            try:
                ran = self.run_once()
            except Exception:  # a queue failure must not kill the worker thread; back off and go on
                log.exception("worker loop error")
                ran = False
                self._stop.wait(self.poll_seconds)
            if not ran:
                with queue.wakeup:
                    queue.wakeup.wait(self.poll_seconds)

    def run_once(self) -> bool:
        """Claim and run one job; False when there was nothing to run."""
        job = self.runtime.queue.claim()
        if job is None:
            return False
        self.process(job)
        return True

    def drain(self, *, timeout: float = 60.0) -> int:
        """Run jobs until none is runnable now (tests and `resbot worker --once`)."""
        deadline = time.monotonic() + timeout
        count = 0
        while time.monotonic() < deadline and self.run_once():
            count += 1
        return count

    def process(self, job: Job) -> None:
        rt = self.runtime
        metrics = rt.metrics
        metrics.queue_latency.labels(job.kind).observe(max(0.0, time.time() - job.created))
        started = time.perf_counter()
        token = OBSERVER.set(self._observe)
        try:
            handler = rt.handlers.get(job.kind)
            if handler is None:
                raise BotError(f"no handler for job kind {job.kind!r}")
            outcome = handler(job, rt)
            rt.queue.complete(job, outcome)
            metrics.jobs.labels(job.kind, outcome.split(":")[0]).inc()
            log.info("job %s (%s %s, delivery %s): %s", job.id, job.kind, job.key, job.delivery, outcome)
        except GitHubError as exc:
            self._failed(job, str(exc), transient=exc.transient, retry_after=exc.retry_after)
        except BotError as exc:
            self._failed(job, str(exc), transient=False)
        except Exception as exc:  # the one broad catch: an unknown failure is retried, then dead-lettered
            log.exception("job %s (%s, delivery %s) failed", job.id, job.kind, job.delivery)
            self._failed(job, f"{type(exc).__name__}: {exc}", transient=True)
        finally:
            OBSERVER.reset(token)
            metrics.job_latency.labels(job.kind).observe(time.perf_counter() - started)

    def _observe(self, operation: str, status: int | None) -> None:
        self.runtime.metrics.github_calls.labels(operation).inc()
        if status is not None:
            self.runtime.metrics.github_errors.labels(str(status)).inc()

    def _failed(self, job: Job, error: str, *, transient: bool, retry_after: float | None = None) -> None:
        status = self.runtime.queue.fail(job, error, transient=transient, retry_after=retry_after)
        self.runtime.metrics.jobs.labels(job.kind, "retry" if status == "queued" else "dead").inc()
        log.warning("job %s (%s %s, delivery %s) %s: %s", job.id, job.kind, job.key, job.delivery,
                    "will be retried" if status == "queued" else "dead-lettered", error)
        if status == "dead":
            self._tell_the_pr(job, error)

    def _tell_the_pr(self, job: Job, error: str) -> None:
        """Say on the PR that resbot gave up, so the failure is visible (best effort: GitHub may be the cause)."""
        notify = self.runtime.services.get("notify_failure")
        if notify is None:
            return
        try:
            notify(job, error)
        except Exception:  # reporting the failure failed too; the dead letter stays in the queue for `jobs retry`
            log.exception("could not report dead job %s on the pull request", job.id)
