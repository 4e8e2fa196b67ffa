"""Shared library conditions for context the walker cannot see: UI modules, dev scripts, example applications."""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml
from conftest import REPO

from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules

LANGUAGES = ("python", "csharp", "java", "go", "javascript", "typescript")
PACK = load_rules()
# An API client module of a React app: nothing in it names a framework, only its imports of the app's own
# components give it away.
UI_CLIENT = (
    b"import axios from 'axios';\n"
    b"import { getToken } from '../components/providers/AuthProvider';\n"
    b"export const getProjects = async () => (await axios.get('/v1/projects')).data;\n"
)
SERVER_CLIENT = (
    b"import axios from 'axios';\n"
    b"import { getToken } from '../auth/token';\n"
    b"export const getProjects = async () => (await axios.get('/v1/projects')).data;\n"
)


@cache
def library(language: str) -> dict[str, dict[str, str]]:
    return dict(yaml.safe_load((REPO / "rules" / language / "_library.yaml").read_text())["conditions"])


def condition(language: str, name: str) -> dict[str, str]:
    return library(language)[name]


@pytest.fixture(scope="module", params=["javascript", "typescript"])
def engine(request: pytest.FixtureRequest) -> tuple[Engine, str]:
    language = str(request.param)
    rules = [r for r in PACK.rules if r.id == "http-call-without-timeout" and r.language == language]
    return Engine(RuleSet(rules[0].path.parent.parent, rules)), language


def test_a_module_importing_the_apps_own_components_is_browser_code(engine):
    eng, language = engine
    path = "apps/web/src/api/api.client.ts" if language == "typescript" else "apps/web/src/api/api.client.js"
    grammar = "typescript" if language == "typescript" else "javascript"
    assert not eng.analyze(path, UI_CLIENT, language=language, grammar=grammar).findings
    assert eng.analyze(path, SERVER_CLIENT, language=language, grammar=grammar).findings


def test_a_use_client_directive_makes_a_module_browser_code(engine):
    eng, language = engine
    grammar = "typescript" if language == "typescript" else "javascript"
    upload = "export const upload = async (url, body) => {\n  const res = await fetch(url, { method: 'POST', body })\n  return res.json()\n}\n"
    path = "packages/storage/src/client/upload." + ("ts" if language == "typescript" else "js")
    for directive in ("'use client'\n", '"use client";\n', "/* upload */\n'use client'\n"):
        assert not eng.analyze(path, (directive + upload).encode(), language=language, grammar=grammar).findings
    # The server's own directive, or the words in a comment or a string, do not make it browser code.
    for other in ("'use server'\n", "// not 'use client'\n", "const note = 'use client'\n"):
        assert eng.analyze(path, (other + upload).encode(), language=language, grammar=grammar).findings


@pytest.mark.parametrize(
    ("text", "browser"),
    [
        ("import { Button } from '@/components/ui/button';", True),
        ('const Modal = require("./components/Modal");', True),
        ("import { registry } from '../lib/componentsRegistry';", False),
        ("import { x } from 'components-lib';", False),
        # the page's globals themselves, not a server object's fields of the same names
        ("const el = document.getElementById('app');", True),
        ("if (window.location.hash) route();", True),
        ("const token = localStorage.getItem('token');", True),
        ("const location = request.document.location;", False),
        ("this.window.open(range);", False),
        ("const ua = req.navigator.userAgent;", False),
    ],
)
def test_browser_code_signs_in_the_text(text, browser):
    for language in ("javascript", "typescript"):
        regex = re.compile(condition(language, "browser-code")["file-matches"], re.M)
        assert bool(regex.search(text)) is browser


@pytest.mark.parametrize("language", ["python", "go", "javascript", "typescript"])
def test_hack_folders_hold_developer_scripts(language):
    regex = re.compile(condition(language, "cli-path")["path-matches"])
    assert regex.search("hack/release/notes.x")
    assert regex.search("tools/scripts/get_next_release.x")
    assert not regex.search("src/hackathon/teams.x")


@pytest.mark.parametrize("language", ["javascript", "typescript"])
def test_named_script_folders_hold_developer_scripts(language):
    regex = re.compile(condition(language, "cli-path")["path-matches"])
    assert regex.search("dev-scripts/validate-build-version-docker-hub.js")
    assert regex.search("packages/api/build_scripts/publish.ts")
    # a folder whose name only ends in the letters, and a file named for scripts, are product code
    assert not regex.search("src/transcripts/export.ts")
    assert not regex.search("src/user-scripts.ts")


