"""Rules as data: load `rules/<language>/<id>.yaml`, validate it, and compile its queries.

A rule file holds a tree-sitter query whose patterns each capture `@match` (the node a finding points
at), plus declared conditions for what a query cannot say:

    require: [<condition>, ...]   every one must hold
    unless:  [<condition>, ...]   none may hold

A condition is a mapping with one key (see `Condition`); `use: NAME` pulls a named condition from
`rules/<language>/_library.yaml`, so a trap recognised once (a tenacity decorator, a Polly pipeline) is
recognised by every rule that names it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import yaml

try:  # the C loader when libyaml is there: rule loading is on every worker's start-up path
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.errors import RuleError
from bot.models import Confidence, Severity
from bot.syntax import treesitter
from bot.syntax.languages import FIXTURE_EXTENSION, GRAMMARS_OF, LANGUAGES

ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
CATEGORY_RE = re.compile(r"^(resilience|reliability|security)/[a-z][a-z0-9-]*$")
PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class HasArg(_Strict):
    """The call captured by `capture` passes one of `names` (keyword, named argument, option-object
    property, struct/initializer field) or at least `positional` positional arguments. A `**kwargs`,
    spread or non-literal options argument counts as present: resbot cannot see inside it."""

    capture: str = "match"
    names: list[str] = Field(default_factory=list)
    positional: int | None = None
    value_not: str | None = Field(default=None, alias="value-not")


class Inside(_Strict):
    """The node captured by `capture` sits inside a node of one of `types` and/or inside an `@match`
    of `query`; `stop-at` node types end the upward search (e.g. a function boundary)."""

    capture: str = "match"
    types: list[str] = Field(default_factory=list)
    query: str | None = None
    stop_at: list[str] = Field(default_factory=list, alias="stop-at")

    @model_validator(mode="after")
    def _needs_something(self) -> Inside:
        if not self.types and not self.query:
            raise ValueError("inside needs `types` or `query`")
        return self


class Contains(_Strict):
    """The node captured by `capture` contains an `@match` of `query`."""

    capture: str = "match"
    query: str


class TextMatches(_Strict):
    """The text of the node captured by `capture` matches the regular expression `regex`.

    With `resolve`, a capture that is a variable, or starts with one (`` `${BASE_URL}/config` ``,
    `BASE_URL + "/config"`), is read as the value that variable was last given before it in the file
    (`const BASE_URL = "/api/admin"`), up to three names deep, before the regex is tried."""

    capture: str = "match"
    regex: str
    resolve: bool = False


# Languages whose imports `module-has` follows (see bot.analyze.modules).
MODULE_LANGUAGES = frozenset({"javascript", "typescript"})

# In `file-has`'s `same-text`, this value stands for the name of the named function around the match (a
# method handed elsewhere as `this::name` is a thread's body): no rule query captures it.
DECLARATION_NAME = "declaration-name"


class FileHas(_Strict):
    """Somewhere in `scope` (the file; the function around `@match`; or its declaration, the named function
    around it through closures and lambdas, signature included) an `@match` of `query` exists;
    with `same-text`, its capture named by the key must have the same text as this rule's capture named
    by the value (e.g. the variable a client was assigned to is the receiver of the call), or with the value
    `declaration-name`, the name of the named function around the match."""

    query: str
    scope: Literal["file", "function", "declaration"] = "file"
    same_text: dict[str, str] = Field(default_factory=dict, alias="same-text")


class ModuleHas(_Strict):
    """JavaScript / TypeScript: the name called is imported from a module of the project (a relative import or
    `require`, see bot.analyze.modules), and that module has an `@match` of `query` whose `@name` capture is
    the name it has there. `name` is the capture of the called identifier (`rebuild` in `rebuild()`, imported
    as `{ rebuild }`, `{ build as rebuild }` or by default); with `object`, the capture of a module object
    (`shares` in `shares.rebuild()`, from `import * as shares` or `const shares = require(...)`), and `name`
    that of the member called on it. Where the module cannot be read (a scan of stdin, a PR review that could
    not fetch it) the condition does not hold."""

    name: str
    object: str | None = None
    query: str


class CallsItself(_Strict):
    """The name in `capture` (what a call calls) is that of a function the match sits in, through closures; with
    `same-arguments`, the call also hands that function its own parameters again (each argument one of its
    parameters, or a parameter plus or minus a number: a retry count), as a retry of the same work does."""

    capture: str
    same_arguments: bool = Field(default=False, alias="same-arguments")


class Condition(_Strict):
    """Exactly one of the fields is set."""

    has_arg: HasArg | None = Field(default=None, alias="has-arg")
    inside: Inside | None = None
    contains: Contains | None = None
    text_matches: TextMatches | None = Field(default=None, alias="text-matches")
    imports: list[str] | None = None
    file_matches: str | None = Field(default=None, alias="file-matches")
    path_matches: str | None = Field(default=None, alias="path-matches")
    # The kind of package (nearest package.json above the file, see bot.analyze.packages): holds only
    # where that is known, so a review without the checkout behaves as if the condition were absent.
    package_is: Literal["browser", "server", "other"] | None = Field(default=None, alias="package-is")
    file_has: FileHas | None = Field(default=None, alias="file-has")
    module_has: ModuleHas | None = Field(default=None, alias="module-has")
    # C#: the match is in a preprocessor branch compiled only for frameworks before .NET Core / .NET 5
    # (see bot.analyze.debug_code.legacy_framework_rows).
    preprocessor: Literal["legacy-framework"] | None = None
    # The captured name is that of a function the match is inside (see conditions.calls_itself): a call
    # that runs the function it is in again, e.g. a retry by recursion.
    calls_itself: CallsItself | None = Field(default=None, alias="calls-itself")
    use: str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        set_fields = [k for k, v in self if v is not None]
        if len(set_fields) != 1:
            raise ValueError(
                "a condition has exactly one of: has-arg, inside, contains, text-matches, imports, "
                f"file-matches, path-matches, package-is, file-has, module-has, preprocessor, calls-itself, use (got {', '.join(set_fields) or 'none'})"
            )
        return self


class AddArgument(_Strict):
    capture: str = "match"
    text: str


class Replace(_Strict):
    capture: str = "match"
    with_: str = Field(alias="with")


class FixSpec(_Strict):
    description: str
    add_argument: AddArgument | None = Field(default=None, alias="add-argument")
    replace: Replace | None = None

    @model_validator(mode="after")
    def _one_edit(self) -> FixSpec:
        if (self.add_argument is None) == (self.replace is None):
            raise ValueError("a fix has exactly one of: add-argument, replace")
        return self


class Docs(_Strict):
    what: str
    why: str
    example: str
    fix: str
    references: list[str] = Field(default_factory=list)


class PatternSpec(_Strict):
    """One variant of a rule: a query with conditions of its own (on top of the rule's)."""

    query: str
    require: list[Condition] = Field(default_factory=list)
    unless: list[Condition] = Field(default_factory=list)
    # This pattern's own message when the rule's does not describe its shape (a spin-wait in a rule about
    # polling a remote service); the same `{{capture}}` placeholders.
    message: str | None = None
    # This pattern's own confidence when it differs from the rule's: a rule may ship its reliable shapes
    # on by default and keep a noisier one (say, a client built in another file) for opt-in runs.
    confidence: str | None = None
    # A match where this condition does not hold counts as `low` (see RuleSpec.low_unless).
    low_unless: Condition | None = Field(default=None, alias="low-unless")
    # A match where this condition holds counts as `low` (see RuleSpec.low_if).
    low_if: Condition | None = Field(default=None, alias="low-if")
    # `false`: the rule's own `unless` conditions do not apply to this pattern, only the pattern's. For a
    # pattern that finds exactly what a rule-wide exception excuses elsewhere (a rule quiet wherever a call
    # passes `CancellationToken.None` on purpose, with an opt-in pattern for the `None` that drops a token
    # in scope); the rule-wide conditions it still wants are listed again (YAML anchors keep them one text).
    inherit_unless: bool = Field(default=True, alias="inherit-unless")
    # `false`: the rule's own `require` conditions do not apply to this pattern either: for a shape that is a
    # defect wherever it appears (a `return` inside `finally` drops any exception, whatever the try block
    # calls), in a rule whose other patterns only count when the guarded code talks to another system.
    inherit_require: bool = Field(default=True, alias="inherit-require")

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, v: str | None) -> str | None:
        if v is not None:
            Confidence.parse(v)
        return v


