"""The rule engine: rule patterns as one tree-sitter query per file, conditions, suppressions, fingerprints.

The patterns of a language's rules run as one query, so a file's tree is walked once whatever the size
of the rule pack, and only the patterns whose literals the file contains are in it (see `querysets`);
condition sub-queries run in a second walk, only for the rules whose patterns matched.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.analyze.conditions import (
    Captures,
    Check,
    FileContext,
    SubMatches,
    argument_items,
    checker,
    cost,
    subquery_of,
    text_of,
)
from bot.analyze.debug_code import debug_only_rows, in_ranges
from bot.analyze.literals import MEMO, QueryTextError, gate_of, regex_literals, split_patterns
from bot.analyze.modules import ModuleIndex
from bot.analyze.packages import PackageIndex
from bot.analyze.querysets import Literals, Occurrences, QuerySet
from bot.analyze.rules import PLACEHOLDER_RE, Condition, Rule, RuleSet, Variant, default_cache_dir
from bot.models import Confidence, FileReport, Finding, Fix
from bot.source import DotnetBuild, TwinIndex, classify_sample_path, go_test_support, go_tool_program, tool_script
from bot.syntax import treesitter
from bot.syntax.scopes import ScopeLabels
from bot.syntax.treesitter import Node

COMMENT_LINE_RE = re.compile(r"^\s*(#|//|/\*|\*|--)")
SUPPRESS_RE = re.compile(r"resbot:\s*ignore(?:\[([^\]]*)\])?", re.I)
WS_RE = re.compile(r"\s+")
Checks = tuple[tuple[Check, bool], ...]  # each condition's test, and whether it must hold
# What a file must contain for a variant to find anything: one entry per `require` condition that needs
# some literal, each a choice of gates (one per pattern of its sub-query), each gate all of its clauses
# (literal ids, one of which must be present).
Needs = tuple[tuple[tuple[frozenset[int], ...], ...], ...]
# Matches waiting on condition sub-queries get them fetched around themselves while there is at most
# one per this many bytes of the file; past that, one walk of the tree finds them all more cheaply.
BYTES_PER_PENDING = 2048
# Selections remembered per grammar pack; the memory starts over past this.
SELECTIONS = 4096
NAMED_ARG_RE = re.compile(r"^(\w+)\s*[=:]\s*(.+)$", re.S)


@dataclass(frozen=True, slots=True)
class Target:
    """One rule variant as the engine runs it: its conditions as (test, whether it must hold), cheapest
    first, split into those the rule match alone decides and those that need sub-query matches (each
    test is pure, so the order only changes how soon a verdict is known), and those sub-queries."""

    rule: Rule
    rule_id: str
    variant: Variant
    alone: Checks
    later: Checks
    needs: frozenset[str]
    requires: Needs = ()
    file_wide: bool = False  # a `later` condition needs a sub-query's matches in the whole file


@dataclass
class GrammarPack:
    """The patterns of one grammar: rule patterns, and condition sub-queries (run only when a rule
    pattern that needs them matched), each gated by the literals its predicates demand."""

    grammar: str
    literals: Literals
    main: QuerySet[Target]
    sub: QuerySet[str]
    subqueries: tuple[str, ...] = ()
    _chosen: dict[frozenset[int], tuple[int, ...]] = field(default_factory=dict)
    _chosen_sub: dict[tuple[frozenset[int], frozenset[str]], tuple[int, ...]] = field(default_factory=dict)
    _compiled_sub: dict[str, treesitter.Query] = field(default_factory=dict)

    def sub_query(self, text: str) -> treesitter.Query:
        """One condition sub-query compiled on its own, for fetching its matches around a node."""
        query = self._compiled_sub.get(text)
        if query is None:
            query = self._compiled_sub[text] = treesitter.compile_query(self.grammar, text)
        return query

    def select(self, present: frozenset[int]) -> tuple[int, ...]:
        """Rule pattern slots whose gates are open and that some variant owning them could turn into a
        finding: a variant whose required imports or sub-query literals are absent cannot, whatever its
        pattern matches, so a slot all of whose owners are such is left out of the query."""
        chosen = self._chosen.get(present)
        if chosen is None:
            slots = self.main.slots
            chosen = tuple(
                i for i in self.main.select(present) if any(_possible(t.requires, present) for _k, t in slots[i].members)
            )
            if len(self._chosen) >= SELECTIONS:
                self._chosen.clear()
            self._chosen[present] = chosen
        return chosen

    def select_sub(self, present: frozenset[int], needed: frozenset[str]) -> tuple[int, ...]:
        """Condition sub-query slots whose gates are open and that belong to a `needed` sub-query (a file
        of a code base mostly asks for what many others asked for: remembered per pair)."""
        key = (present, needed)
        chosen = self._chosen_sub.get(key)
        if chosen is None:
            chosen = self.sub.select_for(present, needed.__contains__)
            if len(self._chosen_sub) >= SELECTIONS:
                self._chosen_sub.clear()
            self._chosen_sub[key] = chosen
        return chosen


def build_pack(grammar: str, rules: list[Rule]) -> GrammarPack:
    literals = Literals()
    main = QuerySet(grammar, [(v.query, _target(r, v, literals)) for r in rules for v in r.variants], literals)
    subqueries = tuple(dict.fromkeys(text for r in rules for text in r.subqueries()))
    sub = QuerySet(grammar, [(t, t) for t in subqueries], literals)
    return GrammarPack(grammar, literals, main, sub, subqueries)


def _target(rule: Rule, variant: Variant, literals: Literals) -> Target:
    both = sorted([(c, True) for c in variant.require] + [(c, False) for c in variant.unless], key=lambda cw: cost(cw[0]))
    alone = tuple((checker(c), want) for c, want in both if subquery_of(c) is None)
    later = tuple((checker(c), want) for c, want in both if subquery_of(c) is not None)
    needs = frozenset(q for c, _ in both if (q := subquery_of(c)) is not None)
    requires = tuple(n for c in variant.require if (n := _literals_needed(c, literals)) is not None)
    file_wide = any(c.file_has is not None and c.file_has.scope == "file" for c, _ in both)
    return Target(rule, rule.id, variant, alone, later, needs, requires, file_wide)


def _literals_needed(cond: Condition, literals: Literals) -> tuple[tuple[frozenset[int], ...], ...] | None:
    """The gates one of which must be open for a required condition to hold, or None when it needs
    no literal. A sub-query condition holds only where its sub-query matches, so where one of its
    patterns' gates is open; an `imports` one only where a wanted module name occurs in the text; a
    text or file regex only where a string its matches must hold does."""
    if cond.imports is not None:
        return ((literals.intern(w.encode() for w in cond.imports),),)
    # A capture's text is part of the file's, so a string every match of the regex holds is in the file.
    regex = cond.text_matches.regex if cond.text_matches is not None else cond.file_matches
    if regex is not None:
        found = regex_literals(regex)
        return ((literals.intern(w.encode() for w in found),),) if found else None
    query = subquery_of(cond)
    if query is None:
        return None
    try:
        parts = split_patterns(query)
    except QueryTextError:
        return None
    gates = tuple(tuple(literals.intern(c) for c in gate_of(part.strip()).clauses) for part in parts)
    return None if not gates or any(not g for g in gates) else gates


def _possible(requires: Needs, present: frozenset[int]) -> bool:
    return all(any(all(not clause.isdisjoint(present) for clause in gate) for gate in gates) for gates in requires)


def _verdict(checks: Checks, caps: Captures, ctx: FileContext) -> bool:
    """Every `require` condition holds and no `unless` one does."""
    # A plain loop: this runs for every rule match, and a generator inside all() costs more.
    for check, want in checks:  # noqa: SIM110
        if check(caps, ctx) != want:
            return False
    return True


UTF8_BOM = b"\xef\xbb\xbf"


def _blank_bom(source: bytes) -> bytes:
    """A UTF-8 byte-order mark (Visual Studio writes one at the head of many C# files) is no text: read as
    blanks, so patterns anchored at a line's start (`using Dapper;`, an import) see the first line, and
    every byte offset stays the file's."""
    if source.startswith(UTF8_BOM):
        return b" " * len(UTF8_BOM) + source[len(UTF8_BOM) :]
    return source


class Engine:
    """Runs a RuleSet over files; holds one pack per grammar (built on first use, compiled per file's
    selection of patterns)."""

    def __init__(self, rules: RuleSet, *, targeted: bool = True) -> None:
        self.rules = rules
        # Gated patterns whose literals occur a few times run only around those occurrences (see
        # `QuerySet.run`); False walks the whole tree for every pattern (same findings, for comparison).
        self.targeted = targeted
        self._packs: dict[str, GrammarPack] = {}
        # One per scanned root, so each directory's package.json is read once per engine.
        self._packages: dict[Path, PackageIndex] = {}
        # One per scanned root, so each imported module is read and parsed once per engine.
        self._modules: dict[Path, ModuleIndex] = {}
        # One per scanned root, so its solution and build files are read once per engine.
        self._dotnet: dict[Path, DotnetBuild] = {}
        # One per scanned root, so each folder is listed once per engine.
        self._twins: dict[Path, TwinIndex] = {}

    def packages(self, root: Path) -> PackageIndex:
        """The package index of a scanned root (made on first use)."""
        index = self._packages.get(root)
        if index is None:
            index = self._packages[root] = PackageIndex(root)
        return index

    def modules(self, root: Path) -> ModuleIndex:
        """The module index of a scanned root (made on first use)."""
        index = self._modules.get(root)
        if index is None:
            index = self._modules[root] = ModuleIndex(root)
        return index

    def dotnet(self, root: Path) -> DotnetBuild:
        """Which .NET projects under a scanned root no build includes (read on first use)."""
        build = self._dotnet.get(root)
        if build is None:
            build = self._dotnet[root] = DotnetBuild(root)
        return build

    def twins(self, root: Path) -> TwinIndex:
        """Which files under a scanned root have a twin in another language (listed on first use)."""
        index = self._twins.get(root)
        if index is None:
            index = self._twins[root] = TwinIndex(root)
        return index

    def pack(self, grammar: str, language: str) -> GrammarPack:
        if grammar not in self._packs:
            # What building derives from rule text is kept under the cache directory for the next run.
            MEMO.use(default_cache_dir())
            self._packs[grammar] = build_pack(grammar, self.rules.for_language(language))
            MEMO.save()
        return self._packs[grammar]

    def literals_of(self, source: bytes, *, language: str, grammar: str) -> Occurrences:
        """The rule literals `source` holds: what `analyze` finds first (pass it as `where`)."""
        return self.pack(grammar, language).literals.scan(_blank_bom(source))

    def expect(self, scanned: list[Occurrences], *, language: str, grammar: str) -> None:
        """Make one query ready for a batch of files about to be analysed (their `literals_of`): the rule
        patterns any of them can open, compiled once, instead of a growth of the query at each new
        selection one file brings (several compiles, and past the growth budget every pattern of the
        grammar). Each file still gets its own selection's query once running on this one has cost as
        much as compiling it."""
        if scanned:
            pack = self.pack(grammar, language)
            pack.main.expect([pack.select(where.present) for where in scanned])

    def analyze(
        self,
        path: str,
        source: bytes,
        *,
        language: str,
        grammar: str,
        added_lines: frozenset[int] | None = None,
        root: Path | None = None,
        packages: PackageIndex | None = None,
        modules: ModuleIndex | None = None,
        where: Occurrences | None = None,
    ) -> FileReport:
        """Analyse one decoded-clean source file; findings outside `added_lines` (if given) are dropped.
        `where` is the file's `literals_of`, when a batch was scanned ahead (see `expect`).

        `root` is the checkout `path` is relative to, where conditions may read the project's manifests
        (`package-is`) and the modules it imports (`module-has`); `packages` and `modules` read them instead (a
        PR review's manifests and modules fetched from GitHub); without either those facts are unknown."""
        source = _blank_bom(source)
        newlines = source.count(b"\n")
        report = FileReport(path=path, language=language, lines=newlines + (0 if source.endswith(b"\n") or not source else 1))
        pack = self.pack(grammar, language)
        if not len(pack.main):
            return report
        span = None if added_lines is None else _span_of(source, added_lines)
        if span is not None and span[0] >= span[1]:
            return report  # no added line in this file: nothing can be in scope
        if where is None:
            where = pack.literals.scan(source)
        present = where.present
        selection = pack.select(present)
        if not selection:
            # No pattern's literals occur, so no rule can match: the file is not even parsed (its
            # syntax errors, if any, cannot make an analysis partial when there is none to make).
            return report
        tree = treesitter.parse(grammar, source)
        report.parse_errors = tree.root_node.has_error
        text = source.decode("utf-8")
        # Patterns a larger query than the selection brings in cannot give a finding: their literals, or
        # those their variants' required conditions need, are absent.
        found = pack.main.run(
            selection, tree.root_node, size=len(source), byte_range=span, where=where if self.targeted else None
        )
        mains = [m for m in found if m[2].get("match")]
        if added_lines is not None:
            mains = [m for m in mains if _in_scope(m[2]["match"][0], added_lines)]
        if not mains:
            return report
        # When several variants of a rule match one node, the first declared one speaks (and brings its fix).
        mains.sort(key=_first_item)
        if packages is None and root is not None:
            packages = self.packages(root)
        if modules is None and root is not None:
            modules = self.modules(root)
        ctx = FileContext(
            language=language,
            text=text,
            sub={},
            path=path.replace("\\", "/"),
            packages=packages,
            module_index=modules,
        )
        # Decide what the rule match alone can decide; only the rest needs the condition sub-queries,
        # and only theirs are run.
        verdicts: list[bool] = []
        pending: list[int] = []
        for k, (_key, target, caps) in enumerate(mains):
            verdict = _verdict(target.alone, caps, ctx)
            if verdict and target.later:
                pending.append(k)
            verdicts.append(verdict)
        if pending:
            needed = frozenset().union(*(mains[k][1].needs for k in pending))
            ctx.sub.update((q, SubMatches()) for q in needed)
            if (
                self.targeted
                and len(pending) * BYTES_PER_PENDING <= len(source)
                and not any(mains[k][1].file_wide for k in pending)
            ):
                # Few matches wait on sub-queries: fetch their matches around those matches only.
                ctx.fetch = _Fetcher(pack, tree.root_node, ctx.sub)
            else:
                wanted = needed.__contains__
                selection = pack.select_sub(present, needed)
                # A larger query than the selection may bring matches no one needs: `owners` drops them.
                # Gated sub-queries whose literals are rare run only around their occurrences, like rule
                # patterns; the rest walk the whole tree once.
                found_sub = pack.sub.run(
                    selection, tree.root_node, size=len(source), owners=wanted, where=where if self.targeted else None
                )
                for _key, query, caps in found_sub:
                    ctx.sub[query].add(caps)
            for k in pending:
                verdicts[k] = _verdict(mains[k][1].later, mains[k][2], ctx)
        seen: set[tuple[str, int, int]] = set()
        candidates: list[tuple[Rule, Captures, Node, Confidence, Variant]] = []
        in_sample: bool | None = None
        debug_rows: list[tuple[int, int]] | None = None
        for (_key, target, caps), verdict in zip(mains, verdicts, strict=True):
            if not verdict:
                continue
            node = caps["match"][0]
            dedupe = (target.rule_id, node.start_byte, node.end_byte)
            if dedupe in seen:
                continue
            seen.add(dedupe)
            confidence = target.variant.confidence
            if confidence > Confidence.LOW:  # (a pattern quiet in samples is above low)
                if in_sample is None:
                    in_sample = (
                        classify_sample_path(ctx.path) is not None
                        # A C# project that no solution or build file includes does not ship either.
                        or (language == "csharp" and root is not None and self.dotnet(root).reason(ctx.path) is not None)
                        # Nor does a program in a `scripts/` or `migrate/` folder below the top.
                        or (language in ("python", "javascript", "typescript") and tool_script(ctx.path, text))
                        # Nor Go test support outside `_test.go` files, a Go tool program among its packages, or a
                        # file only a debug build compiles (`//go:build debug`).
                        or (language == "go" and (go_test_support(ctx.path, text) or go_tool_program(ctx.path, text)))
                        # Nor a program written beside its twin in another language: an example client.
                        or (root is not None and self.twins(root).has_twin(ctx.path))
                    )
                if not in_sample and language == "csharp":
                    if debug_rows is None:
                        debug_rows = debug_only_rows(text)
                    debug_only = bool(debug_rows) and in_ranges(node.start_point[0], debug_rows)
                else:
                    debug_only = False
                if in_sample:
                    # Sample, demo, documentation and tooling code is not the service: its findings are off
                    # by default. On 100 judged repositories 24 of the 79 judged findings there were true,
                    # and none of the three that one level lower left in the default pack (two false).
                    confidence = Confidence.LOW
                elif debug_only:
                    # C# compiled into debug builds only counts one level lower.
                    confidence = Confidence(confidence - 1)
                if confidence < target.variant.floor:
                    continue
            candidates.append((target.rule, caps, node, confidence, target.variant))
        candidates.sort(key=lambda c: (c[2].start_byte, c[0].id, c[2].end_byte))
        if not candidates:
            return report
        # Rows as tree-sitter counts them: only "\n" ends a line (str.splitlines also splits at form
        # feeds and Unicode separators, which would shift every later row).
        lines = text.split("\n")
        occurrences: Counter[tuple[str, str]] = Counter()
        scope_of = ScopeLabels()
        may_suppress = SUPPRESS_RE.search(text) is not None
        for rule, caps, node, confidence, variant in candidates:
            line = node.start_point[0] + 1
            if may_suppress and _suppressed(lines, line, rule.id):
                report.suppressed += 1
                continue
            if rule.suppressed_by is not None and _marked(lines, line, node.end_point[0] + 1, rule.suppressed_by):
                report.suppressed += 1
                continue
            normalized = WS_RE.sub(" ", ctx.text_of(node)).strip()[:300]
            occurrences[(rule.id, normalized)] += 1
            column = _column(lines, node.start_point[0], node.start_point[1])
            end_column = _column(lines, node.end_point[0], node.end_point[1])
            snippet = lines[line - 1].removesuffix("\r") if line - 1 < len(lines) else ""
            if rule.category == SECRETS_CATEGORY:
                snippet = mask_secret(snippet, column, end_column if node.end_point[0] + 1 == line else None)
            report.findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=rule.severity,
                    category=rule.category,
                    path=path,
                    line=line,
                    column=column,
                    end_line=node.end_point[0] + 1,
                    end_column=end_column,
                    message=render_template(variant.message or rule.spec.message, caps),
                    language=language,
                    snippet=snippet,
                    fix=make_fix(rule, caps, source),
                    fix_hint=rule.spec.docs.fix,
                    fingerprint=fingerprint(rule.id, path, normalized, occurrences[(rule.id, normalized)]),
                    scope=scope_of(node),
                    confidence=confidence,
                    pattern=variant.where,
                )
            )
        return report


