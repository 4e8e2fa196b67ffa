"""Patterns of one grammar run as one query per file, compiled for just the patterns the file's text allows.

Running a tree-sitter query costs time in proportion to the patterns it holds (each node is tried against
every pattern that can start there, and each structural match has its predicates checked), while most
patterns of a rule pack test for names a given file never mentions. So each pattern carries a literal
gate (see `literals`); per file, one Aho-Corasick pass finds which literals occur and the patterns whose
gates are open are selected (a gate may also hold a `literals.Shape`, a regex searched in the file's text only
where the gate's other clauses are present). A closed gate means the pattern cannot match, so any query that holds
the selection gives the same matches as the full query, in the same relative order.

Compiling costs milliseconds per pattern (some 14 ms each in C#), and a varied code base yields many
distinct selections, so a selection first runs on a cached query that covers it and gets a query of
its own only once the time that larger query has cost it would have paid for compiling one (rent or
buy). The covers hold the slots asked for so far, not the whole pack: a code base opens few of a
pack's patterns (a generated tree of a million lines opens 8 to 19 of some 80 per grammar), and
compiling every pattern of every grammar would cost each worker seconds. Pattern texts that several
rules or variants share are compiled once and their matches handed to each owner.
"""

from __future__ import annotations

import operator
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick_rs

from bot.analyze.literals import SHAPE, WORD, QueryTextError, gate_of, kind_of, root_types, split_patterns
from bot.syntax import treesitter

Owner = TypeVar("Owner")
_FIRST = operator.itemgetter(0)

# Queries compiled per query set; past this the oldest (but never the largest) is dropped.
CACHE_SIZE = 24
# A selection no cached query covers gets a query of every slot asked for so far, until the slots those
# queries have compiled would pass this share of the whole set: then one query of every slot, which covers
# everything. Compiling then costs at most 1.25 times compiling it all at once, and a code base that opens
# few slots never pays for the rest. (Measured in one process: a generated million-line tree opening 8 to
# 19 slots per grammar compiles for 0.27 s instead of 1.6 s; seven real services, 2.1M lines opening half
# the slots, 4.0 s instead of 3.5 s.)
GROWTH_BUDGET = 0.25
# What one more pattern in a query costs per byte of source (measured: about 20 us on a 7 kB file).
RUN_COST = 3e-9
# Selections remembered (gates evaluated, waste counted); the memory starts over past this.
WASTE_ENTRIES = 4096
# A gated pattern runs only at the ancestors of its literals' occurrences (a few microseconds each)
# instead of in the walk of the whole tree, unless its literals occur more than once per this many bytes
# of the file (measured: 1 KiB suits real code and dense generated code alike).
BYTES_PER_OCCURRENCE = 1024
MAX_OCCURRENCES = 64
# ... or finding those ancestors would take more steps than this (deep nesting).
MAX_CLIMB = 4096
# Literal texts this short are left out of the Aho-Corasick pass (they occur all over a file, and the pass
# would hand over every occurrence): found by a search that stops at the first, and counted only when asked.
SHORT_TEXT = 1
UNCOUNTED = -1
# Order keys leave room for this many tree-sitter patterns in one slot (a text that was not split).
MAX_PATTERNS_PER_SLOT = 1024


@dataclass(frozen=True)
class Slot(Generic[Owner]):
    """One top-level pattern (or, when its text could not be split, one whole query), compiled once
    however many owners share its text; `members` are (order key, owner), in declaration order."""

    text: str
    clauses: tuple[frozenset[int], ...]  # literal ids; each clause needs one of its literals present
    members: tuple[tuple[int, Owner], ...]


@dataclass(frozen=True)
class Compiled:
    """A query of some slots; pattern i of the query is pattern `offsets[i]` of slot `slots_of[i]`."""

    query: treesitter.Query
    slots_of: tuple[int, ...]
    offsets: tuple[int, ...]
    slots: frozenset[int]


