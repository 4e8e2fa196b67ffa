"""Installation and ping events: acknowledged, nothing to queue (tokens are fetched on demand)."""

from __future__ import annotations

from typing import Any

from bot.events.routing import Router
from bot.jobs.queue import JobSpec
from bot.settings import Settings

router = Router()


@router.register("ping")
@router.register("installation")
@router.register("installation_repositories")
def acknowledge(payload: dict[str, Any], settings: Settings) -> list[JobSpec]:
    return []
