"""The model's review of a change: budgeted prompts out, grounded, capped, labelled findings back.

An LLM finding survives only if its (path, line) is an added line that was sent in the same call; below
the confidence floor, on the same line and category as a rule finding (the rule's comment already says it),
or past the cap it is dropped, and every drop is counted. When no call can be made the review comes back
empty with a one-line `note` saying why: this function does not raise for an unavailable model.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.analyze.engine import WS_RE, fingerprint
from bot.config import RepoConfig
from bot.errors import LLMError, LLMReplyError
from bot.llm.budget import Batch, ReviewPlan, count_message_tokens, plan_review
from bot.llm.changes import ReviewFile
from bot.llm.client import Completion, LLMClient
from bot.llm.prompts import render
from bot.llm.redact import redact, sanitize_pr_text
from bot.llm.reply import CATEGORIES, ModelFinding, ReviewReply
from bot.llm.sanitize import one_line, sanitize_model_text
from bot.models import Finding, Severity
from bot.settings import Settings
from bot.source import ConfigFilter, path_reason

RULE_PREFIX = "llm/"
LABEL = "Model review"
DEFAULT_MIN_CONFIDENCE = 0.6
DEFAULT_MAX_FINDINGS = 10
# A model's guess never outranks what a rule proves.
MAX_MODEL_SEVERITY = Severity.HIGH
MAX_TITLE_CHARS = 300
MAX_BODY_CHARS = 6000
# Tokens held back from each call for the joins between blocks and rounding in the chat framing.
SAFETY_TOKENS = 48


@dataclass(slots=True)
class LLMReview:
    """What the model review produced, what it left out, and what it cost."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    note: str | None = None
    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    dropped_ungrounded: int = 0
    dropped_low_confidence: int = 0
    triaged: list[tuple[str, str]] = field(default_factory=list)
    dropped_duplicates: int = 0
    dropped_invalid: int = 0
    dropped_over_cap: int = 0
    changed_lines_total: int = 0
    changed_lines_sent: int = 0
    redactions: int = 0
    model: str = ""


@dataclass(slots=True)
class PreparedReview:
    """The plan and the messages of every call (pure: nothing sent yet)."""

    plan: ReviewPlan
    messages: list[list[dict[str, str]]]
    overhead_tokens: int
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _pr_text(title: str, body: str) -> tuple[str, str]:
    t = redact(sanitize_pr_text(title)).text[:MAX_TITLE_CHARS]
    b = redact(sanitize_pr_text(body)).text
    if len(b) > MAX_BODY_CHARS:
        b = b[:MAX_BODY_CHARS].rstrip() + "\n[… description cut]"
    return t, b


