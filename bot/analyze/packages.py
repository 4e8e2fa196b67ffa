"""What kind of JavaScript package a file belongs to, told by the nearest `package.json` above it.

A file belongs to the package whose `package.json` is nearest above it inside the scanned root. The
package is **browser** code when it declares a UI framework that only runs in a page (or a mobile app)
and nothing that runs a server; **server** when it declares a server, a full-stack framework or a
Node-only driver; **other** when it declares neither (a shared library, a CLI). Where no `package.json`
can be read (a malformed or unreadable file, a PR whose tree GitHub would not list whole) the kind is
unknown (`None`) and rules behave as if the fact did not exist.

An Nx workspace describes its projects in `project.json` files and keeps their dependencies in the root
`package.json`, which names the servers and the UI frameworks of every project at once. There a folder's
`project.json` tells a web app apart: one whose build has an HTML `index` page (`@nx/webpack:webpack`,
Angular's browser builder) is browser code, whatever the shared manifest lists.

A Vite-style app keeps its page at the package root (`index.html` with `<script type="module"
src="/src/main.tsx">`) and its server beside it (`server/`), often under one `package.json` that names both.
The folder of the page's module script (`src/`, or `src/client/` for `/src/client/index.tsx`) is the page's
bundle, so it and the folders below it are browser code too, whatever the manifest lists; the rest of the package
(`src/backend/`, `server/`) keeps the manifest's kind.

`classify` and `classify_project` are the pure decisions; `PackageIndex` reads the files, each directory
once per scan, from a checkout (`PackageIndex(root)`) or through any reader
(`PackageIndex.from_reader(read)`: a PR review hands it the manifests it fetched from GitHub).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Literal

PackageKind = Literal["browser", "server", "other"]

# Frameworks whose code runs in a page (or a mobile app's UI): a package that declares one ships UI code.
# `react` alone is not one: React also renders e-mails, PDFs and terminal UIs on servers (react-email, ink);
# `react-dom` is what puts it in a page.
UI_FRAMEWORKS = frozenset({
    "vue", "react-dom", "svelte", "@angular/core", "angular", "solid-js", "preact", "lit", "lit-element",
    "jquery", "backbone", "alpinejs", "ember-source", "mithril", "inferno", "@hotwired/stimulus",
    "@hotwired/turbo", "htmx.org", "react-native", "expo",
})

# Frameworks that build a page *and* its server side (API routes, server loaders, server-side rendering) or
# a desktop app's Node main process. They are build tools as much as runtimes, so projects declare them in
# devDependencies too (Nuxt and SvelteKit templates do): they count wherever they are declared.
FULL_STACK = frozenset({
    "next", "nuxt", "nuxt3", "@sveltejs/kit", "@remix-run/node", "@remix-run/server-runtime", "@remix-run/dev",
    "@react-router/node", "@react-router/dev", "astro", "@angular/ssr", "@nguniversal/express-engine",
    "@analogjs/platform", "@solidjs/start", "@builder.io/qwik-city", "@tanstack/react-start",
    "@tanstack/start", "vinxi", "nitropack", "electron", "gatsby",
})

# What only a server (or a Node process) runs: HTTP, RPC and WebSocket servers, database, cache and queue
# drivers, server-side mailers and admin SDKs. A package whose code depends on one at run time is not only
# browser code. In devDependencies they are development tools (a preview or proxy server, a mock API,
# integration-test fixtures) that do not ship with the package, so there they do not count.
SERVER_RUNTIME = frozenset({
    "express", "fastify", "koa", "@koa/router", "koa-router", "@nestjs/core", "@nestjs/common", "@hapi/hapi",
    "hapi", "hono", "@hono/node-server", "restify", "polka", "micro", "h3", "elysia", "@adonisjs/core",
    "@feathersjs/feathers", "sails", "@loopback/core", "loopback", "egg", "@apollo/server", "apollo-server",
    "apollo-server-express", "graphql-yoga", "@trpc/server", "@grpc/grpc-js", "socket.io", "ws",
    "pg", "mysql", "mysql2", "mongodb", "mongoose", "redis", "ioredis", "kafkajs", "amqplib", "bullmq",
    "bull", "@prisma/client", "sequelize", "typeorm", "knex", "drizzle-orm", "better-sqlite3", "sqlite3",
    "nodemailer", "firebase-admin",
})

RUNTIME_FIELDS = ("dependencies", "peerDependencies", "optionalDependencies")
ALL_FIELDS = (*RUNTIME_FIELDS, "devDependencies")
# A package.json larger than this is not a hand-written manifest; its kind stays unknown.
MAX_MANIFEST_BYTES = 1_000_000
MANIFEST = "package.json"
NX_PROJECT = "project.json"
PAGE = "index.html"
MANIFESTS = (MANIFEST, NX_PROJECT, PAGE)
# A module script of a page, loaded from a folder below it (`src="/src/main.tsx"`, `src="./src/client/index.js"`):
# the script's folder. Not a URL with a host, nor a file at the page's own level.
_MODULE_SCRIPT_RE = re.compile(r"<script\b[^>]*>", re.I)
_MODULE_TYPE_RE = re.compile(r"""\btype\s*=\s*["']?module\b""", re.I)
_SCRIPT_SRC_RE = re.compile(r"""\bsrc\s*=\s*["'](?:\.?/)?((?:[A-Za-z0-9_.-]+/)+)[^"'/?#]*(?:[?#][^"']*)?["']""", re.I)


