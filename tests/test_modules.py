"""`module-has`: a JS/TS rule follows an import into the project module it names (relative, or through the
tsconfig's path aliases).

Covers the pure parts (which names an import binds, how a specifier resolves), the index over a reader, the
condition in a scan of a checkout (where modules are read from disk), what a rule file may say, and that
without the modules (stdin) the condition does not hold.
"""

from __future__ import annotations

import textwrap

import pytest
from conftest import write_tree

from bot.analyze.engine import Engine
from bot.analyze.modules import MAX_MODULE_BYTES, ImportBinding, ModuleIndex, import_bindings, resolve
from bot.analyze.rules import load_rules
from bot.config import RepoConfig
from bot.errors import RuleError
from bot.jobs.scan import ScanPlan, run_scan
from bot.source import walk_tree

LOW = RepoConfig(**{"min-confidence": "low"})
PACK = load_rules()
ASYNC_DECLS = '((function_declaration "async" name: (identifier) @name) @match)'


def test_es_imports_bind_names_aliases_defaults_and_namespaces():
    text = textwrap.dedent(
        """\
        import reindex, { rebuild, publish as emit, type Options, 'quoted name' as quoted } from './jobs';
        import * as shares from "../shares/index.js";
        import type { Only } from './types';
        import express from 'express';
        import {
          multi, // a comment
          /* another */ line as lined,
        } from './multi';
        """
    )
    got = import_bindings(text)
    assert got == {
        "reindex": ImportBinding("./jobs", "default"),
        "rebuild": ImportBinding("./jobs", "rebuild"),
        "emit": ImportBinding("./jobs", "publish"),
        "quoted": ImportBinding("./jobs", "quoted name"),
        "shares": ImportBinding("../shares/index.js", None),
        "multi": ImportBinding("./multi", "multi"),
        "lined": ImportBinding("./multi", "line"),
        "express": ImportBinding("express", "default"),
    }, "type-only imports bind no value; a bare specifier is bound and left to resolve"


def test_require_binds_destructured_names_module_objects_and_members():
    text = textwrap.dedent(
        """\
        const { rebuild, publish: emit, retries = 3 } = require('./jobs');
        const jobs = require('./jobs');
        let one = require('../lib/one').one;
        const http = require('http');
        const { deep } = require('./jobs').nested;
        """
    )
    assert import_bindings(text) == {
        "rebuild": ImportBinding("./jobs", "rebuild"),
        "emit": ImportBinding("./jobs", "publish"),
        "retries": ImportBinding("./jobs", "retries"),
        "jobs": ImportBinding("./jobs", None),
        "one": ImportBinding("../lib/one", "one"),
        "http": ImportBinding("http", None),
    }


@pytest.mark.parametrize(
    ("from_path", "specifier", "files", "expected"),
    [
        ("src/a.ts", "./jobs", {"src/jobs.ts"}, "src/jobs.ts"),
        ("src/a.ts", "./jobs", {"src/jobs.js", "src/jobs.ts"}, "src/jobs.ts"),
        ("src/a.ts", "./jobs", {"src/jobs/index.ts"}, "src/jobs/index.ts"),
        ("src/a.ts", "./jobs.js", {"src/jobs.ts"}, "src/jobs.ts"),  # ESM written in TypeScript
        ("src/a.js", "./jobs.js", {"src/jobs.js"}, "src/jobs.js"),
        ("src/deep/a.js", "../jobs", {"src/jobs.cjs"}, "src/jobs.cjs"),
        ("a.ts", "./jobs", {"jobs.tsx"}, "jobs.tsx"),
        ("src/a.ts", "..", {"index.ts"}, "index.ts"),
        ("src/a.ts", "./missing", {"src/jobs.ts"}, None),
        ("src/a.ts", "jobs", {"jobs.ts"}, None),  # a package, not a path
        ("src/a.ts", "../../outside", {"outside.ts"}, None),  # leaves the root
        ("src/a.ts", "/abs/jobs", {"abs/jobs.ts"}, None),
        ("src/a.ts", "./data.json", {"src/data.json"}, None),
    ],
)
def test_specifiers_resolve_as_node_and_typescript_do(from_path, specifier, files, expected):
    assert resolve(from_path, specifier, files.__contains__) == expected


