"""`/ask`: answer a question about a pull request (conversation) or about one line (review thread).

The context is budgeted into one call, redacted and fenced as data; the answer is sanitised like every
model text. When the model cannot be reached the answer says why, politely; this never raises for that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.errors import LLMError
from bot.llm.budget import Piece, count_message_tokens, count_tokens, plan_review, redact_file
from bot.llm.changes import ReviewFile
from bot.llm.client import LLMClient
from bot.llm.prompts import render
from bot.llm.redact import is_sensitive_path, redact, sanitize_pr_text
from bot.llm.review import MAX_BODY_CHARS, MAX_TITLE_CHARS, SAFETY_TOKENS
from bot.llm.sanitize import sanitize_model_text
from bot.llm.view import Region, hunk_regions, merge_regions, regions_around, render_piece
from bot.models import Finding
from bot.settings import Settings

MAX_QUESTION_CHARS = 2000
MAX_THREAD_COMMENTS = 20
MAX_COMMENT_CHARS = 3000
MAX_ANSWER_CHARS = 6000
_LINE_WINDOW = 12


@dataclass(frozen=True, slots=True)
class ThreadComment:
    """One earlier comment of a review thread."""

    author: str
    body: str


@dataclass(frozen=True, slots=True)
class AskContext:
    """What a question is asked about: the PR's files (conversation `/ask`), or one file with the commented
    `line` and the thread so far (line `/ask`; `files` then holds that one file, with the hunk as its patch)."""

    files: tuple[ReviewFile, ...] = ()
    line: int | None = None
    thread: tuple[ThreadComment, ...] = ()
    pr_title: str = ""
    pr_body: str = ""
    rule_findings: tuple[Finding, ...] = ()

    @classmethod
    def for_pr(
        cls, files: Sequence[ReviewFile], *, pr_title: str = "", pr_body: str = "", rule_findings: Sequence[Finding] = ()
    ) -> AskContext:
        return cls(tuple(files), None, (), pr_title, pr_body, tuple(rule_findings))

    @classmethod
    def for_line(
        cls,
        file: ReviewFile,
        *,
        line: int,
        thread: Sequence[ThreadComment] = (),
        pr_title: str = "",
        pr_body: str = "",
    ) -> AskContext:
        return cls((file,), line, tuple(thread), pr_title, pr_body, ())

    @property
    def mode(self) -> str:
        return "line" if self.line is not None else "pr"


@dataclass(frozen=True, slots=True)
class AskAnswer:
    """The reply to post (already sanitised), and its cost; `available` is False when the model was not asked."""

    text: str
    tokens_in: int = 0
    tokens_out: int = 0
    available: bool = True


def _clean(text: str, limit: int) -> str:
    out = redact(sanitize_pr_text(text)).text
    return out if len(out) <= limit else out[:limit].rstrip() + " [… cut]"


def _line_pieces(file: ReviewFile, line: int, capacity: int, encoding_name: str) -> tuple[list[Piece], list[str]]:
    """The enclosing function of the line plus the hunk; smaller views when that does not fit."""
    if is_sensitive_path(file.path):
        return [], [f"{file.path} (sensitive file: never sent to the model)"]
    safe, _ = redact_file(file)
    n = len(safe.new_text.splitlines()) if safe.new_text is not None else line + _LINE_WINDOW
    window = Region(max(1, line - _LINE_WINDOW), min(n, line + _LINE_WINDOW))
    views = [
        merge_regions([*regions_around(safe, [line]), *hunk_regions(safe)]),
        merge_regions([*hunk_regions(safe), window]) if safe.new_text is not None else hunk_regions(safe),
        [window] if safe.new_text is not None else hunk_regions(safe)[:1],
    ]
    for regions in views:
        pieces = []
        for region in regions:
            text, shown = render_piece(safe, region)
            pieces.append(Piece(safe.path, region, text, count_tokens(text, encoding_name=encoding_name) + 2, shown))
        if pieces and sum(p.tokens for p in pieces) <= capacity:
            return pieces, []
    return [], [f"{file.path} around line {line} (larger than one call's budget)"]


def build_ask_messages(
    *, question: str, context: AskContext, settings: Settings
) -> tuple[list[dict[str, str]], list[str], tuple[int, int]]:
    """The messages of the one call, what was left out, and (changed lines sent, changed lines total)."""
    path = context.files[0].path if context.mode == "line" and context.files else ""
    title = _clean(context.pr_title, MAX_TITLE_CHARS)
    body = _clean(context.pr_body, MAX_BODY_CHARS)
    thread = [
        {"author": _clean(c.author, 80), "body": _clean(c.body, MAX_COMMENT_CHARS)}
        for c in context.thread[-MAX_THREAD_COMMENTS:]
    ]
    q = _clean(question, MAX_QUESTION_CHARS)

    def messages(pieces: list[str], omitted: list[str]) -> list[dict[str, str]]:
        system = render("ask", "system", mode=context.mode, line=context.line or 0, path=path)
        user = render(
            "ask", "user", question=q, pr_title=title, pr_body=body, thread=thread, pieces=pieces, omitted=omitted
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    enc = settings.tiktoken_encoding
    # Room for the list of what was left out, which is not known before packing.
    overhead = count_message_tokens(messages([], []), encoding_name=enc) + SAFETY_TOKENS + 400
    capacity = max(0, settings.llm_tokens_per_call - overhead)
    total = sum(len(f.added_lines) for f in context.files)
    if context.mode == "line" and context.files and context.line is not None:
        pieces, omitted = _line_pieces(context.files[0], context.line, capacity, enc)
        sent = sum(len(p.lines) for p in pieces)
    else:
        plan = plan_review(
            context.files,
            rule_findings=context.rule_findings,
            tokens_per_call=settings.llm_tokens_per_call,
            max_calls=1,
            overhead_tokens=overhead,
            encoding_name=enc,
        )
        pieces = plan.batches[0].pieces if plan.batches else []
        omitted = [f"{p} ({r})" for p, r in plan.skipped]
        if len(omitted) > 25:  # the prompt lists the first ones; the count below stays exact
            omitted = [*omitted[:25], f"and {len(omitted) - 25} more"]
        sent = plan.changed_lines_sent
    texts = [p.text for p in pieces]
    out = messages(texts, omitted)
    # The list of what was left out was not known when the room for it was set aside: shorten it to fit.
    while omitted and count_message_tokens(out, encoding_name=enc) > settings.llm_tokens_per_call:
        omitted = [*omitted[: max(0, len(omitted) // 2 - 1)], "and more"] if len(omitted) > 1 else []
        out = messages(texts, omitted)
    return out, omitted, (sent, total)


def answer(
    *,
    question: str,
    context: AskContext,
    client: LLMClient,
    settings: Settings,
    installation: str | int | None = None,
) -> AskAnswer:
    """Answer `/ask <question>`; see the module docstring."""
    ok, reason = client.available(installation)
    if not ok:
        return AskAnswer(_unavailable(reason), available=False)
    msgs, _omitted, (sent, total) = build_ask_messages(question=question, context=context, settings=settings)
    try:
        done = client.complete(msgs, schema=None, installation=installation, purpose=f"/ask ({context.mode})")
    except LLMError as exc:
        return AskAnswer(_unavailable(exc.reason), available=False)
    text = sanitize_model_text(done.text, limit=MAX_ANSWER_CHARS) or "The model returned an empty answer."
    if sent < total and context.mode == "pr":
        text += f"\n\n_The model saw {sent} of {total} changed lines; the rest was left out for budget or policy._"
    return AskAnswer(text, done.tokens_in, done.tokens_out)


def _unavailable(reason: str) -> str:
    return (
        f"Sorry, I can't answer this right now: the model is unavailable ({reason}). "
        "The rule-based review of this pull request is not affected."
    )
