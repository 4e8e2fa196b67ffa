"""What the model is shown of a changed file: regions (enclosing functions or hunk windows) rendered with
new-file line numbers, `+` on added lines and `-` lines for what was removed (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.llm.changes import HunkLine, ReviewFile
from bot.llm.redact import reveal_invisible
from bot.models import Finding
from bot.syntax import treesitter
from bot.syntax.scopes import CLASS_TYPES, FUNCTION_TYPES, scope_name
from bot.syntax.treesitter import Node

CONTEXT_LINES = 3
# A function longer than this is shown around its changes only (with its name as the label).
MAX_FUNCTION_LINES = 120
# Removed lines shown per region: enough to see a changed semantics, not a whole deleted module.
MAX_REMOVED_SHOWN = 24
_ANONYMOUS = "<anonymous>"

FENCE_LANG = {
    "python": "python",
    "csharp": "csharp",
    "java": "java",
    "go": "go",
    "javascript": "javascript",
    "typescript": "typescript",
}


@dataclass(frozen=True, slots=True)
class Region:
    """Lines `start`..`end` (1-based, inclusive) of the new file; `scope` labels the enclosing code."""

    start: int
    end: int
    scope: str = ""
    whole_function: bool = False


def fence(text: str, info: str = "") -> str:
    """`text` in a Markdown code fence longer than any backtick run inside it, so it cannot break out."""
    longest = max((len(m.group(0)) for m in re.finditer(r"`{3,}", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def _first_non_space(line: bytes) -> int:
    return len(line) - len(line.lstrip())


def _scope_nodes(root: Node, line_bytes: list[bytes], row: int) -> list[Node]:
    """Function and class nodes around a line, innermost first."""
    col = _first_non_space(line_bytes[row]) if row < len(line_bytes) else 0
    node = root.descendant_for_point_range((row, col), (row, col))
    out: list[Node] = []
    current: Node | None = node
    while current is not None:
        if current.type in FUNCTION_TYPES or current.type in CLASS_TYPES:
            out.append(current)
        current = current.parent
    return out


def _label(nodes: list[Node]) -> str:
    names = [scope_name(n) for n in reversed(nodes) if scope_name(n) != _ANONYMOUS]
    inner = nodes[0] if nodes else None
    if inner is None or not names:
        return ""
    kind = "function" if inner.type in FUNCTION_TYPES else "class"
    return f"{kind} `{'.'.join(names)}`"


def _inside(a: Region, b: Region) -> bool:
    return b.whole_function and b.start <= a.start and a.end <= b.end


def merge_regions(regions: Iterable[Region]) -> list[Region]:
    out: list[Region] = []
    for r in sorted(regions, key=lambda r: (r.start, r.end)):
        if out and r.start <= out[-1].end + 1:
            last = out[-1]
            scope = last.scope if last.scope == r.scope else "; ".join(s for s in (last.scope, r.scope) if s)
            # Still "whole functions" when each part is one, or lies inside the other part that is one.
            whole = (last.whole_function or _inside(last, r)) and (r.whole_function or _inside(r, last))
            out[-1] = Region(last.start, max(last.end, r.end), scope, whole)
        else:
            out.append(r)
    return out


def hunk_regions(file: ReviewFile, *, context: int = CONTEXT_LINES, within: Region | None = None) -> list[Region]:
    """Windows of `context` lines around each run of added lines (deleted-only hunks give none)."""
    if not file.added_lines:
        return []
    n_lines = len(file.new_text.splitlines()) if file.new_text is not None else None
    regions: list[Region] = []
    for hunk in file.hunks:
        added = sorted(hunk.added)
        if not added:
            continue
        if file.new_text is None:
            start, end = hunk.new_start, hunk.new_end
        else:
            start, end = max(1, added[0] - context), added[-1] + context
            if n_lines is not None:
                end = min(end, max(n_lines, 1))
        if within is not None:
            start, end = max(start, within.start), min(end, within.end)
            if start > end:
                continue
        regions.append(Region(start, end, within.scope if within else ""))
    return merge_regions(regions)


def scope_regions(
    file: ReviewFile, *, context: int = CONTEXT_LINES, max_function_lines: int = MAX_FUNCTION_LINES
) -> list[Region]:
    """Whole enclosing functions around the added lines when they are short enough, else hunk windows
    labelled with their enclosing function or class."""
    if file.new_text is None or file.grammar is None or not file.added_lines:
        return hunk_regions(file, context=context)
    return regions_around(file, file.added_lines, context=context, max_function_lines=max_function_lines)


def regions_around(
    file: ReviewFile,
    lines: Iterable[int],
    *,
    context: int = CONTEXT_LINES,
    max_function_lines: int = MAX_FUNCTION_LINES,
) -> list[Region]:
    """The enclosing function of each line when short enough, else a window of `context` lines."""
    grammar = file.grammar
    if file.new_text is None:
        return []
    if grammar is None:
        n = len(file.new_text.splitlines())
        return merge_regions(Region(max(1, ln - context), min(n, ln + context)) for ln in lines if 1 <= ln <= n)
    source = file.new_text.encode("utf-8")
    root = treesitter.parse(grammar, source).root_node
    line_bytes = source.split(b"\n")
    n_lines = len(file.new_text.splitlines())
    regions: list[Region] = []
    cache: dict[int, Region] = {}
    for line in sorted(lines):
        if not 1 <= line <= n_lines:
            continue
        if not line_bytes[line - 1].strip():
            # A blank added line only joins the regions around it; it does not pull in context of its own.
            regions.append(Region(line, line, "", whole_function=True))
            continue
        nodes = _scope_nodes(root, line_bytes, line - 1)
        functions = [n for n in nodes if n.type in FUNCTION_TYPES and scope_name(n) != _ANONYMOUS]
        label = _label(nodes)
        region: Region | None = None
        if functions:
            fn = functions[0]
            key = fn.start_byte
            if key in cache:
                continue
            top = fn.parent if fn.parent is not None and fn.parent.type == "decorated_definition" else fn
            start, end = top.start_point[0] + 1, fn.end_point[0] + 1
            if end - start + 1 <= max_function_lines:
                region = Region(start, end, label, whole_function=True)
                cache[key] = region
        if region is None:
            region = Region(max(1, line - context), min(n_lines, line + context), label)
        regions.append(region)
    return merge_regions(regions)


def _removed_at(file: ReviewFile) -> dict[int, list[HunkLine]]:
    by_line: dict[int, list[HunkLine]] = {}
    for ln in file.removed:
        by_line.setdefault(ln.new_line, []).append(ln)
    return by_line


def _row(number: int | None, mark: str, text: str) -> str:
    num = f"{number:>5}" if number is not None else " " * 5
    return f"{num} {mark} {reveal_invisible(text)}".rstrip()


def render_region_lines(file: ReviewFile, region: Region) -> tuple[list[str], frozenset[int]]:
    """The numbered rows of a region, and the added lines it shows."""
    rows: list[str] = []
    shown: set[int] = set()
    removed = _removed_at(file)
    budget = MAX_REMOVED_SHOWN
    hidden = 0

    def emit_removed(at: int) -> None:
        nonlocal budget, hidden
        for ln in removed.get(at, ()):
            if budget > 0:
                rows.append(_row(None, "-", ln.text))
                budget -= 1
            else:
                hidden += 1

    if file.new_text is not None:
        lines = file.new_text.splitlines()
        for n in range(region.start, min(region.end, len(lines)) + 1):
            emit_removed(n)
            added = n in file.added_lines
            if added:
                shown.add(n)
            rows.append(_row(n, "+" if added else " ", lines[n - 1]))
        emit_removed(region.end + 1)
    else:
        for hunk in file.hunks:
            for ln in hunk.lines:
                if ln.kind == "-":
                    if region.start <= ln.new_line <= region.end + 1:
                        if budget > 0:
                            rows.append(_row(None, "-", ln.text))
                            budget -= 1
                        else:
                            hidden += 1
                elif region.start <= ln.new_line <= region.end:
                    if ln.kind == "+":
                        shown.add(ln.new_line)
                    rows.append(_row(ln.new_line, ln.kind, ln.text))
    if hidden:
        rows.append(f"{'':5} - [… {hidden} more removed lines not shown]")
    return rows, frozenset(shown)


def hint_line(hint_id: str, finding: Finding) -> str:
    message = " ".join(finding.message.split())
    return f"- {hint_id} line {finding.line} [{finding.rule_id}, {finding.category}]: {message}"


def render_piece(
    file: ReviewFile, region: Region, *, hints: Sequence[tuple[str, Finding]] = (), part: str = ""
) -> tuple[str, frozenset[int]]:
    """One self-contained block: header, rule hints for the region, fenced numbered code."""
    rows, shown = render_region_lines(file, region)
    where = f"lines {region.start}-{region.end}"
    scope = ""
    if region.scope:
        scope = f", {'whole ' if region.whole_function else 'in '}{region.scope}"
    language = file.language or "text"
    header = f"### {file.path} ({language}, {file.status}) {where}{scope}{part}"
    parts = [header]
    if hints:
        parts.append("Rule findings here (already reported; hints only):")
        parts.extend(hint_line(h, f) for h, f in hints)
    parts.append(fence("\n".join(rows), FENCE_LANG.get(file.language or "", "")))
    return "\n".join(parts), shown


# New outbound calls raise a file's risk: a regex per language over the added lines is enough to rank.
_OUTBOUND_COMMON = (
    r"https?://|\bgrpc\b|\bredis\b|\bkafka\b|\bamqp\b|\bsocket\b|\.execute\(|\.query\(|\bfetch\(|\baxios\b"
    r"|\bHttpClient\b|\bWebClient\b|\bRestTemplate\b"
)
OUTBOUND_RE: dict[str, re.Pattern[str]] = {
    "python": re.compile(
        _OUTBOUND_COMMON
        + r"|\brequests\.\w+\(|\bhttpx\.|\baiohttp\b|\burlopen\(|\burllib3\b|\bboto3\b|\.client\(|\bsession\.(?:get|post|put|delete|request)\(|\bpsycopg|\bsqlalchemy\b|\bcreate_engine\(|\bsmtplib\b|\bsubprocess\."
    ),
    "go": re.compile(
        _OUTBOUND_COMMON
        + r"|\bhttp\.(?:Get|Post|Head|NewRequest\w*|DefaultClient)\b|\.Do\(|\bsql\.Open\(|\.QueryContext\(|\.ExecContext\(|\bgrpc\.(?:Dial|NewClient)|\bnet\.Dial"
    ),
    "java": re.compile(
        _OUTBOUND_COMMON
        + r"|\bHttpURLConnection\b|\bOkHttpClient\b|\.exchange\(|\.getForObject\(|\.postForObject\(|\bFeignClient\b|\bJdbcTemplate\b|\bDriverManager\.getConnection\(|\.send\("
    ),
    "csharp": re.compile(
        _OUTBOUND_COMMON
        + r"|\.(?:Get|Post|Put|Delete|Send)Async\(|\bSqlConnection\b|\bDbContext\b|\bGrpcChannel\b|\bWebRequest\b"
    ),
    "javascript": re.compile(_OUTBOUND_COMMON + r"|\bhttps?\.(?:get|request)\(|\bgot\(|\bsuperagent\b|\bnew\s+Pool\("),
    "typescript": re.compile(_OUTBOUND_COMMON + r"|\bhttps?\.(?:get|request)\(|\bgot\(|\bsuperagent\b|\bnew\s+Pool\("),
}
_OUTBOUND_ANY = re.compile(_OUTBOUND_COMMON)


def has_outbound_call(file: ReviewFile) -> bool:
    pattern = OUTBOUND_RE.get(file.language or "", _OUTBOUND_ANY)
    return any(pattern.search(ln.text) for h in file.hunks for ln in h.lines if ln.kind == "+")
