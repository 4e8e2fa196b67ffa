"""Browser packages are told by the nearest package.json above a file; where none can be read, nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_tree
from pydantic import ValidationError

from bot.analyze.engine import Engine
from bot.analyze.packages import (
    MAX_MANIFEST_BYTES,
    PackageIndex,
    classify,
    classify_project,
    manifest_dirs,
    page_bundle_dirs,
)
from bot.analyze.rules import Condition, RuleSet, load_rules
from bot.config import RepoConfig
from bot.jobs.scan import ScanPlan, run_scan
from bot.source import walk_tree

PACK = load_rules()
# An HTTP call with nothing browser-like in its text, in a folder whose name gives nothing away either.
FETCHER = 'import axios from "axios";\nexport const getProjects = (path: string) => axios.get(path).then((res) => res.data);\n'
FETCHER_PATH = "packages/shared/src/api/projects.ts"


def manifest(**fields: object) -> str:
    return json.dumps({"name": "pkg", "version": "1.0.0", **fields})


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"dependencies": {"vue": "^3.4.0", "axios": "^1.6.0"}}, "browser"),
        ({"dependencies": {"react": "^18.2.0", "react-dom": "^18.2.0"}}, "browser"),
        ({"peerDependencies": {"@angular/core": "^17.0.0"}}, "browser"),  # a component library
        ({"devDependencies": {"svelte": "^4.2.0", "vite": "^5.0.0"}}, "browser"),  # bundled, so a dev dependency
        # A preview or proxy server for development does not ship with the app.
        ({"dependencies": {"react-dom": "^18.2.0"}, "devDependencies": {"express": "^4.18.0"}}, "browser"),
        ({"dependencies": {"express": "^4.18.0", "pg": "^8.11.0"}}, "server"),
        ({"dependencies": {"@nestjs/core": "^10.0.0", "@nestjs/common": "^10.0.0"}}, "server"),
        # A single package holding the server and its bundled UI.
        ({"dependencies": {"koa": "^2.15.0"}, "devDependencies": {"vue": "^3.4.0"}}, "server"),
        ({"dependencies": {"react-dom": "^18.2.0", "next": "^14.1.0"}}, "server"),  # API routes live there too
        ({"devDependencies": {"nuxt": "^3.10.0", "vue": "^3.4.0"}}, "server"),  # full-stack, even as a dev dependency
        ({"dependencies": {"react": "^18.2.0", "@react-email/components": "^0.0.15"}}, "other"),  # e-mail rendering
        ({"dependencies": {"zod": "^3.22.0"}}, "other"),
        ({}, "other"),  # a named package without dependencies
    ],
)
def test_a_package_is_browser_only_with_a_ui_framework_and_nothing_that_runs_a_server(fields, kind):
    assert classify(json.loads(manifest(**fields))) == kind


@pytest.mark.parametrize("data", [[], "vue", 3, None, {"type": "module"}, {"dependencies": []}])
def test_non_manifests_and_marker_files_describe_no_package(data):
    assert classify(data) is None


@pytest.fixture(scope="module")
def monorepo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vue = manifest(dependencies={"vue": "^3.4.0"})
    return write_tree(
        tmp_path_factory.mktemp("monorepo"),
        {
            "package.json": manifest(devDependencies={"typescript": "^5.3.0"}, workspaces=["packages/*"]),
            "tools/build.ts": "",
            "packages/shared/package.json": vue,
            "packages/shared/src/api/projects.ts": FETCHER,
            "packages/shared/src/esm/package.json": '{"type": "module"}',
            "packages/shared/src/esm/index.js": "",
            "packages/api/package.json": manifest(dependencies={"fastify": "^4.26.0"}),
            "packages/api/src/routes.ts": "",
            "packages/full/package.json": manifest(dependencies={"react-dom": "^18.2.0", "express": "^4.18.0"}),
            "packages/full/src/index.ts": "",
            "packages/broken/package.json": '{"name": "broken", "dependencies": {"vue": "^3.4.0",}',
            "packages/broken/src/index.ts": "",
            "packages/latin1/package.json": b'{"name": "caf\xe9", "dependencies": {"vue": "^3"}}',
            "packages/latin1/index.ts": "",
            "packages/array/package.json": "[]",
            "packages/array/index.ts": "",
            "packages/dir/package.json/keep.txt": "",  # a folder that happens to carry the name
            "packages/dir/index.ts": "",
        },
    )


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("packages/shared/src/api/projects.ts", "browser"),  # nearest package.json two folders up
        ("packages/shared/src/esm/index.js", "browser"),  # a `{"type": "module"}` marker leaves it to the parent
        ("packages/api/src/routes.ts", "server"),
        ("packages/full/src/index.ts", "server"),
        ("tools/build.ts", "other"),  # the workspace root declares neither
        ("packages/dir/index.ts", "other"),  # not a file: the next package.json up decides
        ("packages/broken/src/index.ts", None),  # malformed JSON: unknown, not the parent's kind
        ("packages/latin1/index.ts", None),  # not UTF-8
        ("packages/array/index.ts", None),  # valid JSON, not a manifest
        ("../outside.ts", None),
        ("", None),
    ],
)
def test_the_nearest_package_json_decides_and_anything_unreadable_is_unknown(monorepo, path, kind):
    assert PackageIndex(monorepo).kind_of(path) == kind


def test_nothing_above_the_scanned_root_is_read(tmp_path):
    write_tree(tmp_path, {"package.json": manifest(dependencies={"vue": "^3.4.0"}), "service/src/api.ts": FETCHER})
    assert PackageIndex(tmp_path / "service").kind_of("src/api.ts") is None
    assert PackageIndex(tmp_path).kind_of("service/src/api.ts") == "browser"


def test_each_folder_is_read_once_per_index(tmp_path):
    write_tree(tmp_path, {"web/package.json": manifest(dependencies={"vue": "^3.4.0"})})
    index = PackageIndex(tmp_path)
    assert index.kind_of("web/src/a.ts") == "browser"
    (tmp_path / "web/package.json").write_text(manifest(dependencies={"express": "^4.18.0"}), encoding="utf-8")
    assert index.kind_of("web/src/b.ts") == "browser", "the scan keeps the answer it read first"
    assert PackageIndex(tmp_path).kind_of("web/src/b.ts") == "server"


def test_package_is_accepts_the_known_kinds_only():
    assert Condition.model_validate({"package-is": "browser"}).package_is == "browser"
    with pytest.raises(ValidationError, match=r"package-is\n.*'browser', 'server' or 'other'"):
        Condition.model_validate({"package-is": "desktop"})
    with pytest.raises(ValidationError, match="exactly one of"):
        Condition.model_validate({"package-is": "browser", "path-matches": "ui/"})


@pytest.fixture(scope="module")
def timeout_engine() -> Engine:
    rules = [r for r in PACK.rules if r.id == "http-call-without-timeout" and r.language == "typescript"]
    return Engine(RuleSet(rules[0].path.parent.parent, rules))


def test_the_pack_leaves_browser_packages_alone_and_keeps_server_packages(timeout_engine, monorepo):
    def flagged(path: str, root: Path | None) -> bool:
        report = timeout_engine.analyze(path, FETCHER.encode(), language="typescript", grammar="typescript", root=root)
        return bool(report.findings)

    assert not flagged("packages/shared/src/api/projects.ts", monorepo)
    assert flagged("packages/api/src/projects.ts", monorepo)
    assert flagged("packages/full/src/projects.ts", monorepo)
    assert flagged("packages/broken/src/projects.ts", monorepo)
    # A review without the checkout (the PR's files from the API, stdin) knows no package: as before.
    assert flagged("packages/shared/src/api/projects.ts", None)


@pytest.mark.parametrize(
    "node_import",
    ['import { readFile } from "node:fs/promises";', 'import http from "http";', 'const cp = require("child_process");'],
)
def test_a_module_that_imports_nodes_own_modules_is_not_browser_code_whatever_its_manifest_says(
    timeout_engine, tmp_path, node_import
):
    # A server bundled at build time lists its framework in devDependencies beside the UI's, so the manifest
    # reads as browser; a module that imports Node's file system, sockets or processes runs in Node.
    root = write_tree(
        tmp_path,
        {"package.json": manifest(devDependencies={"react-dom": "^18.2.0", "fastify": "^5.0.0", "axios": "^1.6.0"})},
    )

    def flagged(text: str) -> bool:
        path = "server/services/client.ts"
        return bool(timeout_engine.analyze(path, text.encode(), language="typescript", grammar="typescript", root=root).findings)

    assert not flagged(FETCHER)
    assert flagged(node_import + "\n" + FETCHER)
    # `path`, `events` and `buffer` have browser stand-ins that bundlers ship: they do not tell.
    assert not flagged('import path from "path";\n' + FETCHER)


@pytest.mark.parametrize(
    ("dependencies", "findings"),
    [({"vue": "^3.4.0", "axios": "^1.6.0"}, 0), ({"express": "^4.18.0", "axios": "^1.6.0"}, 1)],
)
def test_a_scan_reads_the_package_json_of_the_checkout(tmp_path, dependencies, findings):
    root = write_tree(tmp_path, {"packages/shared/package.json": manifest(dependencies=dependencies), FETCHER_PATH: FETCHER})
    changes, _ = walk_tree(root, RepoConfig())
    result = run_scan(ScanPlan(root=root, changes=changes, config=RepoConfig()), rules=PACK)
    assert [f.path for f in result.findings if f.rule_id == "http-call-without-timeout"] == [FETCHER_PATH] * findings


def test_an_index_over_a_reader_finds_the_nearest_manifest_and_reads_each_folder_once():
    manifests = {
        "package.json": manifest(dependencies={"express": "^4.18.0"}).encode(),
        "packages/shared/package.json": manifest(dependencies={"vue": "^3.4.0"}).encode(),
        "packages/shared/src/esm/package.json": b'{"type": "module"}',
    }
    asked: list[str] = []

    def read(rel: str) -> bytes | None:
        asked.append(rel)
        if rel == "packages/locked/package.json":
            raise OSError("cannot be read")
        return manifests.get(rel)

    index = PackageIndex.from_reader(read)
    assert index.root is None
    assert index.kind_of(FETCHER_PATH) == "browser"
    assert index.kind_of("packages/shared/src/esm/index.js") == "browser"
    assert index.kind_of("packages/api/src/routes.ts") == "server"
    assert index.kind_of("packages/locked/index.ts") is None, "unreadable is unknown, not the parent's kind"
    assert index.kind_of("packages/shared/src/api/other.ts") == "browser"
    assert sorted(asked) == sorted(set(asked)), "each folder is read once"


def test_an_oversized_or_malformed_manifest_from_a_reader_is_unknown():
    big = json.dumps({"name": "x", "dependencies": {"vue": "^3"}, "pad": "x" * MAX_MANIFEST_BYTES}).encode()
    index = PackageIndex.from_reader(
        {"big/package.json": big, "bad/package.json": b"{", "package.json": manifest(dependencies={"vue": "^3"}).encode()}.get
    )
    assert index.kind_of("big/a.ts") is None
    assert index.kind_of("bad/a.ts") is None
    assert index.kind_of("fine/a.ts") == "browser"


def test_manifest_dirs_are_every_folder_above_the_files():
    assert manifest_dirs(["packages/shared/src/a.ts", "packages/api/b.ts", "c.ts", "../x.ts", ""]) == {
        "",
        "packages",
        "packages/shared",
        "packages/shared/src",
        "packages/api",
    }


def test_an_index_handed_to_analyze_is_used_instead_of_the_root(timeout_engine, monorepo):
    browser = PackageIndex.from_reader({"packages/api/package.json": manifest(dependencies={"vue": "^3.4.0"}).encode()}.get)

    def flagged(path: str, **where: object) -> bool:
        report = timeout_engine.analyze(path, FETCHER.encode(), language="typescript", grammar="typescript", **where)
        return bool(report.findings)

    assert flagged("packages/api/src/projects.ts", root=monorepo), "the checkout says server"
    assert not flagged("packages/api/src/projects.ts", packages=browser)
    assert not flagged("packages/api/src/projects.ts", root=monorepo, packages=browser), "the given index wins"
    assert flagged("packages/other/src/projects.ts", packages=browser), "no manifest above: unknown, as before"


NX_WEB_APP = {
    "name": "shop-client",
    "projectType": "application",
    "targets": {
        "build": {
            "executor": "@nx/webpack:webpack",
            "options": {"index": "packages/shop-client/public/index.html", "main": "packages/shop-client/src/index.tsx"},
        },
    },
}
NX_SERVICE = {
    "name": "shop-server",
    "projectType": "application",
    "targets": {"build": {"executor": "@nx/webpack:webpack", "options": {"main": "packages/shop-server/src/main.ts"}}},
}


@pytest.mark.parametrize(
    ("project", "kind"),
    [
        (NX_WEB_APP, "browser"),
        (NX_SERVICE, None),  # a bundled Node service: no page
        ({**NX_WEB_APP, "projectType": "library"}, None),
        ({"name": "x", "targets": "build"}, None),
        ([], None),
    ],
)
def test_an_nx_project_is_browser_code_when_its_build_serves_an_html_page(project, kind):
    assert classify_project(project) == kind


def test_an_nx_web_app_is_browser_code_although_the_workspace_manifest_names_servers():
    files = {
        # the workspace's one manifest lists every project's dependencies
        "package.json": manifest(dependencies={"express": "^4", "react-dom": "^18"}).encode(),
        "packages/shop-client/project.json": json.dumps(NX_WEB_APP).encode(),
        "packages/shop-server/project.json": json.dumps(NX_SERVICE).encode(),
        "packages/shop-ssr/project.json": json.dumps(NX_WEB_APP).encode(),
        "packages/shop-ssr/package.json": manifest(dependencies={"express": "^4"}).encode(),
        "packages/broken/project.json": b"{",
    }
    index = PackageIndex.from_reader(files.get)
    assert index.kind_of("packages/shop-client/src/api/orders.ts") == "browser"
    assert index.kind_of("packages/shop-server/src/orders.ts") == "server"
    assert index.kind_of("packages/shop-ssr/src/render.ts") == "server", "its own manifest names a server"
    assert index.kind_of("packages/broken/src/a.ts") == "server", "an unreadable project.json decides nothing"


VITE_PAGE = b"""<!DOCTYPE html>
<html lang="en">
  <head>
    <script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>
    <script src="/config.js"></script>
  </head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/index.tsx"></script>
  </body>
