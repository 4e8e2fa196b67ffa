"""A circuit breaker for the model endpoint: closed → open after N consecutive failures → half-open after
the reset time, where one probe decides.

A small class rather than `pybreaker`: pybreaker 1.4 holds its lock for the whole wrapped call (the worker
is threaded, so every model call would be serialised) and reads the wall clock, which tests cannot move.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """Thread-safe; `allow()` before a call, then `success()` or `failure()` after it."""

    def __init__(self, *, failures: int, reset_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = failures
        self.reset_seconds = reset_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_seconds:
            return "half-open"
        return "open"

    def retry_in(self) -> float:
        """Seconds until a probe is allowed (0 when closed or half-open)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self.reset_seconds - (self._clock() - self._opened_at))

    def allow(self) -> bool:
        """Whether a call may go out now; in half-open only one probe at a time does."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "open" or self._probing:
                return False
            self._probing = True
            return True

    def success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self.threshold:
                self._opened_at = self._clock()
            self._probing = False

    def release(self) -> None:
        """A call that ended without telling anything about the endpoint (e.g. a refused request)."""
        with self._lock:
            self._probing = False

    def describe(self) -> str:
        with self._lock:
            state = self._state()
            if state == "closed":
                return "closed"
            wait = max(0.0, self.reset_seconds - (self._clock() - (self._opened_at or 0.0)))
            if state == "open":
                return f"open after {self._failures} consecutive failures; next try in {wait:.0f} s"
            return "half-open (one probe call at a time)"
