"""`resbot rules test`: every rule's annotated fixture must be flagged exactly where it says.

A fixture comment `ruleid: <id>` sits above a line that must be flagged; `ok: <id>` above one that must
not be. Every flagged line must be annotated `ruleid:` (so a stray finding fails too), and every
mechanical fix must still parse after it is applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.analyze.engine import Engine
from bot.analyze.modules import ModuleIndex
from bot.analyze.rules import Rule, RuleSet
from bot.models import Finding
from bot.syntax import treesitter
from bot.syntax.languages import LINE_COMMENT, detect

ANNOTATION_RE = re.compile(r"\b(ruleid|ok):\s*([a-z0-9,\s-]+)")


@dataclass
class FixtureResult:
    rule: Rule
    expected: set[int] = field(default_factory=set)
    quiet: set[int] = field(default_factory=set)
    flagged: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _annotations(text: str, rule_id: str, comment: str) -> tuple[set[int], set[int]]:
    lines = text.splitlines()
    expected: set[int] = set()
    quiet: set[int] = set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        pos = line.find(comment)
        if pos == -1:
            continue
        for kind, ids in ANNOTATION_RE.findall(line[pos:]):
            if rule_id not in {x.strip() for x in ids.split(",")}:
                continue
            target = i + 1
            # The annotated line is the next one that is not itself only an annotation comment.
            while target < len(lines) and (
                not lines[target].strip() or (lines[target].strip().startswith(comment) and ANNOTATION_RE.search(lines[target]))
            ):
                target += 1
            # An annotation trailing code on its own line marks that line.
            line_no = (i + 1) if not stripped.startswith(comment) else target + 1
            (expected if kind == "ruleid" else quiet).add(line_no)
    return expected, quiet


def _fix_parses(rule: Rule, source: bytes, finding: Finding, grammar: str) -> str | None:
    fix = finding.fix
    if fix is None:
        return None
    lines = source.decode("utf-8").split("\n")
    new_lines = lines[: fix.start_line - 1] + fix.replacement.split("\n") + lines[fix.end_line :]
    new_source = "\n".join(new_lines).encode()
    before = treesitter.parse(grammar, source).root_node.has_error
    after = treesitter.parse(grammar, new_source).root_node.has_error
    if after and not before:
        return f"line {finding.line}: the fix does not parse: {fix.replacement.strip()!r}"
    return None


def check_rule(rule: Rule) -> FixtureResult:
    result = FixtureResult(rule)
    if rule.fixture is None:
        result.problems.append(f"{rule.path}: no fixture beside the rule")
        return result
    source = rule.fixture.read_bytes()
    text = source.decode("utf-8")
    result.expected, result.quiet = _annotations(text, rule.id, LINE_COMMENT[rule.language])
    if not result.expected:
        result.problems.append(f"{rule.fixture}: no `ruleid: {rule.id}` annotation")
    if not result.quiet:
        result.problems.append(f"{rule.fixture}: no `ok: {rule.id}` annotation")
    detected = detect(rule.fixture.name)
    if detected is None:
        result.problems.append(f"{rule.fixture}: not a file type resbot analyses")
        return result
    language, grammar = detected
    engine = Engine(RuleSet(rule.path.parent.parent, [rule]))
    # The fixture's own name, not where the checkout lives: path conditions (front-end or CLI folders)
    # must not see the folders above the rules directory.
    # Modules a fixture imports (`module-has`) are read beside it: `./_modules/x` is `rules/<language>/_modules/x.*`.
    modules = ModuleIndex(rule.fixture.parent)
    report = engine.analyze(rule.fixture.name, source, language=language, grammar=grammar, modules=modules)
    if treesitter.parse(grammar, source).root_node.has_error:
        result.problems.append(f"{rule.fixture}: the fixture has syntax errors")
    for finding in report.findings:
        result.flagged.add(finding.line)
        if (problem := _fix_parses(rule, source, finding, grammar)) is not None:
            result.problems.append(f"{rule.fixture}:{problem}")
    for line in sorted(result.expected - result.flagged):
        result.problems.append(f"{rule.fixture}:{line}: expected {rule.id} here, not flagged")
    for line in sorted(result.flagged - result.expected):
        why = "marked ok" if line in result.quiet else "not annotated ruleid"
        result.problems.append(f"{rule.fixture}:{line}: flagged by {rule.id} but {why}")
    return result


def check_rules(rules: RuleSet) -> list[FixtureResult]:
    return [check_rule(rule) for rule in rules.rules]
