"""Code that never ships: Go files left out of every build, test hosts and kits, and sample or docs folders."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLES

from bot.config import RepoConfig
from bot.source import (
    GO_BUILD_IGNORED,
    GO_HEADER_BYTES,
    classify_sample_path,
    classify_test_path,
    content_reason,
    go_build_ignored,
    go_test_support,
    go_tool_program,
    read_one,
    tool_script,
    walk_tree,
)

LICENCE = "// Copyright 2024 Example Corp.\n//\n// Licensed under the Apache License, Version 2.0.\n\n"
BLOCK_LICENCE = "/*\n * Copyright 2024 Example Corp.\n * Licensed under the Apache License, Version 2.0.\n */\n\n"


def _paths_found(root, rule_id: str, config: dict) -> set[str]:
    """The paths of the tree at `root` where a scan with this configuration reports `rule_id`."""
    from bot.jobs.scan import ScanPlan, run_scan

    changes, _ = walk_tree(root, RepoConfig())
    result = run_scan(ScanPlan(root=root, changes=changes, config=RepoConfig.model_validate(config)))
    return {f.path for f in result.findings if f.rule_id == rule_id}
PROGRAM = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n'


@pytest.mark.parametrize(
    "source",
    [
        "//go:build ignore\n\n" + PROGRAM,
        LICENCE + "//go:build ignore\n\n" + PROGRAM,
        BLOCK_LICENCE + "//go:build ignore\n// +build ignore\n\n" + PROGRAM,
        "// +build ignore\n\n" + PROGRAM,  # the syntax before Go 1.17
        LICENCE + "// +build ignore\n\n" + PROGRAM,
        "//go:build ignore && linux\n\n" + PROGRAM,
        "//go:build (ignore || linux) && !linux\n\n" + PROGRAM,
        "// +build linux,ignore\n\n" + PROGRAM,  # one option whose terms are and-ed
        "// +build linux\n// +build ignore\n\n" + PROGRAM,  # lines are and-ed
        "//go:build ignore\n\n/* a note */ " + PROGRAM,
        "//go:build none\n\n" + PROGRAM,  # the other tag no build sets
        "// +build none\n\n" + PROGRAM,
    ],
)
def test_go_files_left_out_of_every_build_are_recognised(source):
    assert go_build_ignored(source.encode())


@pytest.mark.parametrize(
    "source",
    [
        PROGRAM,
        "//go:build linux\n\n" + PROGRAM,
        "//go:build !ignore\n\n" + PROGRAM,
        "//go:build ignore || linux\n\n" + PROGRAM,  # built on linux
        "// +build linux ignore\n\n" + PROGRAM,  # space-separated options are or-ed
        "//go:build tools\n\n" + PROGRAM,
        # `go build` honours `// +build` only in a comment block a blank line separates from the package clause
        "// +build ignore\n" + PROGRAM,
        # a `//go:build` line wins over `// +build` lines
        "//go:build linux\n// +build ignore\n\n" + PROGRAM,
        # after the package clause, or inside a block comment, it is no constraint
        PROGRAM + "\n//go:build ignore\n",
        "/*\n//go:build ignore\n*/\n\n" + PROGRAM,
        'package main\n\nconst header = `\n//go:build ignore\n`\n',
        # a constraint `go build` cannot parse is left to it
        "//go:build ignore &&\n\n" + PROGRAM,
    ],
)
def test_go_files_some_build_compiles_are_kept(source):
    assert not go_build_ignored(source.encode())


def test_go_header_cut_short_mid_line_is_read_up_to_the_last_whole_line():
    header = "//go:build ignore\n" + "// " + "x" * (GO_HEADER_BYTES * 2) + "\n\n" + PROGRAM
    assert go_build_ignored(header.encode()[:GO_HEADER_BYTES])
    cut_in_constraint = ("// " + "x" * (GO_HEADER_BYTES - 12) + "\n//go:build ignore\n\n" + PROGRAM).encode()
    assert not go_build_ignored(cut_in_constraint[:GO_HEADER_BYTES])


def test_walk_skips_go_files_left_out_of_the_build_and_names_the_reason(tree):
    root = tree(
        {
            "cmd/server/main.go": LICENCE + PROGRAM,
            "docs/sts/client-grants.go": LICENCE + "//go:build ignore\n// +build ignore\n\n" + PROGRAM,
            "buildscripts/gen-ldflags.go": "// +build ignore\n\n" + PROGRAM,
            "internal/netlinux.go": "//go:build linux\n\npackage internal\n",
            # a large file is decided by its header, whatever follows
            "internal/s3select/genmessage.go": "//go:build ignore\n\n" + PROGRAM + "// filler\n" * 200_000,
            "scripts/gen.py": "#go:build ignore\nx = 1\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    assert sorted(f.path for f in changes.files) == ["cmd/server/main.go", "internal/netlinux.go", "scripts/gen.py"]
    assert sorted((s.path, s.reason) for s in skipped) == [
        ("buildscripts/gen-ldflags.go", GO_BUILD_IGNORED),
        ("docs/sts/client-grants.go", GO_BUILD_IGNORED),
        ("internal/s3select/genmessage.go", GO_BUILD_IGNORED),
    ]
    assert GO_BUILD_IGNORED == "excluded from the build (go:build ignore)"


def test_scan_summary_counts_go_files_left_out_of_the_build(cli, tree):
    root = tree(
        {
            "main.go": PROGRAM,
            "docs/iam/plugin.go": "//go:build ignore\n\n" + PROGRAM,
            "docs/sts/ldap.go": "// +build ignore\n\n" + PROGRAM,
            "blob.py": b"\x00\x01binary",
        }
    )
    run = cli("scan", root, "--rules", str(SAMPLES / "rules"), "--format", "json")
    assert "Traceback" not in run.err
    summary = json.loads(run.out)["summary"]
    assert summary["skipped_by_reason"] == {GO_BUILD_IGNORED: 2, "binary": 1}


def test_content_and_read_one_tell_a_go_file_left_out_of_the_build(tmp_path):
    data = ("//go:build ignore\n\n" + PROGRAM).encode()
    assert content_reason(data, 1_000_000, path="docs/sts/ldap.go") == GO_BUILD_IGNORED
    assert content_reason(data, 1_000_000, path="cmd/main.go.txt") is None
    assert content_reason(PROGRAM.encode(), 1_000_000, path="cmd/main.go") is None
    (tmp_path / "ldap.go").write_bytes(data)
    (tmp_path / "main.go").write_text(PROGRAM, encoding="utf-8")
    assert read_one(tmp_path / "ldap.go", 1_000_000) == GO_BUILD_IGNORED
    assert read_one(tmp_path / "main.go", 1_000_000) == PROGRAM.encode()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        # a library hosting the product in-process for tests, and test kits with their adapters and base suites
        ("src/Orleans.TestingHost/InProcTestCluster.cs", "test folder Orleans.TestingHost/"),
        ("src/Microsoft.AspNetCore.TestHost/TestServer.cs", "test folder Microsoft.AspNetCore.TestHost/"),
        ("src/Akka.TestKit/TestKitBase.cs", "test folder Akka.TestKit/"),
        ("src/Akka.TestKit.Xunit2/TestKit.cs", "test folder Akka.TestKit.Xunit2/"),
        (
            "src/Orleans.Transactions.TestKit.Base/TestRunners/ScopedTransactionsTestRunner.cs",
            "test folder Orleans.Transactions.TestKit.Base/",
        ),
        # the apps and benchmark hosts tests run against
        ("testassets/BenchmarkApp/Program.cs", "test folder testassets/"),
        ("test/TestAssets/TestProjects/App/Program.cs", "test folder test/"),
        ("src/TestAssets/SiteA/Startup.cs", "test folder TestAssets/"),
        # a package's test-helper module kept in the package tree
        ("localstack-core/localstack/utils/testutil.py", "test file"),
        ("mypkg/testutils.py", "test file"),
        ("mypkg/test_utils.py", "test file"),
        ("mypkg/testhelpers.py", "test file"),
        # Django's settings module for the test run, and the test-settings files named as tests
        ("api/app/settings/test.py", "test settings module"),
        ("config/settings/testing.py", "test settings module"),
        ("project/test_settings.py", "test file"),
        ("project/settings_test.py", "test file"),
        # a .NET solution's capitalised test root, and a test project named by its kind in PascalCase
        ("src/Test/L0/Worker/StepHostL0.cs", "test folder Test/"),
        ("Tests/Orders/OrderTests.cs", "test folder Tests/"),
        ("src/Api.IntegrationTests/Fixture.cs", "test folder Api.IntegrationTests/"),
        # benchmarks: folders, benchmark projects and benchmark scripts
        ("src/Quartz.Benchmark/SchedulerBenchmark.cs", "test folder Quartz.Benchmark/"),
        ("benchmarks/load.go", "test folder benchmarks/"),
        ("bench/bench.py", "test folder bench/"),
        ("benches/throughput.py", "test folder benches/"),
        ("python/benchmark_backends.py", "test file"),
        ("tools/queue_bench.py", "test file"),
    ],
)
def test_recognises_test_hosts_test_kits_test_assets_and_test_helper_modules(path, reason):
    assert classify_test_path(path) == reason


@pytest.mark.parametrize(
    "path",
    [
        "src/Orleans.Runtime/Hosting/SiloHost.cs",
        "src/Orleans.TestKitchen/Menu.cs",  # a name that only starts like a test kit
        "src/Build.TestRunner/Runner.cs",
        "mypkg/testing_ground.py",
        "mypkg/utils.py",
        "mypkg/contestutils.py",
        # the production settings beside them, and a `test.py` that is not a settings module
        "api/app/settings/production.py",
        "api/app/settings/common.py",
        "tools/test.py",
        "orders/api/test.py",
        # words that only contain test or bench
        "src/Testimonials/Card.cs",
        "src/workbench/layout.ts",
        "app/benchmarking_service.py",
    ],
)
def test_product_code_named_like_test_hosts_or_helpers_is_left_alone(path):
    assert classify_test_path(path) is None


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("samples/GPSTracker/GPSTracker.Common/LoadDriver.cs", "sample folder samples/"),
        ("Samples/Orders/Program.cs", "sample folder Samples/"),
        ("plugins/inputs/example/example.go", "sample folder example/"),
        ("examples/dynamic_requirements.py", "sample folder examples/"),
        ("playground/DurableJobs/DurableJobs.Silo/WorkflowGrains.cs", "sample folder playground/"),
        ("docs/sts/web-identity.py", "sample folder docs/"),
        ("Docs/site/config.ts", "sample folder Docs/"),
        ("web/demo/app.js", "sample folder demo/"),
        ("demos/checkout/server.ts", "sample folder demos/"),
        ("sample/app.py", "sample folder sample/"),
        ("testassets/BenchmarkApp/Program.cs", "sample folder testassets/"),
        # apps for trying the product by hand, at the top only
        ("sandbox/OpenIddict.Sandbox.AspNetCore.Server/Startup.cs", "sample folder sandbox/"),
        ("quickstart/middleware/session.go", "sample folder quickstart/"),
        # any depth; the outermost such folder is named
        ("www/apps/ui/src/examples/alert-demo.tsx", "sample folder examples/"),
        ("docs/extensions/s3zip/examples/boto3/main.py", "sample folder docs/"),
        # a Go file's `docs` folder is a package it may be compiled into; an examples folder below it still counts
        ("docs/extensions/s3zip/examples/minio-go/main.go", "sample folder examples/"),
        # a repository's maintainer tooling, at the top only
        ("build/Build.Publish.cs", "tooling folder build/"),
        ("script/generate-cdp.py", "tooling folder script/"),
        ("scripts/release.py", "tooling folder scripts/"),
        ("Tools/Commandline/pause-resume.py", "tooling folder Tools/"),
        ("hack/verify.go", "tooling folder hack/"),
        ("devtools/mockslack/actions.go", "tooling folder devtools/"),
        ("bin/deletePad.ts", "tooling folder bin/"),
        # a folder whose last word is a sample word; a Go generator or script command
        ("extra/push-examples/go/index.go", "sample folder push-examples/"),
        ("clients/go_samples/main.go", "sample folder go_samples/"),
        # ... or whose first word is, in lower case
        ("demo_api/main.go", "sample folder demo_api/"),
        ("apps/example-app/src/server.ts", "sample folder example-app/"),
        ("cmd/authelia-gen/cmd_code.go", "tooling command cmd/authelia-gen/"),
        ("cmd/authelia-scripts/cmd/helpers_docker.go", "tooling command cmd/authelia-scripts/"),
        # a mock of the product's API for client SDKs' tests
        ("cmd/test-server/main.go", "tooling command cmd/test-server/"),
        ("cmd/mockserver/handlers.go", "tooling command cmd/mockserver/"),
        # ... or of a dependency, served to the product's end-to-end tests, at any depth
        ("internal/destinationmockserver/server.go", "mock server folder destinationmockserver/"),
        ("pkg/fake-server/handler.go", "mock server folder fake-server/"),
        # the developers' own command
        ("cmd/dev/github/setup.go", "tooling command cmd/dev/"),
        ("cmd/api-dev/main.go", "tooling command cmd/api-dev/"),
        # demo builds and a test driver built as a command, a demo program by its name, .NET Arcade's eng/
        ("cmd/dendrite-demo-pinecone/main.go", "sample folder dendrite-demo-pinecone/"),
        ("contrib/dendrite-demo-i2p/main.go", "sample folder dendrite-demo-i2p/"),
        ("cmd/dendrite-upgrade-tests/main.go", "tooling command cmd/dendrite-upgrade-tests/"),
        ("barbican/bin/demo_requests.py", "demo or example program demo_requests.py"),
        ("pkg/client/client_example.go", "demo or example program client_example.go"),
        # a module's copy kept aside under a backup word
        ("apps/js-sdk/firecrawl/src/index.backup.ts", "backup copy index.backup.ts"),
        ("apps/python-sdk/firecrawl/firecrawl.backup.py", "backup copy firecrawl.backup.py"),
        ("src/settings.bak.py", "backup copy settings.bak.py"),
        ("eng/common/cross/install-debs.py", "tooling folder eng/"),
        # CI systems' folders: workflow helpers, a `go run` workflow generator, CI scripts, at any depth
        (".github/workflows/scripts/update_backport_labels.py", "CI folder .github/"),
        (".github/workflows/gh-action-integration-generator.go", "CI folder .github/"),
        (".ci/scripts/collect_changes.py", "CI folder .ci/"),
        (".circleci/scripts/notify.js", "CI folder .circleci/"),
        (".gitlab/ci/release.py", "CI folder .gitlab/"),
        ("services/billing/.github/scripts/labels.py", "CI folder .github/"),
    ],
)
def test_sample_demo_and_docs_folders_are_named(path, reason):
    assert classify_sample_path(path) == reason


@pytest.mark.parametrize(
    "path",
    [
        "cmd/server/main.go",
        "src/orders/service.py",
        # a folder's name must be the word, not contain it
        "powerjob-samples-api/Api.java",
        # modules that make backups, or whose name ends in a backup word
        "app/services/backup.py",
        "internal/db_backup.go",
        "src/jobs/backup.job.ts",
        "cmd/protoc-gen-go-grpc/main.go",
        "cmd/keygen/main.go",
        # a server command that is not a mock
        "cmd/api-server/main.go",
        "internal/mockserverclient/client.go",
        "cmd/devices/main.go",
        "cmd/server-test-utils-free/main.go",
        "cmd/server-gen.go",
        "src/examples.py",
        "src/demo.ts",
        "docs.go",
        # a first sample word must be a word of its own (`demographics/`), and PascalCase names a component
        "src/demographics/report.py",
        "src/Demo_Widget/index.tsx",
        # a PascalCase singular folder names a UI component or a class
        "www/components/Responses/Sample/index.tsx",
        "src/components/Demo/Demo.tsx",
        "src/Example/Widget.cs",
        # a Go `docs` package (swag's API description) is compiled into the server it documents
        "docs/docs.go",
        "registry/docs/swagger.go",
        # tooling folder names below the top are product code (a scanner's integrations, a CLI's build step)
        "dojo/tools/api_sonarqube/api_client.py",
        "internal/build/pipeline.go",
        "scripts.py",
        # a product's GitHub integration and a CI product's own pipeline code are not CI folders
        "app/integrations/github/webhooks.py",
        "github/client.go",
        "src/ci/pipeline.py",
        "internal/.github_cache/store.go",
        # a sandbox below the top is a product feature (running code in containers)
        "backend/onyx/server/features/build/sandbox/base.py",
        # below the top, a quickstart or devtools folder may be a product command or feature
        "internal/cli/quickstart/run.go",
        "src/server/devtools/inspector.ts",
        "django/contrib/sessions/backends/cache.py",
        # a top-level contrib/ may ship with the product (StackStorm's core packs)
        "contrib/packs/actions/pack_mgmt/get_installed.py",
        "sandbox.py",
        # demo and example only as words of their own, in lower case; eng/ below the top is product code
        "src/demographics_report.py",
        "app/counterexample.py",
        "src/DemoController.cs",
        "pkg/demo.go",
        "services/eng/matcher.py",
        "cmd/dendrite-upgrade/main.go",
    ],
)
def test_product_code_is_not_taken_for_samples(path):
    assert classify_sample_path(path) is None


def test_ci_folders_are_walked_and_named_tooling(tree):
    root = tree(
        {
            "app/client.py": "x = 1\n",
            ".github/workflows/scripts/labels.py": "x = 1\n",
            ".github/workflows/gen.go": "package main\n",
            ".ci/scripts/check.py": "x = 1\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    walked = sorted(f.path for f in changes.files)
    assert walked == [".ci/scripts/check.py", ".github/workflows/gen.go", ".github/workflows/scripts/labels.py", "app/client.py"]
    assert skipped == []
    assert [p for p in walked if classify_sample_path(p) is None] == ["app/client.py"]


def test_go_program_in_docs_is_skipped_by_its_constraint_not_its_folder(tree):
    root = tree({"docs/docs.go": "package docs\n", "docs/sts/ldap.go": "//go:build ignore\n\n" + PROGRAM})
    changes, skipped = walk_tree(root, RepoConfig())
    assert [f.path for f in changes.files] == ["docs/docs.go"]
    assert [(s.path, s.reason) for s in skipped] == [("docs/sts/ldap.go", GO_BUILD_IGNORED)]


SERVICE = (
    "import redis\nimport requests\n\n\n"
    "def fetch(url):\n    return requests.get(url)\n\n\n"
    "cache = redis.Redis(host='cache')\n"
)


def _scan(tmp_path, config: dict) -> set[tuple[str, str]]:
    from conftest import write_tree

    from bot.jobs.scan import ScanPlan, run_scan

    root = write_tree(tmp_path / "repo", {"app/client.py": SERVICE, "samples/demo/client.py": SERVICE})
    changes, _ = walk_tree(root, RepoConfig())
    result = run_scan(ScanPlan(root=root, changes=changes, config=RepoConfig.model_validate(config)))
    wanted = {"http-call-without-timeout", "datastore-client-without-timeout"}
    return {(f.path.split("/")[0], f.rule_id) for f in result.findings if f.rule_id in wanted}


def test_sample_code_hears_a_rule_only_when_everything_is_asked_for(tmp_path):
    # Default floor (medium): both rules speak in the app only; in samples even the high datastore rule
    # counts as low, so the default pack leaves sample code alone.
    assert _scan(tmp_path / "a", {}) == {
        ("app", "http-call-without-timeout"),
        ("app", "datastore-client-without-timeout"),
    }
    everything = {(d, r) for d in ("app", "samples") for r in ("http-call-without-timeout", "datastore-client-without-timeout")}
    assert _scan(tmp_path / "b", {"min-confidence": "low"}) == everything
    # A rule named on purpose speaks everywhere; at a high floor, samples hear nothing below high+1.
    assert _scan(tmp_path / "c", {"rules": {"enable": ["http-call-without-timeout"]}}) == {
        ("app", "http-call-without-timeout"),
        ("samples", "http-call-without-timeout"),
    }
    assert _scan(tmp_path / "d", {"min-confidence": "high"}) == {("app", "datastore-client-without-timeout")}


# A wait inside a Task-returning method: in the default pack wherever the project ships.
BLOCKING = (
    "using System.Threading.Tasks;\nclass Sync\n{\n"
    "    public Task<string> Get(Task<string> t) => Task.FromResult(t.GetAwaiter().GetResult());\n}\n"
)


def test_csharp_projects_no_build_includes_count_as_low_confidence(tmp_path):
    from conftest import write_tree

    project = '<Project Sdk="Microsoft.NET.Sdk"></Project>'
    root = write_tree(tmp_path / "repo", {
        "Chat.sln": 'Project("{9A19103F-16F7-4668-BE54-9A1E7A4F7556}") = "Core", "src\\Core\\Core.csproj", "{1}"\nEndProject\n',
        "src/Core/Core.csproj": project,
        "src/Core/Sync.cs": BLOCKING,
        "experiment/Relay/Relay.csproj": project,
        "experiment/Relay/Sync.cs": BLOCKING,
    })
    def found(config: dict) -> set[str]:
        return _paths_found(root, "sync-over-async", config)

    assert found({}) == {"src/Core/Sync.cs"}
    assert found({"min-confidence": "low"}) == {"src/Core/Sync.cs", "experiment/Relay/Sync.cs"}


@pytest.mark.parametrize(
    ("path", "text", "tool"),
    [
        ("backend/scripts/reset_indexes.py", 'import requests\n\nif __name__ == "__main__":\n    main()\n', True),
        ("infra/scripts/release/unset_prerelease.py", "import argparse\nimport requests\n", True),
        ("services/api/script/seed.py", "import click\n", True),
        # a module in scripts/ that only defines functions may be imported by the service
        ("backend/scripts/helpers.py", "import requests\n\ndef fetch(url):\n    return requests.get(url)\n", False),
        # a program outside a scripts/ folder is the product (a worker, a server entry point)
        ("backend/onyx/main.py", 'if __name__ == "__main__":\n    run()\n', False),
        ("backend/scripts.py", 'if __name__ == "__main__":\n    run()\n', False),
        # the markers must start a line: a mention in a docstring is no entry point
        ("backend/scripts/notes.py", '"""Run with: if __name__ == "__main__": ..."""\n', False),
        ("backend/scripts/run.js", 'if __name__ == "__main__":\n', False),
        # JavaScript and TypeScript programs: a top-level main(), argv, import.meta.main, require.main
        ("packages/tinybird/scripts/backfill.ts", "async function main() {}\n\nmain().catch(console.error);\n", True),
        ("web/tools/migrate/tinybird-export.ts", "async function main() {}\nmain();\n", True),
        ("apps/api/scripts/seed.mjs", "const [, , file] = process.argv;\n", True),
        ("apps/api/scripts/check.ts", "if (import.meta.main) await run();\n", True),
        ("lib/migrations/0003_backfill.js", "if (require.main === module) run();\n", True),
        # a module there that only exports functions, and a commented-out entry point
        ("apps/web/scripts/format.ts", "export function format(s: string) { return s.trim(); }\n", False),
        ("apps/workflows/src/scripts/tinybird.ts", "async function main() {}\n// main().catch(console.error);\n", False),
        # schema migrations in their framework's folder: an Alembic revision, a Django migration
        ("alembic/versions/c6250555a36c_.py", 'revision = "c6250555a36c"\ndown_revision = "a1"\n\ndef upgrade():\n    pass\n', True),
        ("app/migrations/versions/0007_backfill.py", "down_revision: Union[str, None] = '0006'\n", True),
        ("shop/orders/migrations/0004_backfill.py",
         "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = []\n", True),
        # the same text elsewhere is the service's own code (a model named Migration, a version module)
        ("shop/orders/models.py", "class Migration(migrations.Migration):\n    pass\n", False),
        ("app/versions/current.py", "revision = 3\n", False),
        # a Python program no import can name, wherever it lives; not a hyphenated module without an entry point
        ("securedrop/upload-screenshots.py", 'import requests\n\nif __name__ == "__main__":\n    main()\n', True),
        ("lido/sync-abi.py", "import argparse\n", True),
        ("keep/providers/planner-provider/planner-provider.py", "class PlannerProvider:\n    pass\n", False),
        ("securedrop/upload_screenshots.py", 'if __name__ == "__main__":\n    main()\n', False),
        # not a scripts folder: an agent's MCP tools, a program elsewhere
        ("packages/cli/src/mcp/tools/deploys.ts", "main();\nprocess.argv;\n", False),
        ("apps/api/src/index.ts", "main();\n", False),
    ],
)
def test_a_program_in_a_scripts_folder_is_tooling(path, text, tool):
    assert tool_script(path, text) is tool


@pytest.mark.parametrize(
    ("text", "support"),
    [
        ('package integration\n\nimport (\n\t"net/http"\n\t"testing"\n)\n', True),
        ('package testutil\n\nimport "testing"\n', True),
        ('package harness\n\nimport (\n\tstdtesting "testing"\n)\n', True),
        ('package e2e_helpers\n\nimport "testing"\n', True),
        # service code that also holds a test helper stays in scope
        ('package registry\n\nimport (\n\t"net/http"\n\t"testing"\n)\n', False),
        # another package whose path ends in testing, and a mention in a comment
        ('package integration\n\nimport (\n\t"github.com/acme/kit/testing"\n)\n', False),
        ('package integration\n\n// See "testing" in the docs.\nimport "net/http"\n', False),
        # built only with a test tag (`go test -tags tests`), whatever its package
        ('// Copyright 2026 Example\n\n//go:build tests\n\npackage server\n\nimport "crypto/tls"\n', True),
        ('//go:build integration && !windows\n\npackage store\n', True),
        ('//go:build e2e || integration\n\npackage store\n', True),
        # not built with the tag, or built without it too
        ('//go:build !tests\n\npackage server\n', False),
        ('//go:build linux || tests\n\npackage server\n', False),
        ('package server\n\n//go:build tests\n', False),
    ],
)
def test_go_test_support_is_told_by_its_testing_import(text, support):
    assert go_test_support("svc/api/integration/harness.go", text) is support
    assert go_test_support("svc/api/integration/harness.py", text) is False


def test_a_program_written_beside_its_twin_in_another_language_is_an_example(tmp_path):
    from conftest import write_tree

    from bot.source import TwinIndex

    client_js = "const axios = require('axios');\n\nasync function join() {\n  return axios.post('https://meet.example/api/v1/join', {});\n}\n"
    root = write_tree(tmp_path / "repo", {
        # The same API client shown in two languages: an example for users, not the server.
        "app/api/join/join.py": SERVICE,
        "app/api/join/join.js": client_js,
        # A TypeScript source beside its compiled JavaScript is one program; a lone module is the product.
        "src/notify.ts": "export async function notify(): Promise<void> {}\n",
        "src/notify.js": client_js,
        "src/client.py": SERVICE,
    })
    twins = TwinIndex(root)
    assert [p for p in ("app/api/join/join.py", "app/api/join/join.js", "src/notify.js", "src/client.py") if twins.has_twin(p)] == [
        "app/api/join/join.py",
        "app/api/join/join.js",
    ]
    def found(config: dict) -> set[str]:
        return _paths_found(root, "http-call-without-timeout", config)

    assert found({}) == {"src/client.py", "src/notify.js"}
    assert found({"min-confidence": "low"}) == {"src/client.py", "src/notify.js", "app/api/join/join.py", "app/api/join/join.js"}


@pytest.mark.parametrize(
    ("path", "support"),
    [
        # a service package's test server or helper file, named as one
        ("internal/forgejo/test_server.go", True),
        ("internal/registry/testutil.go", True),
        ("pkg/store/fake_store.go", True),
        ("pkg/client/client_testing.go", True),
        ("pkg/client/mocks.go", True),
        # ordinary names, even with the import (a helper beside real clients stays in scope)
        ("internal/forgejo/client.go", False),
        ("internal/latest/contest.go", False),
        ("internal/http/testimony.go", False),
    ],
)
def test_a_go_file_named_as_test_support_with_the_testing_import_is_test_support(path, support):
    text = 'package forgejo\n\nimport (\n\t"net/http"\n\t"testing"\n)\n'
    assert go_test_support(path, text) is support
    # without the import the name alone says nothing: `fake_clock.go` may ship as a feature
    assert go_test_support(path, text.replace('\t"testing"\n', "")) is False


GO_DOWNLOADER = 'package main\n\nimport "net/http"\n\nfunc main() {\n\tres, _ := http.Get("https://example.com/hls.min.js")\n\tdefer res.Body.Close()\n}\n'


@pytest.mark.parametrize(
    ("path", "tool"),
    [
        # a main package among the library's packages: a go:generate downloader, an asset bundler, a loader
        ("internal/servers/hls/hlsjsdownloader/main.go", True),
        ("pkg/statik/statik.go", True),
        ("taco/internal/atlas_loader.go", True),
        # the service's commands live under cmd/, wherever that is
        ("cmd/server/main.go", False),
        ("internal/cmd/relay/main.go", False),
        # a main package at the top or in another folder is the program itself
        ("main.go", False),
        ("server/main.go", False),
    ],
)
def test_a_go_main_package_inside_internal_or_pkg_is_a_tool(path, tool):
    assert go_tool_program(path, LICENCE + GO_DOWNLOADER) is tool
    # a library package in the same folder is product code
    assert go_tool_program(path, GO_DOWNLOADER.replace("package main", "package hls")) is False


GO_PPROF = 'package cmd\n\nimport "net/http"\n\nfunc init() {\n\tgo http.ListenAndServe("localhost:6060", nil)\n}\n'


@pytest.mark.parametrize(
    ("header", "debug_only"),
    [
        ("//go:build debug\n\n", True),
        ("// +build pprof\n\n", True),
        ("//go:build debug && linux\n\n", True),
        ("//go:build !debug\n\n", False),  # the release build's twin
        ("//go:build debug || release\n\n", False),
        ("//go:build linux\n\n", False),
        ("", False),
    ],
)
def test_a_go_file_built_only_with_a_diagnostic_tag_is_not_the_release(header, debug_only):
    assert go_tool_program("cmd/debug.go", header + GO_PPROF) is debug_only


def test_findings_in_a_go_tool_program_count_as_low(tmp_path):
    from conftest import write_tree

    service = GO_DOWNLOADER.replace("package main", "package fetch").replace("func main()", "func Fetch()")
    root = write_tree(tmp_path / "repo", {
        "internal/hls/hlsjsdownloader/main.go": GO_DOWNLOADER,
        "internal/hls/fetch/fetch.go": service,
    })
    def found(config: dict) -> set[str]:
        return _paths_found(root, "http-call-without-timeout", config)

    assert found({}) == {"internal/hls/fetch/fetch.go"}
    assert found({"min-confidence": "low"}) == {"internal/hls/fetch/fetch.go", "internal/hls/hlsjsdownloader/main.go"}
