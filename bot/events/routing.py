"""A small router: handlers register for (event, action); routers of each event family merge into one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.jobs.queue import JobSpec
from bot.settings import Settings

Handler = Callable[[dict[str, Any], Settings], list[JobSpec]]


class Router:
    """Maps (event, action) to handlers; `None` as action means every action of the event."""

    def __init__(self, *others: Router) -> None:
        self._routes: dict[tuple[str, str | None], list[Handler]] = {}
        for other in others:
            for key, handlers in other._routes.items():
                self._routes.setdefault(key, []).extend(handlers)

    def register(self, event: str, *actions: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            for action in actions or (None,):
                self._routes.setdefault((event, action), []).append(handler)
            return handler

        return add

    def events(self) -> set[str]:
        return {event for event, _ in self._routes}

    def dispatch(self, event: str, payload: dict[str, Any], settings: Settings) -> list[JobSpec]:
        """The jobs an event asks for (empty when resbot does not act on it)."""
        action = payload.get("action")
        handlers = list(self._routes.get((event, None), []))
        if isinstance(action, str):
            handlers = self._routes.get((event, action), []) + handlers
        jobs: list[JobSpec] = []
        for handler in handlers:
            jobs.extend(handler(payload, settings))
        return jobs
