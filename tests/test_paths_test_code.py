"""`classify_test_path` tells test code and test data from product code by path, and scans still read tests."""

from __future__ import annotations

import pytest

from bot.config import RepoConfig
from bot.source import classify_test_path, walk_tree


@pytest.mark.parametrize(
    "path",
    [
        # test folders and suites
        "tests/test_api.py",
        "src/test/java/org/example/OrderServiceTest.java",
        "src/it/java/org/example/OrdersIT.java",
        "src/testFixtures/java/org/example/Builders.java",
        "src/testUtils/java/uk/gov/hmcts/reform/config/RestTemplateConfiguration.java",
        "packages/core/src/__tests__/orders.ts",
        "packages/integration-tests/src/helpers/session.ts",
        "e2e_tests/login.py",
        "api-tests/orders.js",
        "acceptance/scripts/run.ts",
        "acceptance/support/http.ts",
        "stress-tests/src/oneMillionUsers/importMillionUsers.ts",  # a load driver run against a deployment
        "soak_tests/run.py",
        "test-int/bot.js",  # an integration suite named the other way round
        "tests_integration/conftest.py",
        "internal/services/integrationtesting/consistencytestutil/servicetester.go",
        "pkg/apitestutils/server.go",
        "features/step_definitions/5xx_steps.js",  # Cucumber's steps behind the .feature suite
        "features/steps/slots.py",  # behave's steps and hooks
        "features/environment.py",
        "acceptance_suite/features/steps/replication.py",
        "internal-packages/testcontainers/src/index.ts",  # throwaway containers and clients for tests
        "client/cypress/support/commands.js",
        "t/unit/tasks/test_trace.py",
        "t/smoke/workers/dev.py",
        "spec/support/MockAdapter.js",
        "packages/server/spec/helper.js",
        # .NET test projects
        "tests/Ordering.UnitTests/OrderTests.cs",
        "UnitTestsTeslalogger/UnitTestCO2.cs",  # the kind first, the product after
        # a stub of a partner's API kept at the top beside the services
        "f2f-ipv-stub/src/handlers/callback.ts",
        "post-office-stub/src/app.ts",
        "IntegrationTests.Orders/CheckoutTests.cs",
        "src/Catalog.FunctionalTests/CatalogApi.cs",
        "src/Core.Test/Setup.cs",
        "src/Api.Tests.Common/Fixture.cs",
        "src/NzbDrone.Test.Common/Datastore/PostgresDatabase.cs",
        "src/Ombi.Test.Common/MockHelper.cs",
        # .NET load / stress suites, test console clients and harnesses, test kits shipped for users' tests
        "src/Orders.LoadTests/CheckoutScenario.cs",
        "tools/Catalog.StressTest/Program.cs",
        "src/Ledger.TestClient/Commands/WriteFloodProcessor.cs",
        "src/Payments.TestHarness/Driver.cs",
        "src/Bus.TestFramework/InMemoryTestHarness.cs",
        # test helpers, doubles, data
        "internal/testutils/logger.go",
        "pkg/testhelpers/config.go",
        "packages/core/src/test-utils/tenant.ts",
        "netbox/utilities/testing/views.py",
        "packages/core/src/__mocks__/sso.ts",
        "internal/storage/mocks/mocks.go",
        "src/lib/users/fakes/fake-users-store.ts",
        "packages/connectors/connector-smtp/src/mock.ts",
        "src/orders/orders.mock.ts",
        "src/orders/fixtures.py",
        "testdata/config.go",
        # Go test-helper packages named `<what>test`, as the standard library's httptest and iotest
        "client/history/historytest/clienttest.go",
        "common/nexus/nexustest/server.go",
        "net/http/httptest/server.go",
        # a test-suite project with its .NET sub-projects, and test-helper packages named after their product
        "tools/TestSuite/TestSuite.Shared/Utils/ClientManager.cs",
        "tools/TestSuite/webhook-catcher/server.js",
        "src/Payments.TestSuite/Checkout.cs",
        "test-suite/runner.py",
        "packages/medusa-test-utils/src/database.ts",
        "libs/billing_test_helpers/factories.py",
        # test files by name
        "app/test_views.py",
        "app/views_test.py",
        "orders/tests.py",
        "conftest.py",
        "server/handler_test.go",
        "src/orders.spec.ts",
        "src/orders.test.jsx",
        "src/login.cy.js",
        "src/OrderServiceTests.java",
        "src/OrderServiceIT.java",
        "Billing/InvoiceTests.cs",
        "src/setupTests.ts",
        "jest.config.js",
        "vitest.config.ts",
        # end-to-end projects, helper folders and helper files; a suite's variant file
        "apps/web-e2e/src/support/app.po.ts",
        "cmd/jaeger/internal/integration/jaeger-e2e/main.go",
        "packages/e2e-utils/src/session.ts",
        "cmd/internal/integration/e2e_integration.go",
        "src/helpers/e2e-helpers.ts",
        "src/setupE2E.ts",
        "src/test/E2EFixture.java",
        "apps/api/src/environments/update-environment.e2e-ee.ts",
        "src/orders.spec-node.ts",
        # a linter's rules with their annotated test files
        ".semgrep/security/requests/no-use-requests-lib.py",
        "semgrep/rules/no-eval.js",
        # a pytest plugin of fixtures kept in the package (the `pytest11` entry point loads it), like conftest.py
        "pulpcore/pytest_plugin.py",
        "src/orders/pytest_plugins.py",
        "pytest_fixtures.py",
        # a Go repository's top-level integration suite and the harness it drives
        "integration/scenario.go",
        "integration/hsic/hsic.go",
        "integration/client/daemon.go",
    ],
)
def test_recognises_test_code_and_test_data(path):
    assert classify_test_path(path) is not None


