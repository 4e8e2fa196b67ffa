"""The one module that imports tree_sitter: grammars, parsing and query execution."""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

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
    """Compile a query; raises tree_sitter.QueryError with the position of the problem."""
    return ts.Query(language(grammar), rewrite_predicates(text))


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
    return cursor.matches(node)


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