</html>
"""


@pytest.mark.parametrize(
    ("html", "dirs"),
    [
        (VITE_PAGE, {"src"}),
        (b'<script type="module" src="/src/client/index.tsx"></script>', {"src/client"}),
        (b'<script type="module" src="../shared/main.js"></script>', set()),
        (b'<script src="./app/main.js" type="module" defer></script>', {"app"}),
        (b'<script src="/src/main.js"></script>', set()),  # a classic script: no bundle entry
        (b'<script type="module" src="main.js"></script>', set()),  # at the page's own level
        (b'<script type="module" src="https://cdn.example.com/lib/x.js"></script>', set()),
        (b"\xff\xfe not html", set()),
    ],
)
def test_a_page_names_the_folders_its_module_scripts_load_from(html, dirs):
    assert page_bundle_dirs(html) == dirs


def test_the_folder_a_page_loads_its_module_from_is_browser_code_although_the_manifest_names_a_server():
    files = {
        # one manifest for the Vite front end and the Express server beside it
        "package.json": manifest(dependencies={"express": "^4", "react-dom": "^18", "axios": "^1"}).encode(),
        "index.html": VITE_PAGE,
        "admin/package.json": manifest(dependencies={"react-dom": "^18"}).encode(),
        "admin/index.html": b'<script type="module" src="/web/main.ts"></script>',
    }
    index = PackageIndex.from_reader(files.get)
    assert index.kind_of("src/api/proxy.ts") == "browser"
    assert index.kind_of("src/index.tsx") == "browser"
    assert index.kind_of("server/src/api/record.ts") == "server"
    assert index.kind_of("vite.config.ts") == "server"
    assert index.kind_of("admin/web/api.ts") == "browser"
    assert index.kind_of("admin/scripts/seed.ts") == "browser", "the admin manifest decides the rest"


def test_only_the_folder_of_the_pages_module_script_and_below_is_browser_code():
    files = {
        "package.json": manifest(dependencies={"express": "^4", "react-dom": "^18"}).encode(),
        "index.html": b'<script type="module" src="/src/client/index.tsx?v=2"></script>',
    }
    index = PackageIndex.from_reader(files.get)
    assert index.kind_of("src/client/index.tsx") == "browser"
    assert index.kind_of("src/client/components/player.tsx") == "browser"
    assert index.kind_of("src/backend/sources/deezer.ts") == "server"
    assert index.kind_of("src/index.ts") == "server"
