"""Literal gates: which text a file must contain for a query pattern to match, derived from the query."""

from __future__ import annotations

from bot.analyze.literals import gate_of, may_match, regex_literals, split_patterns, strip_predicates


def clauses(query: str) -> set[frozenset[bytes]]:
    return set(gate_of(query).clauses)


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
    assert regex_literals(r"(foo|ba[rz])") == frozenset({"foo", "ba"})
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
