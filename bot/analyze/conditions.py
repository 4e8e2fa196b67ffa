"""Evaluate a rule's declared conditions against one match (no I/O: nodes and text in, bool out)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import ahocorasick_rs

from bot.analyze.debug_code import in_ranges, legacy_framework_rows
from bot.analyze.literals import _regex_literals, may_match
from bot.analyze.modules import DEFAULT_EXPORT, ImportBinding, ModuleIndex, import_bindings
from bot.analyze.packages import PackageIndex, PackageKind
from bot.analyze.rules import DECLARATION_NAME, Condition, FileHas, HasArg, Inside, ModuleHas
from bot.syntax.scopes import ANONYMOUS_FUNCTION_TYPES, FUNCTION_TYPES
from bot.syntax.treesitter import Node, ancestors

Captures = dict[str, list[Node]]
NodeKey = tuple[int, int, str]
ArgItem = tuple[str | None, Node | None, Node]  # (name, value, item): see `argument_items`

ARGUMENT_LISTS = frozenset({"argument_list", "arguments", "literal_value", "initializer_expression"})
# Children that carry a name: python keyword_argument, JS/TS pair, Go keyed_element, C# argument/assignment.
OPAQUE = frozenset({"dictionary_splat", "spread_element", "variadic_argument"})
COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
# JS/TS option objects: a non-literal here may hold any option.
OPAQUE_OPTION_VALUES = frozenset({"identifier", "member_expression", "call_expression", "subscript_expression"})

IMPORT_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "python": (
        re.compile(r"^[ \t]*import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*)", re.M),
        re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import", re.M),
    ),
    "go": (re.compile(r'^[ \t]*(?:import[ \t]+)?(?:[\w.]+[ \t]+)?"([\w./~-]+)"[ \t]*$', re.M),),
    "java": (re.compile(r"^[ \t]*import[ \t]+(?:static[ \t]+)?([\w.]+)", re.M),),
    "csharp": (re.compile(r"^[ \t]*(?:global[ \t]+)?using[ \t]+(?:static[ \t]+)?(?:\w+[ \t]*=[ \t]*)?([\w.]+)[ \t]*;", re.M),),
    "javascript": (
        re.compile(r"""from[ \t]+['"]([^'"]+)['"]"""),
        re.compile(r"""require\(\s*['"]([^'"]+)['"]\s*\)"""),
        re.compile(r"""import\s*\(?\s*['"]([^'"]+)['"]"""),
    ),
}
IMPORT_PATTERNS["typescript"] = IMPORT_PATTERNS["javascript"]


def text_of(node: Node) -> str:
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


def key_of(node: Node) -> NodeKey:
    return (node.start_byte, node.end_byte, node.type)


class SubMatches:
    """Matches of one condition sub-query in a file: all of them, or (when the engine fetches them on
    demand) at least those a condition asked about."""

    __slots__ = ("_ranges", "_sorted", "captures", "match_keys", "match_types")

    def __init__(self) -> None:
        self.captures: list[Captures] = []
        self.match_keys: set[NodeKey] = set()
        self.match_types: set[str] = set()
        self._ranges: list[tuple[int, int]] = []
        self._sorted = True

    def add(self, caps: Captures) -> None:
        self.captures.append(caps)
        match = caps.get("match")
        if match:
            node = match[0]
            key = key_of(node)
            if key in self.match_keys:
                return
            self.match_keys.add(key)
            self.match_types.add(key[2])
            self._ranges.append((key[0], key[1]))
            self._sorted = False

    @property
    def match_ranges(self) -> list[tuple[int, int]]:
        if not self._sorted:
            self._ranges.sort()
            self._sorted = True
        return self._ranges


# How a condition asks for sub-query matches the engine has not fetched yet: (query, node, where) with
# where "ancestors" (matches whose root is the node or one of its ancestors), "within" (matches inside
# the node) or "file" (all of them).
Fetch = Callable[[str, Node, str], None]


@dataclass
class FileContext:
    """What conditions may consult about the file under analysis."""

    language: str
    text: str
    sub: dict[str, SubMatches]
    path: str = ""
    fetch: Fetch | None = None  # None: every sub-query's matches are in `sub` already
    # The packages of the scanned checkout or of the reviewed head commit; None where none can be read (stdin).
    packages: PackageIndex | None = None
    # The project's modules, which `module-has` reads (a checkout, or the modules a PR review fetched); None
    # where none can be read (stdin).
    module_index: ModuleIndex | None = None
    _searched: dict[str, bool] = field(default_factory=dict)
    # Per-file answers: the same facts are asked for many matches of a file.
    _imported: dict[tuple[str, ...], bool] = field(default_factory=dict)
    _path_found: dict[re.Pattern[str], bool] = field(default_factory=dict)
    _items: dict[int, tuple[ArgItem, ...]] = field(default_factory=dict)
    _bindings: dict[str, list[tuple[int, Node]]] = field(default_factory=dict)

    @functools.cached_property
    def _ascii(self) -> bool:
        return self.text.isascii()

    @functools.cached_property
    def legacy_framework_rows(self) -> list[tuple[int, int]]:
        """Rows compiled only for frameworks before .NET Core / .NET 5 (C# preprocessor branches)."""
        return legacy_framework_rows(self.text) if self.language == "csharp" else []

    def text_of(self, node: Node) -> str:
        """`text_of(node)` for a node of this file's tree (`text` is its source, decoded): where the text is
        ASCII, byte offsets are character offsets, so a slice of it, without copying bytes to decode them."""
        if self._ascii:
            return self.text[node.start_byte : node.end_byte]
        return text_of(node)

    def imports_any(self, wanted: tuple[str, ...]) -> bool:
        """Whether the file imports one of `wanted` (or a module under one); asked once per file."""
        found = self._imported.get(wanted)
        if found is None:
            found = self._imported[wanted] = _imports(self.modules, wanted)
        return found

    def path_matches(self, regex: re.Pattern[str]) -> bool:
        """Whether `regex` matches the file's path; asked once per file."""
        found = self._path_found.get(regex)
        if found is None:
            found = self._path_found[regex] = regex.search(self.path) is not None
        return found

    def argument_items(self, node: Node) -> tuple[ArgItem, ...]:
        """`argument_items(node)`, listed once per node of the file (several conditions read one call's)."""
        items = self._items.get(node.id)
        if items is None:
            items = self._items[node.id] = tuple(argument_items(node))
        return items

    @functools.cached_property
    def import_bindings(self) -> dict[str, ImportBinding]:
        """The names this file binds by relative imports (see bot.analyze.modules.import_bindings)."""
        return import_bindings(self.text) if self.language in ("javascript", "typescript") else {}

    @functools.cached_property
    def package_kind(self) -> PackageKind | None:
        """The kind of package holding the file (nearest package.json); None when unknown. A module that
        imports Node's own modules (`node:fs`, `child_process`, `http` ...) runs in Node, so a browser kind,
        read from a manifest that lists its server only in devDependencies (a server bundled at build time,
        as flood's Fastify server is), is not its kind: it is unknown."""
        if self.packages is None or not self.path:
            return None
        kind = self.packages.kind_of(self.path)
        if kind == "browser" and self.language in ("javascript", "typescript") and _imports_node_builtin(self.modules):
            return None
        return kind

    def file_matches(self, regex: str) -> bool:
        """Whether `regex` (multi-line) matches somewhere in the file; asked once per file."""
        found = self._searched.get(regex)
        if found is None:
            text = self.text
            found = file_test(regex)(text)
            self._searched[regex] = found
        return found

    def binding_before(self, name: str, node: Node) -> Node | None:
        """The value last bound to the variable `name` before `node` in this file (`const name = value`,
        `name = value`), None where there is none."""
        found = self._bindings.get(name)
        if found is None:
            root = node
            while root.parent is not None:
                root = root.parent
            found = self._bindings[name] = _bindings_of(name, root, self.source)
        best = None
        for start, value in found:
            if start >= node.start_byte:
                break
            best = value
        return best

    @functools.cached_property
    def source(self) -> bytes:
        """The file's bytes (tree-sitter's offsets are byte offsets)."""
        return self.text.encode("utf-8")

    def resolved_text(self, node: Node) -> str:
        """The text of `node`, with a leading variable (`` `${BASE}/x` ``, `BASE + "/x"`, `url`) replaced by
        the value it was last given before `node` in the file, up to RESOLVE_DEPTH names deep."""
        text = self.text_of(node)
        for _ in range(RESOLVE_DEPTH):
            head = _HEAD_RE.match(text)
            if head is None:
                break
            value = self.binding_before(head.group(1) or head.group(2), node)
            if value is None:
                break
            node = value
            text = self.text_of(value) + text[head.end() :]
        return text

    @functools.cached_property
    def modules(self) -> frozenset[str]:
        found: set[str] = set()
        for pattern in IMPORT_PATTERNS.get(self.language, ()):
            for m in pattern.finditer(self.text):
                found.update(part.strip() for part in m.group(1).split(","))
        return frozenset(found)


# `text-matches`' `resolve`: the bindings read (a JS/TS/C#/Java `variable_declarator`, a JS/TS reassignment, a Python
# `assignment`, a Go `:=`, `=` or `var` of one name), the leading variable of a text (`${NAME}` opening a template, or a name alone or before `+`),
# and how many names deep a value is followed (`const url = `${BASE}/x``, `const BASE = "/api"`).
_BINDING_FIELDS = {
    "variable_declarator": ("name", "value"),
    "assignment": ("left", "right"),
    "assignment_expression": ("left", "right"),
    "short_var_declaration": ("left", "right"),  # go
    "assignment_statement": ("left", "right"),  # go
    "var_spec": ("name", "value"),  # go
}
_HEAD_RE = re.compile(r"\A\s*(?:`\$\{\s*([A-Za-z_$][\w$]*)\s*\}|([A-Za-z_$][\w$]*)\s*(?=\+|\Z))")
RESOLVE_DEPTH = 3


def _bindings_of(name: str, root: Node, source: bytes) -> list[tuple[int, Node]]:
    """Every plain `name = value` binding of `name` in the tree under `root`, in source order: found from the
    name's occurrences in the text (an identifier node spanning exactly one of them, that a binding binds),
    not by walking the whole tree."""
    found: list[tuple[int, Node]] = []
    for m in re.finditer(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])", source):
        ident = root.descendant_for_byte_range(m.start(), m.end())
        if ident is None or ident.type != "identifier" or ident.start_byte != m.start() or ident.end_byte != m.end():
            continue
        holder, binding = ident, ident.parent
        if binding is not None and binding.type == "expression_list":  # go: `a := v`, one name of a list
            if binding.named_child_count != 1:
                continue
            holder, binding = binding, binding.parent
        fields = _BINDING_FIELDS.get(binding.type) if binding is not None else None
        if binding is None or fields is None:
            continue
        bound = binding.child_by_field_name(fields[0])
        if bound is None or bound.id != holder.id:
            continue
        value = _single(binding.child_by_field_name(fields[1]))
        if value is not None:
            found.append((binding.start_byte, value))
    found.sort(key=lambda entry: entry[0])
    return found


def _single(node: Node | None) -> Node | None:
    """A Go `expression_list` of one item: that item (of several: None, no one name is bound); else the node."""
    if node is None or node.type != "expression_list":
        return node
    items = node.named_children
    return items[0] if len(items) == 1 else None


@functools.lru_cache(maxsize=1024)
def file_test(regex: str) -> Callable[[str], bool]:
    """Whether a file regex (multi-line) matches somewhere in a text, tested more cheaply than by one search.

    A regex that is only lookaheads at the start of the text (`\\A(?=[\\s\\S]*X)(?![\\s\\S]*Y)`: X somewhere, Y
    nowhere) is one search per part: anchored, `re` would walk to the end and back for each. Otherwise a file
    matches where one top-level alternative does, so each is tried on its own, and only where the strings it
    needs occur (found for all alternatives in one pass): Python's `re` tries every alternative at every
    position of a long file, while most alternatives of a broad regex (`document.…|window.…|localStorage.…`)
    need text the file lacks. An alternative opening with `\\b` and a word is searched as that word first,
    which `re` finds by a fast scan for the word instead of trying every position."""
    flags, body = _global_flags(regex)
    parts = _lookahead_parts(body, dotall="s" in flags)
    if parts is not None:
        tests = [(file_test(flags + part), want) for part, want in parts]
        return lambda text: all(test(text) is want for test, want in tests)
    branches = _top_level_branches(body)
    alternatives = [flags + b for b in branches]
    try:
        compiled = [re.compile(flags + _word_first(b), re.M) for b in branches]
    except re.error:
        alternatives, compiled = [regex], [re.compile(regex, re.M)]
    # Per alternative: None (always searched), a test of its own (strings matched ignoring case), or the
    # ids of its strings, one of which must occur.
    words: dict[str, int] = {}
    gates: list[frozenset[int] | Callable[[str], bool] | None] = []
    for alternative in alternatives:
        need = _regex_literals(alternative, re.M)
        if need is None:
            gates.append(None)
        elif need[1]:
            gates.append(may_match(alternative, re.M))
        else:
            gates.append(frozenset(words.setdefault(n, len(words)) for n in need[0]))
    matcher = ahocorasick_rs.AhoCorasick(list(words)) if words else None
    entries = tuple(zip(compiled, gates, strict=True))

    def test(text: str) -> bool:
        present: frozenset[int] | None = None
        for pattern, gate in entries:
            if isinstance(gate, frozenset):
                if present is None:
                    present = frozenset(m[0] for m in matcher.find_matches_as_indexes(text, overlapping=True)) if matcher else frozenset()
                if gate.isdisjoint(present):
                    continue
            elif gate is not None and not gate(text):
                continue
            if pattern.search(text) is not None:
                return True
        return False

    return test


_LOOKAHEAD_RE = re.compile(r"\(\?([=!])(?:\[\\s\\S\]|\\[sS]\[\\S\\s\]|(\.))\*(?!\?)")


def _lookahead_parts(body: str, *, dotall: bool) -> list[tuple[str, bool]] | None:
    """`\\A(?=[\\s\\S]*X)(?![\\s\\S]*Y)` -> [("X", True), ("Y", False)]; None for any other regex (`.*` counts as
    `[\\s\\S]*` only under `(?s)`)."""
    if not body.startswith("\\A") or len(body) == 2:
        return None
    parts: list[tuple[str, bool]] = []
    at = 2
    while at < len(body):
        m = _LOOKAHEAD_RE.match(body, at)
        if m is None or (m.group(2) and not dotall):
            return None
        end = _group_end(body, at)
        if end is None:
            return None
        inner = body[m.end() : end - 1]
        if len(_top_level_branches(inner)) != 1:
            return None  # `(?=[\\s\\S]*X|Y)`: Y must match at the start
        parts.append((inner, m.group(1) == "="))
        at = end
    return parts


def _group_end(regex: str, start: int) -> int | None:
    """The index just past the `)` closing the group opened at `start`, or None."""
    for i, ch, depth in _structure(regex, start):
        if ch == ")" and depth == 0:
            return i + 1
    return None


def _structure(regex: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth after it) for each `(`, `)` and `|` of a regex from `start`, outside
    character classes and escapes."""
    depth, in_class, i = 0, False, start
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if regex[i + 1 : i + 2] == "^":
                i += 1
            if regex[i + 1 : i + 2] == "]":  # a `]` first in a class is a member
                i += 1
        elif ch in "()|":
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            yield i, ch, depth
        i += 1


_WORD_FIRST_RE = re.compile(r"\\b([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_*+?{\\])")


def _word_first(branch: str) -> str:
    """`\\bword…` -> `word(?<!\\wword)…`: the same matches, but `re` scans for the word."""
    m = _WORD_FIRST_RE.match(branch)
    if m is None:
        return branch
    word = m.group(1)
    return word + r"(?<!\w" + word + ")" + branch[m.end() :]


_GLOBAL_FLAGS_RE = re.compile(r"^\(\?[aiLmsux]+\)")


def _global_flags(regex: str) -> tuple[str, str]:
    """`(?i)` and the like at the start (they apply to every alternative), and the rest."""
    m = _GLOBAL_FLAGS_RE.match(regex)
    return (m.group(), regex[m.end() :]) if m else ("", regex)


def _top_level_branches(regex: str) -> list[str]:
    """`a|b(c|d)|[|]` -> ["a", "b(c|d)", "[|]"]: split at `|` outside groups, classes and escapes."""
    out: list[str] = []
    start = 0
    for i, ch, depth in _structure(regex):
        if ch == "|" and depth == 0:
            out.append(regex[start:i])
            start = i + 1
    out.append(regex[start:])
    return out


def argument_items(node: Node) -> Iterator[tuple[str | None, Node | None, Node]]:
    """(name or None, value node, item node) for each argument / option / field of a call or literal.

    A name of "*" marks an opaque item (splat, spread, non-literal options object)."""
    lists = [node] if node.type in ARGUMENT_LISTS else []
    if not lists:
        for child in node.named_children:
            if child.type in ARGUMENT_LISTS:
                lists.append(child)
        args = node.child_by_field_name("arguments")
        if args is not None and args not in lists:
            lists.append(args)
    for lst in lists:
        for position, item in enumerate(c for c in lst.named_children if c.type not in COMMENTS):
            yield from _item(item, position, nested=False, js=lst.type == "arguments")


def _item(item: Node, position: int, *, nested: bool, js: bool) -> Iterator[tuple[str | None, Node | None, Node]]:
    t = item.type
    if t in OPAQUE:
        yield "*", None, item
    elif t == "keyword_argument":  # python
        name = item.child_by_field_name("name")
        yield (text_of(name) if name else None), item.child_by_field_name("value"), item
    elif t == "pair":  # js/ts object property
        key = item.child_by_field_name("key")
        yield (text_of(key).strip("'\"") if key else None), item.child_by_field_name("value"), item
    elif t == "shorthand_property_identifier":
        yield text_of(item), item, item
    elif t == "keyed_element":  # go
        kids = item.named_children
        if len(kids) >= 2:
            yield text_of(kids[0]), kids[-1], item
    elif t == "assignment_expression":  # c# object initializer
        left = item.child_by_field_name("left")
        yield (text_of(left) if left else None), item.child_by_field_name("right"), item
    elif t == "argument":  # c#
        name = item.child_by_field_name("name")
        value = item.named_children[-1] if item.named_children else None
        yield (text_of(name) if name else None), value, item
    elif t == "object" and not nested:  # js/ts options object
        for child in item.named_children:
            if child.type not in COMMENTS:
                yield from _item(child, position, nested=True, js=js)
    elif js and t in OPAQUE_OPTION_VALUES and position >= 1 and not nested:
        yield "*", item, item  # options built elsewhere: cannot tell
        yield None, item, item
    else:
        yield None, item, item


def has_arg(node: Node, spec: HasArg) -> bool:
    value_not = re.compile(spec.value_not) if spec.value_not else None
    return _has_arg(tuple(argument_items(node)), frozenset(spec.names), spec.positional, value_not, text_of)


def _has_arg(
    items: Sequence[ArgItem],
    names: frozenset[str],
    min_positional: int | None,
    value_not: re.Pattern[str] | None,
    text: Callable[[Node], str],
) -> bool:
    positional = 0
    for name, value, _item_node in items:
        if name == "*":
            if names:
                return True
            continue
        if name is None:
            positional += 1
            continue
        if name in names:
            if value_not is not None and value is not None and value_not.fullmatch(text(value).strip()):
                continue
            return True
    return min_positional is not None and positional >= min_positional


def inside(node: Node, spec: Inside, ctx: FileContext) -> bool:
    types = set(spec.types)
    stop = set(spec.stop_at)
    if spec.query:
        if ctx.fetch is not None:
            ctx.fetch(spec.query, node, "ancestors")
        sub = ctx.sub[spec.query]
        keys = sub.match_keys
        if not keys:
            return False
        # Only an ancestor of a type some sub-query match has can be one of them.
        types = types & sub.match_types if types else set(sub.match_types)
        for anc in ancestors(node):
            kind = anc.type
            if kind in types and key_of(anc) in keys:
                return True
            if kind in stop:
                return False
        return False
    for anc in ancestors(node):
        kind = anc.type
        if not types or kind in types:
            return True
        if kind in stop:
            return False
    return False


def contains(node: Node, query: str, ctx: FileContext) -> bool:
    if ctx.fetch is not None:
        ctx.fetch(query, node, "within")
    lo, hi = node.start_byte, node.end_byte
    return any(lo <= s and e <= hi for s, e in ctx.sub[query].match_ranges)


def enclosing_function(node: Node) -> Node | None:
    return next((a for a in ancestors(node) if a.type in FUNCTION_TYPES), None)


def enclosing_declaration(node: Node) -> Node | None:
    """The named function around `node`, through any closures and lambdas between them; None outside one."""
    return next((a for a in ancestors(node) if a.type in FUNCTION_TYPES and a.type not in ANONYMOUS_FUNCTION_TYPES), None)


# Where an anonymous function gets its name from: `const retry = () => ...`, `Loader.prototype.sync =
# function () {...}`, `{ connect: function () {...} }`, `self.poll = lambda: ...`.
_BINDING_NAME_FIELDS = {
    "variable_declarator": "name",  # js, ts, java, c#
    "assignment_expression": "left",  # js, ts, c#
    "assignment": "left",  # python
    "pair": "key",  # js, ts
    "public_field_definition": "name",  # ts class field `retry = async () => ...`
    "field_definition": "property",  # js class field
}


def _named_functions(node: Node, ctx: FileContext) -> Iterator[tuple[str, Node]]:
    """The functions around `node`, innermost first, with their names: a declaration's own name, or for a
    closure or lambda the name it is bound to (the last member of an assigned `a.b.c`)."""
    for anc in ancestors(node):
        if anc.type not in FUNCTION_TYPES:
            continue
        name = anc.child_by_field_name("name")
        if name is None and anc.type in ANONYMOUS_FUNCTION_TYPES and anc.parent is not None:
            field_name = _BINDING_NAME_FIELDS.get(anc.parent.type)
            name = anc.parent.child_by_field_name(field_name) if field_name else None
            if name is not None and name.type in ("member_expression", "attribute", "member_access_expression"):
                name = name.child_by_field_name("property") or name.child_by_field_name("attribute") or name.child_by_field_name("name")
        if name is not None:
            yield ctx.text_of(name).strip("'\"`"), anc


def function_names(node: Node, ctx: FileContext) -> Iterator[str]:
    """The names of the functions around `node`, innermost first (see _named_functions)."""
    return (name for name, _fn in _named_functions(node, ctx))


_NAME_TYPES = frozenset({"identifier", "shorthand_property_identifier_pattern"})
_COUNT_TYPES = frozenset({"integer", "int_literal", "integer_literal", "decimal_integer_literal", "number"})
# The name of a parameter that counts attempts (`retry`, `attempts`, `tries`, `retryCount`, `times`).
_RETRY_COUNT = re.compile(r"(?i)retr|attempt|tries|tried|count|times")
_ARITHMETIC = frozenset({"binary_expression", "binary_operator"})
_STEPS = frozenset({"update_expression", "postfix_unary_expression", "prefix_unary_expression"})


def _parameter_names(function: Node, ctx: FileContext) -> frozenset[str]:
    """Every name in a function's parameter list (types and defaults included: an argument that is one of those
    is no new value either)."""
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return frozenset()
    names: set[str] = set()
    stack = [params]
    while stack:
        n = stack.pop()
        if n.type in _NAME_TYPES:
            names.add(ctx.text_of(n))
        stack.extend(n.named_children)
    return frozenset(names)


def _passes_on(arg: Node, params: frozenset[str], ctx: FileContext) -> bool:
    """An argument that hands on a parameter: the parameter itself (also spread, as a keyword or named
    argument's value), or the parameter plus or minus a number (`retry + 1`, `attempt++`)."""
    while arg.type not in _NAME_TYPES and arg.named_child_count >= 1:
        if arg.type in _ARITHMETIC or arg.type in _STEPS:
            kids = [k for k in arg.named_children if k.type not in COMMENTS]
            operator = arg.child_by_field_name("operator")
            counted = (
                arg.type in _ARITHMETIC
                and len(kids) == 2
                and kids[1].type in _COUNT_TYPES
                and operator is not None
                and ctx.text_of(operator) in ("+", "-")
            )
            if not counted and not (arg.type in _STEPS and len(kids) == 1):
                return False
            stepped = kids[0]
            # Only a count of attempts: `index + 1` walks on to the next item, which is no retry.
            return stepped.type in _NAME_TYPES and ctx.text_of(stepped) in params and _RETRY_COUNT.search(ctx.text_of(stepped)) is not None
        # A keyword argument's value; a C# argument's expression, after its `name:`.
        value = arg.child_by_field_name("value") if arg.type == "keyword_argument" else None
        if value is None and arg.type == "argument" and arg.named_children:
            value = arg.named_children[-1]
        if value is not None:
            arg = value
            continue
        kids = [k for k in arg.named_children if k.type not in COMMENTS]
        if len(kids) != 1 or arg.type not in _WRAPPERS:
            return False
        arg = kids[0]
    return arg.type in _NAME_TYPES and ctx.text_of(arg) in params


# Nodes around one argument that change nothing of its value: a spread (`...args`, `*args`, `xs...`), a
# parenthesised expression.
_WRAPPERS = frozenset({"spread_element", "list_splat", "dictionary_splat", "variadic_argument", "parenthesized_expression"})


def calls_itself(callee: Node, ctx: FileContext, *, same_arguments: bool = False) -> bool:
    """`callee` (the name a call calls) is the name of a function the call is inside, through closures: the
    call runs that function again (`self.getNetwork(cb)` in the error callback of `getNetwork`). With
    `same_arguments`, each of the call's arguments hands on one of that function's parameters (see _passes_on):
    it redoes the same work, where a call with other values (`parse(text.upper(), strict=True)`, a default
    `timeRange(ctx, "week")`) is a fallback."""
    wanted = ctx.text_of(callee)
    for name, function in _named_functions(callee, ctx):
        if name != wanted:
            continue
        if not same_arguments:
            return True
        call = next((a for a in ancestors(callee) if a.child_by_field_name("arguments") is not None), None)
        args = call.child_by_field_name("arguments") if call is not None else None
        if args is None:
            return False
        params = _parameter_names(function, ctx)
        return all(_passes_on(a, params, ctx) for a in args.named_children if a.type not in COMMENTS)
    return False


def _main_text(name: str, captures: Captures, main: Node, ctx: FileContext) -> str | None:
    """The text `same-text` compares with: the rule's capture `name`, or for DECLARATION_NAME the name of the
    named function around the match (None where there is none)."""
    if name == DECLARATION_NAME:
        decl = enclosing_declaration(main)
        ident = decl.child_by_field_name("name") if decl is not None else None
        return ctx.text_of(ident) if ident is not None else None
    nodes = captures.get(name)
    return ctx.text_of(nodes[0]) if nodes else None


def file_has(captures: Captures, spec: FileHas, ctx: FileContext) -> bool:
    main = captures["match"][0]
    wanted = {sub_cap: _main_text(main_cap, captures, main, ctx) for sub_cap, main_cap in spec.same_text.items()}
    if any(text is None for text in wanted.values()):
        return False
    if spec.scope == "function":
        scope = enclosing_function(main)
    elif spec.scope == "declaration":
        scope = enclosing_declaration(main)
    else:
        scope = None
    if spec.scope != "file" and scope is None:
        return False
    if ctx.fetch is not None:
        if scope is not None:
            ctx.fetch(spec.query, scope, "within")
        else:
            ctx.fetch(spec.query, main, "file")
    for sub in ctx.sub[spec.query].captures:
        m = sub.get("match")
        if not m:
            continue
        if scope is not None and not (scope.start_byte <= m[0].start_byte and m[0].end_byte <= scope.end_byte):
            continue
        if all(sub.get(sub_cap) and ctx.text_of(sub[sub_cap][0]) == text for sub_cap, text in wanted.items()):
            return True
    return False


def module_has(captures: Captures, spec: ModuleHas, ctx: FileContext) -> bool:
    """See `ModuleHas`: the imported name's module has a match of the query named as the import names it."""
    if ctx.module_index is None or not ctx.path:
        return False
    called = _first(captures, spec.name)
    if called is None:
        return False
    if spec.object is None:
        binding = ctx.import_bindings.get(ctx.text_of(called))
        if binding is None or binding.name is None:
            return False
        wanted: str | None = binding.name
    else:
        obj = _first(captures, spec.object)
        binding = ctx.import_bindings.get(ctx.text_of(obj)) if obj is not None else None
        if binding is None or binding.name is not None:
            return False
        wanted = ctx.text_of(called)
    target = ctx.module_index.resolve(ctx.path, binding.specifier)
    if target is None:
        return False
    if wanted == DEFAULT_EXPORT:
        wanted = ctx.module_index.default_name(target)
        if wanted is None:
            return False
    return wanted in ctx.module_index.names(target, spec.query)


# Node's own modules that only Node runs: any `node:` module, and these by their bare names. Not `path`, `url`,
# `events`, `buffer`, `util`, `stream`, `crypto` or `zlib`: bundlers ship browser stand-ins for them.
NODE_ONLY_BUILTINS = frozenset({
    "fs", "fs/promises", "child_process", "net", "tls", "dgram", "dns", "http", "https", "http2", "cluster",
    "worker_threads", "readline", "v8", "vm", "os", "perf_hooks", "inspector",
})


def _imports_node_builtin(modules: frozenset[str]) -> bool:
    return any(mod.startswith("node:") or mod in NODE_ONLY_BUILTINS for mod in modules)


def _imports(modules: frozenset[str], wanted: Sequence[str]) -> bool:
    for want in wanted:
        for mod in modules:
            if mod == want or mod.startswith((want + ".", want + "/")):
                return True
    return False


def subquery_of(cond: Condition) -> str | None:
    """The sub-query a condition consults, if any (its matches must be in the FileContext)."""
    if cond.inside is not None and cond.inside.query:
        return cond.inside.query
    if cond.contains is not None:
        return cond.contains.query
    if cond.file_has is not None:
        return cond.file_has.query
    return None


def cost(cond: Condition) -> int:
    """A rank of how long `holds` takes for a condition: file-wide facts are looked up once per file,
    argument and text checks look at one node, tree walks come next, and conditions that need a
    sub-query's matches (a second walk of the tree) come last."""
    if (
        cond.imports is not None
        or cond.file_matches is not None
        or cond.path_matches is not None
        or cond.package_is is not None
        or cond.preprocessor is not None
    ):
        return 0
    if cond.has_arg is not None or cond.text_matches is not None:
        return 1
    if cond.module_has is not None:
        return 5  # may read and parse another file
    if subquery_of(cond) is None:
        return 2
    return 3 if cond.contains is not None else 4


Check = Callable[[Captures, FileContext], bool]


def holds(cond: Condition, captures: Captures, ctx: FileContext) -> bool:
    """Whether one condition holds for a match. Captures missing from an optional query branch count
    as 'does not hold'."""
    return checker(cond)(captures, ctx)


def checker(cond: Condition) -> Check:
    """The test of one condition as a function of (captures, file), built once per rule pack so that
    each match pays only for the test itself."""
    if cond.has_arg is not None:
        spec_arg = cond.has_arg
        arg_capture, names, positional = spec_arg.capture, frozenset(spec_arg.names), spec_arg.positional
        value_not = re.compile(spec_arg.value_not) if spec_arg.value_not else None

        def has_arg_check(caps: Captures, ctx: FileContext) -> bool:
            node = _first(caps, arg_capture)
            return node is not None and _has_arg(ctx.argument_items(node), names, positional, value_not, ctx.text_of)

        return has_arg_check
    if cond.inside is not None:
        spec_in = cond.inside
        return lambda caps, ctx: (node := _first(caps, spec_in.capture)) is not None and inside(node, spec_in, ctx)
    if cond.contains is not None:
        spec_c = cond.contains
        return lambda caps, ctx: (node := _first(caps, spec_c.capture)) is not None and contains(node, spec_c.query, ctx)
    if cond.text_matches is not None:
        capture, source, resolve = cond.text_matches.capture, cond.text_matches.regex, cond.text_matches.resolve
        # Compiled on first use: a pack holds many more tests than a process meets matches for.
        tests: tuple[Callable[[str], bool], re.Pattern[str]] | None = None

        def text_matches(caps: Captures, ctx: FileContext) -> bool:
            nonlocal tests
            node = _first(caps, capture)
            if node is None:
                return False
            if tests is None:
                tests = (may_match(source), re.compile(source))
            text = ctx.resolved_text(node) if resolve else ctx.text_of(node)
            return tests[0](text) and tests[1].search(text) is not None

        return text_matches
    if cond.imports is not None:
        wanted = tuple(cond.imports)
        return lambda caps, ctx: ctx.imports_any(wanted)
    if cond.file_matches is not None:
        file_regex = cond.file_matches
        return lambda caps, ctx: ctx.file_matches(file_regex)
    if cond.path_matches is not None:
        path_regex = re.compile(cond.path_matches)
        return lambda caps, ctx: ctx.path_matches(path_regex)
    if cond.package_is is not None:
        kind = cond.package_is
        return lambda caps, ctx: ctx.package_kind == kind
    if cond.file_has is not None:
        spec_f = cond.file_has
        return lambda caps, ctx: file_has(caps, spec_f, ctx)
    if cond.module_has is not None:
        spec_m = cond.module_has
        return lambda caps, ctx: module_has(caps, spec_m, ctx)
    if cond.calls_itself is not None:
        spec_ci = cond.calls_itself
        return lambda caps, ctx: (node := _first(caps, spec_ci.capture)) is not None and calls_itself(
            node, ctx, same_arguments=spec_ci.same_arguments
        )
    if cond.preprocessor is not None:
        return lambda caps, ctx: (node := _first(caps, "match")) is not None and in_ranges(
            node.start_point[0], ctx.legacy_framework_rows
        )
    raise AssertionError(f"unresolved condition {cond!r}")


def _first(captures: Captures, name: str) -> Node | None:
    nodes = captures.get(name)
    return nodes[0] if nodes else None
