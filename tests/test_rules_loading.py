"""Broken rule files fail at load time with a message naming the file and the field."""

from __future__ import annotations

import textwrap

import pytest

from bot.analyze.rules import load_rules
from bot.errors import RuleError

GOOD = """\
id: demo-rule
title: Demo
severity: medium
category: resilience/timeout
message: "demo {{fn}}"
query: |
  ((call function: (identifier) @fn) @match (#eq? @fn "demo"))
docs:
  what: w
  why: y
  example: e
  fix: f
"""
GOOD_QUERY = 'query: |\n  ((call function: (identifier) @fn) @match (#eq? @fn "demo"))\n'


def with_patterns(*variants: str) -> str:
    """GOOD with its one query replaced by the listed variants (YAML items under `patterns:`)."""
    assert GOOD_QUERY in GOOD
    return GOOD.replace(GOOD_QUERY, "patterns:\n" + "".join(variants))


def load_with(tmp_path, text: str, name: str = "demo-rule", extra: dict[str, str] | None = None):
    lang = tmp_path / "python"
    lang.mkdir(exist_ok=True)
    (lang / f"{name}.yaml").write_text(textwrap.dedent(text))
    for fname, content in (extra or {}).items():
        (lang / fname).write_text(content)
    return load_rules(tmp_path)


def test_good_rule_loads(tmp_path):
    rules = load_with(tmp_path, GOOD)
    assert rules.ids() == ["demo-rule"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("severity: medium", "severity: urgent"), "field `severity`"),
        (lambda t: t.replace("category: resilience/timeout", "category: timeouts"), "field `category`"),
        (lambda t: t.replace("title: Demo\n", ""), "field `title`"),
        (lambda t: t + "colour: blue\n", "field `colour`"),
        (lambda t: t.replace("(#eq? @fn \"demo\"))", "(#eq? @fn \"demo\")"), "field `query`"),
        (lambda t: t.replace("((call function: (identifier) @fn) @match (#eq? @fn \"demo\"))",
                             "(call function: (identifier) @fn) @match (#eq? @fn \"demo\")"), "no @match capture"),
        (lambda t: t.replace("(identifier)", "(no_such_node)"), "invalid python query"),
        (lambda t: t.replace('message: "demo {{fn}}"', 'message: "demo {{nope}}"'), "@nope is not captured"),
        (lambda t: t + "unless:\n  - use: not-defined\n", "field `unless.0.use`"),
        (lambda t: t + "low-unless: {use: not-defined}\n", "field `query.low-unless.0.use`"),
        (lambda t: t + "low-unless: {text-matches: {capture: nope, regex: x}}\n", "@nope is not captured"),
        (lambda t: t + "unless:\n  - imports: [x]\n    file-matches: y\n", "field `unless.0`"),
        (lambda t: t + "unless:\n  - text-matches: {capture: fn, regex: '('}\n", "invalid regular expression"),
        (lambda t: t.replace("id: demo-rule", "id: Demo_Rule"), "field `id`"),
        (lambda t: t.replace("id: demo-rule", "id: other-rule"), "must equal the file name stem"),
        (lambda t: t + "  bad: [\n", "not valid YAML"),
        (lambda t: t.replace('(#eq? @fn "demo")', "(#last-stmt? @fn)"), "unknown predicate #last-stmt?"),
        (lambda t: t.replace('(#eq? @fn "demo")', '(#last-statement? @fn "x")'), "takes one capture"),
    ],
)
def test_broken_rule_is_reported_with_file_and_field(tmp_path, change, expected):
    with pytest.raises(RuleError) as err:
        load_with(tmp_path, change(GOOD))
    message = str(err.value)
    assert "demo-rule.yaml" in message
    assert expected in message


def test_library_condition_is_resolved(tmp_path):
    library = "conditions:\n  is-demo:\n    text-matches: {regex: demo}\n"
    rules = load_with(tmp_path, GOOD + "unless:\n  - use: is-demo\n", extra={"_library.yaml": library})
    (variant,) = rules.rules[0].variants
    assert variant.unless[0].text_matches is not None


