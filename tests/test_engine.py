"""The engine: conditions, suppressions, fingerprints, diff scope, broken and deeply nested code."""

from __future__ import annotations

import shutil
import textwrap

import pytest
from conftest import SAMPLES

from bot.analyze.engine import Engine
from bot.analyze.fixtures import check_rule, check_rules
from bot.analyze.rules import RuleError, load_rules

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


def test_file_no_rule_can_match_is_counted_but_not_parsed(engine):
    # None of the pack's literals occur, so no pattern can match: the file is not parsed at all, and its
    # syntax errors cannot make an analysis partial. Its lines still count.
    report = analyze(engine, "def broken(:\n    pass\nx = compute(1)\n")
    assert (report.findings, report.parse_errors, report.lines) == ([], False, 3)
    # The same syntax error beside a call a rule looks at is parsed, counted and analysed.
    report = analyze(engine, "import requests\ndef broken(:\n    pass\nrequests.get(u)\n")
    assert (report.parse_errors, lines_of(report)) == (True, [4])


def test_rows_count_only_newlines_as_tree_sitter_does(engine):
    # A form feed (pagination in older Python files) and a Unicode line separator inside a string end
    # no line: the finding, its snippet and the line count stay on tree-sitter's rows.
    code = "import requests\n\x0c\ns = 'a\u2028b'\r\nrequests.get(u)\r\n"
    report = analyze(engine, code)
    (finding,) = report.findings
    assert (finding.line, finding.column, finding.snippet) == (4, 1, "requests.get(u)")
    assert report.lines == 4


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


HANDED_OVER_RULE = """\
id: sleep-outside-worker
title: t
severity: low
category: resilience/retry
message: m
query: |
  ((call function: (attribute object: (identifier) @m attribute: (identifier) @f)) @match
   (#eq? @m "time") (#eq? @f "sleep"))
unless:
  - file-has:
      query: |
        ((call function: (identifier) @spawn arguments: (argument_list (keyword_argument value: (identifier) @fn))) @match
         (#eq? @spawn "Thread"))
      same-text: {fn: declaration-name}
docs: {what: w, why: y, example: e, fix: f}
"""


def test_same_text_can_name_the_function_around_the_match(tmp_path):
    """`same-text: {x: declaration-name}` compares with the name of the named function around the match
    (through nested lambdas and closures), and never holds outside one."""
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "sleep-outside-worker.yaml").write_text(HANDED_OVER_RULE)
    eng = Engine(load_rules(tmp_path))
    code = textwrap.dedent("""\
        import time
        def worker():
            time.sleep(1)
        def other():
            time.sleep(1)
        def outer_worker():
            f = lambda: time.sleep(1)
        time.sleep(1)
        Thread(target=worker)
        Thread(target=outer_worker)
    """)
    report = eng.analyze("x.py", code.encode(), language="python", grammar="python")
    assert [f.line for f in report.findings] == [5, 8]


def _files_of_pack():
    """Every fixture of the shipped pack and every example file, by (language, grammar)."""
    from conftest import REPO

    from bot.syntax.languages import detect

    found: dict[tuple[str, str], list[bytes]] = {}
    for folder in (REPO / "rules", REPO / "examples"):
        for path in sorted(folder.rglob("*")):
            detected = detect(str(path))
            if path.is_file() and detected is not None:
                found.setdefault(detected, []).append(path.read_bytes())
    return found


def test_literal_gates_never_close_on_a_file_the_pattern_matches():
    from bot.analyze.engine import build_pack
    from bot.syntax import treesitter

    rules = load_rules(validate=False)
    checked = 0
    for (language, grammar), datas in _files_of_pack().items():
        pack = build_pack(grammar, rules.for_language(language))
        for queries in (pack.main, pack.sub):
            everything = tuple(range(len(queries)))
            whole = queries.compiled(everything)
            assert whole is not None
            for data in datas:
                tree = treesitter.parse(grammar, data)
                matched = {whole.slots_of[i] for i, _caps in treesitter.matches(whole.query, tree.root_node)}
                opened = set(queries.select(pack.literals.present(data)))
                assert matched <= opened, (language, [queries.slots[i].text for i in matched - opened])
                checked += len(matched)
    assert checked > 500