def _messages(
    pieces: Sequence[str],
    *,
    index: int,
    count: int,
    instructions: str,
    pr_title: str,
    pr_body: str,
    triage: bool,
    max_findings: int,
) -> list[dict[str, str]]:
    system = render("review", "system", categories=CATEGORIES, triage=triage, max_findings=max_findings)
    user = render(
        "review",
        "user",
        instructions=instructions,
        pr_title=pr_title,
        pr_body=pr_body,
        pieces=list(pieces),
        call_index=index,
        call_count=count,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def prepare_review(
    changes: Sequence[ReviewFile],
    *,
    rule_findings: Sequence[Finding],
    config: RepoConfig,
    settings: Settings,
    pr_title: str = "",
    pr_body: str = "",
    triage: bool = False,
    max_findings: int = DEFAULT_MAX_FINDINGS,
) -> PreparedReview:
    """Filter, redact, plan and render every call's messages; no network."""
    skipped: list[tuple[str, str]] = []
    keep: list[ReviewFile] = []
    cfg = ConfigFilter(config)
    for f in changes:
        reason = path_reason(f.path) or cfg.reason(f.path)
        if reason is not None:
            skipped.append((f.path, reason))
        else:
            keep.append(f)
    title, body = _pr_text(pr_title, pr_body)
    instructions = redact(sanitize_pr_text(config.instructions)).text
    enc = settings.tiktoken_encoding
    make = functools.partial(
        _messages, instructions=instructions, pr_title=title, pr_body=body, triage=triage, max_findings=max_findings
    )
    # The frame of a call without any code: the largest call numbers it can carry, so it never grows.
    bare = make([], index=settings.llm_max_calls, count=settings.llm_max_calls)
    overhead = count_message_tokens(bare, encoding_name=enc) + SAFETY_TOKENS
    kept_paths = {k.path for k in keep}
    plan = plan_review(
        keep,
        rule_findings=[f for f in rule_findings if f.path in kept_paths],
        tokens_per_call=settings.llm_tokens_per_call,
        max_calls=settings.llm_max_calls,
        overhead_tokens=overhead,
        encoding_name=enc,
    )
    plan.changed_lines_total += sum(len(f.added_lines) for f in changes if f.path not in kept_paths)
    messages = [make([p.text for p in b.pieces], index=i, count=len(plan.batches)) for i, b in enumerate(plan.batches, 1)]
    return PreparedReview(plan, messages, overhead, skipped + plan.skipped)


def _category(raw: str) -> str | None:
    value = raw.strip().lower().replace("_", "-").replace(" ", "-")
    if value in CATEGORIES:
        return value
    tail = value.rsplit("/", 1)[-1]
    matches = [c for c in CATEGORIES if c.rsplit("/", 1)[-1] == tail]
    return matches[0] if len(matches) == 1 else None


def _slug(category: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", category.rsplit("/", 1)[-1]).strip("-") or "general"


def _scope_of(batch: Batch, path: str, line: int) -> str:
    for p in batch.pieces:
        if p.path == path and p.region.start <= line <= p.region.end and p.region.scope:
            m = re.search(r"`([^`]+)`", p.region.scope)
            return m.group(1) if m else ""
    return ""


@dataclass(slots=True)
class _Candidate:
    model: ModelFinding
    category: str
    severity: Severity
    path: str
    line: int
    end_line: int
    scope: str


def _ground(
    reply: ReviewReply,
    batch: Batch,
    *,
    changes: dict[str, ReviewFile],
    rule_findings: Sequence[Finding],
    min_confidence: float,
    out: LLMReview,
) -> list[_Candidate]:
    sent = batch.lines_sent()
    kept: list[_Candidate] = []
    out.dropped_invalid += reply.dropped_invalid
    for mf in reply.findings:
        lines = sent.get(mf.path)
        if lines is None or mf.line not in lines or mf.path not in changes:
            out.dropped_ungrounded += 1
            continue
        category = _category(mf.category)
        if category is None:
            out.dropped_invalid += 1
            continue
        if mf.confidence < min_confidence:
            out.dropped_low_confidence += 1
            continue
        if any(
            rf.path == mf.path and rf.line <= mf.line <= max(rf.end_line, rf.line) and rf.category == category
            for rf in rule_findings
        ):
            out.dropped_duplicates += 1
            continue
        end = mf.end_line if mf.end_line and mf.end_line > mf.line else mf.line
        if any(n not in changes[mf.path].added_lines for n in range(mf.line, end + 1)):
            end = mf.line  # a range must stay on added lines to be commented on as one
        severity = min(Severity.parse(mf.severity), MAX_MODEL_SEVERITY)
        kept.append(_Candidate(mf, category, severity, mf.path, mf.line, end, _scope_of(batch, mf.path, mf.line)))
    return kept


def _finding(c: _Candidate, file: ReviewFile, occurrences: Counter[tuple[str, str, str]]) -> Finding:
    rule_id = RULE_PREFIX + _slug(c.category)
    lines = (file.new_text or "").splitlines()
    snippet = lines[c.line - 1] if 0 < c.line <= len(lines) else ""
    if not snippet:
        snippet = next((ln.text for h in file.hunks for ln in h.lines if ln.kind == "+" and ln.new_line == c.line), "")
    normalized = WS_RE.sub(" ", snippet).strip()[:300] or f"line {c.line}"
    occurrences[(rule_id, c.path, normalized)] += 1
    title = one_line(c.model.title, limit=160)
    body = sanitize_model_text(c.model.message)
    return Finding(
        rule_id=rule_id,
        severity=c.severity,
        category=c.category,
        path=c.path,
        line=c.line,
        column=1,
        end_line=c.end_line,
        end_column=1,
        message=f"{LABEL}: {title}\n\n{body}" if body else f"{LABEL}: {title}",
        language=file.language or "",
        snippet=snippet,
        fingerprint=fingerprint(rule_id, c.path, normalized, occurrences[(rule_id, c.path, normalized)]),
        scope=c.scope,
    )


def _one_call(client: LLMClient, messages: list[dict[str, str]], installation: str | int | None, purpose: str) -> Completion | LLMError:
    try:
        return client.complete(messages, schema=ReviewReply, installation=installation, purpose=purpose)
    except LLMError as exc:
        return exc


def llm_review(
    *,
    changes: list[ReviewFile],
    rule_findings: list[Finding],
    config: RepoConfig,
    client: LLMClient,
    settings: Settings,
    installation: str | int | None = None,
    pr_title: str = "",
    pr_body: str = "",
    triage: bool = False,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    max_findings: int | None = None,
) -> LLMReview:
    """Review `changes` with the model; see the module docstring. `max_findings` defaults to
    min(config.max_comments, 10)."""
    cap = min(config.max_comments, DEFAULT_MAX_FINDINGS if max_findings is None else max_findings)
    total = sum(len(f.added_lines) for f in changes)
    if not config.llm.enabled:
        return LLMReview(changed_lines_total=total)
    ok, reason = client.available(installation)
    if not ok:
        return LLMReview(note=f"{LABEL} skipped: {reason}.", changed_lines_total=total)
    prepared = prepare_review(
        changes,
        rule_findings=rule_findings,
        config=config,
        settings=settings,
        pr_title=pr_title,
        pr_body=pr_body,
        triage=triage,
        max_findings=cap,
    )
    plan = prepared.plan
    out = LLMReview(
        skipped=list(prepared.skipped),
        changed_lines_total=plan.changed_lines_total,
        redactions=sum(plan.redactions.values()),
    )
    if not plan.batches:
        out.note = f"{LABEL}: nothing to send (see the list of files not reviewed by the model)." if out.skipped else None
        return out
    n = len(plan.batches)
    workers = max(1, min(n, settings.llm_installation_concurrency))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm-review") as pool:
        results = list(
            pool.map(
                lambda im: _one_call(client, im[1], installation, f"review call {im[0]} of {n}"),
                enumerate(prepared.messages, 1),
            )
        )
    by_path = {f.path: f for f in changes}
    candidates: list[_Candidate] = []
    failures: list[str] = []
    sent_lines = 0
    for batch, result in zip(plan.batches, results, strict=True):
        if isinstance(result, LLMError):
            if isinstance(result, LLMReplyError):
                out.calls += 1
                out.tokens_in += result.tokens_in
                out.tokens_out += result.tokens_out
            failures.append(result.reason)
            for path, lines in batch.lines_sent().items():
                out.skipped.append((path, f"lines {_ranges(lines)}: model call failed: {result.reason}"))
            continue
        out.calls += 1
        out.tokens_in += result.tokens_in
        out.tokens_out += result.tokens_out
        out.model = result.model
        sent_lines += sum(len(v) for v in batch.lines_sent().values())
        if not isinstance(result.parsed, ReviewReply):
            continue
        candidates += _ground(
            result.parsed,
            batch,
            changes=by_path,
            rule_findings=rule_findings,
            min_confidence=min_confidence,
            out=out,
        )
        if triage:
            ids = set(batch.hint_ids())
            for t in result.parsed.triage:
                if t.verdict == "false_positive" and t.id in ids:
                    out.triaged.append((plan.hints[t.id].fingerprint, one_line(t.reason, limit=300)))
    out.changed_lines_sent = sent_lines

    unique: dict[tuple[str, int, str], _Candidate] = {}
    for c in candidates:
        unique.setdefault((c.path, c.line, c.category), c)
    out.dropped_duplicates += len(candidates) - len(unique)
    ranked = sorted(unique.values(), key=lambda c: (-c.severity, -c.model.confidence, c.path, c.line))
    out.dropped_over_cap = max(0, len(ranked) - cap)
    chosen = sorted(ranked[:cap], key=lambda c: (c.path, c.line, c.category))
    occurrences: Counter[tuple[str, str, str]] = Counter()
    out.findings = [_finding(c, by_path[c.path], occurrences) for c in chosen]
    out.note = _note(out, failures, n)
    return out


def _ranges(lines: frozenset[int]) -> str:
    nums = sorted(lines)
    if not nums:
        return "-"
    return f"{nums[0]}-{nums[-1]}" if len(nums) > 1 else str(nums[0])


def _note(out: LLMReview, failures: list[str], calls: int) -> str | None:
    parts: list[str] = []
    if failures and len(failures) == calls:
        return f"{LABEL} skipped: {failures[0]}."
    if failures:
        parts.append(f"{len(failures)} of {calls} model calls failed ({failures[0]})")
    if out.changed_lines_sent < out.changed_lines_total:
        parts.append(
            f"the model saw {out.changed_lines_sent} of {out.changed_lines_total} changed lines; "
            f"{len({p for p, _ in out.skipped})} file(s) not fully reviewed by it are listed"
        )
    if not parts:
        return None
    return f"{LABEL} partial: " + "; ".join(parts) + "."