@dataclass(frozen=True)
class SuppressionMarker:
    """How one anchor tool's users mark a line they reviewed: regexes with `{codes}` standing for an
    alternation of the check's codes in that tool (escaped), or none when the tool's marker names no check."""

    patterns: tuple[str, ...]
    takes_codes: bool = True


# The anchor tools whose inline suppressions a rule may honour (`suppressed-by: [{gosec: [G114]}]`).
SUPPRESSION_MARKERS: dict[str, SuppressionMarker] = {
    # `//nolint:gosec`, `// #nosec` alone (every gosec check) or naming the check (`#nosec G114`)
    "gosec": SuppressionMarker((r"nolint:[\w,-]*\bgosec\b", r"#nosec(?![ \t:]*G\d)", r"#nosec\b[^\n]*\b({codes})\b")),
    # `//nolint:noctx`: a golangci-lint linter by name
    "golangci": SuppressionMarker((r"nolint:[\w,-]*\b({codes})\b",)),
    # `# nosec` alone or naming the check (`# nosec B113`)
    "bandit": SuppressionMarker((r"#\s*nosec(?![ \t:]*B\d)", r"#\s*nosec\b[^\n]*\b({codes})\b")),
    # ruff's own marker with the check's code (`noqa` then a colon, then `S113`)
    "ruff": SuppressionMarker((r"noqa:[^\n]*\b({codes})\b",)),
    # `// eslint-disable-next-line no-eval`, `// eslint-disable-line @typescript-eslint/no-floating-promises`
    "eslint": SuppressionMarker((r"eslint-disable(-next)?-line\b[^\n]*\b({codes})\b",)),
    # `// NOSONAR`
    "sonar": SuppressionMarker((r"//\s*NOSONAR\b",), takes_codes=False),
}


