"""Literal gates: the byte strings a file must contain for a tree-sitter query pattern to match.

A pattern whose `#eq?`, `#any-of?` or `#match?` predicate tests a capture that every match has can only
match text that occurs in the file, so a file without that text cannot match it and the pattern need not
run. Each pattern gets a `Gate`: clauses that must all hold, each a set of alternatives of which one must
occur. The analysis only ever drops requirements it cannot prove (an optional capture, a case-insensitive
regex, a construct it does not know), so a gate never closes on a file the pattern could match.

Where the literals tell files apart poorly (none, or only ones as short as `if`), a `#match?` regex whose match in
the capture is a match in the file becomes a clause of its own, a `Shape`: searched in the file's text, and only where
the gate's other clauses hold, so that a file no pattern can match is not parsed for it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import re._constants as sre_constants
import re._parser as sre_parse
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_ABSENT: Any = object()


class _Memo:
    """What this module derived from rule text (gates, pattern splits, root types, regex literals: pure
    functions of their text), kept across runs in one JSON file under a cache directory, so that a process
    building its packs derives only what no earlier run did (six grammars' packs cost some 0.2 s of
    derivation cold). The file is named by a digest of this module's source and the Python version (whose
    regex parser it reads), so a change to either starts afresh. A file that cannot be read or written is
    left alone: nothing but time depends on it."""

    MAX_ENTRIES = 50_000  # past this (rule sets of many versions met) the memory starts over

    def __init__(self) -> None:
        self._path: Path | None = None
        self._tables: dict[str, dict[str, Any]] = {}
        self._dirty = False

    def use(self, cache_dir: Path | None) -> None:
        """Read the memory kept under `cache_dir` (None: keep none), once per directory."""
        if cache_dir is None:
            self._path = None
            return
        path = cache_dir / f"literals-{_source_digest()}.json"
        if path == self._path:
            return
        self._path, self._dirty = path, False
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(loaded, dict) and all(isinstance(t, dict) for t in loaded.values()):
            for name, table in loaded.items():
                self._tables.setdefault(name, {}).update(table)

    def get(self, table: str, key: str) -> Any:
        return self._tables.get(table, {}).get(key, _ABSENT)

    def put(self, table: str, key: str, value: Any) -> None:
        if sum(map(len, self._tables.values())) >= self.MAX_ENTRIES:
            self._tables.clear()
        self._tables.setdefault(table, {})[key] = value
        self._dirty = self._path is not None

    def save(self) -> None:
        """Write what was derived since reading (atomically: a concurrent writer's file is whole too)."""
        if not self._dirty or self._path is None:
            return
        self._dirty = False
        written: Path | None = None
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self._path.parent, suffix=".tmp", delete=False, encoding="utf-8") as f:
                written = Path(f.name)
                json.dump(self._tables, f)
            written.replace(self._path)
        except OSError:
            if written is not None:
                with contextlib.suppress(OSError):
                    written.unlink()


@functools.cache
def _source_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes() + sys.version.encode()).hexdigest()[:16]


MEMO = _Memo()

# Shorter literals occur in nearly every file: testing them costs more than it saves.
MIN_LITERAL = 2

Clause = frozenset[bytes]


class Word(bytes):
    """A literal that occurs only as a whole token: never right after a letter or `_` (when it begins with
    one) nor right before a letter, digit or `_` (when it ends with one). A keyword (`try`, `await`) or
    the full text of an identifier node is such a literal: a lexer takes the longest token it can, so
    `retry` holds no `try` token and `IActionResult` no `Result` identifier. Equal to the same bytes, so
    a clause compares as plain literals; `querysets.Literals` does the token test."""

    __slots__ = ()


class Shape(bytes):
    """A regular expression (its source, UTF-8) the file's text must match somewhere: a clause of a pattern whose
    literals tell files apart poorly, from a `#match?` predicate whose regex asserts nothing beyond the captured text (no
    `\\b`, lookaround or anchor but a leading `^` and trailing `$`, which are dropped): a match in the
    capture's text is a match in the file's. `querysets.Literals` searches the file's text for it."""

    __slots__ = ()


# Kinds of literal, as kept in the memo and interned by `querysets.Literals`.
PLAIN, WORD, SHAPE = 0, 1, 2


