"""Webhook service benchmark: deliveries accepted per second, accept latency, and webhook-to-review latency.

    python benchmarks/webhooks.py [--seconds 10] [--connections 32] [--files 300]

1. Accept: `resbot serve` (embedded SQLite queue, no workers) in its own process; a load generator on raw
   keep-alive HTTP/1.1 connections posts signed `pull_request` deliveries (real example bodies from
   @octokit/webhooks-examples, unique delivery ids) and records each answer's latency. Every answer must
   be a 202 (durably queued).
2. Review: the service with one in-process worker against the GitHub simulator (tests/support, OpenAPI
   validation on); a 300-file PR is opened and the time from the webhook POST to the review being stored
   is measured, with the number of GitHub calls it took.

Needs `npm install` in tests/ (the OpenAPI description and webhook examples), as `.ci/run` does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.service import free_port  # noqa: E402
from support.webhooks import pull_request_event, sign  # noqa: E402

SECRET = "benchmark-secret"  # noqa: S105 - a throwaway webhook secret for loopback


def start_service(port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_TOKEN": "ghp_unused",
        "RESBOT_DATA_DIR": str(data_dir),
        "RESBOT_WORKERS": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            import urllib.request

            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("resbot serve did not start: " + (proc.stderr.read().decode() if proc.stderr else ""))


def request_bytes(port: int, body: bytes) -> bytes:
    head = (
        f"POST /webhooks/github HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"User-Agent: GitHub-Hookshot/bench\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: {uuid.uuid4()}\r\n"
        f"X-Hub-Signature-256: {sign(body, SECRET)}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def one_connection(port: int, bodies: list[bytes], stop_at: float, latencies: list[float], statuses: dict[int, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = 0
    try:
        while time.perf_counter() < stop_at:
            payload = request_bytes(port, bodies[i % len(bodies)])
            i += 1
            started = time.perf_counter()
            writer.write(payload)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            status = int(status_line.split()[1])
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


def accept_benchmark(seconds: float, connections: int) -> dict[str, float]:
    bodies = []
    for n in range(64):
        event = pull_request_event("synchronize", number=n + 1, head_sha=uuid.uuid4().hex + "abcdef01")
        bodies.append(json.dumps(event).encode())
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_service(port, Path(tmp))
        try:
            latencies: list[float] = []
            statuses: dict[int, int] = {}

            async def run(duration: float) -> None:
                stop_at = time.perf_counter() + duration
                await asyncio.gather(*(one_connection(port, bodies, stop_at, latencies, statuses) for _ in range(connections)))

            asyncio.run(run(1.0))  # warm-up
            latencies.clear()
            statuses.clear()
            started = time.perf_counter()
            asyncio.run(run(seconds))
            elapsed = time.perf_counter() - started
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    latencies.sort()
    return {
        "deliveries": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "non_202": sum(n for s, n in statuses.items() if s != 202),
        "body_bytes": statistics.mean(len(b) for b in bodies),
    }


def review_benchmark(files: int, runs: int, *, llm_down: bool = False) -> dict[str, float]:
    """One service and one simulator; `runs` PRs of `files` files reviewed one after another."""
    import httpx
    from support.github_sim import GitHubSim, SimFile
    from support.service import ServiceThread
    from support.webhooks import headers

    from bot.jobs.runtime import build_runtime
    from bot.settings import Settings
    from bot.web.app import create_app

    results: list[float] = []
    calls: list[int] = []
    sim = GitHubSim()
    repo = "octo-org/svc"
    sim.add_repo(repo, default_branch="main", installation_id=42)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            github_app_id=sim.app_id,
            github_private_key=sim.private_key_pem,
            github_webhook_secret=SECRET,
            github_api_url=sim.url,
            data_dir=Path(tmp),
            workers=1,
            **({"openai_base_url": f"http://127.0.0.1:{free_port()}/v1", "openai_api_key": "sk-none",
                "llm_timeout": 10, "llm_breaker_failures": 3} if llm_down else {}),
        )
        runtime = build_runtime(settings)
        with ServiceThread(create_app(settings, runtime=runtime)) as service:
            for run in range(runs):
                number = run + 1
                texts = []
                for i in range(files):
                    call = "requests.get(url)" if i % 10 == 0 else "requests.get(url, timeout=5)"
                    texts.append(SimFile(f"svc/mod{i:03}.py", f"import requests\n\n\ndef fetch_{i}_{run}(url):\n    return {call}\n",
                                         old_content="import requests\n"))
                head = f"{run:02}" + "c" * 38
                sim.add_pull(repo=repo, number=number, head_sha=head, base_sha="0" * 40, files=texts)
                before = len(sim.requests)
                body = json.dumps(pull_request_event("opened", repo=repo, number=number, head_sha=head, base_sha="0" * 40,
                                                     installation_id=42)).encode()
                started = time.perf_counter()
                r = httpx.post(f"{service.url}/webhooks/github", content=body, headers=headers("pull_request", body, SECRET))
                assert r.status_code == 202, r.text
                while not sim.reviews(repo, number):
                    time.sleep(0.005)
                results.append(time.perf_counter() - started)
                while len([c for c in sim.check_runs(repo) if c["head_sha"] == head]) == 0:
                    time.sleep(0.005)
                time.sleep(0.05)
                calls.append(len([c for c in sim.requests[before:] if not c.path.endswith("/access_tokens")]))
        runtime.queue.close()
    if sim.violations:
        raise SystemExit("OpenAPI violations: " + "; ".join(sim.violations))
    sim.close()
    return {"files": files, "median_s": statistics.median(results), "max_s": max(results), "github_calls": statistics.median(calls),
            "first_s": results[0], "rest_s": statistics.median(results[1:]) if len(results) > 1 else results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-accept", action="store_true")
    parser.add_argument("--skip-review", action="store_true")
    args = parser.parse_args()
    if not args.skip_accept:
        a = accept_benchmark(args.seconds, args.connections)
        print(f"accept: {a['deliveries']:.0f} deliveries in {args.seconds:.0f}s over {args.connections} connections "
              f"(bodies ~{a['body_bytes'] / 1024:.0f} KiB)")
        print(f"  accepted/s {a['per_second']:,.0f}  (target >= 1,000: ratio {a['per_second'] / 1000:.2f})")
        print(f"  latency p50 {a['p50_ms']:.1f} ms  p99 {a['p99_ms']:.1f} ms  max {a['max_ms']:.1f} ms  (target p99 < 50 ms)")
        print(f"  answers other than 202: {a['non_202']:.0f}")
    if not args.skip_review:
        r = review_benchmark(args.files, args.runs)
        print(f"review: {r['files']:.0f}-file PR, webhook to review stored: median {r['median_s']:.2f}s, "
              f"max {r['max_s']:.2f}s (target < 3 s: ratio {r['median_s'] / 3:.2f}); GitHub calls {r['github_calls']:.0f}")
        down = review_benchmark(args.files, args.runs, llm_down=True)
        print(f"review with the model configured but down (connection refused): first review {down['first_s']:.2f}s "
              f"(retries until the breaker opens), later reviews median {down['rest_s']:.2f}s; "
              f"ratio of later reviews to rules-only {down['rest_s'] / r['median_s']:.2f}")


if __name__ == "__main__":
    main()
