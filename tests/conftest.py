"""Shared test helpers: run the real `resbot` CLI in a subprocess, build throwaway source trees."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = Path(__file__).resolve().parent / "samples"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path, cwd: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("RESBOT_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *map(str, args)],
        cwd=cwd or REPO,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path):
    def make(files: dict[str, str | bytes]) -> Path:
        return write_tree(tmp_path, files)

    return make


@pytest.fixture
def github_sim():
    """A fresh GitHub REST simulator per test (the OpenAPI description is parsed once per session).

    Teardown fails the test if any request broke GitHub's OpenAPI description (`sim.violations`).
    """
    from support.github_sim import GitHubSim

    sim = GitHubSim()
    try:
        yield sim
    finally:
        sim.close()
    assert sim.violations == [], "requests that break GitHub's OpenAPI description:\n" + "\n".join(sim.violations)
    assert sim.errors == [], "simulator errors:\n" + "\n".join(sim.errors)


def failing_fast_review_runner(github_sim, analyzer, data_dir: Path):
    """A ReviewRunner for the GitHub simulator's installation 42 whose GitHub calls are not retried: a failing call
    fails at once, for tests about what a review does then."""
    from bot.github.client import GitHubClients
    from bot.jobs.review import ReviewRunner
    from bot.settings import Settings

    settings = Settings(
        github_app_id=github_sim.app_id,
        github_private_key=github_sim.private_key_pem,
        github_api_url=github_sim.url,
        data_dir=data_dir,
        github_retries=0,
    )
    return ReviewRunner(settings, GitHubClients(settings), analyzer)


@pytest.fixture(scope="session")
def _openai_sim_server():
    from support.openai_sim import OpenAISim

    sim = OpenAISim().start()
    yield sim
    sim.close()


@pytest.fixture
def openai_sim(_openai_sim_server):
    """The OpenAI-compatible simulator (tests/support/openai_sim.py): one server per session, script and
    recorded requests cleared for each test."""
    _openai_sim_server.reset()
    yield _openai_sim_server
    _openai_sim_server.reset()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    """A real redis-server on loopback for the session (`.ci/run` installs it)."""
    import shutil
    import subprocess
    import time

    from support.service import free_port

    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (bash .ci/run installs it with apt-get)"
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


class FakeClock:
    """A monotonic clock for LLMClient tests: `sleep` records the wait and moves the clock on, so backoff
    and breaker timing are asserted without any real waiting."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def llm_clock():
    return FakeClock()


@pytest.fixture
def llm_settings(tmp_path, openai_sim):
    """Settings aimed at the OpenAI simulator, state in tmp_path; keyword arguments override."""
    from bot.settings import Settings

    def make(**overrides):
        values = {
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
        return Settings(**values)

    return make


@pytest.fixture
def make_llm_client(llm_clock):
    """Builds LLMClients on the fake clock (jitter fixed at half the backoff window); closes them after."""
    from bot.llm.client import LLMClient

    made = []

    def make(settings, **kw):
        client = LLMClient(settings, clock=llm_clock, sleep=llm_clock.sleep, jitter=lambda: 0.5, **kw)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