class _Fetcher:
    """Fetches a condition sub-query's matches around one node, once per (query, node, where): every
    match whose pattern starts at a node holding the node's first byte (so every @match that is the
    node or an ancestor), or at a node overlapping the node's bytes (so every @match inside it), or
    all of them."""

    def __init__(self, pack: GrammarPack, root: Node, sub: dict[str, SubMatches]) -> None:
        self.pack = pack
        self.root = root
        self.sub = sub
        self.done: set[tuple[str, int, str]] = set()

    def __call__(self, query: str, node: Node, where: str) -> None:
        if where == "ancestors" and node.end_byte <= node.start_byte:
            where = "file"  # a zero-width node holds no byte to start from
        key = (query, 0 if where == "file" else node.id, where)
        if key in self.done:
            return
        self.done.add(key)
        compiled = self.pack.sub_query(query)
        if where == "ancestors":
            found = treesitter.matches(compiled, self.root, byte_range=(node.start_byte, node.start_byte + 1))
        elif where == "within":
            # A match's @match can lie inside the node while its pattern starts at an ancestor: run over
            # the node's bytes from the root, so patterns start at those ancestors too.
            found = treesitter.matches(compiled, self.root, byte_range=(node.start_byte, max(node.end_byte, node.start_byte + 1)))
        else:
            found = treesitter.matches(compiled, self.root)
        into = self.sub[query]
        for _i, caps in found:
            into.add(caps)


