"""C# code compiled into some builds only, told from the preprocessor directives alone.

Debug builds: a `#if DEBUG` branch (or `#if DEBUG && ...`, or the `#else` of `#if !DEBUG`) never reaches a
release build, so what it does (wait for a debugger, call a mock endpoint) is held one confidence level lower
(sample code counts as low outright). Any other condition is taken as compiled in: only what is certainly
debug-only counts.

Legacy frameworks: the `#else` of `#if NET6_0_OR_GREATER` (or `NETCOREAPP`, `NET5_0`...), or a
`#if NETFRAMEWORK` / `NETSTANDARD2_0` / `NET48` branch, is compiled only for frameworks whose APIs lack
later overloads (a `CancellationToken` on `Dns.GetHostAddressesAsync` or `Socket.AcceptAsync`): rules can
leave those rows alone (the `preprocessor: legacy-framework` condition).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# `#if`, `#elif`, `#else`, `#endif` at the start of a line (C# allows whitespace before and after `#`).
DIRECTIVE_RE = re.compile(r"^[ \t]*#[ \t]*(if|elif|else|endif)\b(.*)$", re.M)
# A condition that holds only in debug builds: DEBUG alone or and-ed with others, no `||`, no `!DEBUG`.
DEBUG_ONLY_RE = re.compile(r"^\(?\s*DEBUG\s*\)?(\s*&&.*)?$")
NOT_DEBUG_RE = re.compile(r"^\(?\s*!\s*DEBUG\s*\)?$")
COMMENT_RE = re.compile(r"//.*$")
# Target-framework symbols: .NET Core / .NET 5+ (`NETCOREAPP`, `NETCOREAPP3_1_OR_GREATER`, `NET6_0`,
# `NET8_0_OR_GREATER`, `NETSTANDARD2_1`), and the frameworks before them (`NETFRAMEWORK`, `NET48`,
# `NET472_OR_GREATER`, `NETSTANDARD`, `NETSTANDARD2_0`).
_MODERN = r"(?:NETCOREAPP\w*|NET[5-9]\d*_\d+(?:_OR_GREATER)?|NET\d{2,}_\d+(?:_OR_GREATER)?|NETSTANDARD2_1(?:_OR_GREATER)?)"
_LEGACY = r"(?:NETFRAMEWORK|NET[1-4]\d*(?:_\d+)?(?:_OR_GREATER)?|NETSTANDARD(?:1_\d|2_0)?)"
MODERN_ONLY_RE = re.compile(rf"^\(?\s*{_MODERN}\s*\)?(\s*(\|\||&&)\s*\(?\s*{_MODERN}\s*\)?)*$")
LEGACY_ONLY_RE = re.compile(
    rf"^(\(?\s*(?:{_LEGACY}|!\s*{_MODERN})\s*\)?)(\s*(\|\||&&)\s*\(?\s*(?:{_LEGACY}|!\s*{_MODERN})\s*\)?)*$"
)


def debug_only_rows(text: str) -> list[tuple[int, int]]:
    """0-based (first, last) row ranges of the code only debug builds compile; [] when there is none."""
    if "DEBUG" not in text:
        return []
    return _branch_rows(
        text,
        lambda c: bool(DEBUG_ONLY_RE.match(c)) and "||" not in c,
        lambda c: bool(NOT_DEBUG_RE.match(c)),
    )


def legacy_framework_rows(text: str) -> list[tuple[int, int]]:
    """0-based (first, last) row ranges of the code compiled only for frameworks before .NET Core / .NET 5
    (see the module's doc); [] when there is none."""
    if "#" not in text or "NET" not in text:
        return []
    return _branch_rows(
        text, lambda c: bool(LEGACY_ONLY_RE.match(c)), lambda c: bool(MODERN_ONLY_RE.match(c))
    )


def _branch_rows(text: str, is_target: Callable[[str], bool], else_is_target: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Row ranges of the branches of `#if` / `#elif` / `#else` that only the targeted builds compile: a branch
    whose condition `is_target`, or the `#else` of an `#if` whose condition `else_is_target` (nested
    sections inside a targeted branch are part of it)."""
    ranges: list[tuple[int, int]] = []
    # Per open `#if`: whether its current branch is targeted, whether its `#else` would be, and the row
    # the current branch began on.
    stack: list[tuple[bool, bool, int]] = []
    row = at = 0
    for m in DIRECTIVE_RE.finditer(text):
        row += text.count("\n", at, m.start())
        at = m.start()
        kind, condition = m.group(1), COMMENT_RE.sub("", m.group(2)).strip()
        if kind == "if":
            stack.append((is_target(condition), else_is_target(condition), row))
            continue
        if not stack:
            continue  # an unbalanced directive: nothing is known
        targeted, else_targeted, start = stack.pop()
        if targeted and not any(t for t, _e, _s in stack):
            ranges.append((start + 1, row - 1))
        if kind == "elif":
            # An `#elif` branch is compiled when its own condition holds (and the earlier ones do not).
            stack.append((is_target(condition), False, row))
        elif kind == "else":
            stack.append((else_targeted, False, row))
    return [(a, b) for a, b in ranges if a <= b]


def in_ranges(row: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= row <= b for a, b in ranges)
