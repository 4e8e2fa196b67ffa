"""Unified patches as GitHub's pull request files API gives them, and where review comments may anchor."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file"
# git's default hunk heading: the nearest preceding line of the old file that starts like a definition
_FUNCNAME = re.compile(r"^[A-Za-z_$]")


def make_patch(old: str, new: str, *, context: int = 3) -> str:
    """The hunks of `git diff` between two texts (no file headers, no trailing newline), as GitHub's `patch`."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    out: list[str] = []
    for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        header = f"@@ -{_span(i1, i2 - i1)} +{_span(j1, j2 - j1)} @@"
        heading = next((a[k].rstrip("\r\n") for k in range(i1 - 1, -1, -1) if _FUNCNAME.match(a[k])), "")
        out.append(f"{header} {heading[:80]}" if heading else header)
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                _emit(out, " ", a[a1:a2])
                continue
            if tag in {"replace", "delete"}:
                _emit(out, "-", a[a1:a2])
            if tag in {"replace", "insert"}:
                _emit(out, "+", b[b1:b2])
    return "\n".join(out)


def _span(start: int, length: int) -> str:
    if length == 1:
        return str(start + 1)
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


def _emit(out: list[str], prefix: str, lines: list[str]) -> None:
    for line in lines:
        if line.endswith("\n"):
            out.append(prefix + line[:-1].removesuffix("\r"))
        else:
            out.append(prefix + line)
            out.append(NO_NEWLINE)


def count_changes(patch: str) -> tuple[int, int]:
    """(additions, deletions) of a patch."""
    additions = deletions = 0
    for line in patch.split("\n"):
        if line.startswith("+"):
            additions += 1
        elif line.startswith("-"):
            deletions += 1
    return additions, deletions


@dataclass
class Anchors:
    """Which lines of a patch a review comment can point at.

    `right`/`left` map a new/old file line number to the index of its hunk; `positions[i]` is the
    (side, line) at diff position i + 1 (positions count every line below the first `@@`).
    """

    lines: list[str] = field(default_factory=list)
    right: dict[int, int] = field(default_factory=dict)
    left: dict[int, int] = field(default_factory=dict)
    positions: list[tuple[str, int]] = field(default_factory=list)
    position_of: dict[tuple[str, int], int] = field(default_factory=dict)
    hunk_start: list[int] = field(default_factory=list)

    def hunk_of(self, side: str, line: int) -> int | None:
        return (self.right if side == "RIGHT" else self.left).get(line)

    def diff_hunk(self, side: str, line: int) -> str:
        """The hunk text from its `@@` header down to the commented line, as GitHub's `diff_hunk`."""
        position = self.position_of.get((side, line))
        hunk = self.hunk_of(side, line)
        if position is None or hunk is None:
            return ""
        start = self.hunk_start[hunk]
        return "\n".join(self.lines[start : position + 1])


def anchors(patch: str | None) -> Anchors:
    found = Anchors()
    if not patch:
        return found
    found.lines = patch.split("\n")
    old = new = 0
    hunk = -1
    for index, line in enumerate(found.lines):
        if index > 0:
            found.positions.append(("", 0))
        header = HUNK_HEADER.match(line)
        if header:
            hunk += 1
            found.hunk_start.append(index)
            old, new = int(header.group(1)), int(header.group(3))
            continue
        if hunk < 0 or line.startswith("\\"):
            continue
        if line.startswith("+"):
            found.right[new] = hunk
            where = ("RIGHT", new)
            new += 1
        elif line.startswith("-"):
            found.left[old] = hunk
            where = ("LEFT", old)
            old += 1
        else:
            found.right[new] = hunk
            found.left[old] = hunk
            found.position_of[("LEFT", old)] = index
            where = ("RIGHT", new)
            old += 1
            new += 1
        found.positions[index - 1] = where
        found.position_of[where] = index
    return found