def test_a_query_larger_than_the_selection_gives_the_selection_s_matches():
    from bot.analyze.querysets import Literals, QuerySet
    from bot.syntax import treesitter

    pieces = [
        ('((call function: (identifier) @f) @match (#eq? @f "alpha"))', "a"),
        ('((call function: (identifier) @f) @match (#eq? @f "beta"))', "b"),
        ('((call function: (attribute attribute: (identifier) @f)) @match (#eq? @f "gamma"))', "c"),
    ]
    source = b"alpha(1)\nbeta(2)\nx.gamma(3)\n"
    root = treesitter.parse("python", source).root_node
    literals = Literals()
    queries = QuerySet("python", pieces, literals)
    present = literals.present(source)
    assert queries.select(present) == (0, 1, 2)

    def owners_of(selection, **kw):
        return [(o, c["match"][0].text) for _k, o, c in queries.run(selection, root, **kw)]

    assert owners_of((0,)) == [("a", b"alpha(1)")]  # compiled exactly
    # No compiled query covers (1, 2) yet: the full query is built; `owners` keeps what was asked for.
    assert owners_of((1, 2), owners=lambda o: o != "a") == [("b", b"beta(2)"), ("c", b"x.gamma(3)")]
    assert queries.compiled((0, 2)) is queries.compiled((0, 1, 2))
    assert owners_of((0, 2), owners=lambda o: o != "b") == [("a", b"alpha(1)"), ("c", b"x.gamma(3)")]
    # Without `owners`, a larger query brings only slots whose gates are closed, which cannot match.
    absent = literals.present(b"alpha(1)\n")
    assert queries.select(absent) == (0,)
    assert [o for _k, o, _c in queries.run((0,), treesitter.parse("python", b"alpha(1)\n").root_node)] == ["a"]


SHARED_PATTERN_RULE = """\
id: shared-pattern
title: t
severity: low
category: reliability/test
message: "{{which}}"
patterns:
  - query: &q |
      ((call function: (identifier) @fn) @match @which (#eq? @fn "connect"))
    require:
      - imports: [first]
  - query: *q
    require:
      - file-matches: 'second'
docs: {what: w, why: y, example: e, fix: f}
"""


def test_variants_sharing_a_pattern_each_get_its_matches_in_declaration_order(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "shared-pattern.yaml").write_text(SHARED_PATTERN_RULE)
    eng = Engine(load_rules(tmp_path))
    pack = eng.pack("python", "python")
    assert len(pack.main) == 1  # compiled once for both variants
    both = eng.analyze("x.py", b"import first\n# second\nconnect(a)\n", language="python", grammar="python")
    only_second = eng.analyze("x.py", b"# second\nconnect(a)\n", language="python", grammar="python")
    neither = eng.analyze("x.py", b"connect(a)\n", language="python", grammar="python")
    assert [f.line for f in both.findings] == [3]
    assert [f.line for f in only_second.findings] == [2]
    assert neither.findings == []


def test_a_pattern_is_left_out_where_no_variant_owning_it_can_hold(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "shared-pattern.yaml").write_text(SHARED_PATTERN_RULE)
    pack = Engine(load_rules(tmp_path)).pack("python", "python")
    # One variant needs the module name `first`, the other the text `second`: with neither, nothing runs.
    assert pack.select(pack.literals.present(b"connect(a)\n")) == ()
    assert pack.select(pack.literals.present(b"# second\nconnect(a)\n")) == (0,)
    assert pack.select(pack.literals.present(b"import first\nconnect(a)\n")) == (0,)


def test_leaving_out_patterns_no_variant_can_use_changes_no_finding():
    from bot.analyze.engine import build_pack

    rules = load_rules()
    checked = 0
    for (language, grammar), datas in _files_of_pack().items():
        pruned = Engine(rules)
        unpruned = Engine(rules)
        pack = build_pack(grammar, rules.for_language(language))
        pack.select = pack.main.select  # type: ignore[method-assign]
        unpruned._packs[grammar] = pack
        for data in datas:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            a = pruned.analyze("f", data, language=language, grammar=grammar).findings
            b = unpruned.analyze("f", data, language=language, grammar=grammar).findings
            assert a == b, language
            checked += len(a)
    assert checked > 100