def test_unknown_language_folder_is_rejected(tmp_path):
    (tmp_path / "cobol").mkdir()
    with pytest.raises(RuleError, match="not a supported language folder"):
        load_rules(tmp_path)


def test_missing_rules_dir(tmp_path):
    with pytest.raises(RuleError, match="rules directory not found"):
        load_rules(tmp_path / "nope")


def test_low_unless_splits_a_pattern_into_a_default_half_and_a_low_half(tmp_path):
    from bot.models import Confidence

    rules = load_with(tmp_path, GOOD + "low-unless: {inside: {types: [function_definition]}}\n")
    (rule,) = rules.rules
    assert [(v.confidence, v.outside) for v in rule.variants] == [(Confidence.MEDIUM, False), (Confidence.LOW, True)]
    # The default floor keeps only the half where the condition holds.
    (kept,) = rules.select(min_confidence=Confidence.MEDIUM).rules
    assert [v.outside for v in kept.variants] == [False]


def test_low_if_splits_a_pattern_the_other_way_round(tmp_path):
    from bot.analyze.engine import Engine
    from bot.models import Confidence

    rules = load_with(tmp_path, GOOD + "low-if: {inside: {types: [if_statement]}}\n")
    (rule,) = rules.rules
    assert [(v.confidence, v.outside, v.where) for v in rule.variants] == [
        (Confidence.MEDIUM, False, "query"), (Confidence.LOW, True, "query inside low-if")]
    code = b"demo()\nif flag:\n    demo()\n"
    report = Engine(rules).analyze("svc.py", code, language="python", grammar="python")
    assert sorted((f.line, f.confidence.label) for f in report.findings) == [(1, "medium"), (3, "low")]
    # At the default floor the guarded call is not reported.
    engine = Engine(rules.select(min_confidence=Confidence.MEDIUM))
    assert [f.line for f in engine.analyze("svc.py", code, language="python", grammar="python").findings] == [1]


def test_low_if_and_low_unless_on_one_pattern_is_a_load_error(tmp_path):
    both = GOOD + "low-if: {inside: {types: [if_statement]}}\nlow-unless: {inside: {types: [function_definition]}}\n"
    with pytest.raises(RuleError, match="not both"):
        load_with(tmp_path, both)


def analyze_demo(tmp_path, rule_text: str):
    """Load the rule and scan a module calling demo() and other(), the second also inside a function."""
    from bot.analyze.engine import Engine

    engine = Engine(load_with(tmp_path, rule_text))
    code = b"demo()\nother()\ndef f():\n    other()\n"
    return engine.analyze("svc.py", code, language="python", grammar="python")


def test_findings_name_the_pattern_that_matched(tmp_path):
    two = with_patterns(
        '  - query: |\n      ((call function: (identifier) @fn) @match (#eq? @fn "demo"))\n'
        '  - query: |\n      ((call function: (identifier) @fn) @match (#eq? @fn "other"))\n'
        '    low-unless: {inside: {types: [function_definition]}}\n',
    )
    report = analyze_demo(tmp_path, two)
    got = sorted((f.line, f.pattern, f.confidence.label) for f in report.findings)
    assert got == [(1, "patterns.0", "medium"), (2, "patterns.1 outside low-unless", "low"),
                   (4, "patterns.1", "medium")]


def test_a_pattern_may_carry_its_own_message(tmp_path):
    two = with_patterns(
        '  - query: |\n      ((call function: (identifier) @fn) @match (#eq? @fn "demo"))\n'
        '  - query: |\n      ((call function: (identifier) @callee) @match (#eq? @callee "other"))\n'
        '    message: "spin {{callee}}"\n'
        '    low-unless: {inside: {types: [function_definition]}}\n',
    )
    report = analyze_demo(tmp_path, two)
    # Both halves of a split pattern keep its message; the other pattern has the rule's.
    assert sorted((f.line, f.message) for f in report.findings) == [
        (1, "demo demo"), (2, "spin other"), (4, "spin other")]


