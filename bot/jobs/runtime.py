"""Builds the runtime a service or worker process needs: queue, GitHub clients, rules, handlers."""

from __future__ import annotations

from typing import Any

from bot.github.client import GitHubClients
from bot.jobs.handlers import command_handler, notify_failure, review_handler
from bot.jobs.queue import open_queue
from bot.jobs.review import Analyzer, ExtraReviewer, ReviewRunner
from bot.jobs.worker import Runtime
from bot.metrics import Metrics
from bot.models import Finding
from bot.settings import Settings


def _no_model(*_args: object) -> tuple[list[Finding], list[str]]:
    return [], ["Model review skipped: no model is configured (set OPENAI_API_KEY or OPENAI_BASE_URL); rule findings only."]


def model_services(settings: Settings, metrics: Metrics | None = None) -> tuple[ExtraReviewer, Any]:
    """The review's model reviewer and the `/ask` answerer (None) — or a note-only reviewer without a model."""
    if not settings.llm_configured:
        return _no_model, None
    from bot.jobs.model import ModelAsker, ModelReviewer
    from bot.llm.client import LLMClient

    llm = LLMClient(settings)
    return ModelReviewer(settings, llm, metrics=metrics), ModelAsker(settings, llm)


def build_runtime(settings: Settings, *, metrics: Metrics | None = None) -> Runtime:
    queue = open_queue(
        settings.queue_url,
        settings.data_dir,
        lease_seconds=settings.job_lease_seconds,
        max_attempts=settings.job_attempts,
        retry_base=settings.retry_base_seconds,
        retry_max=settings.retry_max_seconds,
        per_installation=settings.installation_concurrency,
    )
    metrics = metrics or Metrics()
    metrics.watch_queue(queue.depth)
    clients = GitHubClients(settings)
    analyzer = Analyzer(settings.rules_dir)
    runtime = Runtime(settings=settings, queue=queue, clients=clients, metrics=metrics)
    runtime.handlers = {"review": review_handler, "command": command_handler}
    runtime.services["analyzer"] = analyzer
    reviewer, asker = model_services(settings, metrics)
    if asker is not None:
        runtime.services["asker"] = asker
    runtime.services["review_runner"] = ReviewRunner(settings, clients, analyzer, reviewer=reviewer)
    runtime.services["notify_failure"] = notify_failure(runtime)
    return runtime