class Literals:
    """The literals of every gate of a pack, and one pass over a file's bytes to find which occur.

    A `Word` literal occurs only where it stands as a whole token; the pass finds its text anywhere, then
    one regular-expression search per such text present confirms a token occurrence. Its count and
    spans stay those of the text (an upper bound: they only decide where a pattern is tried)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[bytes, int], int] = {}  # (text, kind) -> id
        self._matcher: ahocorasick_rs.BytesAhoCorasick | None = None
        # Made with the matcher, per distinct text (the matcher's pattern index): its length, the ids of its
        # plain and of its token literal, and the token test; per id, its text.
        self._lengths: list[int] = []
        self._plain: list[int | None] = []
        self._word: list[int | None] = []
        self._tokens: list[_TokenTest | None] = []
        self._text_of: list[int] = []
        self._shapes: tuple[tuple[int, re.Pattern[str]], ...] = ()  # (id, regex) of each shape
        self._shape_ids: set[int] = set()
        # Per shape, the other clauses of each gate holding it (a shape nothing noted is always searched).
        self._shape_needs: dict[int, list[tuple[frozenset[int], ...]]] = {}
        self._simple = True  # no token literal, and ids are text indexes: counts by text are counts by id
        self._short: tuple[tuple[int, bytes], ...] = ()  # (text index, text) of the texts the matcher leaves out
        self._matched: tuple[int, ...] = ()  # per matcher pattern, its text index

    def intern(self, clause: Iterable[bytes]) -> frozenset[int]:
        self._matcher = None
        ids = frozenset(self._ids.setdefault((bytes(lit), kind_of(lit)), len(self._ids)) for lit in clause)
        self._shape_ids.update(self._ids[bytes(lit), SHAPE] for lit in clause if kind_of(lit) == SHAPE)
        return ids

    def present(self, source: bytes) -> frozenset[int]:
        return self.scan(source).present

    def _build(self) -> ahocorasick_rs.BytesAhoCorasick:
        texts: dict[bytes, int] = {}
        for text, kind in self._ids:
            if kind != SHAPE:
                texts.setdefault(text, len(texts))
        # Shapes are regexes searched in the file's text, not texts the matcher finds.
        self._shapes = tuple((lit, re.compile(text.decode())) for (text, kind), lit in self._ids.items() if kind == SHAPE)
        self._lengths = [len(text) for text in texts]
        self._plain = [None] * len(texts)
        self._word = [None] * len(texts)
        self._tokens = [None] * len(texts)
        self._text_of = [0] * len(self._ids)
        for (text, kind), lit in self._ids.items():
            if kind == SHAPE:
                continue
            t = self._text_of[lit] = texts[text]
            if kind == WORD:
                self._word[t] = lit
                self._tokens[t] = _token_test(text)
            else:
                self._plain[t] = lit
        self._simple = all(w is None for w in self._word) and all(p == t for t, p in enumerate(self._plain))
        # One-byte texts (`(`, `.`, a quote) occur all over a file: left out of the matcher (see SHORT_TEXT).
        self._short = tuple((t, text) for text, t in texts.items() if len(text) <= SHORT_TEXT)
        long = [text for text in texts if len(text) > SHORT_TEXT]
        self._matched = tuple(texts[text] for text in long)
        return ahocorasick_rs.BytesAhoCorasick(long, implementation=ahocorasick_rs.Implementation.DFA)

    def scan(self, source: bytes) -> Occurrences:
        """Which literals occur in `source`, how often, and (asked for later) where."""
        if not self._ids:
            return Occurrences([], Counter(), [], [], (), {}, source)
        if self._matcher is None:
            self._matcher = self._build()
        found = self._matcher.find_matches_as_indexes(source, overlapping=True) if self._matched else []
        matched = self._matched
        by_text: Counter[int] = Counter({matched[k]: n for k, n in Counter(map(_FIRST, found)).items()})
        short: dict[int, bytes] = {}
        for t, text in self._short:
            # Present or not is all the pass asks (the search stops at the first occurrence); how often, only
            # `Occurrences.count` does, and only up to the most that a targeted run allows.
            if text in source:
                by_text[t] = UNCOUNTED
                short[t] = text
        if self._simple:
            if self._shapes:
                by_text.update(self._search_shapes(source, by_text.keys()))
            return Occurrences(found, by_text, self._lengths, self._text_of, matched, short, source)
        counts: Counter[int] = Counter()
        plain, word, tokens = self._plain, self._word, self._tokens
        for t, n in by_text.items():
            if (lit := plain[t]) is not None:
                counts[lit] = n
            if (lit := word[t]) is not None:
                token = tokens[t]
                if token is None or token.found_in(source):
                    counts[lit] = n
        if self._shapes:
            counts.update(self._search_shapes(source, counts.keys()))
        return Occurrences(found, counts, self._lengths, self._text_of, matched, short, source)

    def gated_with(self, clauses: tuple[frozenset[int], ...]) -> None:
        """Note a gate's clauses: a shape in it needs searching only in a file that holds the other clauses."""
        for clause in clauses:
            if len(clause) == 1 and (lit := next(iter(clause))) in self._shape_ids:
                self._shape_needs.setdefault(lit, []).append(tuple(c for c in clauses if c is not clause))

    def _search_shapes(self, source: bytes, present: Iterable[int]) -> dict[int, int]:
        """The shapes found in the file's text, searched only where a gate holding one has every other clause
        present; each counted as occurring more often than a targeted run takes (it has no spans to aim at)."""
        have = frozenset(present)
        text: str | None = None
        found: dict[int, int] = {}
        for lit, regex in self._shapes:
            needs = self._shape_needs.get(lit)
            if needs is not None and not any(all(not c.isdisjoint(have) for c in others) for others in needs):
                continue
            if text is None:
                text = source.decode(errors="replace")
            if regex.search(text) is not None:
                found[lit] = MAX_OCCURRENCES + 1
        return found