def _names(manifest: Mapping[str, object], fields: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for name in fields:
        deps = manifest.get(name)
        if isinstance(deps, Mapping):
            out.update(k for k in deps if isinstance(k, str))
    return out


def classify(manifest: object) -> PackageKind | None:
    """The kind of package a parsed `package.json` describes; None when it describes none: not a JSON
    object, or a marker file without a name or dependencies (`{"type": "module"}`), which leaves the
    decision to the package.json further up."""
    if not isinstance(manifest, Mapping):
        return None
    declared = _names(manifest, ALL_FIELDS)
    if not declared and not isinstance(manifest.get("name"), str):
        return None
    if declared & FULL_STACK or _names(manifest, RUNTIME_FIELDS) & SERVER_RUNTIME:
        return "server"
    if declared & UI_FRAMEWORKS:
        return "browser"
    return "other"


def classify_project(project: object) -> PackageKind | None:
    """The kind of an Nx `project.json`: browser for an application whose build (any target) serves an HTML
    `index` page, else None (the package.json files decide)."""
    if not isinstance(project, Mapping) or project.get("projectType") != "application":
        return None
    targets = project.get("targets")
    if not isinstance(targets, Mapping):
        return None
    for target in targets.values():
        options = target.get("options") if isinstance(target, Mapping) else None
        index = options.get("index") if isinstance(options, Mapping) else None
        if isinstance(index, str) and index.lower().endswith(".html"):
            return "browser"
    return None


def page_bundle_dirs(html: bytes) -> frozenset[str]:
    """The folders (below the page's, relative to it) of a page's module scripts: `src` for a Vite
    `index.html` with `<script type="module" src="/src/main.tsx">`, `src/client` for `/src/client/index.tsx`."""
    text = html.decode("utf-8", errors="replace")
    out: set[str] = set()
    for tag in _MODULE_SCRIPT_RE.findall(text):
        src = _SCRIPT_SRC_RE.search(tag)
        folder = src.group(1).rstrip("/") if src else ""
        if _MODULE_TYPE_RE.search(tag) and folder and not {".", ".."} & set(folder.split("/")):
            out.add(folder)
    return frozenset(out)


class _Unreadable:
    """The nearest package.json exists but cannot be read or parsed: the package is unknown."""


_UNREADABLE = _Unreadable()


# Reads one manifest by its path relative to the root (`/` separators: `packages/api/package.json`,
# `project.json`): its bytes, None when there is none, or raises OSError when one is there but cannot be read
# (a package.json's kind is then unknown, not the parent's).
ManifestReader = Callable[[str], bytes | None]


def manifest_path(rel_dir: str, name: str = MANIFEST) -> str:
    """Where a manifest (package.json unless named) of a directory (relative to the root) lives."""
    return f"{rel_dir}/{name}" if rel_dir else name


def manifest_dirs(paths: Iterable[str]) -> set[str]:
    """Every directory whose package.json may decide the kind of these files (relative to the root): each
    file's folder and all folders above it, the root ("") included."""
    out: set[str] = set()
    for path in paths:
        parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts or path.startswith("/"):
            continue
        for end in range(len(parts)):
            out.add("/".join(parts[:end]))
    return out


def _read_from_disk(root: Path, rel: str) -> bytes | None:
    path = root / rel
    if not path.is_file():
        return None
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise OSError(f"{path}: over {MAX_MANIFEST_BYTES} bytes")  # not read at all, so not held in memory
    return path.read_bytes()


class PackageIndex:
    """The package kind of files under one root; each directory's package.json is read at most once (an
    index lives as long as the scan or review that made it)."""

    def __init__(self, root: Path) -> None:
        """Read manifests from the checkout at `root`."""
        self.root: Path | None = root
        self._reader: ManifestReader = lambda rel: _read_from_disk(root, rel)
        self._by_dir: dict[str, PackageKind | None] = {}
        self._pages: dict[str, frozenset[str]] = {}

    @classmethod
    def from_reader(cls, read: ManifestReader) -> PackageIndex:
        """Read manifests through `read` (see `ManifestReader`); `root` is then None."""
        index = cls.__new__(cls)
        index.root = None
        index._reader = read
        index._by_dir = {}
        index._pages = {}
        return index

    def kind_of(self, path: str) -> PackageKind | None:
        """The kind of the package holding `path` (relative to the root, `/` separators); None when unknown.
        Never raises: anything unreadable is unknown."""
        parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts or path.startswith("/"):
            return None
        return self._kind_of_dir("/".join(parts[:-1]))

    def _kind_of_dir(self, rel: str) -> PackageKind | None:
        if rel in self._by_dir:
            return self._by_dir[rel]
        own = self._read(rel)
        if isinstance(own, _Unreadable):
            kind: PackageKind | None = None
        elif own is not None:
            kind = own
        elif rel:
            kind = self._kind_of_dir(rel.rpartition("/")[0])
        else:
            kind = None
        self._by_dir[rel] = kind
        return kind

    def _read(self, rel: str) -> PackageKind | _Unreadable | None:
        """This directory's own verdict: a kind, unreadable, or None (no package.json, or a marker one). The
        folder of a page's module script is browser when it has no package.json of its own; an Nx web app's
        project.json makes it browser unless its package.json names a server."""
        own = self._parse(manifest_path(rel), classify)
        if rel and own is None and self._is_page_bundle(rel):
            return "browser"
        if own == "server" or isinstance(own, _Unreadable):
            return own
        project = self._parse(manifest_path(rel, NX_PROJECT), classify_project)
        return project if project == "browser" else own

    def _is_page_bundle(self, rel: str) -> bool:
        """Whether this directory is the folder of a module script of a page in a directory above it."""
        parts = rel.split("/")
        for end in range(len(parts)):
            above = "/".join(parts[:end])
            if "/".join(parts[end:]) in self._page_bundles(above):
                return True
        return False

    def _page_bundles(self, rel: str) -> frozenset[str]:
        """The folders (relative to this directory) of the module scripts its `index.html` loads: none when
        there is no page, or it cannot be read."""
        if rel not in self._pages:
            try:
                raw = self._reader(manifest_path(rel, PAGE))
            except OSError:
                raw = None
            self._pages[rel] = page_bundle_dirs(raw) if raw is not None and len(raw) <= MAX_MANIFEST_BYTES else frozenset()
        return self._pages[rel]

    def _parse(self, path: str, decide: Callable[[object], PackageKind | None]) -> PackageKind | _Unreadable | None:
        try:
            raw = self._reader(path)
            if raw is None:
                return None
            if len(raw) > MAX_MANIFEST_BYTES:
                return _UNREADABLE
            data = json.loads(raw)
        except (OSError, ValueError, RecursionError):  # ValueError covers bad JSON and bad UTF-8
            return _UNREADABLE
        if not isinstance(data, dict):
            return _UNREADABLE  # valid JSON, but not a manifest
        return decide(data)
