"""Whole-tree walks honour .gitignore and config, and skip what cannot or should not be analysed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bot.config import RepoConfig, parse_config
from bot.source import (
    DOTNET_UNBUILT,
    DotnetBuild,
    DotnetTestProjects,
    changeset_from_diff,
    content_reason,
    declared_python_dependencies,
    dotnet_test_project_reason,
    library_copy,
    path_reason,
    read_one,
    walk_tree,
)


def paths(changes):
    return sorted(f.path for f in changes.files)


def test_walk_honours_nested_gitignore_and_negation(tree):
    root = tree(
        {
            ".gitignore": "*.gen.py\nbuild/\n",
            "app/main.py": "x = 1\n",
            "app/skip.gen.py": "x = 1\n",
            "build/out.py": "x = 1\n",
            "svc/.gitignore": "local_*.py\n!local_keep.py\n",
            "svc/local_tmp.py": "x = 1\n",
            "svc/local_keep.py": "x = 1\n",
            "svc/README.md": "not code\n",
        }
    )
    changes, _ = walk_tree(root, RepoConfig())
    assert paths(changes) == ["app/main.py", "svc/local_keep.py"]



# The ignore files of real projects that pathspec's GitIgnoreSpec reads differently from git.
GIT_IGNORE_TRAPS = {
    # everything ignored, then files with an extension and every directory taken back
    ".gitignore": "*\n!*.*\n!*/\n",
    # comments (one git could not read as a pattern), trailing spaces, an escaped `#`
    "etc/.gitignore": "# files[] made at build time, never committed\n#keep.py\ndist   \n\\#drop.py\n",
    "etc/#keep.py": "x = 1\n",
    "etc/#drop.py": "x = 1\n",
    "etc/dist/z.py": "x = 1\n",
    "core/x.go": "package core\n",
    "core/sub/y.go": "package sub\n",
    "Makefile.py": "x = 1\n",
    # the children of a folder ignored, one of them taken back: its own children are not ignored by `lib/*`
    "svc/.gitignore": "lib/*\n!lib/keep/\nbuild/\n/out.py\n",
    "svc/lib/drop.py": "x = 1\n",
    "svc/lib/keep/a.py": "x = 1\n",
    "svc/lib/keep/deep/b.py": "x = 1\n",
    "svc/app/build/c.py": "x = 1\n",  # `build/` matches at any depth
    "svc/out.py": "x = 1\n",  # anchored: only here
    "svc/app/out.py": "x = 1\n",
    # a file pattern cannot take back a file inside an ignored directory
    "gen/.gitignore": "tmp/\n!tmp/keep.py\n",
    "gen/tmp/keep.py": "x = 1\n",
}


def test_walk_reads_gitignore_files_as_git_does(tree, caplog):
    root = tree(GIT_IGNORE_TRAPS)
    changes, _ = walk_tree(root, RepoConfig())
    found = paths(changes)
    assert found == [
        "Makefile.py", "core/sub/y.go", "core/x.go", "etc/#keep.py",
        "svc/app/out.py", "svc/lib/keep/a.py", "svc/lib/keep/deep/b.py",
    ]
    assert not caplog.records  # a comment git skips is no "malformed pattern"
    # The same verdicts from git itself, when it is installed.
    if shutil.which("git") is not None:
        subprocess.run(["git", "init", "-q", str(root)], check=True, timeout=30)
        listed = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--others", "--exclude-standard"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout.split()
        assert sorted(p for p in listed if p.endswith((".py", ".go"))) == found

def test_walk_skips_vendored_generated_minified_and_counts_them(tree):
    root = tree(
        {
            "main.go": "package main\n",
            "vendor/github.com/x/y.go": "package y\n",
            "node_modules/left-pad/index.js": "module.exports = 1\n",
            "bot/vendored/menus/__init__.py": "x = 1\n",
            "pkg/_vendor/six.py": "x = 1\n",
            "web/app.min.js": "var a=1\n",
            "api/orders.pb.go": "package api\n",
            "proto/orders_pb2.py": "x = 1\n",
            # Yarn 2+: its release and package cache, and the Plug'n'Play maps `yarn install` writes
            ".yarn/releases/yarn-4.0.2.cjs": "module.exports = 1\n",
            ".pnp.cjs": "#!/usr/bin/env node\nmodule.exports = 1\n",
            ".pnp.loader.mjs": "export const x = 1;\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    assert paths(changes) == ["main.go"]
    reasons = {s.path: s.reason for s in skipped}
    assert reasons == {
        "vendor/": "vendored",
        "node_modules/": "vendored",
        "bot/vendored/": "vendored",
        "pkg/_vendor/": "vendored",
        ".yarn/": "vendored",
        "web/app.min.js": "minified",
        "api/orders.pb.go": "generated",
        "proto/orders_pb2.py": "generated",
        ".pnp.cjs": "generated",
        ".pnp.loader.mjs": "generated",
    }



def test_walk_skips_generated_source_folders_and_checked_in_bundles(tree):
    root = tree(
        {
            "core/src/main/java/Orders.java": "class Orders {}\n",
            # Gradle's and Maven's generated sources
            "core/build/generated/source/proto/main/grpc/OrdersGrpc.java": "class OrdersGrpc {}\n",
            "api/target/generated-sources/annotations/Mapper.java": "class Mapper {}\n",
            # a `build/` folder elsewhere is not output, and `generated/` alone is a product name
            "web/generated/report.ts": "export const x = 1;\n",
            # a webpack / ncc bundle checked in
            "action/dist/index.js": "/******/ (() => { // webpackBootstrap\n/******/ \tvar __webpack_modules__ = ({});\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    # (a file's content is judged when it is read)
    assert paths(changes) == ["action/dist/index.js", "core/src/main/java/Orders.java", "web/generated/report.ts"]
    assert {s.path: s.reason for s in skipped} == {
        "core/build/generated/": "generated",
        "api/target/generated-sources/": "generated",
    }
    assert read_one(root / "action/dist/index.js", 1_000_000) == "generated"


APACHE_HEADER = "/*\n * Copyright 2018 Example Corp.\n *\n * Licensed under the Apache License, Version 2.0.\n */\n\n"
UMD_LIBRARY = (
    "(function (global, factory) {\n"
    "  typeof exports === 'object' && typeof module !== 'undefined' ? module.exports = factory() :\n"
    "  typeof define === 'function' && define.amd ? define(factory) : (global.Editor = factory());\n"
    "}(this, function () { 'use strict';\n  try { document.body.focus(); } catch (e) {}\n}));\n"
)


def test_walk_skips_libraries_copied_into_web_assets(tree):
    root = tree(
        {
            # A library under a web-asset folder, behind the project's own licence header: its UMD wrapper
            # gives it away.
            "console/src/main/resources/static/js/editor.js": APACHE_HEADER + UMD_LIBRARY,
            "static/js/jquery.js": "/*! jQuery v3.5.1 | (c) JS Foundation */\n(function(e){ return e; })(window);\n",
            "wwwroot/js/charts.js": "/**\n * @license Charts v2.1\n */\nvar Charts = {};\n",
            # Library folders below a web-asset folder.
            "public/js/lib/fastclick.js": "function FastClick(layer) { this.layer = layer; }\n",
            "assets/libs/select/select.js": "var Select = {};\n",
            # The project's own browser script and a TypeScript port that keeps the library's banner.
            "static/js/profile.js": "document.getElementById('tz').value = 'UTC';\n",
            "static/js/chart-port.ts": "/*!\n * Port of a chart library\n */\nexport const x = 1;\n",
            # Outside web assets, the same text is the project's code, and `src/lib/` is its library.
            "src/umd/wrapper.js": UMD_LIBRARY,
            "src/lib/client.js": "module.exports = {};\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    assert paths(changes) == ["src/lib/client.js", "src/umd/wrapper.js", "static/js/chart-port.ts", "static/js/profile.js"]
    assert {s.path: s.reason for s in skipped} == {
        "console/src/main/resources/static/js/editor.js": "vendored",
        "static/js/jquery.js": "vendored",
        "wwwroot/js/charts.js": "vendored",
        "public/js/lib/": "vendored",
        "assets/libs/": "vendored",
    }


def test_walk_skips_a_folder_of_copied_python_dependencies(tree):
    root = tree(
        {
            "requirements.txt": "# pinned\nrequests==2.33.1\nCherryPy==18.10.0\npaho-mqtt==2.1.0\n-r extra.txt\n",
            "pyproject.toml": '[project]\nname = "mediaserver"\ndependencies = ["redis>=5"]\n',
            "Service.py": "import sys\nsys.path.insert(0, 'lib')\n",
            # Copies of declared dependencies put on sys.path: skipped whole, its own modules too.
            "lib/requests/__init__.py": "x = 1\n",
            "lib/cherrypy/__init__.py": "x = 1\n",
            "lib/helper.py": "x = 1\n",
            # The project's own package with subpackages named after libraries it integrates with.
            "mediaserver/__init__.py": "",
            "mediaserver/integrations/__init__.py": "",
            "mediaserver/integrations/requests/__init__.py": "x = 1\n",
            "mediaserver/integrations/redis/__init__.py": "x = 1\n",
            # One dependency's name is not enough; nor is a workspace member with its own packaging file.
            "plugins/requests/__init__.py": "x = 1\n",
            "plugins/other/__init__.py": "x = 1\n",
            "packages/redis/__init__.py": "x = 1\n",
            "packages/redis/pyproject.toml": "",
            "packages/cherrypy/__init__.py": "x = 1\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    assert paths(changes) == [
        "Service.py",
        "mediaserver/__init__.py",
        "mediaserver/integrations/__init__.py",
        "mediaserver/integrations/redis/__init__.py",
        "mediaserver/integrations/requests/__init__.py",
        "packages/cherrypy/__init__.py",
        "packages/redis/__init__.py",
        "plugins/other/__init__.py",
        "plugins/requests/__init__.py",
    ]
    assert [(s.path, s.reason) for s in skipped] == [("lib/", "vendored")]


def test_declared_python_dependencies_reads_requirements_pyproject_and_pipfile(tree, tmp_path_factory):
    root = tree(
        {
            "requirements/base.txt": "Django>=4.2  # web\n--hash=sha256:00\nzope.interface\n",
            "pyproject.toml": (
                '[project]\ndependencies = ["httpx[http2]>=0.27", "PyYAML"]\n'
                '[project.optional-dependencies]\nredis = ["redis; python_version>\'3.10\'"]\n'
                '[tool.poetry.dependencies]\npython = "^3.11"\ncelery = "^5"\n'
            ),
            "Pipfile": '[packages]\nflask = "*"\n[dev-packages]\npytest = "*"\n',
        }
    )
    assert declared_python_dependencies(root) == {
        "django", "zope_interface", "httpx", "pyyaml", "redis", "celery", "flask", "pytest",
    }
    broken = tmp_path_factory.mktemp("broken")
    (broken / "pyproject.toml").write_text("not = [toml\n")
    assert declared_python_dependencies(broken) == frozenset()


def test_library_copy_is_told_by_place_and_first_lines():
    assert library_copy("static/js/editor.js", (APACHE_HEADER + UMD_LIBRARY).encode())
    assert not library_copy("static/js/app.js", b"fetch('/api/checks').then((r) => r.json());\n")
    assert not library_copy("src/editor.js", UMD_LIBRARY.encode())
    # The same check runs on content handed over with its path (a pull request's files).
    assert content_reason(UMD_LIBRARY.encode(), 100_000, path="public/js/editor.js") == "vendored"
    assert content_reason(UMD_LIBRARY.encode(), 100_000) is None
    # Library folders are told by name alone, in diffs too.
    assert path_reason("src/main/webapp/static/lib/tooltip.js") == "vendored"
    assert path_reason("src/lib/tooltip.js") is None


def test_config_include_and_exclude(tree):
    root = tree({"src/a.py": "", "src/gen/b.py": "", "tests/t.py": "", "tools/c.py": ""})
    config = parse_config("paths:\n  include: ['src/', 'tests/']\n  exclude: ['src/gen/']\n")
    changes, skipped = walk_tree(root, config)
    assert paths(changes) == ["src/a.py", "tests/t.py"]
    assert {s.path: s.reason for s in skipped} == {"src/gen/b.py": "excluded by config", "tools/c.py": "not included by config"}


def test_content_reasons():
    assert content_reason(b"\x00\x01binary", 1000) == "binary"
    assert content_reason("caf\u00e9".encode("latin-1"), 1000) == "not UTF-8"
    assert content_reason(b"x" * 2000, 1000) == "larger than 1,000 bytes"
    assert content_reason(b"// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x\n", 1000) == "generated"
    assert content_reason(b"var a=1;" * 1000, 100_000) == "minified"
    assert content_reason(b"def f():\n    return 1\n", 1000) is None


def test_read_one_reports_missing_file(tmp_path):
    assert read_one(tmp_path / "nope.py", 1000) == "missing from the working tree"


def test_diff_changeset_drops_deleted_binary_and_unsupported():
    diff = (
        "diff --git a/old.py b/old.py\ndeleted file mode 100644\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
        "diff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\n"
        "diff --git a/notes.txt b/notes.txt\n--- a/notes.txt\n+++ b/notes.txt\n@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/package-lock.json b/package-lock.json\n--- a/package-lock.json\n+++ b/package-lock.json\n@@ -1 +1 @@\n-a\n+b\n"
        "diff --git a/svc.py b/svc.py\n--- a/svc.py\n+++ b/svc.py\n@@ -1 +1,2 @@\n x\n+y\n"
    )
    changes, skipped = changeset_from_diff(diff, RepoConfig())
    assert paths(changes) == ["svc.py"]
    assert changes.files[0].added_lines == {2}
    assert {s.path: s.reason for s in skipped} == {
        "old.py": "deleted",
        "img.png": "binary",
        "notes.txt": "not a supported language",
        "package-lock.json": "lock file",
    }


def test_dotnet_test_projects_are_told_by_their_project_file(tree):
    root = tree({
        "src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
        '<PackageReference Include="Polly" Version="8.4.0" /></ItemGroup></Project>',
        "src/Api/Controllers/Orders.cs": "class Orders {}",
        "src/Api/L0/Nested.cs": "class Nested {}",
        "src/Test/L0/Runner.L0.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
        '<PackageReference Include="xunit" Version="2.9.0" /></ItemGroup></Project>',
        "src/Test/L0/Worker/JobRunnerL0.cs": "class JobRunnerL0 {}",
        "perf/Quartz.Benchmark/Quartz.Benchmark.csproj": "<Project Sdk='Microsoft.NET.Sdk'><ItemGroup>"
        "<PackageReference Include='BenchmarkDotNet' /></ItemGroup></Project>",
        "perf/Quartz.Benchmark/Bench.cs": "class Bench {}",
        "checks/Checks.csproj": "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup>"
        "<IsTestProject>true</IsTestProject></PropertyGroup></Project>",
        "checks/Smoke.cs": "class Smoke {}",
        "Loose.cs": "class Loose {}",
    })
    projects = DotnetTestProjects(root)
    assert projects.reason("src/Api/Controllers/Orders.cs") is None
    # The nearest project file decides: a folder without one belongs to the project above it.
    assert projects.reason("src/Api/L0/Nested.cs") is None
    assert projects.reason("src/Test/L0/Worker/JobRunnerL0.cs") == "test project (xunit)"
    assert projects.reason("perf/Quartz.Benchmark/Bench.cs") == "benchmark project"
    assert projects.reason("checks/Smoke.cs") == "test project"
    assert projects.reason("Loose.cs") is None
    # Only C# sources are judged by their project.
    assert projects.reason("src/Test/L0/Worker/helper.py") is None
    assert dotnet_test_project_reason('<Project Sdk="MSTest.Sdk/3.6.0"></Project>') == "test project"
    assert dotnet_test_project_reason('<PackageReference Include="xunit.runner.visualstudio" />') is None


def test_dotnet_projects_referencing_testcontainers_are_test_infrastructure(tree):
    root = tree({
        # a package of containers and a test-app builder shipped for users' tests
        "src/Dapr.Testcontainers/Dapr.Testcontainers.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
        '<FrameworkReference Include="Microsoft.AspNetCore.App" />'
        '<PackageReference Include="Testcontainers" /></ItemGroup></Project>',
        "src/Dapr.Testcontainers/Containers/OllamaContainer.cs": "class OllamaContainer {}",
        "test/Db.Fixtures/Db.Fixtures.csproj": "<Project Sdk='Microsoft.NET.Sdk'><ItemGroup>"
        "<PackageReference Include='Testcontainers.PostgreSql' Version='3.9.0' /></ItemGroup></Project>",
        "test/Db.Fixtures/PostgresFixture.cs": "class PostgresFixture {}",
        # a product that drives Docker itself, and one that only names a Testcontainers project as a path
        "src/Deployer/Deployer.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
        '<PackageReference Include="Docker.DotNet" Version="3.125.15" />'
        '<ProjectReference Include="..\\Acme.Testcontainers\\Acme.Testcontainers.csproj" /></ItemGroup></Project>',
        "src/Deployer/Rollout.cs": "class Rollout {}",
    })
    projects = DotnetTestProjects(root)
    assert projects.reason("src/Dapr.Testcontainers/Containers/OllamaContainer.cs") == (
        "test infrastructure project (Testcontainers)"
    )
    assert projects.reason("test/Db.Fixtures/PostgresFixture.cs") == "test infrastructure project (Testcontainers.PostgreSql)"
    assert projects.reason("src/Deployer/Rollout.cs") is None
    # the package's old name, and a package only starting like it
    assert dotnet_test_project_reason('<PackageReference Include="DotNet.Testcontainers" Version="1.6.0" />') == (
        "test infrastructure project (DotNet.Testcontainers)"
    )
    assert dotnet_test_project_reason('<PackageReference Include="TestcontainersLike" />') is None
    assert dotnet_test_project_reason('<PackageReference Include="Acme.Testcontainers" />') is None


def _project(*references: str) -> str:
    items = "".join(f'<ProjectReference Include="{r}" />' for r in references)
    return f'<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{items}</ItemGroup></Project>'


def test_dotnet_projects_no_solution_or_build_file_includes_are_named(tree):
    root = tree({
        "Chat.sln": 'Microsoft Visual Studio Solution File, Format Version 12.00\n'
        'Project("{9A19103F-16F7-4668-BE54-9A1E7A4F7556}") = "Chat.Core", "src\\Chat.Core\\Chat.Core.csproj", "{1}"\n'
        "EndProject\n"
        'Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "experiment", "experiment", "{2}"\nEndProject\n',
        "src/Chat.Core/Chat.Core.csproj": _project("..\\Chat.Rest\\Chat.Rest.csproj"),
        "src/Chat.Core/Client.cs": "class Client {}",
        "src/Chat.Core/Gateway/Socket.cs": "class Socket {}",
        # built because a listed project references it, and what that one references in turn
        "src/Chat.Rest/Chat.Rest.csproj": _project("../Chat.Json/Chat.Json.csproj"),
        "src/Chat.Rest/Rest.cs": "class Rest {}",
        "src/Chat.Json/Chat.Json.csproj": _project(),
        "src/Chat.Json/Json.cs": "class Json {}",
        # built by its container build
        "src/Chat.Bot/Chat.Bot.csproj": _project(),
        "src/Chat.Bot/Bot.cs": "class Bot {}",
        "src/Chat.Bot/Dockerfile": 'COPY ["src/Chat.Bot/Chat.Bot.csproj", "src/Chat.Bot/"]\n'
        "RUN dotnet publish src/Chat.Bot/Chat.Bot.csproj -c Release\n",
        # built by nothing: an experiment and a debugging tool kept in the tree
        "experiment/Chat.Rpc/Chat.Rpc.csproj": _project(
            "../../src/Chat.Core/Chat.Core.csproj", "../../src/Chat.Ws4Net/Chat.Ws4Net.csproj"
        ),
        "experiment/Chat.Rpc/RpcClient.cs": "class RpcClient {}",
        "src/Chat.DebugTools/Chat.DebugTools.csproj": _project(),
        "src/Chat.DebugTools/Unstable/UnstableClient.cs": "class UnstableClient {}",
        # referenced only by an unbuilt project: not built either
        "src/Chat.Ws4Net/Chat.Ws4Net.csproj": _project(),
        "src/Chat.Ws4Net/Ws.cs": "class Ws {}",
        "Loose.cs": "class Loose {}",
    })
    build = DotnetBuild(root)
    for built in ("src/Chat.Core/Client.cs", "src/Chat.Core/Gateway/Socket.cs", "src/Chat.Rest/Rest.cs",
                  "src/Chat.Json/Json.cs", "src/Chat.Bot/Bot.cs", "Loose.cs"):
        assert build.reason(built) is None, built
    assert build.reason("experiment/Chat.Rpc/RpcClient.cs") == DOTNET_UNBUILT
    assert build.reason("src/Chat.DebugTools/Unstable/UnstableClient.cs") == DOTNET_UNBUILT
    assert build.reason("src/Chat.Ws4Net/Ws.cs") == DOTNET_UNBUILT
    assert build.reason("src/Chat.DebugTools/notes.py") is None  # only C# sources are judged this way


def test_dotnet_projects_are_left_alone_without_a_solution_above_them(tree):
    root = tree({
        # no solution file at all: nothing is known
        "a/src/Api/Api.csproj": _project(),
        "a/src/Api/Orders.cs": "class Orders {}",
        # a solution in one corner says nothing about a project beside it; .slnx and .slnf list projects too
        "b/services/Billing/Billing.slnx": '<Solution><Project Path="Billing.Api/Billing.Api.csproj" /></Solution>',
        "b/services/Billing/Billing.Api/Billing.Api.csproj": _project(),
        "b/services/Billing/Billing.Api/Invoices.cs": "class Invoices {}",
        "b/services/Billing/Billing.Old/Billing.Old.csproj": _project(),
        "b/services/Billing/Billing.Old/Legacy.cs": "class Legacy {}",
        "b/services/Search/Search.csproj": _project(),
        "b/services/Search/Index.cs": "class Index {}",
        "c/All.sln": "",
        "c/Web.slnf": '{"solution": {"path": "All.sln", "projects": ["src\\\\Web\\\\Web.csproj"]}}',
        "c/src/Web/Web.csproj": _project(),
        "c/src/Web/Home.cs": "class Home {}",
    })
    assert DotnetBuild(root / "a").reason("src/Api/Orders.cs") is None
    billing = DotnetBuild(root / "b")
    assert billing.reason("services/Billing/Billing.Api/Invoices.cs") is None
    assert billing.reason("services/Billing/Billing.Old/Legacy.cs") == DOTNET_UNBUILT
    assert billing.reason("services/Search/Index.cs") is None
    assert DotnetBuild(root / "c").reason("src/Web/Home.cs") is None


GRPC_JAVA = (
    "/*\n * Licensed under the Apache License, Version 2.0.\n */\n\npackage org.example.protos;\n\n"
    "import static io.grpc.MethodDescriptor.generateFullMethodName;\n\n/**\n */\n"
    "@javax.annotation.Generated(\n    value = \"by gRPC proto compiler (version 1.49.1)\",\n"
    "    comments = \"Source: catalog.proto\")\n@io.grpc.stub.annotations.GrpcGenerated\npublic final class CatalogGrpc {\n"
    "  public static CatalogStub newStub(io.grpc.Channel channel) { return null; }\n}\n"
)


@pytest.mark.parametrize(
    "head",
    [
        "@javax.annotation.Generated(value = \"by gRPC proto compiler\")\n",
        "@jakarta.annotation.Generated(\"Autogenerated by Thrift Compiler (0.16.0)\")\n",
        "@javax.annotation.processing.Generated(\"protoc\")\n",
        "@io.grpc.stub.annotations.GrpcGenerated\n",
    ],
)
def test_java_types_marked_generated_are_skipped_when_read(tmp_path, head):
    path = tmp_path / "src/main/java/org/example/Catalog.java"
    path.parent.mkdir(parents=True)
    path.write_text(f"package org.example;\n\n{head}public final class Catalog {{}}\n")
    assert read_one(path, 1_000_000) == "generated"
    assert content_reason(path.read_bytes(), 1_000_000, path="src/main/java/org/example/Catalog.java") == "generated"


def test_java_generated_marks_only_count_on_top_level_types_of_java_files(tmp_path):
    stub = tmp_path / "CatalogGrpc.java"
    stub.write_text(GRPC_JAVA)
    assert read_one(stub, 1_000_000) == "generated"
    # A nested type's annotation, the words in a comment, and another language's file are not the mark.
    for name, text in [
        ("Service.java", "class Service {\n  @javax.annotation.Generated(\"x\")\n  static class Inner {}\n}\n"),
        ("Notes.java", "// uses @javax.annotation.Generated on stubs\nclass Notes {}\n"),
        ("stub.py", "@javax.annotation.Generated\n"),
    ]:
        other = tmp_path / name
        other.write_text(text)
        assert isinstance(read_one(other, 1_000_000), bytes), name