_WORD_BYTES = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
# Only a letter or `_` right before a hit disqualifies it, not a digit, and any byte past ASCII passes: the
# test must never miss a token.
_BEFORE_TOKEN_BAD = _WORD_BYTES - frozenset(b"0123456789")


@dataclass(frozen=True)
class _TokenTest:
    """A search for a text not followed by a letter, digit or `_` (when it ends with one); each hit is then
    checked for a letter or `_` right before it (when the text begins with one)."""

    regex: re.Pattern[bytes]
    check_before: bool

    def found_in(self, source: bytes) -> bool:
        for hit in self.regex.finditer(source):
            start = hit.start()
            if not self.check_before or start == 0 or source[start - 1] not in _BEFORE_TOKEN_BAD:
                return True
        return False


def _token_test(text: bytes) -> _TokenTest | None:
    """The whole-token test of `text` (None: any occurrence is a token, no end of it being a word byte)."""
    before = text[:1] != b"" and text[0] in _WORD_BYTES
    after = text[-1:] != b"" and text[-1] in _WORD_BYTES
    if not before and not after:
        return None
    # The literal first, so that the search skips ahead to it (a lookbehind first would try every byte).
    return _TokenTest(re.compile(re.escape(text) + (rb"(?![A-Za-z0-9_])" if after else b"")), before)


