"""The model's part of a review and of `/ask`: adapts a PR's analysis to the LLM layer (bot/llm).

The review flow calls `ModelReviewer` as its extra reviewer; the command handler calls `ModelAsker`.
When no model is configured (or it is over budget, or its breaker is open) both still answer: the review
carries a one-line note saying the model review was skipped and why, and `/ask` replies with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from github.PullRequest import PullRequest
from github.Repository import Repository

from bot.config import RepoConfig
from bot.github.client import translated
from bot.github.pulls import PullFile, PullSnapshot, fetch_blobs, list_files
from bot.jobs.review import Analysis
from bot.jobs.worker import Runtime
from bot.llm.ask import AskContext, ThreadComment, answer
from bot.llm.changes import ReviewFile
from bot.llm.client import LLMClient
from bot.llm.review import llm_review
from bot.metrics import Metrics
from bot.models import Finding
from bot.settings import Settings
from bot.syntax.languages import detect

log = logging.getLogger(__name__)
MAX_SKIPPED_LISTED = 30


def review_files(files: Iterable[PullFile], texts: Mapping[str, str]) -> list[ReviewFile]:
    """Every changed file with a patch, with its whole new text where `texts` has it."""
    out = []
    for f in files:
        if f.status == "removed" or f.patch is None:
            continue
        detected = detect(f.path)
        out.append(
            ReviewFile.from_patch(
                f.path,
                f.patch,
                new_text=texts.get(f.path),
                status=f.status,
                language=detected[0] if detected else None,
            )
        )
    return out


class ModelReviewer:
    """The extra reviewer of the review flow: model findings plus notes for the summary."""

    def __init__(self, settings: Settings, client: LLMClient, *, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.client = client
        self.metrics = metrics

    def __call__(self, snap: PullSnapshot, analysis: Analysis, config: RepoConfig, installation: str) -> tuple[list[Finding], list[str]]:
        if not config.llm.enabled:
            return [], ["Model review: off for this repository (`llm.enabled: false`)."]
        result = llm_review(
            changes=review_files(snap.files, analysis.texts),
            rule_findings=analysis.findings,
            config=config,
            client=self.client,
            settings=self.settings,
            installation=installation or None,
            pr_title=snap.title,
            pr_body=snap.body,
            triage=config.llm.triage,
        )
        if self.metrics is not None:
            self.metrics.llm_tokens.labels("in").inc(result.tokens_in)
            self.metrics.llm_tokens.labels("out").inc(result.tokens_out)
        notes = []
        if result.note:
            notes.append(result.note)
        if result.calls:
            notes.append(
                f"Model review: {result.calls} call(s), {result.tokens_in:,} tokens in / {result.tokens_out:,} out; "
                f"{result.changed_lines_sent} of {result.changed_lines_total} changed lines reviewed by the model"
                + (f"; {result.dropped_ungrounded} answer(s) dropped for pointing outside the diff" if result.dropped_ungrounded else "")
                + "."
            )
        if result.triaged:
            # The repository opted in (`llm.triage: true`): rule findings the model judged false are not posted.
            reasons = dict(result.triaged)
            dropped = [f for f in analysis.findings if f.fingerprint in reasons]
            analysis.findings = [f for f in analysis.findings if f.fingerprint not in reasons]
            notes.append(
                f"Model triage (`llm.triage: true`) judged {len(dropped)} rule finding(s) false positives, not posted: "
                + "; ".join(f"`{f.rule_id}` at `{f.path}:{f.line}` — {reasons[f.fingerprint]}" for f in dropped[:20])
            )
        if result.skipped:
            listed = "; ".join(f"`{path}` ({reason})" for path, reason in result.skipped[:MAX_SKIPPED_LISTED])
            more = f"; and {len(result.skipped) - MAX_SKIPPED_LISTED} more" if len(result.skipped) > MAX_SKIPPED_LISTED else ""
            notes.append(f"Not reviewed by the model: {listed}{more}.")
        return result.findings, notes


def _thread(pull: PullRequest, comment_id: int, root_id: int | None) -> list[ThreadComment]:
    root = root_id or comment_id
    out: list[ThreadComment] = []
    with translated(f"list review comments of #{pull.number}"):
        for c in pull.get_review_comments():
            if root in (c.id, c.in_reply_to_id) and c.id != comment_id:
                out.append(ThreadComment(c.user.login if c.user else "?", c.body or ""))
    return out[-10:]


class ModelAsker:
    """Answers `/ask`: the PR's changed files in the conversation; the hunk, function and thread on a line."""

    def __init__(self, settings: Settings, client: LLMClient) -> None:
        self.settings = settings
        self.client = client

    def __call__(self, p: dict[str, Any], repo: Repository, pull: PullRequest, rt: Runtime) -> str:
        files, _truncated = list_files(pull)
        wanted = {f.path: f.blob_sha for f in files if f.blob_sha and f.status != "removed" and detect(f.path)}
        if p.get("where") == "line" and p.get("path"):
            wanted = {k: v for k, v in wanted.items() if k == p["path"]}
        blobs = fetch_blobs(repo, wanted, concurrency=self.settings.github_concurrency)
        texts = {}
        for path, data in blobs.items():
            try:
                texts[path] = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
        review = review_files(files, texts)
        if p.get("where") == "line" and p.get("path") and p.get("line"):
            target = next((f for f in review if f.path == p["path"]), None)
            if target is not None:
                thread = _thread(pull, int(p["comment_id"]), p.get("in_reply_to"))
                context = AskContext.for_line(target, line=int(p["line"]), thread=thread, pr_title=pull.title or "", pr_body=pull.body or "")
            else:
                context = AskContext.for_pr(review, pr_title=pull.title or "", pr_body=pull.body or "")
        else:
            context = AskContext.for_pr(review, pr_title=pull.title or "", pr_body=pull.body or "")
        result = answer(
            question=str(p.get("argument", "")),
            context=context,
            client=self.client,
            settings=self.settings,
            installation=p.get("installation"),
        )
        rt.metrics.llm_tokens.labels("in").inc(result.tokens_in)
        rt.metrics.llm_tokens.labels("out").inc(result.tokens_out)
        return result.text