def test_a_validated_rule_set_is_stamped_and_a_changed_one_is_validated_again(tmp_path):
    from bot.errors import RuleError

    rules_dir = tmp_path / "rules"
    shutil.copytree(SAMPLE_RULES, rules_dir)
    cache = tmp_path / "cache"
    assert len(load_rules(rules_dir, cache_dir=cache).rules) == 2
    assert len(list((cache / "validated-rules").iterdir())) == 1
    rule = rules_dir / "python" / "eval-call.yaml"
    rule.write_text(rule.read_text().replace("(call", "(no_such_node", 1))
    with pytest.raises(RuleError, match=r"eval-call\.yaml: field `query`: invalid python query"):
        load_rules(rules_dir, cache_dir=cache)
    assert len(list((cache / "validated-rules").iterdir())) == 1


def test_diff_scope_keeps_a_finding_whose_node_only_ends_on_an_added_line(engine):
    code = "import requests\n\nrequests.get(\n    u,\n)\nx = 1\n" + "y = 2\n" * 50 + "requests.get(v)\n"
    assert lines_of(analyze(engine, code, added=frozenset({5}))) == [3]
    assert lines_of(analyze(engine, code, added=frozenset({2, 6}))) == []
    assert lines_of(analyze(engine, code, added=frozenset({57}))) == [57]
    assert lines_of(analyze(engine, code, added=frozenset({900}))) == []


PATH_RULE = """\
id: path-rule
title: t
severity: low
category: reliability/test
message: "connect"
patterns:
  - query: '((call function: (identifier) @fn) @match (#eq? @fn "connect"))'
    unless:
      - path-matches: '(^|/)frontend/'
docs: {what: w, why: y, example: e, fix: f}
"""


def test_path_matches_sees_the_scanned_path_with_forward_slashes(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "path-rule.yaml").write_text(PATH_RULE)
    eng = Engine(load_rules(tmp_path))
    source = b"connect(a)\n"

    def lines(path: str) -> list[int]:
        return [f.line for f in eng.analyze(path, source, language="python", grammar="python").findings]

    assert lines("svc/api.py") == [1]
    assert lines("frontend/api.py") == []
    assert lines("web\\frontend\\api.py") == []
    assert lines("myfrontend/api.py") == [1]


def test_a_bad_path_regex_names_the_rule_file(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "path-rule.yaml").write_text(PATH_RULE.replace("'(^|/)frontend/'", "'(frontend'"))
    with pytest.raises(RuleError, match=r"path-rule\.yaml: invalid regular expression"):
        load_rules(tmp_path)


def test_patterns_run_only_around_their_literals_find_what_a_walk_of_the_whole_tree_finds(monkeypatch):
    from bot.analyze import engine, querysets

    # Target every gated pattern, however often its literals occur, and fetch condition sub-queries
    # around each match that waits on them, however many there are.
    monkeypatch.setattr(querysets, "BYTES_PER_OCCURRENCE", 1)
    monkeypatch.setattr(querysets, "MAX_OCCURRENCES", 10**6)
    monkeypatch.setattr(engine, "BYTES_PER_PENDING", 0)
    fetched: list[str] = []
    fetch = engine._Fetcher.__call__

    def counting(self, query, node, where):
        fetched.append(where)
        fetch(self, query, node, where)

    monkeypatch.setattr(engine._Fetcher, "__call__", counting)
    rules = load_rules(validate=False)
    walking, targeting = Engine(rules, targeted=False), Engine(rules)
    files = targeted_slots = findings = 0
    for (language, grammar), datas in _files_of_pack().items():
        for data in datas:
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            by_walk = walking.analyze("f", data, language=language, grammar=grammar)
            by_target = targeting.analyze("f", data, language=language, grammar=grammar)
            assert [(f.rule_id, f.line, f.column, f.fingerprint) for f in by_target.findings] == [
                (f.rule_id, f.line, f.column, f.fingerprint) for f in by_walk.findings
            ]
            pack = targeting.pack(grammar, language)
            where = pack.literals.scan(data)
            targeted_slots += len(pack.main._plan(pack.select(where.present), where, size=len(data))[1])
            files += 1
            findings += len(by_walk.findings)
    # Every fixture and example (139 files, 717 findings), with about 1,600 targeted pattern runs and
    # sub-query matches fetched around matches in every way.
    assert files >= 130 and findings >= 600 and targeted_slots >= 1000
    assert {"ancestors", "within"} <= set(fetched) and len(fetched) >= 300


