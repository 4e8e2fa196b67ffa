"""Patterns of one grammar run as one query per file, compiled for just the patterns the file's text allows.

Running a tree-sitter query costs time in proportion to the patterns it holds (each node is tried against
every pattern that can start there, and each structural match has its predicates checked), while most
patterns of a rule pack test for names a given file never mentions. So each pattern carries a literal
gate (see `literals`); per file, one Aho-Corasick pass finds which literals occur and the patterns whose
gates are open are selected. A closed gate means the pattern cannot match, so any query that holds the
selection gives the same matches as the full query, in the same relative order.

Compiling costs milliseconds per pattern, and a varied code base yields many distinct selections, so
a selection first runs on a cached query that covers it (the full one, at worst) and gets a query of
its own only once the time that larger query has cost it would have paid for compiling one (rent or
buy). Pattern texts that several rules or variants share are compiled once and their matches handed
to each owner.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import ahocorasick_rs

from bot.analyze.literals import QueryTextError, gate_of, split_patterns
from bot.syntax import treesitter

Owner = TypeVar("Owner")
_FIRST = operator.itemgetter(0)

# Queries compiled per query set; past this the oldest (but never the full query) is dropped.
CACHE_SIZE = 24
# What one more pattern in a query costs per byte of source (measured: about 20 us on a 7 kB file).
RUN_COST = 3e-9
# Selections remembered (gates evaluated, waste counted); the memory starts over past this.
WASTE_ENTRIES = 4096
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
    """The literals of every gate of a pack, and one pass over a file's bytes to find which occur."""

    def __init__(self) -> None:
        self._ids: dict[bytes, int] = {}
        self._matcher: ahocorasick_rs.BytesAhoCorasick | None = None

    def intern(self, clause: Iterable[bytes]) -> frozenset[int]:
        self._matcher = None
        return frozenset(self._ids.setdefault(lit, len(self._ids)) for lit in clause)

    def present(self, source: bytes) -> frozenset[int]:
        if not self._ids:
            return frozenset()
        if self._matcher is None:
            self._matcher = ahocorasick_rs.BytesAhoCorasick(
                list(self._ids), implementation=ahocorasick_rs.Implementation.DFA
            )
        return frozenset(map(_FIRST, self._matcher.find_matches_as_indexes(source, overlapping=True)))


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
                    slots.append((part, tuple(literals.intern(c) for c in gate_of(part).clauses), []))
                slots[by_text[part]][2].append((key, owner))
                key += 1
        self._use([Slot(text, clauses, tuple(members)) for text, clauses, members in slots])

    def _use(self, slots: list[Slot[Owner]]) -> None:
        self.slots: tuple[Slot[Owner], ...] = tuple(slots)
        self._gated = tuple((i, s.clauses) for i, s in enumerate(slots) if s.clauses)
        self._always = tuple(i for i, s in enumerate(slots) if not s.clauses)
        self._selections: dict[frozenset[int], tuple[int, ...]] = {}
        self._exact: dict[tuple[int, ...], Compiled] = {}
        self._waste: dict[tuple[int, ...], float] = {}
        self._compile_cost = 0.002  # seconds per pattern, measured at each compile

    def __len__(self) -> int:
        return len(self.slots)

    def select(self, present: frozenset[int]) -> tuple[int, ...]:
        """Slots whose gates are open for a file with `present` literals."""
        chosen = self._selections.get(present)
        if chosen is None:
            found = [i for i, clauses in self._gated if all(not c.isdisjoint(present) for c in clauses)]
            chosen = tuple(sorted((*self._always, *found)))
            if len(self._selections) >= WASTE_ENTRIES:
                self._selections.clear()
            self._selections[present] = chosen
        return chosen

    def select_for(self, present: frozenset[int], owners: Callable[[Owner], bool]) -> tuple[int, ...]:
        """Slots whose gates are open and that have a member `owners` accepts."""
        return tuple(i for i in self.select(present) if any(owners(o) for _k, o in self.slots[i].members))

    def compiled(self, selection: tuple[int, ...], *, size: int = 0) -> Compiled | None:
        """A query that holds at least the selected slots (None for an empty selection); `size` is the
        file's length in bytes, to weigh what running a larger query than needed costs."""
        if not selection:
            return None
        hit = self._exact.get(selection)
        if hit is not None:
            return hit
        wanted = frozenset(selection)
        cover = min((c for c in self._exact.values() if c.slots >= wanted), key=lambda c: len(c.slots), default=None)
        if cover is None:
            # First a query of just this selection (cheap, and all a small scan needs); after that the
            # full query, which covers every later selection.
            chosen = selection if not self._exact else tuple(range(len(self.slots)))
            return self._build(chosen)
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
            # Keep the full query: it covers everything.
            victim = next(k for k in self._exact if len(k) != len(self.slots))
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
    ) -> list[tuple[int, Owner, treesitter.Captures]]:
        """Matches of the selected slots under root, one per owner of the slot (those `owners` accepts):
        (order key, owner, captures). Sorting by the key (stably) orders matches as a query of every
        owner's patterns, in declaration order, would return them. With `byte_range`, only matches
        whose pattern starts at a node overlapping it (and maybe some others)."""
        made = self.compiled(selection, size=size)
        if made is None:
            return []
        out: list[tuple[int, Owner, treesitter.Captures]] = []
        slots, slots_of, offsets = self.slots, made.slots_of, made.offsets
        for i, caps in treesitter.matches(made.query, root, byte_range=byte_range):
            for key, owner in slots[slots_of[i]].members:
                if owners is None or owners(owner):
                    out.append((key * MAX_PATTERNS_PER_SLOT + offsets[i], owner, caps))
        return out


def _compile(grammar: str, texts: list[str], selection: tuple[int, ...]) -> Compiled:
    """Compile slot texts as one query; each pattern's slot is found by its byte offset in the text."""
    text = ""
    starts: list[int] = []
    for piece in texts:
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