@pytest.mark.parametrize(
    ("path", "example"),
    [
        ("shenyu-examples/shenyu-examples-http/src/main/java/org/example/DemoController.java", True),
        ("job-executor-samples/sample-frameless/src/main/java/org/example/App.java", True),
        ("dubbo-demo/dubbo-demo-xml/consumer/src/main/java/org/example/Application.java", True),
        ("examples/hotrod/pkg/tracing/http.go", True),
        ("Samples/Web/Program.cs", True),
        # a package or feature named so inside a product's sources
        ("api-gateway/src/main/java/org/springframework/samples/petclinic/App.java", False),
        ("frontend/src/component/demo/demo-setup.ts", False),
        ("scripts/Sample-PostProc.py", False),
        ("app/demonstration/views.py", False),
    ],
)
def test_example_applications_by_folder(path, example):
    for language in LANGUAGES:
        regex = re.compile(condition(language, "example-path")["path-matches"])
        assert bool(regex.search(path)) is example


def test_every_language_shares_one_example_path_list():
    assert len({condition(language, "example-path")["path-matches"] for language in LANGUAGES}) == 1


def test_requests_means_the_library_not_a_wrapper_imported_under_its_name():
    engine = Engine(RuleSet(PACK.root, [r for r in PACK.rules if r.language == "python"]))

    def rules_on(source: bytes) -> list[str]:
        report = engine.analyze("app/sync.py", source, language="python", grammar="python")
        return [f.rule_id for f in report.findings]

    call = b"def pull(url):\n    return requests.get(url)\n"
    assert rules_on(b"import requests\n\n\n" + call) == ["http-call-without-timeout"]
    # The project's own session module, which may well set a default timeout; or a parameter so named.
    assert rules_on(b"from app.utils import requests\n\n\n" + call) == []
    assert rules_on(b"def pull(url, requests):\n    return requests.get(url)\n") == []


