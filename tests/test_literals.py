"""Literal gates: which text a file must contain for a query pattern to match, derived from the query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from bot.analyze.literals import gate_of, may_match, regex_literals, split_patterns, strip_predicates

ROOT = Path(__file__).resolve().parents[1]


def clauses(query: str) -> set[frozenset[bytes]]:
    return set(gate_of(query).clauses)


def parsed_nodes(*globs: str) -> Iterator[tuple[Path, bytes, Node]]:
    """Every node of every source file the globs (under the repository root) name: (path, bytes, node)."""
    from bot.syntax import treesitter
    from bot.syntax.languages import detect

    for path in (p for pattern in globs for p in ROOT.glob(pattern)):
        detected = detect(str(path))
        if detected is None or not path.is_file():
            continue
        data = path.read_bytes()
        stack = [treesitter.parse(detected[1], data).root_node]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            yield path, data, node


def test_eq_and_any_of_on_a_capture_every_match_has_become_clauses():
    query = """((call function: (attribute object: (identifier) @lib attribute: (identifier) @verb)) @match
      (#eq? @lib "requests") (#any-of? @verb "get" "post"))"""
    assert clauses(query) == {frozenset({b"requests"}), frozenset({b"get", b"post"})}


def test_optional_or_repeated_captures_give_no_clause():
    assert clauses('((call (identifier)? @f) @match (#eq? @f "sleep"))') == set()
    assert clauses('((block (identifier)* @f) @match (#eq? @f "sleep"))') == set()


def test_alternation_requires_the_capture_in_every_branch():
    both = '((call function: [(identifier) @f (attribute attribute: (identifier) @f)]) @match (#eq? @f "sleep"))'
    one = '((call function: [(identifier) @f (attribute)]) @match (#eq? @f "sleep"))'
    assert clauses(both) == {frozenset({b"sleep"})}
    assert clauses(one) == set()


def test_negated_and_capture_to_capture_predicates_give_no_clause():
    assert clauses('((identifier) @a @match (#not-eq? @a "self"))') == set()
    assert clauses('((assignment left: (identifier) @a right: (identifier) @b) @match (#eq? @a @b))') == set()


def test_match_predicates_give_the_literals_every_match_contains():
    assert clauses('((identifier) @m @match (#match? @m "^(GetAsync|PostAsync)$"))') == {
        frozenset({b"GetAsync", b"PostAsync"})
    }
    assert clauses('((identifier) @m @match (#match? @m "(?i)http"))') == set()


def test_regex_literals():
    assert regex_literals(r"Async(<.*>)?$") == frozenset({"Async"})
    assert regex_literals(r"\bnest_asyncio\.apply\(") == frozenset({"nest_asyncio.apply("})
    assert regex_literals(r"(foo|ba[rz])") == frozenset({"foo", "bar", "baz"})
    # Adjacent parts that can spell only a few strings are required as those strings, not as the
    # longest plain run between them.
    assert regex_literals(r"^(Sql|Npgsql)Command$") == frozenset({"SqlCommand", "NpgsqlCommand"})
    assert regex_literals(r"[Ss]tring\.Format") == frozenset({"String.Format", "string.Format"})
    # Past MAX_SPELLINGS the run is cut, and the longest part required on its own stands.
    assert regex_literals(r"[a-z]x[0-9abcdefghijklmnopqrstuvwxyzABCDEFGHIJ]Tail") == frozenset({"Tail"})
    # An anchor inside an alternative, or a case-insensitive group, is not spelt out.
    assert regex_literals(r"(^|/)tests?/") == frozenset({"test"})
    assert regex_literals(r"x?") is None
    assert regex_literals(r"(?i:abc)") is None
    assert regex_literals(r"a{0,3}") is None


def test_may_match_is_false_only_where_the_regex_cannot_match():
    maybe = may_match(r"(function\s+fetch\s*\(|const\s+fetch\s*=)")
    assert maybe("const fetch = x") and maybe("function fetch(")
    assert not maybe("let get = x")
    ignoring_case = may_match(r"(?i)(status|ready)")
    assert ignoring_case("while (!STATUS)")
    assert not ignoring_case("while (true)")
    # Outside ASCII, case folding is the regex's business: the cheap test does not speak.
    assert ignoring_case("\u017ftatu\u017f")  # long s, which the regex folds to "s"


def test_split_patterns_keeps_strings_and_comments_apart():
    text = '''; a comment with ( and "
((identifier) @a @match (#eq? @a ";)"))
  ; another
((string) @match (#match? @match "\\\\(")) ((integer) @match)
'''
    parts = split_patterns(text)
    assert parts == ['((identifier) @a @match (#eq? @a ";)"))', '((string) @match (#match? @match "\\\\("))',
                     "((integer) @match)"]


def test_strip_predicates_leaves_the_structure():
    text = '((call function: (identifier) @f) @match (#eq? @f "x") (#match? @f "^\\\\(\\\\)$"))'
    assert strip_predicates(text).split() == ["((call", "function:", "(identifier)", "@f)", "@match", ")"]


def test_keyword_node_types_and_anonymous_nodes_become_clauses():
    gate = gate_of('((while_statement body: (block (try_statement) @t)) @match)')
    assert set(gate.clauses) == {frozenset({b"while"}), frozenset({b"try"})}
    # Optional or repeated nodes prove nothing; an alternation needs a keyword in every branch.
    assert gate_of("((while_statement (try_statement)? @t) @match)").clauses == (frozenset({b"while"}),)
    assert gate_of('([(return_statement) (break_statement)] @match)').clauses == (frozenset({b"return", b"break"}),)
    assert gate_of('([(return_statement) (identifier)] @match)').clauses == ()
    assert gate_of('((function_declaration "async" name: (identifier) @n) @match)').clauses == (frozenset({b"async"}),)


def test_every_node_of_a_keyword_type_holds_its_keyword():
    from bot.analyze.literals import KEYWORD_OF_TYPE

    seen: set[str] = set()
    for path, data, node in parsed_nodes("rules/*/*", "examples/**/*"):
        keyword = KEYWORD_OF_TYPE.get(node.type)
        if keyword is not None and not node.has_error:
            assert keyword.encode() in data[node.start_byte : node.end_byte], (path, node.type)
            seen.add(node.type)
    assert len(seen) >= 15


def test_whole_token_literals_come_from_identifier_nodes_and_keywords():
    from bot.analyze.literals import Word

    def words(query: str) -> set[bytes]:
        return {lit for clause in gate_of(query).clauses for lit in clause if isinstance(lit, Word)}

    assert words('((member_access_expression name: (identifier) @n) @match (#eq? @n "Result"))') == {b"Result"}
    assert words('((call function: [(identifier) (attribute)] @f) @match (#any-of? @f "eval" "exec"))') == set()
    assert words('((string) @s @match (#eq? @s "\\"md5\\""))') == set()
    assert words("((try_statement) @match)") == {b"try"}
    assert words('((function_declaration "async" name: (identifier) @n) @match)') == {b"async"}


def test_a_token_literal_is_present_only_as_a_whole_token():
    from bot.analyze.literals import Word
    from bot.analyze.querysets import Literals

    lits = Literals()
    word_try, plain_try, result = (
        lits.intern([Word(b"try")]), lits.intern([b"try"]), lits.intern([Word(b"Result")])
    )
    assert lits.present(b"retry(registry)") == plain_try
    assert lits.present(b"try {\n}") == word_try | plain_try
    assert lits.present(b"IActionResult Get() => Results.Ok();") == frozenset()
    assert lits.present(b"var x = task.Result;") == result
    assert lits.present(b"x=1;Result=2") == result
    # The count and spans of a present token literal are those of its text: an upper bound.
    found = lits.scan(b"retry(); try { }")
    assert found.count(word_try) == 2 and len(found.spans(word_try)) == 2


def test_every_identifier_and_keyword_token_passes_the_token_test():
    from bot.analyze.querysets import _BEFORE_TOKEN_BAD, _token_test

    checked = 0
    for path, data, node in parsed_nodes("rules/*/*", "examples/**/*", "bot/**/*.py"):
        text = data[node.start_byte : node.end_byte]
        token = node.type.endswith("identifier") or (not node.is_named and text.isalpha())
        if not token or node.child_count or len(text) < 2 or node.has_error:
            continue
        test = _token_test(text)
        assert test is not None and test.regex.match(data, node.start_byte), (path, node.type, text)
        assert node.start_byte == 0 or data[node.start_byte - 1] not in _BEFORE_TOKEN_BAD, (path, text)
        checked += 1
    assert checked > 10_000


# --- shapes: regexes the file must match, for patterns no literal tells apart -------------------------

def test_shape_of_keeps_what_a_capture_match_needs_of_the_file():
    from bot.analyze.literals import shape_of

    # Anchors at the ends, and optional blanks there, are dropped: the capture's text is somewhere in the file.
    assert shape_of(r"^if\s*\(\s*(err|e)\s*\)$") == r"if\s*\(\s*(err|e)\s*\)"
    assert shape_of(r"^\s*err\s*!=\s*nil\s*$") == r"err\s*!=\s*nil"
    assert shape_of(r"cost\$") == r"cost\$"  # an escaped `$` is text
    # An assertion that looks past the capture's ends (or anywhere: where it lands is not known) gives none.
    for regex in (r"\bretry\b", r"^(?!test)fetch\w+", r"(?<=\.)send\(", r"^a$|^b$|^(ccc)$"):
        assert shape_of(regex) is None, regex
    # Nor does a regex ignoring case, one opening with a class (searched slowly), or one too short to tell.
    for regex in (r"(?i)timeout", r"(?i:list|find)\(", r"\w+\s*\*=\s*2", r"^(e|err)$", r"a.b"):
        assert shape_of(regex) is None, regex


def test_a_shape_gates_only_a_pattern_no_long_literal_gates():
    from bot.analyze.literals import Shape

    weak = '((if_statement) @if (#match? @if "^if\\\\s*\\\\(\\\\s*err\\\\s*\\\\)"))'
    assert frozenset({Shape(rb"if\s*\(\s*err\s*\)")}) in clauses(weak)
    strong = '((call function: (identifier) @f) @c (#eq? @f "requests") (#match? @c "^requests\\\\.get\\\\("))'
    assert not any(isinstance(lit, Shape) for c in clauses(strong) for lit in c)


def test_a_shape_is_present_where_the_file_text_matches_it():
    from bot.analyze.literals import Shape
    from bot.analyze.querysets import MAX_OCCURRENCES, Literals

    lits = Literals()
    shape, plain = lits.intern([Shape(rb"if\s*\(\s*err\s*\)")]), lits.intern([b"retry"])
    assert lits.present(b"if (err) return retry();") == shape | plain
    assert lits.present(b"if (error) { retry(); }") == plain
    assert lits.present("if (  err\n)  /* \u00e9 */".encode()) == shape
    # No spans to aim a run at: counted as too many for one.
    found = lits.scan(b"if(err) x()")
    assert found.count(shape) > MAX_OCCURRENCES and found.spans(shape) == []


def test_no_shape_closes_on_a_fixture_its_pattern_matches():
    """A shape gate must never close on a file the pattern matches: every pattern gated by a shape is run on
    every fixture of its language, and each file it matches holds the shape."""
    from bot.analyze.literals import Shape
    from bot.analyze.querysets import _compile
    from bot.analyze.rules import load_rules
    from bot.syntax import treesitter
    from bot.syntax.languages import detect

    rules = load_rules(None)
    checked = 0
    for language in {r.language for r in rules.rules}:
        fixtures = [p for p in (ROOT / "rules" / language).glob("*") if p.suffix not in {".yaml", ".md"} and p.is_file()]
        for rule in rules.for_language(language):
            for variant in rule.variants:
                for part in split_patterns(variant.query):
                    shapes = [lit for c in gate_of(part.strip()).clauses for lit in c if isinstance(lit, Shape)]
                    if not shapes:
                        continue
                    regex = __import__("re").compile(shapes[0].decode())
                    for path in fixtures:
                        grammar = detect(str(path))[1]
                        data = path.read_bytes()
                        made = _compile(grammar, [part.strip()], (0,))
                        if list(treesitter.matches(made.query, treesitter.parse(grammar, data).root_node)):
                            assert regex.search(data.decode()), (rule.id, path.name)
                            checked += 1
    assert checked >= 2  # JavaScript's and TypeScript's retry-without-backoff at least


# --- derivations kept across runs ------------------------------------------------------------------------

MEMO_SAMPLES = [
    '((call function: (identifier) @f (#eq? @f "eval")) @match)',
    '((while_statement body: (block (try_statement) @t)) @match)',
    '((identifier) @x (#match? @x "^(get|post)Async$")) @match',
    '((if_statement) @if (#match? @if "^if\\\\s*\\\\(\\\\s*err\\\\s*\\\\)"))',
    "(call) @a (string) @b",
    "((call",  # not understood: split_patterns raises, the gate is empty
]


def _fresh(monkeypatch, cache: Path | None) -> object:
    """A module-level memory as a new process would have it, reading under `cache`."""
    from bot.analyze import literals

    memo = literals._Memo()
    monkeypatch.setattr(literals, "MEMO", memo)
    for fn in (literals.gate_of, literals.root_types, literals._regex_literals, literals._parsed):
        fn.cache_clear()
    memo.use(cache)
    return memo


def _derive_all() -> list[object]:
    from bot.analyze import literals

    out: list[object] = []
    for text in MEMO_SAMPLES:
        gate = literals.gate_of(text)
        out.append([sorted((sorted(c), [literals.kind_of(lit) for lit in sorted(c)]) for c in gate.clauses)])
        out.append(literals.root_types(text))
        try:
            out.append(split_patterns(text))
        except literals.QueryTextError:
            out.append("raises")
    out.append(literals._regex_literals(r"^(get|post)Async$"))
    out.append(literals._regex_literals(r"(?i)timeout", 8))
    out.append(literals._regex_literals("("))
    return out


def test_what_one_run_derives_the_next_reads_back_unchanged(tmp_path, monkeypatch):
    from bot.analyze import literals

    _fresh(monkeypatch, tmp_path)
    first = _derive_all()
    literals.MEMO.save()
    kept = list(tmp_path.glob("literals-*.json"))
    assert len(kept) == 1
    # A new process reads the file and derives nothing: every deriving function fails if called.
    _fresh(monkeypatch, tmp_path)
    for name in ("_gate_of", "_root_types", "_derive_regex_literals", "_parsed"):
        monkeypatch.setattr(literals, name, lambda *a, **k: (_ for _ in ()).throw(AssertionError("derived again")))
    assert _derive_all() == first
    # Word literals (whole tokens) come back as Word, plain ones as bytes, shapes as Shape.
    words = [lit for c in literals.gate_of(MEMO_SAMPLES[1]).clauses for lit in c]
    assert words and all(isinstance(lit, literals.Word) for lit in words)
    shapes = [lit for c in literals.gate_of(MEMO_SAMPLES[3]).clauses for lit in c if isinstance(lit, literals.Shape)]
    assert shapes == [rb"if\s*\(\s*err\s*\)"]


def test_a_damaged_or_unwritable_memory_only_costs_time(tmp_path, monkeypatch):
    from bot.analyze import literals

    reference = (_fresh(monkeypatch, None), _derive_all())[1]
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"literals-{literals._source_digest()}.json").write_text("{not json")
    _fresh(monkeypatch, cache)
    assert _derive_all() == reference
    literals.MEMO.save()  # replaces the damaged file
    assert json.loads((cache / f"literals-{literals._source_digest()}.json").read_text())["gate"]
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    _fresh(monkeypatch, blocked / "sub")
    assert _derive_all() == reference
    literals.MEMO.save()  # cannot make the directory: nothing raised, nothing written
    assert blocked.read_text() == ""
