"""C# code compiled into debug builds only: the lines of `#if DEBUG` sections, told from the directives alone.

A `#if DEBUG` branch (or `#if DEBUG && ...`, or the `#else` of `#if !DEBUG`) never reaches a release build,
so what it does (wait for a debugger, call a mock endpoint) is held one confidence level lower (sample
code counts as low outright). Any other condition is taken as compiled in: only what is certainly debug-only counts.
"""

from __future__ import annotations

import re

# `#if`, `#elif`, `#else`, `#endif` at the start of a line (C# allows whitespace before and after `#`).
DIRECTIVE_RE = re.compile(r"^[ \t]*#[ \t]*(if|elif|else|endif)\b(.*)$", re.M)
# A condition that holds only in debug builds: DEBUG alone or and-ed with others, no `||`, no `!DEBUG`.
DEBUG_ONLY_RE = re.compile(r"^\(?\s*DEBUG\s*\)?(\s*&&.*)?$")
NOT_DEBUG_RE = re.compile(r"^\(?\s*!\s*DEBUG\s*\)?$")
COMMENT_RE = re.compile(r"//.*$")


def debug_only_rows(text: str) -> list[tuple[int, int]]:
    """0-based (first, last) row ranges of the code only debug builds compile; [] when there is none."""
    if "DEBUG" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    # Per open `#if`: whether its current branch is debug-only, whether its `#else` would be, and the
    # row the current branch began on.
    stack: list[tuple[bool, bool, int]] = []
    row = at = 0
    for m in DIRECTIVE_RE.finditer(text):
        row += text.count("\n", at, m.start())
        at = m.start()
        kind, condition = m.group(1), COMMENT_RE.sub("", m.group(2)).strip()
        if kind == "if":
            debug = bool(DEBUG_ONLY_RE.match(condition)) and "||" not in condition
            stack.append((debug, bool(NOT_DEBUG_RE.match(condition)), row))
            continue
        if not stack:
            continue  # an unbalanced directive: nothing is known
        debug, else_debug, start = stack.pop()
        if debug and not any(d for d, _e, _s in stack):
            ranges.append((start + 1, row - 1))
        if kind == "elif":
            stack.append((False, False, row))  # an `#elif` branch: not known to be debug-only
        elif kind == "else":
            stack.append((else_debug, False, row))
    return [(a, b) for a, b in ranges if a <= b]


def in_ranges(row: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= row <= b for a, b in ranges)