def kind_of(lit: bytes) -> int:
    return WORD if isinstance(lit, Word) else SHAPE if isinstance(lit, Shape) else PLAIN


def literal_of(kind: int, text: bytes) -> bytes:
    return Word(text) if kind == WORD else Shape(text) if kind == SHAPE else text


# A shape must need at least this many characters: a shorter one (`(err|e)`) matches nearly every file.
MIN_SHAPE = 4
_FLAGS_RE = re.compile(r"\(\?[aiLmsux]+\)")


@functools.lru_cache(maxsize=1024)
def shape_of(regex: str) -> str | None:
    """The regex to search a file's text with for a `#match?` of `regex` on a capture, or None when the
    capture's match need not be one in the file (an assertion looks past its ends) or the shape is too
    short to tell files apart."""
    flags = ""
    while (m := _FLAGS_RE.match(regex)) is not None:
        flags, regex = flags + m.group(0), regex[m.end() :]
    if any(f in flags for f in "xmi"):
        return None  # (a search ignoring case walks a whole file slowly)
    body = regex.removeprefix("^")
    if body.endswith("$") and (len(body) - 1 - len(body[:-1].rstrip("\\"))) % 2 == 0:
        body = body[:-1]  # an unescaped `$`
    # Optional blanks at either end change nothing about whether a search finds a match, and cost one.
    while body.startswith("\\s*"):
        body = body[3:]
    while body.endswith("\\s*") and not body.endswith("\\\\s*"):
        body = body[:-3]
    try:
        parsed: Any = sre_parse.parse(flags + body)
        low = parsed.getwidth()[0]
    except (re.error, RecursionError, OverflowError):
        return None
    if low < MIN_SHAPE or parsed.state.flags & re.IGNORECASE or not _asserts_nothing(parsed) or not _opens_with_text(parsed):
        return None
    return flags + body


def _opens_with_text(seq: Any) -> bool:
    """Whether every match starts with a literal character: `re` then skips ahead to where one occurs, where
    a regex opening with `\\w+` is tried at every position of the file (a millisecond per file)."""
    if not len(seq):
        return False
    op, arg = seq[0]
    if op is sre_constants.LITERAL:
        return True
    if op is sre_constants.SUBPATTERN:
        return _opens_with_text(arg[3])
    if op is sre_constants.BRANCH:
        return all(_opens_with_text(branch) for branch in arg[1])
    return False


def _asserts_nothing(seq: Any) -> bool:
    """No assertion (nor a group ignoring case) anywhere in the parsed regex."""
    for op, arg in seq:
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.GROUPREF_EXISTS):
            return False
        if op is sre_constants.SUBPATTERN and arg[1] & re.IGNORECASE:
            return False
        for part in arg if isinstance(arg, (tuple, list)) else (arg,):
            subs = part if isinstance(part, list) else [part]
            if any(isinstance(sub, sre_parse.SubPattern) and not _asserts_nothing(sub) for sub in subs):
                return False
    return True


# Node types whose text is one identifier token.
_TOKEN_NODE_RE = re.compile(r"identifier$")


@dataclass(frozen=True)
class Gate:
    """All clauses must hold; a clause holds when one of its literals occurs in the file."""

    clauses: tuple[Clause, ...] = ()

    def open_for(self, present: PresenceTest) -> bool:
        return all(any(present(lit) for lit in clause) for clause in self.clauses)


class PresenceTest:
    """Memoised `literal in data` over one file's bytes."""

    __slots__ = ("_data", "_known")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._known: dict[bytes, bool] = {}

    def __call__(self, literal: bytes) -> bool:
        known = self._known.get(literal)
        if known is None:
            known = self._known[literal] = literal in self._data
        return known


