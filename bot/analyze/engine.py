"""The rule engine: one combined tree-sitter query per grammar, conditions, suppressions, fingerprints.

All rules of a language and every sub-query their conditions use are compiled into a single query, so a
file's tree is walked once whatever the size of the rule pack; matches are dispatched by pattern index.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.analyze.conditions import Captures, FileContext, SubMatches, argument_items, holds, text_of
from bot.analyze.rules import PLACEHOLDER_RE, Rule, RuleSet, Variant
from bot.models import FileReport, Finding, Fix
from bot.syntax import treesitter
from bot.syntax.scopes import describe_scope
from bot.syntax.treesitter import Node

SUPPRESS_RE = re.compile(r"resbot:\s*ignore(?:\[([^\]]*)\])?", re.I)
WS_RE = re.compile(r"\s+")
NAMED_ARG_RE = re.compile(r"^(\w+)\s*[=:]\s*(.+)$", re.S)


@dataclass
class GrammarPack:
    """The combined queries of one grammar: rule patterns, and condition sub-queries (run only when a rule
    pattern matched), with what each pattern belongs to."""

    grammar: str
    query: object | None
    main: dict[int, tuple[Rule, Variant]] = field(default_factory=dict)
    sub_query: object | None = None
    sub: dict[int, str] = field(default_factory=dict)
    subqueries: tuple[str, ...] = ()


def _combine(grammar: str, pieces: list[tuple[str, object]]) -> tuple[object | None, dict[int, object]]:
    """Compile pieces as one query; map each pattern index to its piece's owner by the pattern's byte
    offset in the combined text (no per-piece compilation)."""
    if not pieces:
        return None, {}
    text = ""
    starts: list[tuple[int, object]] = []
    for piece, owner in pieces:
        starts.append((len(text.encode()), owner))
        text += piece.rstrip() + "\n"
    query = treesitter.compile_query(grammar, text)
    owners: dict[int, object] = {}
    k = 0
    for i in range(query.pattern_count):
        at = query.start_byte_for_pattern(i)
        while k + 1 < len(starts) and starts[k + 1][0] <= at:
            k += 1
        owners[i] = starts[k][1]
    return query, owners


def build_pack(grammar: str, rules: list[Rule]) -> GrammarPack:
    mains: list[tuple[str, object]] = [(v.query, (r, v)) for r in rules for v in r.variants]
    subqueries = tuple(dict.fromkeys(text for r in rules for text in r.subqueries()))
    query, main = _combine(grammar, mains)
    sub_query, sub = _combine(grammar, [(t, t) for t in subqueries])
    return GrammarPack(grammar, query, main, sub_query, sub, subqueries)  # type: ignore[arg-type]


class Engine:
    """Runs a RuleSet over files; holds one compiled pack per grammar (built on first use)."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self._packs: dict[str, GrammarPack] = {}

    def pack(self, grammar: str, language: str) -> GrammarPack:
        if grammar not in self._packs:
            self._packs[grammar] = build_pack(grammar, self.rules.for_language(language))
        return self._packs[grammar]

    def analyze(
        self,
        path: str,
        source: bytes,
        *,
        language: str,
        grammar: str,
        added_lines: frozenset[int] | None = None,
    ) -> FileReport:
        """Analyse one decoded-clean source file; findings outside `added_lines` (if given) are dropped."""
        text = source.decode("utf-8")
        lines = text.splitlines()
        report = FileReport(path=path, language=language, lines=len(lines))
        tree = treesitter.parse(grammar, source)
        report.parse_errors = tree.root_node.has_error
        pack = self.pack(grammar, language)
        if pack.query is None:
            return report
        mains: list[tuple[int, Rule, Variant, Captures]] = []
        for index, caps in treesitter.matches(pack.query, tree.root_node):  # type: ignore[arg-type]
            owner = pack.main.get(index)
            if owner is not None and caps.get("match"):
                mains.append((index, owner[0], owner[1], caps))
        subs: dict[str, SubMatches] = {q: SubMatches() for q in pack.subqueries}
        if mains and pack.sub_query is not None:
            for index, caps in treesitter.matches(pack.sub_query, tree.root_node):  # type: ignore[arg-type]
                subs[pack.sub[index]].captures.append(caps)
        if not mains:
            return report
        ctx = FileContext(language=language, text=text, sub=subs)
        seen: set[tuple[str, int, int]] = set()
        candidates: list[tuple[Rule, Captures, Node]] = []
        # When several variants of a rule match one node, the first declared one speaks (and brings its fix).
        mains.sort(key=lambda m: m[0])
        for _index, rule, variant, caps in mains:
            node = caps["match"][0]
            key = (rule.id, node.start_byte, node.end_byte)
            if key in seen:
                continue
            if not _in_scope(node, added_lines):
                continue
            if all(holds(c, caps, ctx) for c in variant.require) and not any(
                holds(c, caps, ctx) for c in variant.unless
            ):
                seen.add(key)
                candidates.append((rule, caps, node))
        candidates.sort(key=lambda c: (c[2].start_byte, c[0].id))
        occurrences: Counter[tuple[str, str]] = Counter()
        for rule, caps, node in candidates:
            line = node.start_point[0] + 1
            if _suppressed(lines, line, rule.id):
                report.suppressed += 1
                continue
            normalized = WS_RE.sub(" ", text_of(node)).strip()[:300]
            occurrences[(rule.id, normalized)] += 1
            report.findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=rule.severity,
                    category=rule.category,
                    path=path,
                    line=line,
                    column=_column(lines, node.start_point[0], node.start_point[1]),
                    end_line=node.end_point[0] + 1,
                    end_column=_column(lines, node.end_point[0], node.end_point[1]),
                    message=render_template(rule.spec.message, caps),
                    language=language,
                    snippet=lines[line - 1] if line - 1 < len(lines) else "",
                    fix=make_fix(rule, caps, source),
                    fix_hint=rule.spec.docs.fix,
                    fingerprint=fingerprint(rule.id, path, normalized, occurrences[(rule.id, normalized)]),
                    scope=describe_scope(node),
                )
            )
        return report