def marker_regexes(entry: str | dict[str, list[str]]) -> list[str]:
    """The regexes of one `suppressed-by` entry: itself, or the named tool's markers for its codes."""
    if isinstance(entry, str):
        return [entry]
    tool, codes = next(iter(entry.items()))
    alternation = "|".join(re.escape(c) for c in codes)
    return [p.replace("{codes}", alternation) for p in SUPPRESSION_MARKERS[tool].patterns]


class RuleSpec(_Strict):
    id: str
    title: str
    severity: str
    category: str
    message: str
    docs: Docs
    query: str | None = None
    patterns: list[PatternSpec] | None = None
    tags: list[str] = Field(default_factory=list)
    require: list[Condition] = Field(default_factory=list)
    unless: list[Condition] = Field(default_factory=list)
    fix: FixSpec | None = None
    precision: str | None = None
    # low: off unless opted in (`min-confidence: low` or `rules.opt-in`); set from real code the rule was not
    # tuned on, never from its fixtures.
    confidence: str = "medium"
    # The context that makes a match worth its confidence: a match where this condition does not hold
    # counts as `low` (a blocking wait inside an async method is a clear mistake; one in sync code is
    # often a start-up or shutdown bridge). A pattern's own `low-unless` replaces the rule's.
    low_unless: Condition | None = Field(default=None, alias="low-unless")
    # The reverse: a context that makes a match a deliberate choice more often than a mistake, so a match
    # where this condition holds counts as `low` (a TLS check switched off only when an operator's
    # `insecure` setting asks for it). A pattern's own `low-if` replaces the rule's.
    low_if: Condition | None = Field(default=None, alias="low-if")
    # The inline markers with which the anchor tools' users silence the same check (gosec's
    # `//nolint:gosec` or `// #nosec G114`, bandit's `nosec B113`, ruff's `noqa: S113`), looked for on the
    # match's first line, its last line and a comment line right above. Such a line was reviewed and the
    # decision recorded; resbot counts it as suppressed, as it does `resbot: ignore`. Each entry is a tool
    # and the codes of the check in it (`{gosec: [G112, G114]}`, see `SUPPRESSION_MARKERS`) or a regex.
    suppressed_by: list[str | dict[str, list[str]]] = Field(default_factory=list, alias="suppressed-by")

    @field_validator("suppressed_by")
    @classmethod
    def _markers(cls, v: list[str | dict[str, list[str]]]) -> list[str | dict[str, list[str]]]:
        for entry in v:
            if isinstance(entry, dict):
                if len(entry) != 1 or next(iter(entry)) not in SUPPRESSION_MARKERS:
                    known = ", ".join(sorted(SUPPRESSION_MARKERS))
                    raise ValueError(f"suppressed-by entry {entry!r} names no one known tool (known: {known})")
                tool, codes = next(iter(entry.items()))
                if not SUPPRESSION_MARKERS[tool].takes_codes and codes:
                    raise ValueError(f"suppressed-by tool {tool!r} takes no codes")
                if SUPPRESSION_MARKERS[tool].takes_codes and not codes:
                    raise ValueError(f"suppressed-by tool {tool!r} needs the check's codes")
                continue
            try:
                re.compile(entry)
            except re.error as exc:
                raise ValueError(f"suppressed-by marker {entry!r} is not a valid regex: {exc}") from exc
        return v

    @model_validator(mode="after")
    def _query_or_patterns(self) -> RuleSpec:
        if (self.query is None) == (self.patterns is None):
            raise ValueError("a rule has exactly one of: query, patterns")
        if self.patterns is not None and not self.patterns:
            raise ValueError("patterns must not be empty")
        return self

    def variants(self) -> list[PatternSpec]:
        return self.patterns if self.patterns is not None else [PatternSpec(query=self.query or "")]

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError("must be kebab-case naming the pattern, e.g. http-call-without-timeout")
        return v

    @field_validator("severity")
    @classmethod
    def _severity(cls, v: str) -> str:
        Severity.parse(v)
        return v

    @field_validator("confidence")
    @classmethod
    def _confidence(cls, v: str) -> str:
        Confidence.parse(v)
        return v

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        if not CATEGORY_RE.match(v):
            raise ValueError("must look like resilience/<name>, reliability/<name> or security/<name>")
        return v


