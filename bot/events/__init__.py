"""Webhook events to jobs: each module owns one event family; this is the one place they merge."""

from __future__ import annotations

from bot.events import comments, installation, pull_request
from bot.events.routing import Router

ROUTER = Router(pull_request.router, comments.router, installation.router)

__all__ = ["ROUTER", "Router"]