def _column(lines: list[str], row: int, byte_col: int) -> int:
    """1-based column in code points (tree-sitter counts bytes)."""
    if row >= len(lines):
        return byte_col + 1
    return len(lines[row].encode("utf-8")[:byte_col].decode("utf-8", "ignore")) + 1


def _in_scope(node: Node, added: frozenset[int] | None) -> bool:
    if added is None:
        return True
    first, last = node.start_point[0] + 1, node.end_point[0] + 1
    return any(n in added for n in range(first, last + 1))


def _suppressed(lines: list[str], line: int, rule_id: str) -> bool:
    for n in (line, line - 1):
        if 1 <= n <= len(lines):
            for m in SUPPRESS_RE.finditer(lines[n - 1]):
                ids = m.group(1)
                if ids is None or rule_id in {i.strip() for i in ids.split(",")}:
                    return True
    return False


def fingerprint(rule_id: str, path: str, normalized_code: str, occurrence: int) -> str:
    """Stable across line moves: rule + path + whitespace-normalised code + occurrence index."""
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{normalized_code}\0{occurrence}".encode()).hexdigest()
    return digest[:24]


def render_template(template: str, caps: Captures, *, limit: int = 80) -> str:
    def sub(m: re.Match[str]) -> str:
        nodes = caps.get(m.group(1))
        if not nodes:
            return m.group(1)
        value = WS_RE.sub(" ", text_of(nodes[0])).strip()
        return value if len(value) <= limit else value[: limit - 1] + "…"

    return PLACEHOLDER_RE.sub(sub, template)


def make_fix(rule: Rule, caps: Captures, source: bytes) -> Fix | None:
    """Replacement text for the whole lines an edit touches, or None when the rule has no fix."""
    spec = rule.spec.fix
    if spec is None:
        return None
    if spec.add_argument is not None:
        nodes = caps.get(spec.add_argument.capture)
        if not nodes:
            return None
        edit = _add_argument_edit(nodes[0], spec.add_argument.text)
    else:
        if spec.replace is None:
            return None
        nodes = caps.get(spec.replace.capture)
        if not nodes:
            return None
        node = nodes[0]
        new = PLACEHOLDER_RE.sub(lambda m: text_of(caps[m.group(1)][0]) if caps.get(m.group(1)) else "", spec.replace.with_)
        edit = (node.start_byte, node.end_byte, new)
    if edit is None:
        return None
    start, end, new_text = edit
    line_start = source.rfind(b"\n", 0, start) + 1
    line_end = source.find(b"\n", end)
    line_end = len(source) if line_end == -1 else line_end
    before = source[line_start:start].decode("utf-8")
    after = source[end:line_end].decode("utf-8")
    replacement = (before + new_text + after).rstrip("\r")
    first = source.count(b"\n", 0, line_start) + 1
    last = first + source.count(b"\n", line_start, line_end)
    return Fix(description=spec.description, start_line=first, end_line=last, replacement=replacement)


def _add_argument_edit(node: Node, text: str) -> tuple[int, int, str] | None:
    lists = [node] if node.type in {"argument_list", "arguments"} else []
    if not lists:
        args = node.child_by_field_name("arguments")
        lists = [args] if args is not None else [c for c in node.named_children if c.type in {"argument_list", "arguments"}]
    if not lists:
        return None
    args_node = lists[0]
    if m := NAMED_ARG_RE.match(text):
        for name, value, _item in argument_items(args_node):
            if name == m.group(1) and value is not None:
                return (value.start_byte, value.end_byte, m.group(2))
    close = args_node.children[-1] if args_node.children else None
    if close is None or close.type != ")":
        return None
    has_items = any(True for _ in argument_items(args_node))
    # Trailing comma already present: no extra separator.
    prev = args_node.children[-2] if len(args_node.children) >= 2 else None
    sep = "" if not has_items or (prev is not None and prev.type == ",") else ", "
    return (close.start_byte, close.start_byte, sep + text)