def _file_regexes() -> set[str]:
    """Every `file-matches` regex of the shipped pack, from rules and libraries alike."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "file-matches" and isinstance(value, str):
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in (REPO / "rules").glob("*/*.yaml"):
        walk(yaml.safe_load(path.read_text()))
    return found


def test_a_file_regex_tried_one_alternative_at_a_time_finds_what_the_whole_regex_finds():
    from bot.analyze.conditions import _lookahead_parts, _top_level_branches, _word_first, file_test

    assert _top_level_branches(r"a|b(c|d)|[|]|\|x|[]|]y") == ["a", "b(c|d)", "[|]", r"\|x", "[]|]y"]
    assert _lookahead_parts(r"\A(?=[\s\S]*\bX\()(?![\s\S]*(Y|Z))", dotall=False) == [(r"\bX\(", True), ("(Y|Z)", False)]
    assert _lookahead_parts(r"\A(?=.*^if)(?=.*://)", dotall=True) == [("^if", True), ("://", True)]
    assert _lookahead_parts(r"\A(?=.*^if)", dotall=False) is None  # `.` stops at a line break
    assert _lookahead_parts(r"\A(?=[\s\S]*X|Y)", dotall=False) is None  # Y only at the start
    assert _lookahead_parts(r"\A(?=[\s\S]*X)Y", dotall=False) is None
    assert _word_first(r"\buse(?!Foo)[A-Z]") == r"use(?<!\wuse)(?!Foo)[A-Z]"
    assert _word_first(r"\bfoo?x") == r"\bfoo?x" and _word_first(r"\bfo\.x") == r"\bfo\.x"
    regexes = _file_regexes()
    texts = [p.read_text(errors="replace") for p in [*REPO.glob("rules/*/*"), *REPO.glob("examples/**/*")]
             if p.is_file() and p.suffix in {".py", ".cs", ".java", ".go", ".js", ".ts", ".tsx"}]
    texts += ["import { x } from '../components/x';\nwindow.location.href = '/';\n", "IMPORT OS\n", "xuseState(1)\nuseState(2)\n"]
    split = lookaheads = 0
    for regex in regexes:
        whole = re.compile(regex, re.M)
        split += len(_top_level_branches(regex)) > 1
        lookaheads += _lookahead_parts(regex.removeprefix("(?s)"), dotall=regex.startswith("(?s)")) is not None
        test = file_test(regex)
        for text in texts:
            assert test(text) == (whole.search(text) is not None), (regex, text[:80])
    assert len(regexes) >= 20 and split >= 10 and lookaheads >= 5


def _fetch_lines(eng: Engine, language: str, source: str) -> list[int]:
    grammar = "typescript" if language == "typescript" else "javascript"
    path = "packages/api/src/client." + ("ts" if language == "typescript" else "js")
    return [f.line for f in eng.analyze(path, source.encode(), language=language, grammar=grammar).findings]


def test_a_fetch_through_a_variable_holding_a_same_origin_path_is_browser_code(engine):
    eng, language = engine
    source = (
        'const BASE = "/api/admin";\n'  # 1
        "export const a = async () => (await fetch(`${BASE}/config`)).json();\n"  # 2: same-origin
        "export const b = async () => (await fetch(BASE + '/x', { method: 'POST' })).json();\n"  # 3: same-origin
        "export const c = async (id) => { const url = `${BASE}/items/${id}`; return fetch(url); };\n"  # 4: two deep
        "export const d = async () => (await fetch(`${LATER}/x`)).json();\n"  # 5: bound only after the call
        'const LATER = "/api/later";\n'  # 6
        "export const e = async () => (await fetch(`${ORIGIN}/x`)).json();\n"  # 7: unknown name
    )
    assert _fetch_lines(eng, language, source) == [5, 7]


def test_the_value_a_variable_last_had_before_the_call_decides(engine):
    eng, language = engine
    source = (
        "let url = '/api/session';\n"  # 1
        "export const a = async () => (await fetch(url)).json();\n"  # 2: same-origin at this point
        "url = 'https://auth.example.com/session';\n"  # 3
        "export const b = async () => (await fetch(url)).json();\n"  # 4: reassigned to a host
    )
    assert _fetch_lines(eng, language, source) == [4]


def test_resolve_follows_at_most_three_names():
    from bot.analyze.conditions import RESOLVE_DEPTH

    rules = [r for r in PACK.rules if r.id == "http-call-without-timeout" and r.language == "javascript"]
    eng = Engine(RuleSet(rules[0].path.parent.parent, rules))
    chain = ['const n0 = "/api/x";'] + [f"const n{i} = n{i - 1};" for i in range(1, RESOLVE_DEPTH + 1)]
    near = "\n".join(chain[:-1]) + f"\nexport const f = () => fetch(n{RESOLVE_DEPTH - 1});\n"
    far = "\n".join(chain) + f"\nexport const f = () => fetch(n{RESOLVE_DEPTH});\n"
    assert _fetch_lines(eng, "javascript", near) == []
    assert _fetch_lines(eng, "javascript", far) == [RESOLVE_DEPTH + 2]


def test_a_module_fetching_a_same_origin_path_is_browser_code_throughout(engine):
    eng, language = engine
    upload = (
        "export async function upload(file, signedUrl) {\n"
        "  const res = await fetch(signedUrl, { method: 'PUT', body: file });\n"  # 2
        "  return res.ok;\n"
        "}\n"
    )
    browser = upload + "export const storage = () => fetch('/api/v1/management/storage', { method: 'POST' });\n"
    assert _fetch_lines(eng, language, upload) == [2]
    assert _fetch_lines(eng, language, browser) == []
    # Next.js's marker package for modules kept out of the server bundle
    assert _fetch_lines(eng, language, "import 'client-only';\n" + upload) == []
    # a scheme-relative URL (`//cdn.example.com/x`) has a host: no sign of a browser
    assert _fetch_lines(eng, language, upload + "export const cdn = () => fetch('//cdn.example.com/x');\n") == [2, 5]


def test_a_client_only_folder_is_browser_code(engine):
    eng, language = engine
    grammar = "typescript" if language == "typescript" else "javascript"
    source = b"export const download = async (url) => (await fetch(url)).blob();\n"
    ext = "ts" if language == "typescript" else "js"
    assert not eng.analyze(f"packages/lib/client-only/download.{ext}", source, language=language, grammar=grammar).findings
    assert eng.analyze(f"packages/lib/server-only/download.{ext}", source, language=language, grammar=grammar).findings


def test_go_bindings_of_one_name_resolve_and_several_do_not():
    rules = [r for r in PACK.rules if r.id == "server-without-timeouts" and r.language == "go"]
    eng = Engine(RuleSet(rules[0].path.parent.parent, rules))

    def lines(body: str) -> list[int]:
        source = 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nfunc serve(port int) {\n' + body + "}\n"
        report = eng.analyze("main.go", source.encode(), language="go", grammar="go")
        return [f.line for f in report.findings]

    # `:=`, `=` and `var` of one name: the loopback address the variable holds.
    assert lines('\taddr := fmt.Sprintf("localhost:%d", port)\n\t_ = http.ListenAndServe(addr, nil)\n') == []
    assert lines('\tvar addr string\n\taddr = "127.0.0.1:8080"\n\t_ = http.ListenAndServe(addr, nil)\n') == []
    assert lines('\tvar addr = "localhost:9000"\n\t_ = http.ListenAndServe(addr, nil)\n') == []
    # Several names bound at once are not read; a public address is flagged.
    assert lines('\taddr, other := "localhost:1", 2\n\t_ = other\n\t_ = http.ListenAndServe(addr, nil)\n') == [11]
    assert lines('\taddr := fmt.Sprintf(":%d", port)\n\t_ = http.ListenAndServe(addr, nil)\n') == [10]