def test_a_pattern_message_placeholder_must_be_captured_by_its_own_query(tmp_path):
    bad = with_patterns(
        '  - query: |\n      ((call function: (identifier) @callee) @match (#eq? @callee "demo"))\n'
        '    message: "spin {{fn}}"\n',
    )
    with pytest.raises(RuleError, match="message placeholder @fn"):
        load_with(tmp_path, bad)


def test_last_statement_predicate_skips_comments_where_an_anchor_would_not(tmp_path):
    from bot.analyze.engine import Engine

    last = GOOD.replace(
        '((call function: (identifier) @fn) @match (#eq? @fn "demo"))',
        '((expression_statement (call function: (identifier) @fn)) @match @stmt (#eq? @fn "demo") '
        "(#last-statement? @stmt))",
    )
    engine = Engine(load_with(tmp_path, last))
    code = (
        b"def a():\n    demo()\n    # done\n\n"  # last, a comment after it: flagged
        b"def b():\n    demo()\n    other()\n\n"  # a call follows: quiet
        b"def c():\n    other()\n    demo()\n"  # last: flagged
    )
    report = engine.analyze("svc.py", code, language="python", grammar="python")
    assert sorted(f.line for f in report.findings) == [2, 11]


def test_a_pattern_that_does_not_inherit_the_rules_unless_keeps_only_its_own(tmp_path):
    from bot.analyze.engine import Engine

    # The rule is quiet wherever the call's argument says `skip`; its second pattern finds exactly those
    # calls, and keeps only its own exception (inside a function).
    text = GOOD.replace(GOOD_QUERY, textwrap.dedent("""\
        unless:
          - text-matches: {capture: match, regex: skip}
        patterns:
          - query: |
              ((call function: (identifier) @fn) @match (#eq? @fn "demo"))
          - inherit-unless: false
            message: "demo skipped {{fn}}"
            query: |
              ((call function: (identifier) @fn arguments: (argument_list (identifier) @a)) @match
               (#eq? @fn "demo") (#eq? @a "skip"))
            unless:
              - inside: {types: [function_definition]}
        """))
    rules = load_with(tmp_path, text)
    own, free = rules.rules[0].variants
    assert len(own.unless) == 1 and len(free.unless) == 1
    code = b"demo()\ndemo(skip)\ndef f():\n    demo(skip)\n"
    report = Engine(rules).analyze("svc.py", code, language="python", grammar="python")
    assert sorted((f.line, f.message) for f in report.findings) == [(1, "demo demo"), (2, "demo skipped demo")]


def test_a_pattern_that_does_not_inherit_the_rules_require_keeps_only_its_own(tmp_path):
    from bot.analyze.engine import Engine

    # The rule only counts calls whose argument says `net`; its second pattern counts `demo(local)` calls
    # outside functions without that rule-wide requirement.
    text = GOOD.replace(GOOD_QUERY, textwrap.dedent("""\
        require:
          - text-matches: {capture: match, regex: net}
        patterns:
          - query: |
              ((call function: (identifier) @fn) @match (#eq? @fn "demo"))
          - inherit-require: false
            message: "demo local {{fn}}"
            query: |
              ((call function: (identifier) @fn arguments: (argument_list (identifier) @a)) @match
               (#eq? @fn "demo") (#eq? @a "local"))
            require:
              - text-matches: {capture: match, regex: local}
            unless:
              - inside: {types: [function_definition]}
        """))
    rules = load_with(tmp_path, text)
    own, free = rules.rules[0].variants
    assert len(own.require) == 1 and len(free.require) == 1
    code = b"demo(net)\ndemo(local)\ndemo(other)\ndef f():\n    demo(local)\n"
    report = Engine(rules).analyze("svc.py", code, language="python", grammar="python")
    assert sorted((f.line, f.message) for f in report.findings) == [(1, "demo demo"), (2, "demo local demo")]