def test_an_index_parses_each_module_once_and_treats_the_unreadable_as_absent():
    reads: list[str] = []
    sources = {
        "src/jobs.ts": b"export async function rebuild() {}\nexport function format() {}\n",
        "src/broken.ts": None,
        "src/big.ts": b"//" + b"x" * MAX_MODULE_BYTES,
    }

    def read(path: str) -> bytes | None:
        reads.append(path)
        if path == "src/locked.ts":
            raise OSError("permission denied")
        return sources.get(path)

    index = ModuleIndex.from_reader(read)
    assert index.names("src/jobs.ts", ASYNC_DECLS) == {"rebuild"}
    assert index.names("src/jobs.ts", ASYNC_DECLS) == {"rebuild"}
    assert reads.count("src/jobs.ts") == 1
    assert index.names("src/locked.ts", ASYNC_DECLS) == frozenset()
    assert not index.exists("src/big.ts"), "a module over the size bound is not read as one"
    assert index.resolve("src/a.ts", "./locked") is None
    assert index.names("src/jobs.ts", "((no_such_node) @match)") == frozenset(), "a query that does not fit is no match"


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("export default async function reindex() {}\n", "reindex"),
        ("async function reindex() {}\nexport default reindex;\n", "reindex"),
        ("async function reindex() {}\nmodule.exports = reindex;\n", "reindex"),
        ("export default async () => {};\n", None),
    ],
)
def test_a_default_export_is_known_by_its_local_name(module, expected):
    index = ModuleIndex.from_reader({"jobs.ts": module.encode()}.get)
    assert index.default_name("jobs.ts") == expected


CALLER = """\
import reindex, { rebuild, format, safeRefresh } from './jobs';
import * as jobs from './jobs';
const legacy = require('./legacy');

export async function onShare(id: string): Promise<void> {
  rebuild(id);
  jobs.rebuild(id);
  reindex();
  legacy.sync(id);
  format(id);
  safeRefresh(id);
  await rebuild(id);
}
"""
JOBS = """\
export async function rebuild(id: string): Promise<void> { await fetch(`/r/${id}`, { signal: AbortSignal.timeout(1000) }); }
export function format(id: string): string { return id; }
export async function safeRefresh(id: string): Promise<void> {
  try { await fetch(`/s/${id}`, { signal: AbortSignal.timeout(1000) }); } catch (err) { console.warn(err); }
}
export default async function reindex(): Promise<void> { await rebuild('all'); }
"""
LEGACY = "exports.sync = async function (id) { return id; };\n"


def test_a_scan_follows_imports_into_the_checkouts_modules(tmp_path):
    root = write_tree(tmp_path, {"src/share.ts": CALLER, "src/jobs.ts": JOBS, "src/legacy.js": LEGACY})
    changes, _ = walk_tree(root, LOW)
    result = run_scan(ScanPlan(root=root, changes=changes, config=LOW), rules=PACK)
    lines = sorted(f.line for f in result.findings if f.rule_id == "floating-promise" and f.path == "src/share.ts")
    assert lines == [6, 7, 8, 9], (
        "async imports flagged; the sync one, the one that catches all and the awaited one not"
    )


def test_without_the_modules_imported_names_are_not_guessed(tmp_path):
    engine = Engine(PACK)
    report = engine.analyze("src/share.ts", CALLER.encode(), language="typescript", grammar="typescript")
    assert [f for f in report.findings if f.rule_id == "floating-promise"] == []
    # A checkout where the module is not the project's (missing) is the same.
    root = write_tree(tmp_path, {"src/share.ts": CALLER})
    report = engine.analyze("src/share.ts", CALLER.encode(), language="typescript", grammar="typescript", root=root)
    assert [f for f in report.findings if f.rule_id == "floating-promise"] == []


RULE = """\
id: demo-rule
title: Demo
severity: medium
category: reliability/async
message: "demo"
query: |
  ((expression_statement (call_expression function: (identifier) @fn)) @match)
require:
  - module-has:
      name: fn
      query: |
        QUERY
docs:
  what: w
  why: y
  example: e
  fix: f
"""


@pytest.mark.parametrize(
    ("language", "query", "capture", "expected"),
    [
        (
            "python",
            "((function_definition name: (identifier) @name) @match)",
            "fn",
            "JavaScript / TypeScript imports only",
        ),
        ("javascript", "((function_declaration) @match)", "fn", "no @name capture"),
        ("javascript", "((function_declaration name: (identifier) @name))", "fn", "no @match capture"),
        ("javascript", ASYNC_DECLS, "nope", "@nope is not captured"),
    ],
)
def test_a_module_has_condition_is_checked_when_rules_load(tmp_path, language, query, capture, expected):
    text = RULE.replace("QUERY", query).replace("name: fn", f"name: {capture}")
    if language == "python":
        text = text.replace("expression_statement (call_expression", "expression_statement (call")
    folder = tmp_path / language
    folder.mkdir()
    (folder / "demo-rule.yaml").write_text(text)
    with pytest.raises(RuleError, match=expected):
        load_rules(tmp_path)