def _runs(lines: frozenset[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for n in sorted(lines):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def scan_files(root: Any, changes: Any, skipped_paths: set[str]) -> list[ReviewFile]:
    """ReviewFiles for a CLI scan: whole files in a tree scan, the added runs of lines for a diff."""
    from bot.llm.changes import Hunk, HunkLine

    out: list[ReviewFile] = []
    for change in changes.files:
        if change.path in skipped_paths or detect(change.path) is None:
            continue
        try:
            text = (root / change.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if change.added_lines is None:
            out.append(ReviewFile.whole(change.path, text))
            continue
        lines = text.splitlines()
        hunks = [
            Hunk(run[0], tuple(HunkLine("+", n, lines[n - 1] if n - 1 < len(lines) else "") for n in run))
            for run in _runs(change.added_lines)
        ]
        if hunks:
            out.append(ReviewFile.build(change.path, hunks, new_text=text, status=change.status))
    return out


def scan_with_model(
    settings: Settings, *, root: Any, changes: Any, findings: list[Finding], skipped_paths: set[str], config: RepoConfig
) -> tuple[list[Finding], list[str], int, int]:
    """`resbot scan --llm`: (model findings, notes, tokens in, tokens out) over what the scan analysed."""
    if not settings.llm_configured:
        return [], ["Model review skipped: no model is configured (set OPENAI_API_KEY or OPENAI_BASE_URL)."], 0, 0
    client = LLMClient(settings)
    result = llm_review(
        changes=scan_files(root, changes, skipped_paths),
        rule_findings=findings,
        config=config,
        client=client,
        settings=settings,
    )
    notes = [result.note] if result.note else []
    notes.append(
        f"Model review: {result.calls} call(s), {result.tokens_in:,} tokens in / {result.tokens_out:,} out, "
        f"{result.changed_lines_sent} of {result.changed_lines_total} lines reviewed by the model."
    )
    if result.skipped:
        notes.append("Not reviewed by the model: " + "; ".join(f"{p} ({r})" for p, r in result.skipped[:MAX_SKIPPED_LISTED])
                     + (f"; and {len(result.skipped) - MAX_SKIPPED_LISTED} more" if len(result.skipped) > MAX_SKIPPED_LISTED else ""))
    return result.findings, notes, result.tokens_in, result.tokens_out
