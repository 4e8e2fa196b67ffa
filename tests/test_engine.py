"""The engine: conditions, suppressions, fingerprints, diff scope, broken and deeply nested code."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from conftest import SAMPLES

from bot.analyze.engine import Engine
from bot.analyze.fixtures import check_rule, check_rules
from bot.analyze.rules import load_rules

SAMPLE_RULES = SAMPLES / "rules"


@pytest.fixture(scope="module")
def engine():
    return Engine(load_rules(SAMPLE_RULES))


def analyze(engine, code: str, *, added=None, path="svc.py"):
    return engine.analyze(path, textwrap.dedent(code).encode(), language="python", grammar="python", added_lines=added)


def lines_of(report, rule="requests-without-timeout"):
    return [f.line for f in report.findings if f.rule_id == rule]


def test_flags_and_keeps_quiet(engine):
    report = analyze(engine, """\
        import requests
        requests.get(u)
        requests.get(u, timeout=5)
        requests.get(u, timeout=None)
    """)
    assert lines_of(report) == [2, 4]
    assert report.findings[0].message == "`requests.get` has no timeout"
    assert report.findings[0].scope == ""


def test_inline_suppression_on_the_line_or_above(engine):
    report = analyze(engine, """\
        import requests
        requests.get(a)  # resbot: ignore[requests-without-timeout]
        # resbot: ignore[requests-without-timeout]
        requests.get(b)
        requests.get(c)  # resbot: ignore[some-other-rule]
        requests.get(d)  # resbot: ignore
    """)
    assert lines_of(report) == [5]
    assert report.suppressed == 3


def test_fingerprint_survives_moving_lines_but_separates_repeats(engine):
    code = "import requests\n\ndef f():\n    requests.get(u)\n    requests.get(u)\n"
    moved = "import requests\n# a new comment\n\n\ndef f():\n    requests.get(u)\n    requests.get(u)\n"
    a = [f.fingerprint for f in analyze(engine, code).findings]
    b = [f.fingerprint for f in analyze(engine, moved).findings]
    assert a == b
    assert len(set(a)) == 2
    other_path = [f.fingerprint for f in analyze(engine, code, path="other.py").findings]
    assert set(other_path).isdisjoint(a)


def test_diff_scope_keeps_only_findings_on_added_lines(engine):
    code = "import requests\nrequests.get(a)\nrequests.get(b)\n"
    assert lines_of(analyze(engine, code, added=frozenset({3}))) == [3]
    assert lines_of(analyze(engine, code, added=frozenset())) == []


def test_enclosing_scope_is_reported(engine):
    report = analyze(engine, """\
        import requests
        class Client:
            def fetch(self):
                return requests.get(u)
    """)
    assert report.findings[0].scope == "Client.fetch"


def test_file_with_syntax_errors_is_still_analysed(engine):
    report = analyze(engine, "import requests\ndef broken(:\n    pass\nrequests.get(u)\n")
    assert report.parse_errors
    assert lines_of(report) == [4]


def test_deeply_nested_code_does_not_overflow(engine):
    depth = 3000
    code = "import requests\nx = " + "[" * depth + "requests.get(u)" + "]" * depth + "\n"
    report = analyze(engine, code)
    assert lines_of(report) == [2]


def test_fix_adds_or_replaces_the_argument(engine):
    report = analyze(engine, "import requests\nrequests.get(u)\nrequests.post(u, timeout=None)\nrequests.get()\n")
    fixes = [f.fix.replacement for f in report.findings]
    assert fixes == ["requests.get(u, timeout=10)", "requests.post(u, timeout=10)", "requests.get(timeout=10)"]


def test_columns_count_code_points_not_bytes(engine):
    report = analyze(engine, "import requests\nx = 'é'; requests.get(u)\n")
    assert report.findings[0].column == 10


def test_sample_fixtures_pass():
    results = check_rules(load_rules(SAMPLE_RULES))
    assert [r.problems for r in results] == [[], []]
    assert all(r.expected and r.quiet for r in results)


def test_a_wrong_fixture_fails(tmp_path):
    shutil.copytree(SAMPLE_RULES, tmp_path / "rules")
    fixture = tmp_path / "rules" / "python" / "requests-without-timeout.py"
    # Swap the annotations: the flagged line is now marked ok and the quiet one ruleid.
    text = fixture.read_text()
    text = text.replace("# ok: requests-without-timeout", "# ruleid: requests-without-timeout", 1)
    text = text.replace("# ruleid: requests-without-timeout\nrequests.get(", "# ok: requests-without-timeout\nrequests.get(", 1)
    fixture.write_text(text)
    rule = next(r for r in load_rules(tmp_path / "rules").rules if r.id == "requests-without-timeout")
    result = check_rule(rule)
    assert not result.ok
    assert any("flagged by requests-without-timeout but marked ok" in p for p in result.problems)
    assert any("expected requests-without-timeout here, not flagged" in p for p in result.problems)


CONDITION_RULE = """\
id: sleep-in-retry-loop
title: t
severity: low
category: resilience/retry
message: m
query: |
  ((call function: (attribute object: (identifier) @m attribute: (identifier) @f)) @match
   (#eq? @m "time") (#eq? @f "sleep"))
require:
  - inside: {types: [for_statement, while_statement], stop-at: [function_definition]}
  - file-has:
      query: |
        ((assignment left: (identifier) @name right: (integer)) @match)
      scope: function
      same-text: {name: m}
unless:
  - imports: [tenacity]
docs: {what: w, why: y, example: e, fix: f}
"""


def test_declared_conditions(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "sleep-in-retry-loop.yaml").write_text(CONDITION_RULE)
    eng = Engine(load_rules(tmp_path))
    code = textwrap.dedent("""\
        import time
        def a():
            time = 1
            while True:
                time.sleep(1)
        def b():
            while True:
                time.sleep(1)
        def c():
            time = 1
            time.sleep(1)
        def d():
            time = 1
            while True:
                def inner():
                    time.sleep(1)
    """)
    report = eng.analyze("x.py", code.encode(), language="python", grammar="python")
    assert [f.line for f in report.findings] == [5]
    with_tenacity = eng.analyze("x.py", ("import tenacity\n" + code).encode(), language="python", grammar="python")
    assert with_tenacity.findings == []
