"""Prometheus metrics: one registry per process (or per app in tests), passed in, never a global."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class _QueueDepth(Collector):
    def __init__(self, depth: Callable[[], dict[str, int]]) -> None:
        self.depth = depth

    def collect(self):  # type: ignore[no-untyped-def]
        family = GaugeMetricFamily("resbot_queue_jobs", "Jobs in the queue by status", labels=["status"])
        try:
            for status, count in self.depth().items():
                family.add_metric([status], count)
        except Exception:  # noqa: BLE001 - a scrape must not fail because the queue is busy
            return
        yield family


class Metrics:
    """The counters and histograms of resbot."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.deliveries = Counter(
            "resbot_webhook_deliveries", "Webhook deliveries by event and outcome", ["event", "outcome"], registry=r
        )
        self.accept_latency = Histogram(
            "resbot_webhook_accept_seconds", "Time to verify and durably queue a delivery", buckets=LATENCY_BUCKETS, registry=r
        )
        self.jobs = Counter("resbot_jobs", "Jobs finished by kind and outcome", ["kind", "outcome"], registry=r)
        self.job_latency = Histogram(
            "resbot_job_seconds", "Job run time by kind", ["kind"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.queue_latency = Histogram(
            "resbot_job_wait_seconds", "Time from delivery to job start", ["kind"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.github_calls = Counter("resbot_github_calls", "GitHub API calls by operation", ["operation"], registry=r)
        self.github_errors = Counter(
            "resbot_github_errors", "GitHub API errors by status", ["status"], registry=r
        )
        self.llm_tokens = Counter("resbot_llm_tokens", "LLM tokens by direction", ["direction"], registry=r)

    def watch_queue(self, depth: Callable[[], dict[str, int]]) -> None:
        self.registry.register(_QueueDepth(depth))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