class Occurrences:
    """The literals a file holds: ids, counts, and the byte ranges where each occurs."""

    __slots__ = ("_found", "_matched", "_short", "_source", "_starts", "_text_of", "counts", "lengths", "present")

    def __init__(
        self,
        found: list[tuple[int, int, int]],
        counts: Counter[int],
        lengths: list[int],
        text_of: list[int],
        matched: tuple[int, ...],
        short: dict[int, bytes],
        source: bytes,
    ) -> None:
        self._found = found  # (matcher pattern, start, end)
        self._matched = matched  # per matcher pattern, its text index
        self._short = short  # texts the matcher left out, by text index, of those present
        self._source = source
        self._starts: dict[int, list[int]] | None = None
        self._text_of = text_of
        self.counts = counts
        self.lengths = lengths
        self.present = frozenset(counts)

    def count(self, clause: frozenset[int]) -> int:
        """How often the clause's literals occur (a text left out of the pass: at most MAX_OCCURRENCES + 1)."""
        counts = self.counts
        total = 0
        for lit in clause:
            n = counts.get(lit, 0)
            if n == UNCOUNTED:
                n = counts[lit] = len(_every(self._source, self._short[self._text_of[lit]], MAX_OCCURRENCES + 1))
            total += n
        return total

    def spans(self, clause: frozenset[int]) -> list[tuple[int, int]]:
        starts = self._starts
        if starts is None:
            starts = self._starts = {}
            matched = self._matched
            for k, start, _end in self._found:
                t = matched[k]
                if t in starts:
                    starts[t].append(start)
                else:
                    starts[t] = [start]
        text_of, lengths = self._text_of, self.lengths
        for lit in clause:
            t = text_of[lit]
            if lit in self.counts and t not in starts and t in self._short:
                starts[t] = _every(self._source, self._short[t])
        return [
            (s, s + lengths[text_of[lit]])
            for lit in clause
            if lit in self.counts
            for s in starts.get(text_of[lit], ())
        ]


def _every(source: bytes, text: bytes, limit: int | None = None) -> list[int]:
    """Where `text` starts in `source`, overlapping occurrences too (the first `limit` of them)."""
    out: list[int] = []
    at = source.find(text)
    while at >= 0 and (limit is None or len(out) < limit):
        out.append(at)
        at = source.find(text, at + 1)
    return out


