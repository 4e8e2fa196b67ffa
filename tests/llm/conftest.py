"""Fixtures for the LLM layer's tests: settings aimed at the simulator and a client that never really sleeps."""

from __future__ import annotations

import pytest
from llm_support import FakeClock

from bot.llm.client import LLMClient
from bot.settings import Settings


@pytest.fixture
def llm_settings(tmp_path, openai_sim):
    """Settings for the simulator; keyword arguments override."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "openai_base_url": openai_sim.base_url,
            "openai_api_key": "sk-test-key",
            "model": "sim-model",
            "data_dir": tmp_path / "state",
            "llm_timeout": 5.0,
            "llm_retries": 2,
            "llm_breaker_failures": 5,
            "llm_breaker_reset": 30.0,
            "llm_daily_tokens": 0,
            "azure_api_version": None,
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(clock):
    """An LLMClient whose clock and sleep are the fake clock (jitter fixed at half the window)."""
    made: list[LLMClient] = []

    def make(settings: Settings, **kw: object) -> LLMClient:
        client = LLMClient(settings, clock=clock, sleep=clock.sleep, jitter=lambda: 0.5, **kw)  # type: ignore[arg-type]
        made.append(client)
        return client

    yield make
    for c in made:
        c.close()