@pytest.mark.parametrize(
    ("pattern", "roots"),
    [
        ('((method_invocation name: (identifier) @m) @match (#eq? @m "sleep"))', {"method_invocation"}),
        ("[(for_statement) (while_statement body: (block))] @loop", {"for_statement", "while_statement"}),
        ("((call) @c)", {"call"}),
        ("((identifier) @a . (identifier) @b)", None),  # siblings: no single root
        ("(_ (identifier)) @any", None),
        ("(call)? @maybe", None),
        ('"await" @kw', None),
        ("(expression/identifier) @x", None),
    ],
)
def test_root_types_name_the_node_types_a_match_can_start_at(pattern, roots):
    from bot.analyze.literals import root_types

    assert root_types(pattern) == (frozenset(roots) if roots is not None else None)


def test_scope_labels_name_each_node_the_same_whatever_the_order_asked():
    from bot.syntax import treesitter
    from bot.syntax.scopes import ScopeLabels, describe_scope

    source = b"class A:\n    def f(self):\n        def g():\n            x(1)\n        y(2)\n    z = w(3)\ndef h():\n    v(4)\n"
    tree = treesitter.parse("python", source)
    calls = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "call":
            calls.append(node)
        stack.extend(node.children)
    labels = ScopeLabels()  # one memo for all, asked innermost-last first
    got = {c.text: labels(c) for c in sorted(calls, key=lambda c: -c.start_byte)}
    assert got == {c.text: describe_scope(c) for c in calls}  # a fresh memo per node
    assert got[b"x(1)"] == "A.f.g" and got[b"y(2)"] == "A.f" and got[b"w(3)"] == "A" and got[b"v(4)"] == "h"


CONTAINS_RULE = """\
id: contains-rule
title: t
severity: low
category: reliability/test
message: "loop"
patterns:
  - query: '((for_statement body: (block) @body) @match)'
    unless:
      - contains:
          capture: body
          query: '((for_statement body: (block (expression_statement (call function: (attribute attribute: (identifier) @m)) @match))) (#eq? @m "sleep"))'
docs: {what: w, why: y, example: e, fix: f}
"""


def test_a_sub_query_match_inside_the_node_counts_even_when_its_pattern_starts_outside(tmp_path, monkeypatch):
    from bot.analyze import engine as engine_module

    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "contains-rule.yaml").write_text(CONTAINS_RULE)
    rules = load_rules(tmp_path)
    # The sub-query's @match (the sleep call) is inside the loop body, but its pattern starts at the
    # loop, outside the body: it still counts. The second loop's body holds no sleep: flagged.
    source = b"for i in x:\n    time.sleep(1)\nfor j in y:\n    work(j)\n"
    monkeypatch.setattr(engine_module, "BYTES_PER_PENDING", 0)  # fetch around each waiting match
    fetched = Engine(rules).analyze("a.py", source, language="python", grammar="python")
    walked = Engine(rules, targeted=False).analyze("a.py", source, language="python", grammar="python")
    assert [f.line for f in fetched.findings] == [f.line for f in walked.findings] == [3]


def test_not_any_of_is_applied_even_in_a_query_of_several_patterns():
    from bot.analyze.querysets import Literals, QuerySet
    from bot.syntax import treesitter

    pieces = [
        ('((call function: (identifier) @f) @match (#not-any-of? @f "skip" "also.skip"))', "a"),
        ('((call function: (identifier) @f) @match (#eq? @f "skip"))', "b"),
    ]
    queries = QuerySet("python", pieces, Literals())
    root = treesitter.parse("python", b"skip(1)\nkeep(2)\n").root_node
    found = sorted((owner, caps["match"][0].text) for _k, owner, caps in queries.run((0, 1), root))
    assert found == [("a", b"keep(2)"), ("b", b"skip(1)")]


