"""Facts about the modules a JavaScript / TypeScript file imports from its own project.

A rule sees one file; whether `rebuildPermissions()` returns a promise is decided in the module it was imported
from. This module gives the `module-has` condition what it needs to look there:

- `import_bindings(text)`: the local names a file binds by ES imports and `require` calls, each with
  the module specifier and the name it has in that module (`import { a as b } from './x'` binds `b` to `a` of
  `./x`; `import * as ns` and `const ns = require('./x')` bind a module object);
- `resolve(from_path, specifier, exists, aliases)`: the project file a specifier names, tried the way Node and
  TypeScript's bundler resolution do (`./x` is `x.ts`, `x.tsx`, `x.js` … or `x/index.*`; an ESM import of
  `./x.js` written in TypeScript is `x.ts`); a bare specifier through the path aliases of the nearest tsconfig
  (`@/lib/x`, see bot.analyze.aliases);
- `ModuleIndex`: reads those files (from a checkout, or through any reader: a PR review hands it the modules it
  fetched from GitHub), parses each once and remembers what each query found in it.

A bare specifier no alias maps is a package: its code is not the project's and is not read. What cannot be
read or parsed is unknown, and `module-has` then does not hold.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.analyze.aliases import PathAliases, config_candidates, inside_root, load_aliases
from bot.syntax import treesitter
from bot.syntax.languages import detect

# Reads one project file by its path relative to the root (`/` separators): its bytes, or None when there is
# none. May raise OSError when it exists but cannot be read (then it counts as absent).
ModuleReader = Callable[[str], bytes | None]

# A module larger than this is generated or bundled code, not a module a rule should read.
MAX_MODULE_BYTES = 1_000_000
# Modules kept parsed at once per index; past this the oldest is dropped (its query answers stay).
PARSED_MODULES = 64
SCRIPT_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# An ESM import in TypeScript names the emitted file (`./x.js`); the source beside it is TypeScript.
_EMITTED_TO_SOURCE = {".js": (".ts", ".tsx"), ".jsx": (".tsx",), ".mjs": (".mts",), ".cjs": (".cts",)}
DEFAULT_EXPORT = "default"


@dataclass(frozen=True, slots=True)
class ImportBinding:
    """A local name bound by an import: the module specifier, and the name it has there (`default` for a
    default import), or None for the module object itself (a namespace import, a whole `require`)."""

    specifier: str
    name: str | None


_IDENT = r"[A-Za-z_$][\w$]*"
# `import a, { b as c, type d } from './x'`, `import * as ns from "@/x"`; `import type ...` binds no value.
_ES_IMPORT_RE = re.compile(
    r"(?m)^[ \t]*import\s+(?!type\s)((?:[^;'\"`]|'[^'\n]*'|\"[^\"\n]*\")*?)\s+from\s*(['\"])([^'\"\s]+)\2"
)
# `const x = require('./x')`, `const { a, b: c } = require('./x')`, `const a = require('./x').a`.
_REQUIRE_RE = re.compile(
    rf"\b(?:const|let|var)\s+(\{{[^}}]*\}}|{_IDENT})\s*=\s*require\(\s*(['\"])([^'\"\s]+)\2\s*\)"
    rf"(?:\s*\.\s*({_IDENT}))?"
)
_NAMESPACE_RE = re.compile(rf"^\*\s*as\s+({_IDENT})$")
_SPEC_RE = re.compile(rf"^(?:type\s+)?({_IDENT}|'[^']*'|\"[^\"]*\")(?:\s+as\s+({_IDENT}))?$")
_REQUIRE_PROP_RE = re.compile(rf"^({_IDENT})(?:\s*:\s*({_IDENT}))?(?:\s*=.*)?$", re.S)
_TYPE_ONLY_RE = re.compile(r"^type\s")
_COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def import_bindings(text: str) -> dict[str, ImportBinding]:
    """The local names `text` binds by imports (ES `import` and CommonJS `require`), by name; whether a
    specifier names a project module is for `resolve` to say."""
    out: dict[str, ImportBinding] = {}
    if "import" not in text and "require" not in text:
        return out
    for m in _ES_IMPORT_RE.finditer(text):
        _es_clause(_COMMENT_RE.sub(" ", m.group(1)).strip(), m.group(3), out)
    for m in _REQUIRE_RE.finditer(text):
        target, specifier, member = m.group(1), m.group(3), m.group(4)
        if target.startswith("{"):
            if member is not None:
                continue  # `const { a } = require('./x').y`: a property of an export, not an export
            for part in _COMMENT_RE.sub(" ", target[1:-1]).split(","):
                prop = _REQUIRE_PROP_RE.match(part.strip())
                if prop is not None:
                    out[prop.group(2) or prop.group(1)] = ImportBinding(specifier, prop.group(1))
        else:
            out[target] = ImportBinding(specifier, member)
    return out


def _es_clause(clause: str, specifier: str, out: dict[str, ImportBinding]) -> None:
    braces = clause.find("{")
    head = clause[:braces] if braces >= 0 else clause
    for part in (p.strip() for p in head.split(",")):
        if not part:
            continue
        namespace = _NAMESPACE_RE.match(part)
        if namespace is not None:
            out[namespace.group(1)] = ImportBinding(specifier, None)
        elif re.fullmatch(_IDENT, part):
            out[part] = ImportBinding(specifier, DEFAULT_EXPORT)
    if braces < 0:
        return
    for part in (p.strip() for p in clause[braces + 1 : clause.rfind("}")].split(",")):
        spec = _SPEC_RE.match(part)
        if spec is None or _TYPE_ONLY_RE.match(part):
            continue
        imported = spec.group(1).strip("'\"")
        out[spec.group(2) or imported] = ImportBinding(specifier, imported)


def resolve(
    from_path: str, specifier: str, exists: Callable[[str], bool], aliases: PathAliases | None = None
) -> str | None:
    """The project file (relative to the root) `specifier` imported by `from_path` names, or None when it names
    no file that `exists`: a relative specifier from the importing file's folder (never leaving the root), a bare
    one through `aliases` (the importing file's tsconfig paths and baseUrl), else None (a package)."""
    if specifier.startswith("/"):
        return None
    if specifier.startswith("."):
        base = inside_root(posixpath.join(posixpath.dirname(from_path), specifier))
        return _first_file(base, exists) if base is not None else None
    if aliases is None:
        return None
    for target in aliases.targets(specifier):
        found = _first_file(target, exists)
        if found is not None:
            return found
    return None


def _first_file(base: str, exists: Callable[[str], bool]) -> str | None:
    """The file a module path (root-relative, `""` for the root folder) names: itself, with a script
    extension, its TypeScript source, or its folder's index module."""
    candidates: list[str] = []
    if base:
        stem, ext = posixpath.splitext(base)
        if ext in SCRIPT_EXTENSIONS:
            candidates.append(base)
            candidates.extend(stem + alt for alt in _EMITTED_TO_SOURCE.get(ext, ()))
        else:
            candidates.extend(base + e for e in SCRIPT_EXTENSIONS)
    candidates.extend(posixpath.join(base, "index" + e) for e in SCRIPT_EXTENSIONS)
    return next((candidate for candidate in candidates if exists(candidate)), None)


# A default export's local name: `export default async function name`, `export default name;`,
# `module.exports = name;`.
_DEFAULT_NAME_RE = re.compile(
    rf"(?m)^[ \t]*(?:export\s+default\s+(?:async\s+)?function\s*\*?\s*({_IDENT})|export\s+default\s+({_IDENT})\s*;?[ \t]*$"
    rf"|module\.exports\s*=\s*({_IDENT})\s*;?[ \t]*$)"
)


class ModuleIndex:
    """Modules of one project, read on demand, each parsed at most once per index (an index lives as long as
    the scan or review that made it)."""

    def __init__(self, root: Path) -> None:
        """Read modules from the checkout at `root`."""
        self.root: Path | None = root
        self._reader: ModuleReader = lambda rel: _read_from_disk(root, rel)
        self._init()

    @classmethod
    def from_reader(cls, read: ModuleReader, *, exists: Callable[[str], bool] | None = None) -> ModuleIndex:
        """Read modules through `read` (see `ModuleReader`); `root` is then None. `exists`, when given, answers
        whether a module is there without reading it (a PR review knows the head's tree before it fetches)."""
        index = cls.__new__(cls)
        index.root = None
        index._reader = read
        index._init()
        index._exists = exists
        return index

    def _init(self) -> None:
        self._source: dict[str, bytes | None] = {}
        self._trees: dict[str, treesitter.Tree] = {}
        self._found: dict[tuple[str, str], frozenset[str]] = {}
        self._queries: dict[tuple[str, str], treesitter.Query | None] = {}
        self._aliases: dict[str, PathAliases | None] = {}
        self._exists: Callable[[str], bool] | None = None

    def source(self, path: str) -> bytes | None:
        """A module's bytes; None when absent, unreadable or too large to be a hand-written module."""
        if path not in self._source:
            try:
                data = self._reader(path)
            except OSError:
                data = None
            self._source[path] = data if data is not None and len(data) <= MAX_MODULE_BYTES else None
        return self._source[path]

    def exists(self, path: str) -> bool:
        if self._exists is not None:
            return self._exists(path)
        return self.source(path) is not None

    def resolve(self, from_path: str, specifier: str) -> str | None:
        aliases = None if specifier.startswith(".") else self.aliases(from_path)
        return resolve(from_path, specifier, self.exists, aliases)

    def aliases(self, from_path: str) -> PathAliases | None:
        """The path aliases of the nearest tsconfig.json / jsconfig.json above `from_path` (None: none)."""
        folder = posixpath.dirname(from_path)
        if folder not in self._aliases:
            config = next((c for c in config_candidates(from_path) if self.source(c) is not None), None)
            self._aliases[folder] = load_aliases(config, self.source) if config is not None else None
        return self._aliases[folder]

    def names(self, path: str, query: str) -> frozenset[str]:
        """The texts of the `@name` captures of the matches (with an `@match`) of `query` in the module at
        `path`; empty when the module cannot be read or parsed, or the query does not fit its grammar (a
        TypeScript query over a JavaScript module that uses a node TypeScript alone has)."""
        key = (path, query)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._names(path, query)
        return found

    def default_name(self, path: str) -> str | None:
        """The local name a module's default export has (`export default name`, `module.exports = name`)."""
        data = self.source(path)
        if data is None:
            return None
        m = _DEFAULT_NAME_RE.search(data.decode("utf-8", "replace"))
        return next((g for g in m.groups() if g), None) if m is not None else None

    def _names(self, path: str, query_text: str) -> frozenset[str]:
        data = self.source(path)
        detected = detect(path)
        if data is None or detected is None:
            return frozenset()
        grammar = detected[1]
        query = self._query(grammar, query_text)
        if query is None:
            return frozenset()
        tree = self._trees.get(path)
        if tree is None:
            try:
                tree = treesitter.parse(grammar, data)
            except (ValueError, RecursionError):
                return frozenset()
            if len(self._trees) >= PARSED_MODULES:
                self._trees.pop(next(iter(self._trees)))
            self._trees[path] = tree
        out: set[str] = set()
        for _pattern, caps in treesitter.matches(query, tree.root_node):
            names = caps.get("name")
            if caps.get("match") and names:
                out.add(data[names[0].start_byte : names[0].end_byte].decode("utf-8", "replace"))
        return frozenset(out)

    def _query(self, grammar: str, text: str) -> treesitter.Query | None:
        key = (grammar, text)
        if key not in self._queries:
            try:
                self._queries[key] = treesitter.compile_query(grammar, text)
            except (treesitter.QueryError, ValueError):
                self._queries[key] = None
        return self._queries[key]


def _read_from_disk(root: Path, rel: str) -> bytes | None:
    path = root / rel
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_MODULE_BYTES:
        return None  # not read at all, so not held in memory
    return path.read_bytes()