def _span_of(source: bytes, added: frozenset[int]) -> tuple[int, int]:
    """Bytes from the line before the first added line to the line after the last one: a match in
    scope has a node on an added line, so its pattern starts at a node that overlaps this span
    (the margins take in nodes that end or start at a line break)."""
    if not added:
        return (0, 0)
    first, last = min(added), max(added)
    start = 0
    for _ in range(first - 2):
        start = source.find(b"\n", start) + 1
        if start == 0:
            return (0, 0)  # the file ends before the first added line
    end = start
    for _ in range(last - max(first - 2, 0) + 1):
        end = source.find(b"\n", end) + 1
        if end == 0:
            end = len(source)
            break
    return (start, min(end + 1, len(source)))


def _first_item(match: tuple[int, Target, Captures]) -> int:
    return match[0]


SECRETS_CATEGORY = "security/secrets"


def mask_secret(line: str, column: int, end_column: int | None) -> str:
    """The line with the flagged secret masked (its first 4 characters kept), so reports and CI logs never
    carry it; columns are 1-based code points, `end_column` None means to the end of the line."""
    start = max(0, column - 1)
    end = len(line) if end_column is None else max(start, end_column - 1)
    secret = line[start:end]
    if not secret:
        return line
    return line[:start] + secret[:4] + "*" * min(12, max(4, len(secret) - 4)) + line[end:]


def _column(lines: list[str], row: int, byte_col: int) -> int:
    """1-based column in code points (tree-sitter counts bytes)."""
    if row >= len(lines):
        return byte_col + 1
    line = lines[row]
    if line.isascii():
        return byte_col + 1
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "ignore")) + 1


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


def _marked(lines: list[str], first: int, last: int, marker: re.Pattern[str]) -> bool:
    """Whether an anchor tool's suppression marker sits on the match's first or last line, or on a comment
    line just above it (not at the end of the statement before)."""
    if any(1 <= n <= len(lines) and marker.search(lines[n - 1]) for n in {first, last}):
        return True
    above = lines[first - 2] if 2 <= first <= len(lines) + 1 else ""
    return COMMENT_LINE_RE.match(above) is not None and marker.search(above) is not None


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
