"""The one module that imports tree_sitter: grammars, parsing and query execution."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import tree_sitter as ts

from bot.errors import AnalysisError

Node = ts.Node
Tree = ts.Tree
Query = ts.Query
QueryError = ts.QueryError
Captures = dict[str, list[ts.Node]]


# grammar name -> (module of the official wheel, its entry point)
_ENTRY_POINTS = {
    "python": ("tree_sitter_python", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "java": ("tree_sitter_java", "language"),
    "go": ("tree_sitter_go", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
}


def _grammar(name: str) -> Callable[[], Any]:
    """The `language()` entry point of an official grammar wheel, imported lazily."""
    if name not in _ENTRY_POINTS:
        raise AnalysisError(f"no grammar for language {name!r}")
    module, attr = _ENTRY_POINTS[name]
    fn: Callable[[], Any] = getattr(importlib.import_module(module), attr)
    return fn


@functools.cache
def language(name: str) -> ts.Language:
    """The tree-sitter Language for a grammar name (cached per process)."""
    return ts.Language(_grammar(name)())


@functools.cache
def _parser(name: str) -> ts.Parser:
    return ts.Parser(language(name))


def parse(grammar: str, source: bytes) -> ts.Tree:
    """Parse source bytes; tree-sitter always returns a tree, with ERROR nodes where the syntax is broken."""
    return _parser(grammar).parse(source)


_NOT_ANY_OF_RE = re.compile(r'\(#not-any-of\?\s+(@[\w.\-]+)((?:\s+"(?:[^"\\]|\\.)*")+)\s*\)')
_QUERY_STRING_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_QUERY_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def compile_query(grammar: str, text: str) -> ts.Query:
    """Compile a query; raises tree_sitter.QueryError with the position of the problem, and for a
    predicate that neither tree-sitter nor this module applies (tree-sitter would pass it as true)."""
    for m in _PREDICATE_NAME_RE.finditer(text):
        name = m.group(1)
        if name in CUSTOM_PREDICATES and not re.fullmatch(r"\s+@[\w.-]+\s*", m.group(2)):
            raise ts.QueryError(f"predicate #{name} takes one capture: {m.group(0)}")
        if name not in _BUILTIN_PREDICATES and name not in CUSTOM_PREDICATES:
            known = ", ".join(f"#{n}" for n in sorted(CUSTOM_PREDICATES))
            raise ts.QueryError(f"unknown predicate #{name} (besides tree-sitter's own: {known})")
    return ts.Query(language(grammar), rewrite_predicates(text))


def _comment(node: ts.Node) -> bool:
    return "comment" in node.type


def _last_statement(node: ts.Node) -> bool:
    """Nothing but comments follows the node among its parent's named children: the last statement of a
    block, whatever remarks close it (a query anchor `.` counts a comment as a sibling)."""
    sibling = node.next_named_sibling
    while sibling is not None and _comment(sibling):
        sibling = sibling.next_named_sibling
    return sibling is None


# Predicates this module applies, each on the nodes of its one capture argument: `(#last-statement? @try)`.
CUSTOM_PREDICATES: dict[str, Callable[[ts.Node], bool]] = {"last-statement?": _last_statement}
_BUILTIN_PREDICATES = frozenset(
    {
        *(f"{q}{op}?" for q in ("", "not-", "any-", "any-not-") for op in ("eq", "match")),
        "any-of?",
        "not-any-of?",
        "set!",
        "is?",
        "is-not?",
    }
)
_PREDICATE_NAME_RE = re.compile(r'\(#([A-Za-z][\w-]*[?!])((?:"(?:[^"\\]|\\.)*"|[^()"])*)\)')


def _custom_predicate(
    predicate: str, args: list[tuple[str, Literal["capture", "string"]]], pattern_index: int, captures: Captures
) -> bool:
    """Called by tree-sitter for every predicate it does not know: apply the module's own."""
    test = CUSTOM_PREDICATES.get(predicate)
    if test is None or len(args) != 1 or args[0][1] != "capture":
        raise AnalysisError(f"query predicate #{predicate} with arguments {args!r} is not one resbot applies")
    return all(test(node) for node in captures.get(args[0][0], ()))


def rewrite_predicates(text: str) -> str:
    """py-tree-sitter accepts `#not-any-of?` but does not apply it: spell it as the `#not-match?` of an
    anchored alternation, which it does."""
    if "#not-any-of?" not in text:
        return text

    def rewrite(m: re.Match[str]) -> str:
        values = [
            re.sub(r"\\(.)", lambda e: _QUERY_ESCAPES.get(e.group(1), e.group(1)), v)
            for v in _QUERY_STRING_RE.findall(m.group(2))
        ]
        regex = "^(?:" + "|".join(re.escape(v) for v in values) + ")$"
        quoted = regex.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'(#not-match? {m.group(1)} "{quoted}")'

    return _NOT_ANY_OF_RE.sub(rewrite, text)


@dataclass(frozen=True, slots=True)
class PatternInfo:
    """What a compiled query says about one of its patterns."""

    index: int
    captures: frozenset[str]


def pattern_captures(query: ts.Query, text: str) -> list[PatternInfo]:
    """Capture names used by each pattern of a query, read from the pattern's span of the query text
    (the binding exposes a pattern's byte range but not its captures)."""
    infos: list[PatternInfo] = []
    names = [query.capture_name(i) for i in range(query.capture_count)]
    raw = text.encode()
    for i in range(query.pattern_count):
        span = raw[query.start_byte_for_pattern(i) : query.end_byte_for_pattern(i)].decode()
        used = frozenset(n for n in names if f"@{n}" in span and _whole_capture(span, n))
        infos.append(PatternInfo(i, used))
    return infos


def _whole_capture(span: str, name: str) -> bool:
    start = 0
    needle = f"@{name}"
    while (pos := span.find(needle, start)) != -1:
        end = pos + len(needle)
        if end >= len(span) or not (span[end].isalnum() or span[end] in "_-."):
            return True
        start = end
    return False


def matches(
    query: ts.Query, node: ts.Node, *, byte_range: tuple[int, int] | None = None, max_start_depth: int | None = None
) -> list[tuple[int, Captures]]:
    """All matches of a query under a node: (pattern index, captures). With `byte_range`, only
    matches whose pattern starts at a node that overlaps the range; with `max_start_depth` 0, only
    those whose pattern starts at `node` itself."""
    cursor = ts.QueryCursor(query)
    if byte_range is not None:
        cursor.set_byte_range(*byte_range)
    if max_start_depth is not None:
        cursor.set_max_start_depth(max_start_depth)
    return cursor.matches(node, _custom_predicate)


@functools.cache
def supertypes(grammar: str) -> frozenset[str]:
    """Names of the grammar's supertypes (a query may name them; a node never has them as its type)."""
    lang = language(grammar)
    return frozenset(name for i in lang.supertypes if (name := lang.node_kind_for_id(i)) is not None)


def ancestors(node: ts.Node) -> Iterator[ts.Node]:
    """The node's ancestors, nearest first (iterative, so deep nesting cannot overflow the stack)."""
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