@dataclass(frozen=True)
class Variant:
    """A query of a rule with every condition that applies to its matches (the rule's and its own)."""

    query: str
    require: tuple[Condition, ...]
    unless: tuple[Condition, ...]
    confidence: Confidence = Confidence.MEDIUM  # the pattern's own, else its rule's
    # Set by `RuleSet.select`: the confidence floor the rules were selected with. A finding whose
    # confidence the engine lowers (sample and tooling code, C# debug-only code) below it is dropped.
    floor: Confidence = Confidence.LOW
    # The low twin of a pattern split by `low-unless` (the same query where the condition does not hold) or
    # by `low-if` (where it holds): the key that split it, else empty.
    twin_of: str = ""
    # Which of the rule's patterns this is (`query`, `patterns.2`; the low twin of a `low-unless` split adds
    # ` outside low-unless`, of a `low-if` split ` inside low-if`): findings carry it, so a false finding can
    # be traced to the pattern that made it.
    where: str = "query"
    # The pattern's own message, else empty: the rule's.
    message: str = ""

    @property
    def outside(self) -> bool:
        """Whether this is the low twin of a split pattern."""
        return bool(self.twin_of)


@dataclass(frozen=True)
class Rule:
    """A validated rule for one language."""

    spec: RuleSpec
    language: str
    path: Path
    variants: tuple[Variant, ...]
    fixture: Path | None

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def severity(self) -> Severity:
        return Severity.parse(self.spec.severity)

    @property
    def category(self) -> str:
        return self.spec.category

    @property
    def confidence(self) -> Confidence:
        """The rule's declared confidence (its patterns default to it)."""
        return Confidence.parse(self.spec.confidence)

    @functools.cached_property
    def suppressed_by(self) -> re.Pattern[str] | None:
        """One regex for the anchor tools' suppression markers of this check (`suppressed-by`), if any."""
        markers = [m for entry in self.spec.suppressed_by for m in marker_regexes(entry)]
        return re.compile("|".join(f"(?:{m})" for m in markers)) if markers else None

    @property
    def top_confidence(self) -> Confidence:
        """The highest confidence of any of its patterns: the floor at which the rule runs at all."""
        return max(v.confidence for v in self.variants)

    def module_queries(self) -> Iterable[str]:
        """The queries `module-has` conditions run over imported modules (not over the file itself)."""
        for cond in (c for v in self.variants for c in (*v.require, *v.unless)):
            if cond.module_has:
                yield cond.module_has.query

    def subqueries(self) -> Iterable[str]:
        for cond in (c for v in self.variants for c in (*v.require, *v.unless)):
            if cond.inside and cond.inside.query:
                yield cond.inside.query
            if cond.contains:
                yield cond.contains.query
            if cond.file_has:
                yield cond.file_has.query


