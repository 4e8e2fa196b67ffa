"""Plain value types shared by every layer: severities, changes, findings, scan results."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal


class Severity(enum.IntEnum):
    """How urgently a finding needs attention; ordered so that comparisons work."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def sarif_level(self) -> str:
        if self >= Severity.HIGH:
            return "error"
        if self == Severity.MEDIUM:
            return "warning"
        return "note"


class Confidence(enum.IntEnum):
    """How often a rule's findings were right on real code it was not written against; ordered."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Confidence:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(c.label for c in cls)
            raise ValueError(f"unknown confidence {text!r} (expected one of: {names})") from None


FileStatus = Literal["added", "modified", "deleted", "renamed", "unchanged"]


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file of a ChangeSet.

    `added_lines` holds the 1-based new-side line numbers a diff added or changed; None means the whole
    file is in scope (a tree scan).
    """

    path: str
    status: FileStatus = "unchanged"
    old_path: str | None = None
    added_lines: frozenset[int] | None = None
    is_binary: bool = False


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """The files to analyse, with the lines in scope for each."""

    files: tuple[FileChange, ...]
    mode: Literal["tree", "diff"] = "tree"


@dataclass(frozen=True, slots=True)
class Fix:
    """A mechanical replacement for whole lines `start_line`..`end_line` (1-based, inclusive)."""

    description: str
    start_line: int
    end_line: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found at one place."""

    rule_id: str
    severity: Severity
    category: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str
    language: str
    snippet: str = ""
    fix: Fix | None = None
    fix_hint: str = ""
    fingerprint: str = ""
    scope: str = ""
    # How often findings of this shape were right on real code: the rule pattern's confidence, one level
    # lower in sample, example and documentation code (model findings: medium).
    confidence: Confidence = Confidence.MEDIUM
    # The rule pattern that matched (`query`, `patterns.2`), for tracing a false finding to its shape; empty
    # for model findings.
    pattern: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule_id)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file left out of the analysis, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class FileReport:
    """What analysing one file produced."""

    path: str
    language: str | None = None
    lines: int = 0
    findings: list[Finding] = field(default_factory=list)
    skipped: Skipped | None = None
    parse_errors: bool = False
    suppressed: int = 0


@dataclass(slots=True)
class ScanResult:
    """Everything a scan found, plus the figures for its closing summary."""

    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files: int = 0
    lines: int = 0
    files_with_parse_errors: int = 0
    suppressed: int = 0
    baseline_matched: int = 0
    rules_below_confidence: int = 0  # rule ids not run: below the confidence floor and not opted in
    seconds: float = 0.0
    languages: Counter[str] = field(default_factory=Counter)

    def add(self, report: FileReport) -> None:
        if report.skipped is not None:
            self.skipped.append(report.skipped)
            return
        self.files += 1
        self.lines += report.lines
        self.findings.extend(report.findings)
        self.suppressed += report.suppressed
        if report.language:
            self.languages[report.language] += 1
        if report.parse_errors:
            self.files_with_parse_errors += 1

    def by_severity(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    def skipped_by_reason(self) -> Counter[str]:
        return Counter(s.reason for s in self.skipped)