def test_fixtures_pass_wherever_the_checkout_lives(tmp_path):
    from conftest import REPO

    # Under a folder named like a front-end or CLI root, path conditions must still judge the fixture
    # by its own name only.
    rules_dir = tmp_path / "srv" / "static" / "scripts" / "rules"
    shutil.copytree(REPO / "rules", rules_dir)
    results = check_rules(load_rules(rules_dir, validate=False))
    assert len(results) >= 120
    assert [r.problems for r in results if r.problems] == []


MIXED_CONFIDENCE_RULE = """\
id: mixed-confidence
title: t
severity: medium
category: reliability/test
message: "{{fn}}"
confidence: medium
patterns:
  - query: |
      ((call function: (identifier) @fn) @match (#eq? @fn "direct"))
  - query: |
      ((call function: (identifier) @fn) @match (#eq? @fn "indirect"))
    confidence: low
docs: {what: w, why: y, example: e, fix: f}
"""
MIXED_CODE = b"direct(a)\nindirect(b)\n"


def _mixed(tmp_path, path: str, **select) -> list[tuple[str, str]]:
    (tmp_path / "python").mkdir(exist_ok=True)
    (tmp_path / "python" / "mixed-confidence.yaml").write_text(MIXED_CONFIDENCE_RULE)
    rules = load_rules(tmp_path).select(**select)
    report = Engine(rules).analyze(path, MIXED_CODE, language="python", grammar="python")
    return [(f.snippet, f.confidence.label) for f in report.findings]


def test_a_pattern_below_the_floor_stays_quiet_while_the_rule_s_other_patterns_speak(tmp_path):
    from bot.models import Confidence

    assert _mixed(tmp_path, "svc.py", min_confidence=Confidence.MEDIUM) == [("direct(a)", "medium")]
    # Everything asked for, or the rule opted in by name: both patterns, each with its own confidence.
    everything = [("direct(a)", "medium"), ("indirect(b)", "low")]
    assert _mixed(tmp_path, "svc.py", min_confidence=Confidence.LOW) == everything
    assert _mixed(tmp_path, "svc.py", min_confidence=Confidence.MEDIUM, opt_in=["mixed-confidence"]) == everything
    # At a floor above every pattern the rule does not run.
    assert load_rules(tmp_path).select(min_confidence=Confidence.HIGH).rules == []


def test_sample_code_counts_every_pattern_as_low(tmp_path):
    from bot.models import Confidence

    # At the medium floor a medium pattern drops to low in a sample folder, so nothing is left there.
    assert _mixed(tmp_path, "samples/demo.py", min_confidence=Confidence.MEDIUM) == []
    assert _mixed(tmp_path, "samples/demo.py", min_confidence=Confidence.LOW) == [("direct(a)", "low"), ("indirect(b)", "low")]


def test_a_python_program_in_a_scripts_folder_below_the_top_counts_as_low(tmp_path):
    from bot.models import Confidence

    (tmp_path / "python").mkdir(exist_ok=True)
    (tmp_path / "python" / "mixed-confidence.yaml").write_text(MIXED_CONFIDENCE_RULE)
    rules = load_rules(tmp_path)

    def confidences(path: str, source: bytes, floor: Confidence) -> list[str]:
        report = Engine(rules.select(min_confidence=floor)).analyze(path, source, language="python", grammar="python")
        return [f.confidence.label for f in report.findings if f.snippet == "direct(a)"]

    program = MIXED_CODE + b'\nif __name__ == "__main__":\n    direct(c)\n'
    assert confidences("backend/scripts/reset.py", program, Confidence.MEDIUM) == []
    assert confidences("backend/scripts/reset.py", program, Confidence.LOW) == ["low"]
    # Not a program: a module of helpers in scripts/ keeps its confidence; nor outside a scripts/ folder.
    assert confidences("backend/scripts/helpers.py", MIXED_CODE, Confidence.MEDIUM) == ["medium"]
    assert confidences("backend/app/reset.py", program, Confidence.MEDIUM) == ["medium"]