@dataclass
class RuleSet:
    """Every rule loaded from a rules directory, by language."""

    root: Path
    rules: list[Rule] = field(default_factory=list)

    def for_language(self, language: str) -> list[Rule]:
        return [r for r in self.rules if r.language == language]

    def ids(self) -> list[str]:
        return sorted({r.id for r in self.rules})

    def by_id(self, rule_id: str) -> list[Rule]:
        return [r for r in self.rules if r.id == rule_id]

    def select(
        self,
        *,
        enabled: Iterable[str] | None = None,
        disabled: Iterable[str] = (),
        min_confidence: Confidence = Confidence.LOW,
        opt_in: Iterable[str] = (),
    ) -> RuleSet:
        """Rules to run: an explicit `enabled` list or `opt_in` id runs whatever its confidence."""
        keep = set(enabled) if enabled is not None else None
        drop = set(disabled)
        wanted = set(opt_in)

        def chosen(r: Rule) -> bool:
            if r.id in drop:
                return False
            if keep is not None:
                return r.id in keep
            return r.top_confidence >= min_confidence or r.id in wanted

        if keep is not None or min_confidence == Confidence.LOW:
            # Rules named on purpose, or everything asked for: every pattern speaks everywhere.
            return RuleSet(self.root, [r for r in self.rules if chosen(r)])
        kept = []
        for r in self.rules:
            if not chosen(r):
                continue
            if r.id in wanted:
                kept.append(r)
                continue
            # Patterns below the floor stay out; the engine drops what it lowers below the floor in code
            # that does not ship.
            variants = tuple(replace(v, floor=min_confidence) for v in r.variants if v.confidence >= min_confidence)
            kept.append(replace(r, variants=variants))
        return RuleSet(self.root, kept)