@pytest.mark.parametrize(
    "path",
    [
        "src/orders/service.py",
        "cmd/server/main.go",
        "pkg/latestutils/versions.go",  # "latest" and "utils", not a test helper
        # below a source folder `spec/` holds API specifications, not tests
        "src/lib/openapi/spec/addon-schema.ts",
        # runtime features named mock / stub, and names that only contain the word
        "dubbo-cluster/src/main/java/org/apache/dubbo/rpc/cluster/router/mock/MockInvokersSelector.java",
        "dubbo-rpc/src/main/java/org/apache/dubbo/rpc/stub/StubInvoker.java",
        "src/ClientApp/Services/Catalog/CatalogMockService.cs",
        "pkg/plugins/wasip_mock.go",
        "packages/shared/src/esm/mock-esm.ts",
        # words that end like test names
        "src/Models/Latest.cs",
        "src/main/java/org/example/GIT.java",
        "app/contest.py",
        # an A/B-testing feature, an Italian locale, code that runs semgrep
        "src/features/ab-tests/assign.ts",
        "packages/phrases/src/locales/it/index.ts",
        "app/scanners/semgrep/runner.py",
        "lib/t/helpers.py",
        # English words ending in "test" are not Go test-helper packages; non-Go folders are not read that way
        "pkg/latest/version.go",
        "internal/attest/verify.go",
        "web/src/pages/contest/List.tsx",
        "internal/speedtest/client.go",
        # a tool named after test suites, and a package whose name only starts with test words
        "pkg/test-suite-runner/run.go",
        "packages/test-utils-cli/src/index.ts",
        # end-to-end encryption is a product feature, and e2e only inside a word is not the token
        "src/crypto/e2e-crypto.ts",
        "src/components/E2EEncryption.tsx",
        "app/e2ee/session.ts",
        "src/lib/e2eKeys.ts",
        # example and demo applications stay in: a missing timeout there is copied by users
        "examples/hotrod/pkg/tracing/http.go",
        "shenyu-examples/shenyu-examples-http/src/main/java/org/example/DemoController.java",
        "mall-demo/src/main/java/com/example/demo/config/RestTemplateConfig.java",
        # .NET product projects whose names only start like test tools: a CI product's test runner and test
        # server, a load balancer, performance counters
        "src/Pipelines.TestRunner/Scheduler.cs",
        "src/Lab.TestServer/Startup.cs",
        "src/Gateway.LoadBalancer/Router.cs",
        "src/Diagnostics.Performance/Counters.cs",
        # maintainer and release scripts stay in: a request there can hang a release or a CI job
        "tools/scripts/get_next_release.py",
        "hack/release/notes.go",
        # modules about pytest that are not its plugins: a CI service's report parser, a one-module plugin's
        # own source, a plugin system's module
        "dojo/tools/pytest_report.py",
        "pytest_timeout.py",
        "app/plugins/plugin.py",
        # `integrations/` holds product features; `integration/` below the top, or outside Go, may too
        "integrations/slack/client.go",
        "pkg/integration/github/client.go",
        "integration/spring/src/main/java/org/example/Adapter.java",
        "integration/slack.py",
        # a chaos-engineering or stress feature of the product, not a suite of tests
        "pkg/chaos/inject.go",
        "src/stress/limits.ts",
        "features/billing/steps.ts",
        # behave's names only count for Python files in the `features/steps/` layout: a workflow product's
        # `features/steps/` in TypeScript, a feature module named environment
        "src/features/steps/route.ts",
        "app/features/environment/model.py",
        "app/features/billing/steps/charge.py",
        # generated RPC stubs, and a stub folder below the top (a runtime feature's name)
        "grpc-stubs/orders_pb2_grpc.py",
        "api_stubs/client.go",
        "src/payments/provider-stub/index.ts",
    ],
)
def test_leaves_product_code_alone(path):
    assert classify_test_path(path) is None


def test_reason_names_the_convention():
    assert classify_test_path("svc/tests/test_x.py") == "test folder tests/"
    assert classify_test_path(".semgrep/r.py") == "linter rule fixture"
    assert classify_test_path("app/views_test.py") == "test file"
    assert classify_test_path("connector/src/mock.ts") == "test double or fixture"
    assert classify_test_path("src/e2e-helpers.ts") == "end-to-end test helper"
    assert classify_test_path("pulpcore/pytest_plugin.py") == "test file"
    assert classify_test_path("integration/hsic/hsic.go") == "test folder integration/"


def test_scan_walk_still_reads_tests_by_default(tree):
    root = tree(
        {
            "app/orders.py": "x = 1\n",
            "tests/test_orders.py": "x = 1\n",
            "packages/integration-tests/src/api.ts": "export const a = 1\n",
        }
    )
    changes, skipped = walk_tree(root, RepoConfig())
    assert sorted(f.path for f in changes.files) == [
        "app/orders.py", "packages/integration-tests/src/api.ts", "tests/test_orders.py",
    ]
    assert skipped == []
