"""The GitHub App end to end: webhook → queue → worker → review on the GitHub simulator, through real HTTP.

The service runs under uvicorn on loopback, PyGithub talks to the simulator (which checks every request
against GitHub's OpenAPI description), and webhook bodies come from @octokit/webhooks-examples.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support.github_sim import SimFile
from support.service import ServiceThread
from support.webhooks import headers, issue_comment_event, pull_request_event

from bot.jobs.runtime import build_runtime
from bot.jobs.worker import Runtime, WorkerPool
from bot.settings import Settings
from bot.web.app import create_app

REPO = "octo-org/svc"
SECRET = "webhook-secret-for-tests"
HEAD_A = "a" * 40
HEAD_B = "b" * 40
BASE = "0" * 40

OLD_CLIENT = '''import requests


def fetch(url):
    return requests.get(url, timeout=5)
'''

NEW_CLIENT = '''import requests


def fetch(url):
    return requests.get(url, timeout=5)


def fetch_orders(base):
    return requests.get(base + "/orders")


def fetch_users(base):
    try:
        return requests.post(base + "/users", json={})
    except Exception:
        pass
'''


@dataclass
class App:
    sim: object
    settings: Settings
    runtime: Runtime
    pool: WorkerPool
    url: str

    def deliver(self, event: str, payload: dict, *, delivery: str | None = None, secret: str = SECRET) -> httpx.Response:
        body = json.dumps(payload).encode()
        return httpx.post(f"{self.url}/webhooks/github", content=body, headers=headers(event, body, secret, delivery_id=delivery), timeout=10)

    def drain(self) -> int:
        return self.pool.drain(timeout=60)


def settings_for(sim, data_dir: Path, **extra) -> Settings:
    return Settings(
        github_app_id=sim.app_id,
        github_private_key=sim.private_key_pem,
        github_webhook_secret=SECRET,
        github_api_url=sim.url,
        data_dir=data_dir,
        workers=0,
        retry_base_seconds=0.01,
        retry_max_seconds=0.05,
        github_retries=2,
        **extra,
    )


@pytest.fixture
def app(github_sim, tmp_path) -> Iterator[App]:
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    settings = settings_for(github_sim, tmp_path / "state")
    runtime = build_runtime(settings)
    service = create_app(settings, runtime=runtime, start_workers=False)
    pool = WorkerPool(runtime, threads=1)
    with ServiceThread(service) as running:
        yield App(github_sim, settings, runtime, pool, running.url)
    runtime.queue.close()


def open_pr(app: App, *, head: str = HEAD_A, files: list[SimFile] | None = None, draft: bool = False) -> None:
    app.sim.add_pull(
        repo=REPO,
        number=7,
        head_sha=head,
        base_sha=BASE,
        base_ref="main",
        head_ref="feature",
        draft=draft,
        author="dev",
        files=files or [SimFile("svc/client.py", NEW_CLIENT, old_content=OLD_CLIENT)],
    )


def pr_event(action: str = "opened", head: str = HEAD_A, **kw) -> dict:
    return pull_request_event(action, repo=REPO, number=7, head_sha=head, base_sha=BASE, installation_id=42, **kw)


def bot_comments(app: App) -> list[dict]:
    return [c for c in app.sim.review_comments(REPO, 7) if c["user"]["login"] == app.sim.bot_login]


def summaries(app: App) -> list[dict]:
    return [c for c in app.sim.issue_comments(REPO, 7) if "<!-- resbot:summary -->" in c["body"]]


def test_opened_pr_gets_one_review_with_inline_comments_summary_and_check_run(app: App) -> None:
    open_pr(app)
    response = app.deliver("pull_request", pr_event())
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert app.drain() == 1

    reviews = app.sim.reviews(REPO, 7)
    assert len(reviews) == 1
    assert reviews[0]["state"] == "COMMENTED" and reviews[0]["commit_id"] == HEAD_A
    comments = bot_comments(app)
    rules = sorted(re.search(r"rule=(\S+)", c["body"]).group(1) for c in comments)
    # swallowed-exception also matches the change, but it is a low-confidence rule: off unless opted in.
    assert "http-call-without-timeout" in rules and "swallowed-exception" not in rules
    for c in comments:
        assert c["path"] == "svc/client.py" and c["side"] == "RIGHT"
        assert "<!-- resbot:finding fp=" in c["body"]
    timeout_comment = next(c for c in comments if "http-call-without-timeout" in c["body"])
    assert timeout_comment["line"] == 9, "the comment sits on the changed line with the call"
    assert "```suggestion" in timeout_comment["body"] and "timeout=" in timeout_comment["body"]

    [summary] = summaries(app)
    assert "resbot review of `aaaaaaa`" in summary["body"]
    [check] = app.sim.check_runs(REPO)
    assert check["head_sha"] == HEAD_A and check["status"] == "completed"
    assert check["conclusion"] in ("failure", "neutral")
    assert len(check["annotations"]) == len(comments)


def test_redelivery_and_a_push_without_new_findings_post_nothing_new(app: App) -> None:
    open_pr(app)
    app.deliver("pull_request", pr_event(), delivery="delivery-1")
    app.drain()
    first = len(bot_comments(app))
    assert first >= 2

    assert app.deliver("pull_request", pr_event(), delivery="delivery-1").json()["status"] == "duplicate"
    app.deliver("pull_request", pr_event(), delivery="delivery-2")  # GitHub "redeliver" gets a new id
    app.drain()
    # a push that only adds a harmless line: same findings (fingerprints ignore line numbers)
    app.sim.update_pull_head(REPO, 7, head_sha=HEAD_B, files=[SimFile("svc/client.py", "# orders client\n" + NEW_CLIENT, old_content=OLD_CLIENT)])
    app.deliver("pull_request", pr_event("synchronize", head=HEAD_B))
    app.drain()

    assert len(bot_comments(app)) == first
    assert len(app.sim.reviews(REPO, 7)) == 1
    assert len(summaries(app)) == 1, "the summary is edited in place, never re-posted"
    assert "bbbbbbb" in summaries(app)[0]["body"]


def test_a_fix_pushed_later_is_reported_resolved(app: App) -> None:
    open_pr(app)
    app.deliver("pull_request", pr_event())
    app.drain()
    fixed = NEW_CLIENT.replace('requests.get(base + "/orders")', 'requests.get(base + "/orders", timeout=5)')
    app.sim.update_pull_head(REPO, 7, head_sha=HEAD_B, files=[SimFile("svc/client.py", fixed, old_content=OLD_CLIENT)])
    app.deliver("pull_request", pr_event("synchronize", head=HEAD_B))
    app.drain()
    body = summaries(app)[0]["body"]
    assert "Resolved since the last review (1)" in body and "http-call-without-timeout" in body


def test_bad_or_missing_signature_is_401_and_writes_nothing(app: App) -> None:
    open_pr(app)
    bad = app.deliver("pull_request", pr_event(), secret="not-the-secret")
    body = json.dumps(pr_event()).encode()
    missing = httpx.post(f"{app.url}/webhooks/github", content=body,
                         headers={"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "x", "Content-Type": "application/json"})
    assert bad.status_code == 401 and missing.status_code == 401
    assert sum(app.runtime.queue.depth().values()) == 0
    assert app.drain() == 0
    assert app.sim.requests == []


def test_malformed_and_oversized_bodies_get_clear_errors(app: App, github_sim) -> None:
    from support.webhooks import sign

    garbage = b"{not json"
    r = httpx.post(f"{app.url}/webhooks/github", content=garbage, headers={
        "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "g1", "X-Hub-Signature-256": sign(garbage, SECRET)})
    assert r.status_code == 400 and "not valid JSON" in r.json()["error"]
    lacking = json.dumps({"action": "opened"}).encode()
    r = httpx.post(f"{app.url}/webhooks/github", content=lacking, headers={
        "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "g2", "X-Hub-Signature-256": sign(lacking, SECRET)})
    assert r.status_code == 400 and "pull_request" in r.json()["error"]
    huge = b"{" + b" " * (app.settings.max_body_bytes + 10) + b"}"
    r = httpx.post(f"{app.url}/webhooks/github", content=huge, headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": "g3"})
    assert r.status_code == 413
    assert sum(app.runtime.queue.depth().values()) == 0


def test_a_newer_push_supersedes_the_queued_review(app: App) -> None:
    open_pr(app)
    app.deliver("pull_request", pr_event())
    app.sim.update_pull_head(REPO, 7, head_sha=HEAD_B, files=[SimFile("svc/client.py", NEW_CLIENT + "\n", old_content=OLD_CLIENT)])
    app.deliver("pull_request", pr_event("synchronize", head=HEAD_B))
    assert app.drain() == 1
    [review] = app.sim.reviews(REPO, 7)
    assert review["commit_id"] == HEAD_B
    statuses = sorted(row["status"] for row in app.runtime.queue.jobs())
    assert statuses == ["done", "superseded"]


def test_502_after_github_stored_the_review_still_means_exactly_one_review(app: App) -> None:
    open_pr(app)
    app.sim.inject(method="POST", path=r"/pulls/\d+/reviews$", status=502, times=1, after_store=True)
    app.deliver("pull_request", pr_event())
    app.drain()
    assert len(app.sim.reviews(REPO, 7)) == 1
    assert len(app.sim.calls(method="POST", path_regex=r"/reviews$")) == 1, "the stored review was found, not re-posted"
    assert [r["status"] for r in app.runtime.queue.jobs()] == ["done"]


def test_secondary_rate_limit_on_the_review_is_waited_out(app: App) -> None:
    open_pr(app)
    app.sim.inject_secondary_rate_limit(method="POST", path=r"/pulls/\d+/reviews$", retry_after=0)
    app.deliver("pull_request", pr_event())
    app.drain()
    assert len(app.sim.reviews(REPO, 7)) == 1
    assert [r["status"] for r in app.runtime.queue.jobs()] == ["done"]


def test_a_rejected_comment_goes_to_the_summary_and_the_rest_still_post(app: App) -> None:
    open_pr(app)
    app.sim.inject(method="POST", path=r"/pulls/\d+/reviews$", status=422, times=1)
    app.sim.inject(method="POST", path=r"/pulls/\d+/comments$", status=422, times=1)
    app.deliver("pull_request", pr_event())
    app.drain()
    posted = bot_comments(app)
    assert len(posted) >= 1
    body = summaries(app)[0]["body"]
    assert "GitHub refused these inline comments" in body


def test_github_down_retries_then_dead_letters_and_says_so(app: App) -> None:
    open_pr(app)
    app.sim.inject(method="GET", path=r"/pulls/7/files", status=500, times=None)
    app.deliver("pull_request", pr_event())
    for _ in range(10):
        app.drain()
        if app.runtime.queue.jobs(status="dead"):
            break
        import time

        time.sleep(0.06)
    [dead] = app.runtime.queue.jobs(status="dead")
    assert "HTTP 500" in dead["last_error"]
    notes = [c for c in app.sim.issue_comments(REPO, 7) if "resbot:failed" in c["body"]]
    assert len(notes) == 1 and "/review" in notes[0]["body"]


def test_draft_pull_requests_wait_until_ready(app: App) -> None:
    open_pr(app, draft=True)
    r = app.deliver("pull_request", pr_event(draft=True))
    assert r.status_code == 200 and r.json()["status"] == "ignored"
    app.deliver("pull_request", pr_event("ready_for_review"))
    assert app.drain() == 1
    assert len(app.sim.reviews(REPO, 7)) == 1


def test_config_comes_from_the_base_branch(app: App) -> None:
    app.sim.set_file(REPO, BASE, ".resbot.yml", "rules:\n  opt-in: [swallowed-exception]\n")
    changed = [
        SimFile("svc/client.py", NEW_CLIENT, old_content=OLD_CLIENT),
        SimFile(".resbot.yml", "min-confidence: high\nrules:\n  disable: [http-call-without-timeout, swallowed-exception]\n"),
    ]
    open_pr(app, files=changed)
    app.deliver("pull_request", pr_event())
    app.drain()
    rules = {re.search(r"rule=(\S+)", c["body"]).group(1) for c in bot_comments(app)}
    assert "swallowed-exception" in rules, "the base branch opted in to a low-confidence rule"
    assert "http-call-without-timeout" in rules, "a PR cannot switch its own checks off"


def test_three_hundred_file_pr_costs_pages_not_comments(app: App) -> None:
    files = [SimFile(f"svc/mod{i:03}.py", f"import requests\n\n\ndef f{i}(u):\n    return requests.get(u)\n") for i in range(300)]
    open_pr(app, files=files)
    app.deliver("pull_request", pr_event())
    app.drain()
    assert len(app.sim.calls(method="GET", path_regex=r"/pulls/7/files$")) == 3
    assert len(app.sim.calls(method="POST", path_regex=r"/reviews$")) == 1
    review_comments = bot_comments(app)
    assert len(review_comments) == 30, "max-comments caps inline comments"
    body = summaries(app)[0]["body"]
    assert "over the cap of 30" in body
    [check] = app.sim.check_runs(REPO)
    assert len(check["annotations"]) == 300
    writes = app.sim.calls(method="POST") + app.sim.calls(method="PATCH")
    token_posts = app.sim.calls(method="POST", path_regex=r"/access_tokens$")
    assert len(writes) - len(token_posts) <= 3 + 300 // 50


def test_help_and_refusals_and_bots(app: App) -> None:
    open_pr(app)
    app.sim.set_permission(REPO, "maintainer", "write")
    ok = issue_comment_event("/help", repo=REPO, number=7, installation_id=42, commenter="maintainer")
    assert app.deliver("issue_comment", ok).status_code == 202
    reader = issue_comment_event("/review", repo=REPO, number=7, installation_id=42, commenter="reader", comment_id=2)
    app.deliver("issue_comment", reader)
    robot = issue_comment_event("/review", repo=REPO, number=7, installation_id=42, commenter="other[bot]", commenter_type="Bot", comment_id=3)
    assert app.deliver("issue_comment", robot).json()["status"] == "ignored"
    app.drain()
    replies = [c["body"] for c in app.sim.issue_comments(REPO, 7)]
    assert any("**Commands**" in b and "http-call-without-timeout" not in b and "resilience/timeout" in b for b in replies)
    assert any("need write access" in b for b in replies)
    assert app.sim.reviews(REPO, 7) == [], "the read-only user's /review did nothing"


def test_ask_without_a_model_gets_a_polite_reason(app: App) -> None:
    open_pr(app)
    app.sim.set_permission(REPO, "maintainer", "admin")
    app.deliver("issue_comment", issue_comment_event("/ask is this safe?", repo=REPO, number=7, installation_id=42, commenter="maintainer"))
    app.drain()
    [reply] = [c["body"] for c in app.sim.issue_comments(REPO, 7)]
    assert "needs a model" in reply


def test_review_command_runs_the_review(app: App) -> None:
    open_pr(app)
    app.sim.set_permission(REPO, "maintainer", "write")
    app.deliver("issue_comment", issue_comment_event("/review", repo=REPO, number=7, installation_id=42, commenter="maintainer"))
    app.drain()
    assert len(app.sim.reviews(REPO, 7)) == 1


def test_health_ready_and_metrics(app: App) -> None:
    assert httpx.get(f"{app.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{app.url}/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    open_pr(app)
    app.deliver("pull_request", pr_event())
    app.drain()
    text = httpx.get(f"{app.url}/metrics").text
    assert 'resbot_webhook_deliveries_total{event="pull_request",outcome="queued"} 1.0' in text
    assert 'resbot_jobs_total{kind="review",outcome="posted"} 1.0' in text
    assert 'resbot_queue_jobs{status="done"} 1.0' in text
    assert "resbot_github_calls_total" in text


def _serve(sim, data_dir: Path, port: int, workers: int):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "GITHUB_APP_ID": str(sim.app_id),
        "GITHUB_PRIVATE_KEY": sim.private_key_pem,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_API_URL": sim.url,
        "RESBOT_DATA_DIR": str(data_dir),
        "RESBOT_WORKERS": str(workers),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError(proc.stdout.read().decode() if proc.stdout else "resbot serve did not start")


def test_a_delivery_accepted_before_a_crash_is_reviewed_once_after_restart(github_sim, tmp_path) -> None:
    import signal
    import time

    from support.service import free_port

    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    github_sim.add_pull(repo=REPO, number=7, head_sha=HEAD_A, base_sha=BASE, files=[SimFile("svc/client.py", NEW_CLIENT, old_content=OLD_CLIENT)])
    port = free_port()
    proc = _serve(github_sim, tmp_path, port, workers=0)  # accepts, but nothing works the queue
    body = json.dumps(pr_event()).encode()
    r = httpx.post(f"http://127.0.0.1:{port}/webhooks/github", content=body, headers=headers("pull_request", body, SECRET), timeout=10)
    assert r.status_code == 202
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert github_sim.reviews(REPO, 7) == []

    proc = _serve(github_sim, tmp_path, port, workers=1)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not github_sim.reviews(REPO, 7):
            time.sleep(0.1)
        time.sleep(0.5)
        assert len(github_sim.reviews(REPO, 7)) == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_cli_review_dry_run_prints_the_review_and_writes_nothing(github_sim, tmp_path, cli) -> None:
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    github_sim.add_pull(repo=REPO, number=7, head_sha=HEAD_A, base_sha=BASE, files=[SimFile("svc/client.py", NEW_CLIENT, old_content=OLD_CLIENT)])
    github_sim.add_token("ghp_clitoken", login="dev")
    env = {"GITHUB_TOKEN": "ghp_clitoken", "GITHUB_API_URL": github_sim.url, "RESBOT_DATA_DIR": str(tmp_path)}
    run = cli("review", f"{REPO}#7", "--dry-run", env=env)
    assert run.code == 0, run.err
    assert "svc/client.py:9" in run.out and "http-call-without-timeout" in run.out
    assert github_sim.calls(method="POST") == [] and github_sim.calls(method="PATCH") == []
    bad = cli("review", "not-a-target", env=env)
    assert bad.code == 2 and "OWNER/REPO#NUMBER" in bad.err


def test_line_ask_without_a_model_replies_in_the_thread(app: App) -> None:
    from support.webhooks import review_comment_event

    open_pr(app)
    app.sim.set_permission(REPO, "maintainer", "write")
    app.sim.add_token("ghp_maintainer", login="maintainer")
    asked = app.sim.client(token="ghp_maintainer").get_repo(REPO).get_pull(7).create_review_comment(
        "/ask why is this risky?", app.sim.client(token="ghp_maintainer").get_repo(REPO).get_commit(HEAD_A), "svc/client.py", line=9, side="RIGHT")
    event = review_comment_event("/ask why is this risky?", repo=REPO, number=7, installation_id=42, commenter="maintainer",
                                 path="svc/client.py", line=9, comment_id=asked.id, head_sha=HEAD_A, base_sha=BASE)
    assert app.deliver("pull_request_review_comment", event).status_code == 202
    app.drain()
    replies = [c for c in app.sim.review_comments(REPO, 7) if c["user"]["login"] == app.sim.bot_login]
    assert len(replies) == 1 and "needs a model" in replies[0]["body"]
    assert replies[0].get("in_reply_to_id") is not None


def test_the_same_flow_on_the_redis_queue(github_sim, tmp_path, request) -> None:
    """RESBOT_QUEUE_URL=redis://… is a configuration change: the review lands once, duplicates are dropped."""
    redis_url = request.getfixturevalue("redis_url")
    github_sim.add_repo(REPO, default_branch="main", installation_id=42)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    settings = settings_for(github_sim, tmp_path / "state", queue_url=redis_url)
    runtime = build_runtime(settings)
    pool = WorkerPool(runtime, threads=1)
    with ServiceThread(create_app(settings, runtime=runtime, start_workers=False)) as running:
        app = App(github_sim, settings, runtime, pool, running.url)
        open_pr(app)
        assert app.deliver("pull_request", pr_event(), delivery="r1").status_code == 202
        assert app.deliver("pull_request", pr_event(), delivery="r1").json()["status"] == "duplicate"
        assert app.drain() == 1
        assert len(github_sim.reviews(REPO, 7)) == 1
        assert runtime.queue.depth()["done"] == 1
    runtime.queue.close()


def test_a_library_copied_into_web_assets_is_skipped_and_listed(app: App) -> None:
    vendored = "/*! somelib v1.2 | MIT License */\n(function(){ fetch('https://cdn.example/x'); })();\n"
    changed = [
        SimFile("svc/client.py", NEW_CLIENT, old_content=OLD_CLIENT),
        SimFile("web/static/js/somelib.js", vendored),
    ]
    open_pr(app, files=changed)
    app.deliver("pull_request", pr_event())
    app.drain()
    assert {c["path"] for c in bot_comments(app)} == {"svc/client.py"}
    [summary] = summaries(app)
    assert "web/static/js/somelib.js" in summary["body"] and "vendored" in summary["body"]