# --- query text ---------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+|;[^\n]*)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<open>[(\[])
  | (?P<close>[)\]])
  | (?P<capture>@[\w.\-]+)
  | (?P<quant>[?*+])
  | (?P<anchor>\.)
  | (?P<negated>![\w]+)
  | (?P<field>[\w]+\s*:)
  | (?P<word>[#\w][\w.\-/?!]*)
    """,
    re.X | re.S,
)

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"'}


class QueryTextError(ValueError):
    """The query text is not understood; callers fall back to no gate."""


@dataclass
class _Item:
    """One parsed element of a pattern: a node, an alternation, a grouping, or a predicate."""

    kind: str  # node | alt | group | string | predicate
    word: str = ""
    children: list[_Item] = field(default_factory=list)
    captures: list[str] = field(default_factory=list)
    quantifier: str = ""
    args: list[tuple[str, str]] = field(default_factory=list)  # predicate arguments: (capture|string, value)
    span: tuple[int, int] = (0, 0)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise QueryTextError(f"unexpected character {text[pos]!r} at {pos}")
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append((kind, m.group(), pos))
        pos = m.end()
    return out


def _unquote(token: str) -> str:
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.S)


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.text = text

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise QueryTextError("unexpected end of query")
        self.i += 1
        return tok

    def patterns(self) -> list[_Item]:
        out: list[_Item] = []
        while self.peek() is not None:
            out.append(self.item())
        return out

    def item(self) -> _Item:
        while (tok := self.peek()) is not None and tok[0] in {"field", "negated", "anchor"}:
            self.take()
            if tok[0] == "negated":
                return _Item("group", span=(tok[2], tok[2] + len(tok[1])))
        kind, value, start = self.take()
        if kind == "open" and value == "(":
            item = self._paren(start)
        elif kind == "open":
            item = _Item("alt", children=self._until("]"))
        elif kind == "string":
            item = _Item("string", word=_unquote(value))
        elif kind == "word" and not value.startswith("#"):
            item = _Item("node", word=value)  # a bare `_`
        else:
            raise QueryTextError(f"unexpected {value!r} at {start}")
        while (tok := self.peek()) is not None and tok[0] in {"quant", "capture"}:
            self.take()
            if tok[0] == "quant":
                item.quantifier = tok[1]
            else:
                item.captures.append(tok[1][1:])
        end_tok = self.toks[self.i - 1]
        item.span = (start, end_tok[2] + len(end_tok[1]))
        return item

    def _until(self, close: str) -> list[_Item]:
        out: list[_Item] = []
        while True:
            tok = self.peek()
            if tok is None:
                raise QueryTextError(f"missing {close!r}")
            if tok[0] == "anchor":
                self.take()
                continue
            if tok[0] == "close":
                if tok[1] != close:
                    raise QueryTextError(f"unbalanced {tok[1]!r} at {tok[2]}")
                self.take()
                return out
            out.append(self.item())

    def _paren(self, start: int) -> _Item:
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1].startswith("#"):
            self.take()
            args = []
            while (arg := self.take())[0] != "close":
                if arg[0] == "capture":
                    args.append(("capture", arg[1][1:]))
                elif arg[0] == "string":
                    args.append(("string", _unquote(arg[1])))
                else:
                    args.append(("word", arg[1]))
            return _Item("predicate", word=tok[1], args=args)
        if tok is not None and tok[0] == "word":
            self.take()
            if tok[1] == "MISSING":
                # A zero-width node: nothing inside it occurs in the text.
                self._until(")")
                return _Item("node", word="MISSING")
            return _Item("node", word=tok[1], children=self._until(")"))
        return _Item("group", children=self._until(")"))


@functools.lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple[_Item, ...]:
    """The top-level patterns of a query text, parsed once (the items are never modified)."""
    return tuple(_Parser(text).patterns())


@functools.lru_cache(maxsize=8192)
def root_types(pattern_text: str) -> frozenset[str] | None:
    """The node types one of which the root node of every match of a top-level pattern has (see `_root_types`)."""
    kept = MEMO.get("roots", pattern_text)
    if kept is not _ABSENT:
        return None if kept is None else frozenset(kept)
    found = _root_types(pattern_text)
    MEMO.put("roots", pattern_text, None if found is None else sorted(found))
    return found


def _root_types(pattern_text: str) -> frozenset[str] | None:
    """The node types one of which the root node of every match of a top-level pattern has, or None
    when the pattern can start at any node (a wildcard, an anonymous node, a sequence of siblings, an
    optional root) or the text is not understood."""
    try:
        items = _parsed(pattern_text)
    except QueryTextError:
        return None
    return _roots(items[0]) if len(items) == 1 else None


def _roots(item: _Item) -> frozenset[str] | None:
    if item.quantifier:
        return None
    if item.kind == "node":
        word = item.word
        return None if word in {"_", "MISSING", "ERROR"} or "/" in word else frozenset({word})
    parts = [c for c in item.children if c.kind != "predicate"]
    if item.kind == "group":
        return _roots(parts[0]) if len(parts) == 1 else None
    if item.kind == "alt" and parts:
        found: set[str] = set()
        for part in parts:
            sub = _roots(part)
            if sub is None:
                return None
            found |= sub
        return frozenset(found)
    return None


def split_patterns(text: str) -> list[str]:
    """The top-level patterns of a query, as text (comments between them dropped); QueryTextError when
    the text is not understood."""
    kept = MEMO.get("split", text)
    if kept is None:
        raise QueryTextError("query text not understood")
    if kept is not _ABSENT:
        return list(kept)
    try:
        parts = [text[p.span[0] : p.span[1]] for p in _parsed(text)]
    except QueryTextError:
        MEMO.put("split", text, None)
        raise
    MEMO.put("split", text, parts)
    return parts


def strip_predicates(text: str) -> str:
    """The query without its predicates: what tree-sitter matches before any text is compared."""
    spans = sorted(p.span for item in _parsed(text) for p in _predicates(item))
    out: list[str] = []
    at = 0
    for start, end in spans:
        out.append(text[at:start])
        at = end
    out.append(text[at:])
    return "".join(out)


# --- requirements -------------------------------------------------------------------------------------


def _mandatory(item: _Item) -> set[str]:
    """Captures present in every match of the item."""
    if item.quantifier in {"?", "*"} or item.kind == "predicate":
        return set()
    own = set(item.captures)
    parts = [_mandatory(c) for c in item.children if c.kind != "predicate"]
    if item.kind == "alt":
        return own | (set.intersection(*parts) if parts else set())
    return own.union(*parts)


def _predicates(item: _Item) -> Iterator[_Item]:
    if item.kind == "predicate":
        yield item
    for child in item.children:
        yield from _predicates(child)


def _encode(values: Iterable[str], *, word: bool = False) -> Clause | None:
    clause = frozenset((Word if word else bytes)(v.encode()) for v in values)
    if not clause or any(len(v) < MIN_LITERAL for v in clause):
        return None
    return clause


def _token_captures(item: _Item) -> set[str]:
    """Captures of nodes whose text is one identifier token (an alternation counts when every branch is)."""
    out: set[str] = set()
    single = item.kind == "node" and _TOKEN_NODE_RE.search(item.word)
    branches = item.kind == "alt" and item.children and all(
        c.kind == "node" and _TOKEN_NODE_RE.search(c.word) and not c.children for c in item.children
    )
    if single or branches:
        out.update(item.captures)
    for child in item.children:
        out |= _token_captures(child)
    return out


def _clause_of(pred: _Item, mandatory: set[str], tokens: frozenset[str] = frozenset()) -> Clause | None:
    name = pred.word
    if len(pred.args) < 2 or pred.args[0][0] != "capture" or pred.args[0][1] not in mandatory:
        return None
    values = pred.args[1:]
    if any(kind != "string" for kind, _ in values):
        return None  # compares two captures
    # The whole text of an identifier node: found only as a token.
    word = pred.args[0][1] in tokens
    if name in {"#eq?", "#any-eq?"} and len(values) == 1:
        return _encode([values[0][1]], word=word)
    if name == "#any-of?":
        return _encode((v for _, v in values), word=word)
    if name in {"#match?", "#any-match?"} and len(values) == 1:
        alternatives = regex_literals(values[0][1])
        return _encode(alternatives) if alternatives else None
    return None


# Node types whose every instance holds a keyword, in each of the six grammars that has the type: a
# pattern that needs such a node needs the keyword in the file. (Types whose keyword differs between
# grammars, such as Go's `func` and JavaScript's `function` declarations, are left out, and so are
# two-letter keywords such as `if`, `do` and `go`: they occur inside so many words that finding them costs
# more than the gate saves.)
KEYWORD_OF_TYPE = {
    "for_statement": "for",
    "enhanced_for_statement": "for",
    "foreach_statement": "foreach",
    "while_statement": "while",
    "try_statement": "try",
    "try_with_resources_statement": "try",
    "catch_clause": "catch",
    "except_clause": "except",
    "finally_clause": "finally",
    "throw_statement": "throw",
    "raise_statement": "raise",
    "return_statement": "return",
    "break_statement": "break",
    "continue_statement": "continue",
    "defer_statement": "defer",
    "await_expression": "await",
    "using_statement": "using",
    "lock_statement": "lock",
    "synchronized_statement": "synchronized",
}


def _keyword_clauses(item: _Item) -> list[Clause]:
    """Clauses of keywords every match of the item holds: of the node types in KEYWORD_OF_TYPE and
    the anonymous nodes (`"async"`) it needs."""
    if item.quantifier in {"?", "*"} or item.kind == "predicate":
        return []
    if item.kind == "string":
        found = _encode([item.word], word=True)
        return [found] if found is not None and item.word.strip() == item.word else []
    parts = [_keyword_clauses(c) for c in item.children if c.kind != "predicate"]
    if item.kind == "alt":
        # One of the branches matches: a clause of one keyword from each, when every branch has one.
        if not parts or any(not p for p in parts):
            return []
        return [frozenset().union(*(p[0] for p in parts))]
    out = [c for p in parts for c in p]
    keyword = KEYWORD_OF_TYPE.get(item.word) if item.kind == "node" else None
    if keyword is not None:
        out.append(frozenset({Word(keyword.encode())}))
    return out


@functools.lru_cache(maxsize=8192)
def gate_of(pattern_text: str) -> Gate:
    """The gate of one top-level pattern (no gate when the text is not understood)."""
    kept = MEMO.get("gate", pattern_text)
    if kept is not _ABSENT:
        return Gate(tuple(frozenset(literal_of(int(k), t.encode("latin-1")) for k, t in c) for c in kept))
    gate = _gate_of(pattern_text)
    MEMO.put("gate", pattern_text, [[[kind_of(lit), lit.decode("latin-1")] for lit in sorted(c)] for c in gate.clauses])
    return gate


def _gate_of(pattern_text: str) -> Gate:
    try:
        items = _parsed(pattern_text)
    except QueryTextError:
        return Gate()
    if len(items) != 1:
        return Gate()
    item = items[0]
    mandatory = _mandatory(item)
    tokens = frozenset(_token_captures(item))
    clauses = {c for p in _predicates(item) if (c := _clause_of(p, mandatory, tokens)) is not None}
    clauses.update(_keyword_clauses(item))
    # The file must also hold what a `#match?` regex matches: the longest such shape, searched in each file,
    # where it asks for more than any clause of literals does (`if\s*\(\s*err\s*\)` tells files apart, `if`
    # does not; `while\s*\(\s*true\s*\)` better than `true` and `return`).
    shapes = [shape for p in _predicates(item) if (shape := _shape_clause(p, mandatory)) is not None]
    if shapes:
        best = max(shapes, key=_shape_width)
        if _shape_width(best) > max((min(map(len, c)) for c in clauses), default=0):
            clauses.add(frozenset({Shape(best.encode())}))
    return Gate(tuple(sorted(clauses, key=lambda c: (-min(map(len, c)), sorted(c)))))


def _shape_clause(pred: _Item, mandatory: set[str]) -> str | None:
    if pred.word not in {"#match?", "#any-match?"} or len(pred.args) != 2:
        return None
    (kind, capture), (value_kind, regex) = pred.args
    if kind != "capture" or capture not in mandatory or value_kind != "string":
        return None
    return shape_of(regex)


def _shape_width(shape: str) -> int:
    return int(sre_parse.parse(shape).getwidth()[0])


# --- regular expressions ------------------------------------------------------------------------------

_ZERO_WIDTH = {sre_constants.AT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}


def regex_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` (re.search semantics) contains, or None."""
    found = _regex_literals(pattern)
    return found[0] if found is not None and not found[1] else None


@functools.lru_cache(maxsize=8192)
def _regex_literals(pattern: str, flags: int = 0) -> tuple[frozenset[str], bool] | None:
    """Required strings of a regex and whether they are matched ignoring case."""
    key = f"{flags}:{pattern}"
    kept = MEMO.get("regex", key)
    if kept is not _ABSENT:
        return None if kept is None else (frozenset(kept[0]), kept[1])
    found = _derive_regex_literals(pattern, flags)
    MEMO.put("regex", key, None if found is None else [sorted(found[0]), found[1]])
    return found


def _derive_regex_literals(pattern: str, flags: int) -> tuple[frozenset[str], bool] | None:
    try:
        parsed: Any = sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None
    if parsed.state.flags & re.VERBOSE:
        return None
    best = _best(_required(parsed))
    return (best, bool(parsed.state.flags & re.IGNORECASE)) if best is not None else None


@functools.lru_cache(maxsize=8192)
def may_match(pattern: str, flags: int = 0) -> Callable[[str], bool]:
    """A cheap test that is False only for texts `re.search(pattern, text, flags)` cannot match: none of
    the strings every match contains occurs. (Ignoring case, it speaks only for ASCII, where lowering
    both sides is exactly how the regex compares.)"""
    found = _regex_literals(pattern, flags)
    if found is None:
        return _maybe
    needles, ignore_case = found
    if not ignore_case:
        return lambda text: any(n in text for n in needles)
    if not all(n.isascii() for n in needles):
        return _maybe
    lowered = tuple(n.lower() for n in needles)
    return lambda text: not text.isascii() or any(n in text.lower() for n in lowered)


def _maybe(text: str) -> bool:
    return True


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    options = [o for o in options if o and all(o)]
    if not options:
        return None
    return max(options, key=lambda o: (min(map(len, o)), -len(o)))


# A run of adjacent parts each of which can only be one of a few strings (`(Sql|Npgsql)Command`) is
# required as the strings it can spell, while there are at most this many: `SqlCommand` and
# `NpgsqlCommand` gate far better than `Command`.
MAX_SPELLINGS = 32


def _spellings(op: Any, arg: Any) -> list[str] | None:
    """The strings one sequence item matches, when they are few and it matches nothing else."""
    if op is sre_constants.LITERAL:
        return [chr(arg)]
    if op is sre_constants.IN:
        if len(arg) <= MAX_SPELLINGS and all(o is sre_constants.LITERAL for o, _a in arg):
            return [chr(a) for _o, a in arg]
        return None
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, inner = arg
        return None if add_flags or del_flags else _spell_all(inner)
    if op is sre_constants.BRANCH:
        out: list[str] = []
        for branch in arg[1]:
            spelt = _spell_all(branch)
            if spelt is None or len(out) + len(spelt) > MAX_SPELLINGS:
                return None
            out.extend(spelt)
        return out
    return None


def _spell_all(seq: Any) -> list[str] | None:
    out = [""]
    for op, arg in seq:
        spelt = _spellings(op, arg)
        if spelt is None or len(out) * len(spelt) > MAX_SPELLINGS:
            return None
        out = [a + b for a in out for b in spelt]
    return out


def _required(seq: Any) -> list[frozenset[str]]:
    """Every requirement of a sequence: each run of adjacent parts that can only spell a few strings
    (literal text, small alternations and character sets), and what other nested groups require."""
    found: list[frozenset[str]] = []
    run: list[str] = [""]

    def flush() -> None:
        if run != [""]:
            found.append(frozenset(run))
        run[:] = [""]

    for op, arg in seq:
        if op in _ZERO_WIDTH:
            continue  # an anchor keeps its neighbours adjacent
        spelt = _spellings(op, arg)
        if spelt is not None and op is not sre_constants.LITERAL:
            if len(run) * len(spelt) > MAX_SPELLINGS:
                flush()
            if len(spelt) > MAX_SPELLINGS:
                spelt = None
        if spelt is not None:
            run[:] = [a + b for a in run for b in spelt]
            continue
        flush()
        if op is sre_constants.SUBPATTERN:
            _group, add_flags, _del_flags, inner = arg
            if not add_flags & (re.IGNORECASE | re.VERBOSE) and (best := _best(_required(inner))) is not None:
                found.append(best)
        elif op is sre_constants.BRANCH:
            branches = [_best(_required(b)) for b in arg[1]]
            if branches and all(b is not None for b in branches):
                found.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, _high, inner = arg
            if low >= 1 and (best := _best(_required(inner))) is not None:
                found.append(best)
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None) and (best := _best(_required(arg))) is not None:
            found.append(best)
    flush()
    return found
