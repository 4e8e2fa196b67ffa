"""Path aliases of a TypeScript / JavaScript project: `compilerOptions.paths` and `baseUrl` of its tsconfig.

`import { send } from '@/lib/mailer'` names a project module only through the nearest `tsconfig.json` (or
`jsconfig.json`): `"paths": {"@/*": ["./src/*"]}` makes it `src/lib/mailer`. This module finds that config for a
file, follows its relative `extends` chain, and turns a bare specifier into the project paths it may name, the
way TypeScript does:

- an exact pattern (no `*`) beats a wildcard one, and among wildcards the longest prefix wins; each of the
  pattern's substitutions is tried in order;
- substitutions are relative to the `baseUrl` in effect (a config's own or inherited), else to the folder of the
  config that set `paths`;
- `baseUrl` alone makes `services/mail` name `<baseUrl>/services/mail`.

Configs are JSON with comments and trailing commas (JSONC), read with `json5`. A config that cannot be read or
parsed gives no aliases; extending a package (`@tsconfig/node18`) is not followed, its code is not the project's.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import json5

# Reads one project file by its root-relative path: bytes, or None when absent (see modules.ModuleReader).
ConfigReader = Callable[[str], bytes | None]

CONFIG_NAMES = ("tsconfig.json", "jsconfig.json")
# A config larger than this is not a hand-written tsconfig.
MAX_CONFIG_BYTES = 256_000
# `extends` links followed from one config (TypeScript has no limit; real chains are one or two long).
MAX_EXTENDS = 5


@dataclass(frozen=True, slots=True)
class PathAliases:
    """What one config maps: `patterns` (pattern, substitutions) with substitutions already made root-relative,
    and `base_url`, the root-relative folder bare specifiers are also looked up in (None when unset)."""

    patterns: tuple[tuple[str, tuple[str, ...]], ...]
    base_url: str | None

    def targets(self, specifier: str) -> list[str]:
        """The root-relative paths (not yet given extensions) `specifier` may name, best first; none leaves
        the root."""
        out: list[str] = []
        pattern = _best_pattern(specifier, [p for p, _ in self.patterns])
        if pattern is not None:
            star = pattern.find("*")
            matched = specifier[star : len(specifier) - (len(pattern) - star - 1)] if star >= 0 else ""
            for substitution in dict(self.patterns)[pattern]:
                out.append(substitution.replace("*", matched, 1) if star >= 0 else substitution)
        if self.base_url is not None:
            out.append(posixpath.join(self.base_url, specifier))
        return [p for p in (inside_root(t) for t in out) if p is not None]


def _best_pattern(specifier: str, patterns: list[str]) -> str | None:
    if specifier in patterns:
        return specifier
    best: str | None = None
    best_prefix = -1
    for pattern in patterns:
        if pattern.count("*") != 1:
            continue
        prefix, suffix = pattern.split("*")
        if (
            len(specifier) >= len(prefix) + len(suffix)
            and specifier.startswith(prefix)
            and specifier.endswith(suffix)
            and len(prefix) > best_prefix
        ):
            best, best_prefix = pattern, len(prefix)
    return best


def inside_root(path: str) -> str | None:
    """`path` (root-relative) normalised, `""` for the root itself, or None when it leaves the root."""
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../") or norm.startswith("/"):
        return None
    return "" if norm == "." else norm


def config_candidates(path: str) -> Iterator[str]:
    """The config files that may govern the file at `path`, nearest first (its folder up to the root)."""
    folder = posixpath.dirname(path)
    while True:
        for name in CONFIG_NAMES:
            yield posixpath.join(folder, name) if folder else name
        if not folder:
            return
        folder = posixpath.dirname(folder)


def extends_of(config_path: str, data: bytes) -> list[str]:
    """The root-relative configs `config_path` extends by relative specifiers (`"./base.json"`, `"../tsconfig"`:
    `.json` is added when missing); packages are left out."""
    parsed = _parse(data)
    return _extends(config_path, parsed) if parsed is not None else []


def _extends(config_path: str, parsed: dict[str, object]) -> list[str]:
    raw = parsed.get("extends")
    names = [raw] if isinstance(raw, str) else [x for x in raw if isinstance(x, str)] if isinstance(raw, list) else []
    out: list[str] = []
    for name in names:
        if not name.startswith((".", "/")) or name.startswith("/"):
            continue
        joined = inside_root(posixpath.join(posixpath.dirname(config_path), name))
        if joined is None:
            continue
        out.append(joined if joined.endswith(".json") else joined + ".json")
    return out


def _parse(data: bytes) -> dict[str, object] | None:
    if len(data) > MAX_CONFIG_BYTES:
        return None
    try:
        parsed = json5.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


def load_aliases(config_path: str, read: ConfigReader) -> PathAliases | None:
    """The aliases the config at `config_path` gives, its relative `extends` chain applied (a config's own
    `paths` replaces an inherited one whole, as in TypeScript; so does `baseUrl`). None when it has none or
    cannot be read."""
    paths: dict[str, list[str]] | None = None
    paths_dir = ""
    base_url: str | None = None
    seen: set[str] = set()
    chain = [config_path]
    while chain and len(seen) <= MAX_EXTENDS:
        current = chain.pop(0)
        if current in seen:
            continue
        seen.add(current)
        try:
            data = read(current)
        except OSError:
            data = None
        parsed = _parse(data) if data is not None else None
        if parsed is None:
            continue
        options = parsed.get("compilerOptions")
        options = options if isinstance(options, dict) else {}
        folder = posixpath.dirname(current)
        own_base = options.get("baseUrl")
        if base_url is None and isinstance(own_base, str):
            base_url = inside_root(posixpath.join(folder, own_base))
        own_paths = options.get("paths")
        if paths is None and isinstance(own_paths, dict):
            paths = {k: [s for s in v if isinstance(s, str)] for k, v in own_paths.items() if isinstance(v, list)}
            paths_dir = folder
        # in an `extends` list a later config overrides an earlier one, so it is read first
        chain.extend(reversed(_extends(current, parsed)))
    if paths is None and base_url is None:
        return None
    # substitutions are relative to the baseUrl in effect (its own or inherited), else to the config with `paths`
    relative_to = base_url if base_url is not None else paths_dir
    patterns = tuple(
        (pattern, tuple(posixpath.join(relative_to, s) for s in subs)) for pattern, subs in (paths or {}).items()
    )
    return PathAliases(patterns, base_url)
