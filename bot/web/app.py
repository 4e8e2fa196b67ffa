"""The webhook service: verify, parse, route, durably enqueue, answer 202 — work happens in the workers.

    POST /webhooks/github   X-Hub-Signature-256 checked in constant time on the raw body (401, nothing written)
    GET  /healthz           the process is alive
    GET  /readyz            the queue answers and the service is configured (503 with reasons otherwise)
    GET  /metrics           Prometheus exposition
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from bot.errors import ConfigError
from bot.events import ROUTER
from bot.jobs.queue import QueueError
from bot.jobs.worker import Runtime, WorkerPool
from bot.settings import Settings

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "x-hub-signature-256"


def signature_ok(secret: bytes, body: bytes, header: str | None) -> bool:
    """GitHub's HMAC-SHA256 of the raw body, compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode())


class _TooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def create_app(settings: Settings, *, runtime: Runtime | None = None, start_workers: bool = True) -> FastAPI:
    """The FastAPI app. Without a runtime, one is built from settings (queue, GitHub clients, rules)."""
    if settings.github_webhook_secret is None or not settings.github_webhook_secret.get_secret_value():
        raise ConfigError("GITHUB_WEBHOOK_SECRET is not set: resbot never accepts unsigned webhooks")
    secret = settings.github_webhook_secret.get_secret_value().encode()
    if runtime is None:
        from bot.jobs.runtime import build_runtime

        runtime = build_runtime(settings)
    rt = runtime
    pool = WorkerPool(rt, threads=settings.workers) if start_workers and settings.workers > 0 else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if pool is not None:
            pool.start()
        try:
            yield
        finally:
            if pool is not None:
                await asyncio.to_thread(pool.stop)

    app = FastAPI(title="resbot", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.runtime = rt
    app.state.pool = pool
    metrics = rt.metrics

    async def webhook(request: Request) -> Response:
        started = time.perf_counter()
        event = request.headers.get("x-github-event", "")
        try:
            body = await _read_body(request, settings.max_body_bytes)
        except _TooLarge:
            metrics.deliveries.labels(event or "unknown", "too_large").inc()
            return _error(413, f"body larger than {settings.max_body_bytes} bytes")
        if not signature_ok(secret, body, request.headers.get(SIGNATURE_HEADER)):
            metrics.deliveries.labels(event or "unknown", "bad_signature").inc()
            return _error(401, "missing or invalid X-Hub-Signature-256")
        delivery = request.headers.get("x-github-delivery", "")
        if not event or not delivery:
            metrics.deliveries.labels(event or "unknown", "malformed").inc()
            return _error(400, "X-GitHub-Event and X-GitHub-Delivery headers are required")
        try:
            payload: Any = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            metrics.deliveries.labels(event, "malformed").inc()
            return _error(400, f"body is not valid JSON: {exc}")
        if not isinstance(payload, dict):
            metrics.deliveries.labels(event, "malformed").inc()
            return _error(400, "body must be a JSON object")
        try:
            specs = ROUTER.dispatch(event, payload, settings)
        except (KeyError, TypeError, ValueError) as exc:
            metrics.deliveries.labels(event, "malformed").inc()
            return _error(400, f"{event} payload lacks or mistypes a field: {exc}")
        try:
            result = await asyncio.wrap_future(rt.queue.enqueue_future(delivery, event, specs))
        except QueueError as exc:
            metrics.deliveries.labels(event, "queue_error").inc()
            log.error("could not queue delivery %s: %s", delivery, exc)
            return _error(503, "could not queue the delivery; GitHub may redeliver it")
        metrics.deliveries.labels(event, result.status).inc()
        metrics.accept_latency.observe(time.perf_counter() - started)
        status = 200 if result.status in ("duplicate", "ignored") else 202
        return JSONResponse({"status": result.status, "jobs": list(result.job_ids)}, status_code=status)

    # A plain Starlette route: the hot path skips FastAPI's dependency injection and validation layers.
    app.add_route("/webhooks/github", webhook, methods=["POST"])

    @app.get("/healthz")
    async def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    async def readyz() -> Response:
        problems: list[str] = []
        try:
            await asyncio.to_thread(rt.queue.ping)
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", with its text
            problems.append(f"queue: {exc}")
        if not rt.clients.is_app and rt.settings.github_token is None:
            problems.append("no GitHub credentials (GITHUB_APP_ID + GITHUB_PRIVATE_KEY, or GITHUB_TOKEN)")
        if problems:
            return JSONResponse({"status": "not ready", "problems": problems}, status_code=503)
        return JSONResponse({"status": "ready", "queue": await asyncio.to_thread(rt.queue.depth)})

    @app.get("/metrics")
    async def prometheus() -> Response:
        data = await asyncio.to_thread(metrics.exposition)
        return PlainTextResponse(data, media_type="text/plain; version=0.0.4; charset=utf-8")

    return app
