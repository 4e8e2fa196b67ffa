"""Job handlers by kind: `review` runs the review flow, `command` answers /review, /help and /ask."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import yaml
from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.github.client import call, translated
from bot.github.publish import Publisher
from bot.github.pulls import open_pull, read_config
from bot.jobs.queue import Job
from bot.jobs.review import Analyzer, ReviewRunner
from bot.jobs.worker import Runtime
from bot.render.review import REPLY_MARKER_RE, neutralize

PERMISSION_RANK = {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

# Answers a line or conversation `/ask`: (job payload, repo, pull) -> reply text. Set by the LLM layer.
Asker = Callable[[dict[str, Any], Repository, PullRequest, Runtime], str]


def review_handler(job: Job, rt: Runtime) -> str:
    p = job.payload
    runner: ReviewRunner = rt.services["review_runner"]
    trigger = p.get("trigger", "")
    outcome = runner.run(
        p["repo"],
        int(p["number"]),
        installation=p.get("installation"),
        head_sha=p.get("head_sha") if trigger != "command" else None,
        superseded=lambda: rt.queue.superseded(job),
    )
    return f"{outcome.status}: {len(outcome.findings)} findings, {len(outcome.new_comments)} new comments"


def _pull(rt: Runtime, p: dict[str, Any]) -> tuple[Repository, PullRequest, Publisher]:
    gh = rt.clients.for_installation(p["installation"]) if p.get("installation") else rt.clients.for_token()
    repo = call(lambda: gh.get_repo(p["repo"]), what=f"GET repo {p['repo']}")
    pull = open_pull(repo, int(p["number"]))
    return repo, pull, Publisher(repo, pull, login=rt.clients.identity().login)


def _already_answered(pull: PullRequest, login: str, comment_id: int, *, where: str) -> bool:
    """A reply carrying our marker for this comment exists (a retried job must not answer twice)."""
    with translated(f"list comments of #{pull.number}"):
        comments = pull.get_review_comments() if where == "line" else pull.get_issue_comments()
        for c in comments:
            if c.user is not None and c.user.login == login:
                m = REPLY_MARKER_RE.search(c.body or "")
                if m and int(m.group(1)) == comment_id:
                    return True
    return False


def help_text(analyzer: Analyzer, config_yaml: str, config_error: str | None, *, llm: str) -> str:
    rules = analyzer.rules
    by_category: Counter[str] = Counter()
    languages: dict[str, set[str]] = {}
    for rule_id in rules.ids():
        variants = rules.by_id(rule_id)
        by_category[variants[0].category] += 1
        languages.setdefault(variants[0].category, set()).update(r.language for r in variants)
    lines = [
        "**resbot** reviews the changed lines of this pull request for missing resilience patterns "
        "(timeouts, retries with backoff, circuit breakers, bulkheads, throttling, cache expiry, cancellation) "
        "and risky code (injection, eval, TLS verification off, unsafe deserialization, hard-coded secrets).",
        "",
        "**Commands** (users with write access):",
        "- `/review` — review the current head again now (never repeats a comment it already made)",
        "- `/ask <question>` — ask about this pull request; on a line of the diff, about that code",
        "- `/help` — this message",
        "",
        f"**Rules** ({len(rules.ids())} ids):",
        "",
        "| category | rules | languages |",
        "|---|---:|---|",
    ]
    for category in sorted(by_category):
        lines.append(f"| `{category}` | {by_category[category]} | {', '.join(sorted(languages[category]))} |")
    lines += ["", f"**Model review:** {llm}", "", "**Effective configuration** (`.resbot.yml` on the base branch):"]
    if config_error:
        lines.append(f"> ⚠️ invalid, defaults in use: {neutralize(config_error)}")
    lines += ["```yaml", config_yaml.rstrip(), "```", "", "Silence one finding with `resbot: ignore[rule-id]` on the line or the line above."]
    return "\n".join(lines)


def command_handler(job: Job, rt: Runtime) -> str:
    p = job.payload
    repo, pull, publisher = _pull(rt, p)
    login = rt.clients.identity().login
    comment_id = int(p["comment_id"])
    where = p.get("where", "conversation")
    if _already_answered(pull, login, comment_id, where=where):
        return "already-answered"
    marker = f"\n\n<!-- resbot:reply-to={comment_id} -->"
    thread = comment_id if where == "line" else None
    permission = call(lambda: repo.get_collaborator_permission(p["user"]), what=f"GET permission of {p['user']}")
    needed = rt.settings.command_permission
    if PERMISSION_RANK.get(permission, 0) < PERMISSION_RANK[needed]:
        publisher.reply(
            f"@{p['user']} resbot commands need {needed} access to this repository; yours is {permission}." + marker,
            in_reply_to_review_comment=thread,
        )
        return f"refused: {p['user']} has {permission}"
    command = p["command"]
    if command == "review":
        runner: ReviewRunner = rt.services["review_runner"]
        outcome = runner.run(p["repo"], int(p["number"]), installation=p.get("installation"))
        return f"review: {outcome.status}, {len(outcome.new_comments)} new comments"
    if command == "help":
        analyzer: Analyzer = rt.services["analyzer"]
        config, error = read_config(repo, pull.base.sha)
        config_yaml = yaml.safe_dump(config.model_dump(by_alias=True), sort_keys=False)
        llm = "on" if rt.settings.llm_configured and config.llm.enabled else "off (no model configured)" if not rt.settings.llm_configured else "off for this repository"
        publisher.reply(help_text(analyzer, config_yaml, error, llm=llm) + marker, in_reply_to_review_comment=thread)
        return "help"
    asker: Asker | None = rt.services.get("asker")
    if asker is None or not rt.settings.llm_configured:
        publisher.reply(
            "`/ask` needs a model, and none is configured for this resbot installation "
            "(set `OPENAI_API_KEY` / `OPENAI_BASE_URL`). Rule findings are still posted on every push." + marker,
            in_reply_to_review_comment=thread,
        )
        return "ask: not configured"
    if not p.get("argument"):
        publisher.reply("Usage: `/ask <question>`" + marker, in_reply_to_review_comment=thread)
        return "ask: empty"
    answer = asker(p, repo, pull, rt)
    publisher.reply(neutralize(answer) + marker, in_reply_to_review_comment=thread)
    return "ask: answered"


def notify_failure(rt: Runtime) -> Callable[[Job, str], None]:
    """Report a dead-lettered job on its pull request (once per job)."""

    def notify(job: Job, error: str) -> None:
        p = job.payload
        if "repo" not in p or "number" not in p:
            return
        _repo, _pull_obj, publisher = _pull(rt, p)
        publisher.reply(
            f"⚠️ resbot could not finish a {job.kind} of this pull request and gave up after {job.attempts} "
            f"attempt(s): {neutralize(error[:500])}\n\nComment `/review` to try again."
            f"\n\n<!-- resbot:failed job={job.id} delivery={job.delivery} -->"
        )

    return notify
