"""One changed file as the model sees it: new text, added lines and hunks (removed lines kept for context)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from unidiff import PatchSet, UnidiffParseError  # type: ignore[attr-defined]

from bot.diff import HUNK_RE
from bot.errors import DiffError
from bot.syntax.languages import detect

LineKind = Literal["+", "-", " "]


@dataclass(frozen=True, slots=True)
class HunkLine:
    """One line of a hunk. For `-` lines `new_line` is the new-file line the removed line sat before."""

    kind: LineKind
    new_line: int
    text: str


@dataclass(frozen=True, slots=True)
class Hunk:
    """One hunk of a patch, on the new side."""

    new_start: int
    lines: tuple[HunkLine, ...]

    @property
    def added(self) -> frozenset[int]:
        return frozenset(ln.new_line for ln in self.lines if ln.kind == "+")

    @property
    def new_end(self) -> int:
        """Last new-side line the hunk shows (its start when it shows none)."""
        shown = [ln.new_line for ln in self.lines if ln.kind != "-"]
        return max(shown) if shown else self.new_start

    @property
    def deleted_only(self) -> bool:
        return not any(ln.kind == "+" for ln in self.lines)


@dataclass(frozen=True, slots=True)
class ReviewFile:
    """A changed file: `new_text` is the whole new file when the caller has it (enclosing functions are then
    shown), else None (hunks alone are shown). `language` is resbot's language name or None."""

    path: str
    language: str | None
    new_text: str | None
    added_lines: frozenset[int]
    hunks: tuple[Hunk, ...]
    status: str = "modified"
    removed: tuple[HunkLine, ...] = field(default=(), repr=False)

    @property
    def grammar(self) -> str | None:
        detected = detect(self.path)
        return detected[1] if detected else None

    @classmethod
    def from_patch(
        cls, path: str, patch: str, *, new_text: str | None = None, status: str = "modified", language: str | None = None
    ) -> ReviewFile:
        """From a hunks-only patch, as GitHub's pull request files API returns per file."""
        hunks = tuple(parse_patch(patch))
        return cls.build(path, hunks, new_text=new_text, status=status, language=language)

    @classmethod
    def whole(cls, path: str, text: str, *, language: str | None = None) -> ReviewFile:
        """A file reviewed in full (a tree scan): every line counts as added."""
        lines = text.splitlines()
        hunk = Hunk(1, tuple(HunkLine("+", i, t) for i, t in enumerate(lines, 1)))
        return cls.build(path, (hunk,) if lines else (), new_text=text, status="added", language=language)

    @classmethod
    def build(
        cls,
        path: str,
        hunks: Iterable[Hunk],
        *,
        new_text: str | None,
        status: str = "modified",
        language: str | None = None,
    ) -> ReviewFile:
        hunks = tuple(hunks)
        if language is None:
            detected = detect(path)
            language = detected[0] if detected else None
        added = frozenset().union(*(h.added for h in hunks)) if hunks else frozenset[int]()
        removed = tuple(ln for h in hunks for ln in h.lines if ln.kind == "-")
        return cls(path, language, new_text, added, hunks, status, removed)


def parse_patch(patch: str) -> list[Hunk]:
    """Hunks of a hunks-only patch (`@@ -a,b +c,d @@` headers, no file headers)."""
    hunks: list[Hunk] = []
    current: list[HunkLine] | None = None
    start = new_line = 0
    raws = patch.replace("\r\n", "\n").split("\n")
    if raws and raws[-1] == "":
        raws.pop()  # the final newline ends the last line; it does not start another
    for raw in raws:
        m = HUNK_RE.match(raw)
        if m:
            if current is not None:
                hunks.append(Hunk(start, tuple(current)))
            start = new_line = int(m.group(1))
            current = []
            continue
        if current is None or raw.startswith("\\"):
            continue
        if raw.startswith("+"):
            current.append(HunkLine("+", new_line, raw[1:]))
            new_line += 1
        elif raw.startswith("-"):
            current.append(HunkLine("-", new_line, raw[1:]))
        elif raw.startswith(" ") or raw == "":
            # A bare empty line is a context line whose leading space was trimmed by an editor or API.
            current.append(HunkLine(" ", new_line, raw[1:]))
            new_line += 1
    if current is not None:
        hunks.append(Hunk(start, tuple(current)))
    return hunks


def review_files_from_diff(text: str, *, read_new_text: Callable[[str], str | None]) -> list[ReviewFile]:
    """Every file of a unified diff (`git diff`, a PR's .diff) that still exists on the new side; the new
    text comes from `read_new_text(path)` (None when it cannot be read)."""
    if not text.strip():
        return []
    try:
        patch = PatchSet(text.replace("\r\n", "\n"))
    except UnidiffParseError as exc:
        raise DiffError(f"malformed diff: {exc}") from exc
    out: list[ReviewFile] = []
    for pf in patch:
        if pf.is_removed_file or pf.is_binary_file:
            continue
        path = pf.path
        target = pf.target_file or ""
        if target.startswith("b/"):
            path = target[2:]
        hunks: list[Hunk] = []
        for h in pf:
            lines: list[HunkLine] = []
            new_line = h.target_start
            for ln in h:
                body = ln.value.rstrip("\n")
                if ln.is_added:
                    new_line = ln.target_line_no or new_line
                    lines.append(HunkLine("+", new_line, body))
                    new_line += 1
                elif ln.is_removed:
                    lines.append(HunkLine("-", new_line, body))
                elif ln.is_context:
                    new_line = ln.target_line_no or new_line
                    lines.append(HunkLine(" ", new_line, body))
                    new_line += 1
            hunks.append(Hunk(h.target_start, tuple(lines)))
        status = "added" if pf.is_added_file else "renamed" if pf.is_rename else "modified"
        out.append(ReviewFile.build(path, hunks, new_text=read_new_text(path), status=status))
    return out