def test_a_byte_order_mark_does_not_hide_the_first_line():
    from bot.analyze.rules import RuleSet

    pack = load_rules()
    rules = [r for r in pack.rules if r.id == "cancellation-token-not-forwarded" and r.language == "csharp"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    source = (
        b"using Dapper;\n"
        b"using System.Threading;\n"
        b"using System.Threading.Tasks;\n"
        b"class Refresh {\n"
        b"    public async Task Do(System.Data.IDbConnection conn, CancellationToken cancellationToken) {\n"
        b'        await conn.ExecuteAsync("SELECT wallets_history_refresh();");\n'
        b"    }\n"
        b"}\n"
    )
    plain = engine.analyze("Refresh.cs", source, language="csharp", grammar="csharp")
    marked = engine.analyze("Refresh.cs", b"\xef\xbb\xbf" + source, language="csharp", grammar="csharp")
    # `using Dapper;` on the first line counts behind the mark too; the finding keeps its line and columns.
    assert [(f.line, f.snippet.strip()) for f in plain.findings] == [(6, 'await conn.ExecuteAsync("SELECT wallets_history_refresh();");')]
    assert [(f.line, f.snippet) for f in marked.findings] == [(f.line, f.snippet) for f in plain.findings]
    assert not marked.parse_errors


MARKED_RULE = """\
id: call-without-timeout
title: t
severity: low
category: resilience/timeout
message: m
query: |
  ((call function: (attribute object: (identifier) @m attribute: (identifier) @f)) @match
   (#eq? @m "requests") (#eq? @f "get"))
suppressed-by:
  - '#\\s*nosec(?![ \\t:]*B\\d)'
  - '#\\s*nosec\\b[^\\n]*\\bB113\\b'
  - 'noqa:[^\\n]*\\bS113\\b'
docs: {what: w, why: y, example: e, fix: f}
"""


NAMED_MARKERS = """\
suppressed-by:
  - {bandit: [B113]}
  - {ruff: [S113]}
"""


@pytest.mark.parametrize("spelled", ["regexes", "named tools"])
def test_anchor_tool_markers_suppress_the_same_check(tmp_path, spelled):
    """A rule's `suppressed-by` markers (another linter's inline suppression of the same check) silence a
    match on its first line, its last line or the line above; a marker for another check does not. A
    named tool with the check's codes (`{bandit: [B113]}`) means the tool's own markers."""
    rule = MARKED_RULE
    if spelled == "named tools":
        start = rule.index("suppressed-by:")
        rule = rule[:start] + NAMED_MARKERS + rule[rule.index("docs:"):]
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "call-without-timeout.yaml").write_text(rule)
    eng = Engine(load_rules(tmp_path))
    code = textwrap.dedent("""\
        import requests
        requests.get(a)  # nosec B113
        requests.get(b)  # noqa: E501, S113
        # nosec
        requests.get(c)
        requests.get(
            d,
        )  # nosec: B113
        requests.get(e)  # nosec B602
        requests.get(f)  # noqa: E501
        requests.get(g)
    """)
    report = eng.analyze("x.py", code.encode(), language="python", grammar="python")
    assert [f.line for f in report.findings] == [9, 10, 11]
    assert report.suppressed == 4


def test_a_bad_suppression_marker_is_a_clear_error(tmp_path):
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "call-without-timeout.yaml").write_text(MARKED_RULE.replace("noqa:[", "noqa:(["))
    with pytest.raises(RuleError, match="suppressed-by marker"):
        load_rules(tmp_path)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{checkov: [CKV_1]}", "names no one known tool"),
        ("{bandit: [B113], ruff: [S113]}", "names no one known tool"),
        ("{gosec: []}", "needs the check's codes"),
        ("{sonar: [S2142]}", "takes no codes"),
    ],
)
def test_a_bad_named_suppression_is_a_clear_error(tmp_path, entry, message):
    start = MARKED_RULE.index("suppressed-by:")
    rule = MARKED_RULE[:start] + f"suppressed-by:\n  - {entry}\n" + MARKED_RULE[MARKED_RULE.index("docs:"):]
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "call-without-timeout.yaml").write_text(rule)
    with pytest.raises(RuleError, match=message):
        load_rules(tmp_path)
