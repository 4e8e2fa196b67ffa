"""Browser code is recognised by its folder where its text gives nothing away, and server code stays in scope."""

from __future__ import annotations

import pytest
import yaml
from conftest import REPO

from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules

PACK = load_rules()
# A fetcher with nothing browser-like in its text: only its place in the tree tells.
FETCHER = b"export const getProjects = (path: string) => fetch(path).then((res) => res.json());\n"


@pytest.fixture(scope="module")
def engine() -> Engine:
    rules = [r for r in PACK.rules if r.id == "http-call-without-timeout" and r.language == "typescript"]
    return Engine(RuleSet(rules[0].path.parent.parent, rules))


def flagged(engine: Engine, path: str) -> bool:
    return bool(engine.analyze(path, FETCHER, language="typescript", grammar="typescript").findings)


@pytest.mark.parametrize(
    "path",
    [
        "frontend/src/hooks/api/getProjects.ts",
        "apps/admin-frontend/src/api.ts",
        "console-ui/src/utils/request.ts",
        "web/ui/react-app/src/api.ts",
        "ui/src/api.ts",
        "client/app/services/projects.ts",
        "apps/client/src/api.ts",
        "src/main/resources/static/js/projects.ts",
        "src/main/webapp/scripts/projects.ts",
        "public/javascripts/projects.ts",
        "server/public/js/projects.ts",
        "src/Web/wwwroot/js/projects.ts",
        "src/browser/projects.ts",
        "src/Plugins/Theme.Modern/Content/script/slider.ts",  # ASP.NET MVC's static folders
        "src/Web/Scripts/projects.ts",
    ],
)
def test_front_end_source_roots_are_left_alone(engine, path):
    assert not flagged(engine, path)


@pytest.mark.parametrize(
    "path",
    [
        "src/client/projects.ts",  # an API client used by the server
        "lib/client/projects.ts",
        "packages/client/src/projects.ts",
        "src/test/e2e/api/client/projects.ts",
        "src/lib/features/frontend-api/projects.ts",  # a server that front ends call
        "src/routes/public/projects.ts",  # unauthenticated server routes
        "apps/web/pages/api/projects.ts",  # Next.js API route
        "server/editor/projects.ts",
        "src/frontendProxy.ts",
        "scripts/sync-projects.ts",  # tooling and server folders in lower case
        "src/content/projects.ts",
    ],
)
def test_server_code_in_look_alike_folders_is_still_checked(engine, path):
    assert flagged(engine, path)


def test_javascript_and_typescript_share_one_front_end_path_list():
    def condition(language: str) -> str:
        library = yaml.safe_load((REPO / "rules" / language / "_library.yaml").read_text())
        return str(library["conditions"]["frontend-path"]["path-matches"])

    assert condition("javascript") == condition("typescript")


SOCKET = b"""import { io } from 'socket.io-client';
import { useEffect } from 'react';

export const connect = (url: string) => io(url, { transports: ['websocket'], rejectUnauthorized: false });
"""
AGENT = b"""import https from 'https';

export const agent = new https.Agent({ rejectUnauthorized: false });
"""


@pytest.mark.parametrize("language", ["typescript", "javascript"])
def test_tls_options_in_browser_code_are_left_alone_and_node_code_is_still_checked(language):
    rules = [r for r in PACK.rules if r.id == "tls-verification-disabled" and r.language == language]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))

    def lines(path: str, source: bytes) -> list[int]:
        return [f.line for f in engine.analyze(path, source, language=language, grammar=language).findings]

    # A React module's socket.io client: the page's TLS stack checks certificates, the option does nothing.
    assert lines("src/context/socket.ts", SOCKET) == []
    # The same option on a Node agent, and on anything under a browser folder only by its place.
    assert lines("server/src/agent.ts", AGENT) == [3]
    assert lines("frontend/src/agent.ts", AGENT) == []