class QuerySet(Generic[Owner]):
    """The patterns of many owners (rule variants, or condition sub-queries) for one grammar."""

    def __init__(self, grammar: str, pieces: Sequence[tuple[str, Owner]], literals: Literals) -> None:
        self.grammar = grammar
        self.owners: tuple[Owner, ...] = tuple(owner for _text, owner in pieces)
        self._pieces = tuple(pieces)
        self._whole = False
        by_text: dict[str, int] = {}
        slots: list[tuple[str, tuple[frozenset[int], ...], list[tuple[int, Owner]]]] = []
        key = 0
        for text, owner in pieces:
            try:
                parts = [p.strip() for p in split_patterns(text)]
            except QueryTextError:
                parts = [text.strip()]
            for part in parts:
                if part not in by_text:
                    by_text[part] = len(slots)
                    gate = tuple(literals.intern(c) for c in gate_of(part).clauses)
                    literals.gated_with(gate)
                    slots.append((part, gate, []))
                slots[by_text[part]][2].append((key, owner))
                key += 1
        self._use([Slot(text, clauses, tuple(members)) for text, clauses, members in slots])

    def _use(self, slots: list[Slot[Owner]]) -> None:
        self.slots: tuple[Slot[Owner], ...] = tuple(slots)
        supertypes = treesitter.supertypes(self.grammar)
        # Per slot, the types its matches' root nodes have (None: any), for targeted runs.
        self._roots = tuple(
            None if r is None or r & supertypes else r for r in (root_types(slot.text) if slot.clauses else None for slot in slots)
        )
        # Each gated slot filed under the literals of its shortest clause: only slots filed under a
        # present literal can be open.
        by_literal: dict[int, list[int]] = {}
        for i, slot in enumerate(slots):
            for lit in min(slot.clauses, key=len, default=()):
                by_literal.setdefault(lit, []).append(i)
        self._by_literal = by_literal
        self._always = tuple(i for i, s in enumerate(slots) if not s.clauses)
        self._selections: dict[frozenset[int], tuple[int, ...]] = {}
        self._exact: dict[tuple[int, ...], Compiled] = {}
        self._waste: dict[tuple[int, ...], float] = {}
        self._compile_cost = 0.002  # seconds per pattern, measured at each compile
        self._asked: set[int] = set()  # every slot asked for so far
        self._grown = 0  # slots compiled by growths so far

    def __len__(self) -> int:
        return len(self.slots)

    def select(self, present: frozenset[int]) -> tuple[int, ...]:
        """Slots whose gates are open for a file with `present` literals."""
        chosen = self._selections.get(present)
        if chosen is None:
            slots, by_literal = self.slots, self._by_literal
            maybe = {i for lit in present if lit in by_literal for i in by_literal[lit]}
            found = [i for i in maybe if all(not c.isdisjoint(present) for c in slots[i].clauses)]
            chosen = tuple(sorted((*self._always, *found)))
            if len(self._selections) >= WASTE_ENTRIES:
                self._selections.clear()
            self._selections[present] = chosen
        return chosen

    def select_for(self, present: frozenset[int], owners: Callable[[Owner], bool]) -> tuple[int, ...]:
        """Slots whose gates are open and that have a member `owners` accepts."""
        return tuple(i for i in self.select(present) if any(owners(o) for _k, o in self.slots[i].members))

    def expect(self, selections: list[tuple[int, ...]]) -> None:
        """Selections about to run (a batch of files): unless a cached query covers them all, the query
        grows once by every slot they hold, rather than once per selection that brings a new slot."""
        wanted = frozenset().union(*selections)
        if wanted and self._cover_of(wanted) is None:
            self._grow(wanted)

    def compiled(self, selection: tuple[int, ...], *, size: int = 0) -> Compiled | None:
        """A query that holds at least the selected slots (None for an empty selection); `size` is the
        file's length in bytes, to weigh what running a larger query than needed costs."""
        if not selection:
            return None
        hit = self._exact.get(selection)
        if hit is not None:
            return hit
        wanted = frozenset(selection)
        cover = self._cover_of(wanted)
        if cover is None:
            return self._grow(wanted)
        # Rent or buy: a selection runs on a larger query until the time that has cost would have paid
        # for compiling its own.
        waste = self._waste.get(selection, 0.0) + (len(cover.slots) - len(wanted)) * size * RUN_COST
        if waste >= len(selection) * self._compile_cost:
            self._waste.pop(selection, None)
            return self._build(selection)
        if len(self._waste) >= WASTE_ENTRIES:
            self._waste.clear()
        self._waste[selection] = waste
        return cover

    def _cover_of(self, wanted: frozenset[int]) -> Compiled | None:
        """The smallest cached query that holds every `wanted` slot."""
        return min((c for c in self._exact.values() if c.slots >= wanted), key=lambda c: len(c.slots), default=None)

    def _grow(self, wanted: frozenset[int]) -> Compiled:
        """A query of every slot asked for so far and `wanted` (the first time, just `wanted`), or of
        every slot once growing has used its budget: it covers every earlier selection."""
        self._asked |= wanted
        self._grown += len(self._asked)
        if self._grown > GROWTH_BUDGET * len(self.slots):
            return self._full()
        return self._build(tuple(sorted(self._asked)))

    def _build(self, selection: tuple[int, ...]) -> Compiled:
        started = time.perf_counter()
        try:
            made = _compile(self.grammar, [self.slots[i].text for i in selection], selection)
        except treesitter.QueryError:
            if self._whole:
                raise
            # The queries compiled whole when the rules were loaded, so the split was wrong: run them
            # whole and ungated from now on.
            self._whole = True
            self._use([Slot(text, (), ((k, owner),)) for k, (text, owner) in enumerate(self._pieces)])
            return self._build(tuple(range(len(self.slots))))
        self._compile_cost = (time.perf_counter() - started) / len(selection)
        if len(self._exact) >= CACHE_SIZE:
            # Keep the largest query: it covers the most.
            largest = max(self._exact, key=len)
            victim = next(k for k in self._exact if k is not largest)
            del self._exact[victim]
        self._exact[selection] = made
        return made

    def run(
        self,
        selection: tuple[int, ...],
        root: treesitter.Node,
        *,
        size: int = 0,
        owners: Callable[[Owner], bool] | None = None,
        byte_range: tuple[int, int] | None = None,
        where: Occurrences | None = None,
    ) -> list[tuple[int, Owner, treesitter.Captures]]:
        """Matches of the selected slots under root, one per owner of the slot (those `owners` accepts):
        (order key, owner, captures). Sorting by the key (stably) orders matches as a query of every
        owner's patterns, in declaration order, would return them. With `byte_range`, only matches
        whose pattern starts at a node overlapping it (and maybe some others).

        With `where` (the file's literal occurrences), a gated slot whose literals occur a few times
        runs only at the nodes around those occurrences that can be its root; the rest walk the tree."""
        if where is not None and byte_range is None:
            walk, targeted = self._plan(selection, where, size=size)
            out = self._run(walk, root, size=size, owners=owners) if walk else []
            if targeted:
                out.extend(self._run_at(targeted, root, owners=owners))
            return out
        return self._run(selection, root, size=size, owners=owners, byte_range=byte_range)

    def _plan(
        self, selection: tuple[int, ...], where: Occurrences, *, size: int
    ) -> tuple[tuple[int, ...], list[tuple[int, list[tuple[int, int]]]]]:
        """Which selected slots the walk of the whole tree runs, and which run only around the
        occurrences of their rarest clause's literals (each match holds one of them in a captured
        node, so its root node is an ancestor of the occurrence): those whose literals occur at most
        once per BYTES_PER_OCCURRENCE bytes of the file (and MAX_OCCURRENCES times). Where literals are
        dense, adding a pattern to the walk costs less than running it at each occurrence."""
        limit = min(MAX_OCCURRENCES, size // BYTES_PER_OCCURRENCE)
        walk: list[int] = []
        targeted: list[tuple[int, list[tuple[int, int]]]] = []
        slots, roots = self.slots, self._roots
        counts: dict[frozenset[int], int] = {}  # clauses are shared by many slots
        spans_of: dict[frozenset[int], list[tuple[int, int]]] = {}
        for i in selection:
            if roots[i] is not None:
                best, clause = limit + 1, None
                for c in slots[i].clauses:
                    n = counts.get(c)
                    if n is None:
                        n = counts[c] = where.count(c)
                    if n < best:
                        best, clause = n, c
                if clause is not None:
                    spans = spans_of.get(clause)
                    if spans is None:
                        spans = spans_of[clause] = where.spans(clause)
                    targeted.append((i, spans))
                    continue
            walk.append(i)
        return tuple(walk), targeted

    def _run_at(
        self,
        targeted: list[tuple[int, list[tuple[int, int]]]],
        root: treesitter.Node,
        *,
        owners: Callable[[Owner], bool] | None,
    ) -> list[tuple[int, Owner, treesitter.Captures]]:
        """Matches of each targeted slot whose root is an ancestor (or the node) of one of its spans.

        They run on one query that holds every targeted slot (a cached cover, or the next growth of the
        slots asked for), at each distinct node once with `max_start_depth=0`, keeping the matches of the
        slots aimed at that node: one query for them all instead of a compile per slot."""
        wanted: dict[int, list[tuple[int, Owner]]] = {}
        for slot, _spans in targeted:
            members = [(k, o) for k, o in self.slots[slot].members if owners is None or owners(o)]
            if members:
                wanted[slot] = members
        if not wanted:
            return []
        aims = frozenset(wanted)
        made = self._cover_of(aims) or self._grow(aims)
        slots_of, offsets = made.slots_of, made.offsets
        at_node: dict[int, tuple[treesitter.Node, set[int]]] = {}
        chains: dict[tuple[int, int], list[tuple[str, treesitter.Node]]] = {}
        walk_all = False
        for slot, spans in targeted:
            if slot not in wanted:
                continue
            starts = _ancestors_of_types(root, spans, self._roots[slot] or frozenset(), chains)
            if starts is None:  # nested too deep to climb cheaply: one walk of the tree
                walk_all = True
                break
            for node in starts:
                at_node.setdefault(node.id, (node, set()))[1].add(slot)
        # Per slot, its matches in the order of their nodes' first bytes.
        found: dict[int, list[tuple[int, treesitter.Captures]]] = {slot: [] for slot in wanted}
        if walk_all:
            for i, caps in treesitter.matches(made.query, root):
                if slots_of[i] in found:
                    found[slots_of[i]].append((i, caps))
        else:
            for node, aimed in sorted(at_node.values(), key=lambda entry: entry[0].start_byte):
                for i, caps in treesitter.matches(made.query, node, max_start_depth=0):
                    if slots_of[i] in aimed:
                        found[slots_of[i]].append((i, caps))
        out: list[tuple[int, Owner, treesitter.Captures]] = []
        for slot, _spans in targeted:
            if slot in wanted:
                out.extend((k * MAX_PATTERNS_PER_SLOT + offsets[i], o, caps) for i, caps in found[slot] for k, o in wanted[slot])
        return out

    def _full(self) -> Compiled:
        """The query of every slot."""
        full = tuple(range(len(self.slots)))
        return self._exact.get(full) or self._build(full)

    def _run(
        self,
        selection: tuple[int, ...],
        root: treesitter.Node,
        *,
        size: int,
        owners: Callable[[Owner], bool] | None,
        byte_range: tuple[int, int] | None = None,
    ) -> list[tuple[int, Owner, treesitter.Captures]]:
        made = self.compiled(selection, size=size)
        if made is None:
            return []
        return self._collect(made, treesitter.matches(made.query, root, byte_range=byte_range), selection, owners)

    def _collect(
        self,
        made: Compiled,
        found: Iterable[tuple[int, treesitter.Captures]],
        selection: tuple[int, ...],
        owners: Callable[[Owner], bool] | None,
    ) -> list[tuple[int, Owner, treesitter.Captures]]:
        out: list[tuple[int, Owner, treesitter.Captures]] = []
        slots, slots_of, offsets = self.slots, made.slots_of, made.offsets
        # A larger query than the selection may hold slots that were not asked for.
        wanted = made.slots if len(made.slots) == len(selection) else frozenset(selection)
        for i, caps in found:
            slot = slots_of[i]
            if slot not in wanted:
                continue
            for key, owner in slots[slot].members:
                if owners is None or owners(owner):
                    out.append((key * MAX_PATTERNS_PER_SLOT + offsets[i], owner, caps))
        return out


def _ancestors_of_types(
    root: treesitter.Node,
    spans: list[tuple[int, int]],
    types: frozenset[str],
    chains: dict[tuple[int, int], list[tuple[str, treesitter.Node]]],
) -> list[treesitter.Node] | None:
    """The distinct nodes of `types` that hold one of the spans (the smallest node around a span and its
    ancestors), or None past MAX_CLIMB steps. `chains` remembers each span's ancestors (with their types)
    for the other slots aimed at the same literals."""
    found: dict[int, treesitter.Node] = {}
    climbed = 0
    for span in spans:
        chain = chains.get(span)
        if chain is None:
            chain = chains[span] = []
            node: treesitter.Node | None = root.descendant_for_byte_range(*span)
            while node is not None and len(chain) <= MAX_CLIMB:
                chain.append((node.type, node))
                node = node.parent
        climbed += len(chain)
        for kind, node in chain:
            if kind in types:
                found.setdefault(node.id, node)
        if climbed > MAX_CLIMB:
            return None
    return list(found.values())


def _compile(grammar: str, texts: list[str], selection: tuple[int, ...]) -> Compiled:
    """Compile slot texts as one query; each pattern's slot is found by its byte offset in the text."""
    text = ""
    starts: list[int] = []
    # Rewritten here, not in compile_query, so that the offsets below are those of the compiled text.
    for piece in map(treesitter.rewrite_predicates, texts):
        starts.append(len(text.encode()))
        text += piece + "\n"
    query = treesitter.compile_query(grammar, text)
    slots_of: list[int] = []
    offsets: list[int] = []
    k = 0
    for i in range(query.pattern_count):
        at = query.start_byte_for_pattern(i)
        while k + 1 < len(starts) and starts[k + 1] <= at:
            k += 1
        offsets.append(offsets[-1] + 1 if slots_of and slots_of[-1] == selection[k] else 0)
        slots_of.append(selection[k])
    if offsets and max(offsets) >= MAX_PATTERNS_PER_SLOT:
        raise treesitter.QueryError("too many patterns in one query text")
    return Compiled(query, tuple(slots_of), tuple(offsets), frozenset(selection))