def default_rules_dir() -> Path:
    """`RESBOT_RULES_DIR`, else the `rules/` folder beside the package."""
    env = os.environ.get("RESBOT_RULES_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "rules"


def _fmt_validation(path: Path, err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"{path}: field `{loc}`: {first['msg']}{more}"


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise RuleError(f"{path}{where}: not valid YAML: {' '.join(str(getattr(exc, 'problem', None) or exc).split())}") from exc
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a rule file must be a YAML mapping")
    return data


def _load_library(lang_dir: Path) -> dict[str, Condition]:
    path = lang_dir / "_library.yaml"
    if not path.exists():
        return {}
    data = _read_yaml(path)
    conds = data.get("conditions", {})
    if not isinstance(conds, dict) or set(data) - {"conditions"}:
        raise RuleError(f"{path}: field `conditions`: expected a mapping of name -> condition")
    out: dict[str, Condition] = {}
    for name, raw in conds.items():
        try:
            cond = Condition.model_validate(raw)
        except ValidationError as exc:
            raise RuleError(_fmt_validation(path, exc).replace("field `", f"field `conditions.{name}.", 1)) from exc
        if cond.use:
            raise RuleError(f"{path}: field `conditions.{name}`: library conditions cannot `use` others")
        out[name] = cond
    return out


def _resolve(conds: list[Condition], library: dict[str, Condition], path: Path, where: str) -> tuple[Condition, ...]:
    out = []
    for i, cond in enumerate(conds):
        if cond.use is not None:
            if cond.use not in library:
                known = ", ".join(sorted(library)) or "none"
                raise RuleError(f"{path}: field `{where}.{i}.use`: unknown condition {cond.use!r} (known: {known})")
            out.append(library[cond.use])
        else:
            out.append(cond)
    return tuple(out)


def _check_query(path: Path, field_name: str, text: str, language: str, need_match: bool = True) -> int:
    count = 0
    for grammar in GRAMMARS_OF[language]:
        try:
            query = treesitter.compile_query(grammar, text)
        except treesitter.QueryError as exc:
            raise RuleError(f"{path}: field `{field_name}`: invalid {grammar} query: {exc}") from exc
        for info in treesitter.pattern_captures(query, text):
            if need_match and "match" not in info.captures:
                raise RuleError(
                    f"{path}: field `{field_name}`: pattern {info.index + 1} has no @match capture "
                    "(is a predicate outside the pattern's parentheses?)"
                )
        count = query.pattern_count
    return count


def _check_module_query(path: Path, field_name: str, text: str, language: str) -> None:
    """A `module-has` query: only JavaScript / TypeScript modules are followed, and each pattern captures the
    `@match` and the `@name` compared with the imported name."""
    if language not in MODULE_LANGUAGES:
        raise RuleError(f"{path}: `module-has` follows JavaScript / TypeScript imports only, not {language}")
    _check_query(path, field_name, text, language)
    for grammar in GRAMMARS_OF[language]:
        query = treesitter.compile_query(grammar, text)
        for info in treesitter.pattern_captures(query, text):
            if "name" not in info.captures:
                raise RuleError(f"{path}: field `{field_name}`: pattern {info.index + 1} has no @name capture")


def _check_captures(
    path: Path, spec: RuleSpec, query: str, conds: tuple[Condition, ...], message: str | None = None
) -> None:
    known = set(re.findall(r"@([A-Za-z_][\w.-]*)", query))
    used: list[tuple[str, str]] = []
    for cond in conds:
        for sub in (cond.has_arg, cond.inside, cond.contains, cond.text_matches):
            if sub is not None:
                used.append((sub.capture, "condition capture"))
        if cond.calls_itself is not None:
            used.append((cond.calls_itself.capture, "calls-itself capture"))
        if cond.file_has:
            used.extend((v, "file-has same-text") for v in cond.file_has.same_text.values() if v != DECLARATION_NAME)
        if cond.module_has:
            used.append((cond.module_has.name, "module-has name"))
            if cond.module_has.object is not None:
                used.append((cond.module_has.object, "module-has object"))
        for rx in (cond.text_matches.regex if cond.text_matches else None, cond.file_matches, cond.path_matches,
                   cond.has_arg.value_not if cond.has_arg else None):
            if rx is not None:
                try:
                    re.compile(rx)
                except re.error as exc:
                    raise RuleError(f"{path}: invalid regular expression {rx!r}: {exc}") from exc
    used.extend((m, "message placeholder") for m in PLACEHOLDER_RE.findall(message or spec.message))
    for name, what in used:
        if name not in known:
            raise RuleError(f"{path}: {what} @{name} is not captured by the rule's query")


def load_rule(path: Path, language: str, library: dict[str, Condition] | None = None, *, validate: bool = True) -> Rule:
    """Load and validate one rule file; raises RuleError naming the file and field.

    `validate=False` skips compiling each query on its own: for worker processes, whose parent has
    already validated the same files."""
    data = _read_yaml(path)
    try:
        spec = RuleSpec.model_validate(data)
    except ValidationError as exc:
        raise RuleError(_fmt_validation(path, exc)) from exc
    if spec.id != path.stem:
        raise RuleError(f"{path}: field `id`: {spec.id!r} must equal the file name stem {path.stem!r}")
    lib = library if library is not None else _load_library(path.parent)
    require = _resolve(spec.require, lib, path, "require")
    unless = _resolve(spec.unless, lib, path, "unless")
    variants = []
    for i, pat in enumerate(spec.variants()):
        where = "query" if spec.query is not None else f"patterns.{i}"
        if validate:
            _check_query(path, "query" if spec.query is not None else f"{where}.query", pat.query, language)
        v_require = (require if pat.inherit_require else ()) + _resolve(pat.require, lib, path, f"{where}.require")
        v_unless = (unless if pat.inherit_unless else ()) + _resolve(pat.unless, lib, path, f"{where}.unless")
        _check_captures(path, spec, pat.query, (*v_require, *v_unless), pat.message)
        own = Confidence.parse(pat.confidence or spec.confidence)
        msg = pat.message or ""
        gate = pat.low_unless or spec.low_unless
        low_if = pat.low_if or spec.low_if
        if gate is not None and low_if is not None:
            raise RuleError(f"{path}: field `{where}`: a pattern takes `low-unless` or `low-if`, not both")
        if gate is not None and own > Confidence.LOW:
            # Two variants that split the matches exactly: where the condition holds, at the pattern's own
            # confidence; where it does not, at low.
            (cond,) = _resolve([gate], lib, path, f"{where}.low-unless")
            _check_captures(path, spec, pat.query, (cond,), pat.message)
            variants.append(Variant(pat.query, (*v_require, cond), v_unless, own, where=where, message=msg))
            variants.append(Variant(pat.query, v_require, (*v_unless, cond), Confidence.LOW, twin_of="low-unless",
                                    where=f"{where} outside low-unless", message=msg))
        elif low_if is not None and own > Confidence.LOW:
            # The same split the other way round: where the condition does not hold, at the pattern's own
            # confidence; where it holds, at low.
            (cond,) = _resolve([low_if], lib, path, f"{where}.low-if")
            _check_captures(path, spec, pat.query, (cond,), pat.message)
            variants.append(Variant(pat.query, v_require, (*v_unless, cond), own, where=where, message=msg))
            variants.append(Variant(pat.query, (*v_require, cond), v_unless, Confidence.LOW, twin_of="low-if",
                                    where=f"{where} inside low-if", message=msg))
        else:
            variants.append(Variant(pat.query, v_require, v_unless, own, where=where, message=msg))
    if spec.fix:
        edit = spec.fix.add_argument or spec.fix.replace
        names = {edit.capture} if edit is not None else set()
        if spec.fix.replace:
            names.update(PLACEHOLDER_RE.findall(spec.fix.replace.with_))
        captured = set(re.findall(r"@([A-Za-z_][\w.-]*)", "\n".join(v.query for v in variants)))
        if missing := sorted(names - captured):
            raise RuleError(f"{path}: field `fix`: @{missing[0]} is not captured by any of the rule's queries")
    rule = Rule(spec, language, path, tuple(variants), _fixture_of(path, language))
    if validate:
        for i, sub in enumerate(rule.subqueries()):
            _check_query(path, f"condition query {i + 1}", sub, language)
        for i, sub in enumerate(rule.module_queries()):
            _check_module_query(path, f"module-has query {i + 1}", sub, language)
    return rule


def _fixture_of(path: Path, language: str) -> Path | None:
    candidate = path.with_suffix(FIXTURE_EXTENSION[language])
    return candidate if candidate.exists() else None


def load_rules(root: Path | None = None, *, validate: bool = True, cache_dir: Path | None = None) -> RuleSet:
    """Load every `rules/<language>/<id>.yaml` under root.

    Validation compiles every query on its own, which takes seconds; a set of rule files that passed
    it once (same bytes, same grammars, same validator) is remembered by a stamp under `cache_dir`
    (default `default_cache_dir()`) and not compiled again. Failures are never remembered."""
    root = root or default_rules_dir()
    if not root.is_dir():
        raise RuleError(f"{root}: rules directory not found")
    stamp = _validation_stamp(root, cache_dir or default_cache_dir()) if validate else None
    compile_queries = validate and not (stamp is not None and stamp.exists())
    rules: list[Rule] = []
    for language in LANGUAGES:
        lang_dir = root / language
        if not lang_dir.is_dir():
            continue
        library = _load_library(lang_dir)
        for path in sorted(lang_dir.glob("*.yaml")):
            if path.name.startswith("_"):
                continue
            rules.append(load_rule(path, language, library, validate=compile_queries))
    unknown = [p for p in root.iterdir() if p.is_dir() and p.name not in LANGUAGES and not p.name.startswith((".", "_"))]
    if unknown:
        raise RuleError(f"{unknown[0]}: not a supported language folder (expected one of {', '.join(LANGUAGES)})")
    if compile_queries and stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text("validated\n", encoding="utf-8")
        except OSError:
            pass  # a read-only cache only costs the next start-up its validation
    return RuleSet(root, rules)


def default_cache_dir() -> Path:
    """`RESBOT_CACHE_DIR`, else `$XDG_CACHE_HOME/resbot`, else `~/.cache/resbot`."""
    env = os.environ.get("RESBOT_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "resbot"


def _validation_stamp(root: Path, cache_dir: Path) -> Path | None:
    """Where the stamp of a validated rule set lives: named by a digest of every rule file's path and
    bytes, the validator's own source, and the tree-sitter and grammar versions."""
    digest = hashlib.sha256()
    try:
        for language in LANGUAGES:
            for path in sorted((root / language).glob("*.yaml")):
                digest.update(f"{language}/{path.name}\0".encode())
                digest.update(path.read_bytes())
                digest.update(b"\0")
        for module in (Path(__file__), Path(treesitter.__file__)):
            digest.update(module.read_bytes())
    except OSError:
        return None
    for dist in _VERSIONED:
        try:
            digest.update(f"{dist}={importlib.metadata.version(dist)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{dist}=?\0".encode())
    return cache_dir / "validated-rules" / digest.hexdigest()[:32]


# Distributions whose version decides whether a query compiles.
_VERSIONED = (
    "tree-sitter",
    "tree-sitter-python",
    "tree-sitter-c-sharp",
    "tree-sitter-java",
    "tree-sitter-go",
    "tree-sitter-javascript",
    "tree-sitter-typescript",
)
