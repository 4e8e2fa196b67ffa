"""Unified diffs to FileChanges: which new-side lines each file adds (no I/O)."""

from __future__ import annotations

import re

from unidiff import PatchSet, UnidiffParseError  # type: ignore[attr-defined]

from bot.errors import DiffError
from bot.models import FileChange, FileStatus

HUNK_RE = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def _strip_prefix(name: str | None) -> str | None:
    if name is None or name == "/dev/null":
        return None
    return name[2:] if name[:2] in ("a/", "b/") else name


def parse_diff(text: str) -> list[FileChange]:
    """Parse `git diff` / GitHub PR diff text: renames, deletions, new and binary files, mode changes,
    `\\ No newline at end of file` and CRLF line endings."""
    if not text.strip():
        return []
    normalized = text.replace("\r\n", "\n")
    if "\n--- " not in "\n" + normalized and "\ndiff --git " not in "\n" + normalized:
        raise DiffError("not a unified diff: no `diff --git` or `---`/`+++` file headers found")
    try:
        patch = PatchSet(normalized)
    except UnidiffParseError as exc:
        raise DiffError(f"malformed diff: {exc}") from exc
    out: list[FileChange] = []
    for pf in patch:
        status: FileStatus
        if pf.is_added_file:
            status = "added"
        elif pf.is_removed_file:
            status = "deleted"
        elif pf.is_rename:
            status = "renamed"
        else:
            status = "modified"
        target = _strip_prefix(pf.target_file)
        source = _strip_prefix(pf.source_file)
        path = target or source or pf.path
        added = frozenset(
            line.target_line_no for hunk in pf for line in hunk if line.is_added and line.target_line_no is not None
        )
        out.append(
            FileChange(
                path=path,
                status=status,
                old_path=source if source != path else None,
                added_lines=added,
                is_binary=bool(pf.is_binary_file),
            )
        )
    return out


def added_lines_from_patch(patch: str) -> frozenset[int]:
    """New-side added lines of a hunks-only patch, as GitHub's PR files API returns per file."""
    added: set[int] = set()
    new_line = 0
    in_hunk = False
    for raw in patch.replace("\r\n", "\n").split("\n"):
        m = HUNK_RE.match(raw)
        if m:
            new_line = int(m.group(1))
            in_hunk = True
            continue
        if not in_hunk or raw.startswith("\\"):
            continue
        if raw.startswith("+"):
            added.add(new_line)
            new_line += 1
        elif raw.startswith("-"):
            continue
        else:
            new_line += 1
    return frozenset(added)


def commentable_lines_from_patch(patch: str) -> frozenset[int]:
    """New-side lines GitHub accepts a RIGHT-side review comment on: added and context lines of the hunks."""
    lines: set[int] = set()
    new_line = 0
    in_hunk = False
    for raw in patch.replace("\r\n", "\n").split("\n"):
        m = HUNK_RE.match(raw)
        if m:
            new_line = int(m.group(1))
            in_hunk = True
            continue
        if not in_hunk or raw.startswith(("\\", "-")):
            continue
        if raw == "" and new_line == 0:
            continue
        lines.add(new_line)
        new_line += 1
    return frozenset(lines)
