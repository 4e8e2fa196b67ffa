"""JavaScript/TypeScript rules tell browser code, build tooling and server code apart by the file's text and place."""

from __future__ import annotations

import pytest

from bot.analyze.engine import Engine
from bot.analyze.rules import RuleSet, load_rules

PACK = load_rules()

# A list refresh after a mutation, not awaited: the shape of a Vue composable or a React handler.
REFRESH_AFTER_DELETE = b"""
async function refreshBackups() {
  const { data } = await api.backups.getAll();
  backups.value = data;
}

async function deleteBackup(name: string) {
  const { response } = await api.backups.deleteOne(name);
  if (response && response.status === 200) {
    refreshBackups();
  }
}
"""

# The same call inside a try block: the catch below never sees its rejection.
REFRESH_IN_TRY = b"""
async function refreshBackups() {
  const { data } = await api.backups.getAll();
  backups.value = data;
}

async function deleteBackup(name: string) {
  try {
    await api.backups.deleteOne(name);
    refreshBackups();
  } catch (err) {
    toast.error(String(err));
  }
}
"""

# One parse per file handed in by the caller.
FILE_FAN_OUT = b"""
export async function generateLinks(modules: string[]) {
  return Promise.all(modules.map(async (module) => parseModule(module)));
}
"""

# An administrator's condition spliced into fixed code.
FORM_RULE = b"""
export function compileCondition(rule: { condition: string }) {
  return new Function(`return function(user, data) { return ${rule.condition} }`)();
}
"""


def findings(rule_id: str, path: str, source: bytes) -> list[int]:
    rules = [r for r in PACK.rules if r.id == rule_id and r.language == "typescript"]
    engine = Engine(RuleSet(rules[0].path.parent.parent, rules))
    report = engine.analyze(path, source, language="typescript", grammar="typescript")
    return [f.line for f in report.findings]


@pytest.mark.parametrize(
    "path",
    [
        "frontend/composables/use-backups.ts",  # a Nuxt app's composables
        "packages/dashboard/src/components/backups/list.ts",  # a component tree
        "docs/src/theme/backups.ts",  # a documentation site
    ],
)
def test_unawaited_refresh_in_browser_code_is_left_alone(path):
    assert findings("floating-promise", path, REFRESH_AFTER_DELETE) == []


def test_unawaited_refresh_in_a_file_importing_a_front_end_framework_is_left_alone():
    source = b'import { ref } from "@nuxtjs/composition-api";\n' + REFRESH_AFTER_DELETE
    assert findings("floating-promise", "src/lib/backups.ts", source) == []


def test_unawaited_call_in_server_code_is_flagged():
    assert findings("floating-promise", "src/services/backups.ts", REFRESH_AFTER_DELETE) == [10]


def test_unawaited_call_inside_a_try_block_is_flagged_in_browser_code_too():
    assert findings("floating-promise", "frontend/composables/use-backups.ts", REFRESH_IN_TRY) == [10]


@pytest.mark.parametrize(
    "path",
    [
        "packages/admin/admin-vite-plugin/src/links.ts",
        "packages/eslint-plugin-orders/src/links.ts",
        "tools-bundler/codegen/links.ts",
    ],
)
def test_fan_out_in_build_tooling_is_left_alone(path):
    assert findings("unbounded-promise-all-fan-out", path, FILE_FAN_OUT) == []


def test_fan_out_in_a_file_using_a_bundler_api_is_left_alone():
    source = b'import { normalizePath } from "vite";\n' + FILE_FAN_OUT
    assert findings("unbounded-promise-all-fan-out", "src/links.ts", source) == []


def test_fan_out_in_a_file_with_a_type_only_bundler_import_is_still_checked():
    source = b'import type { InlineConfig } from "vite";\n' + FILE_FAN_OUT
    assert findings("unbounded-promise-all-fan-out", "src/links.ts", source) == [4]


def test_fan_out_in_a_server_module_is_flagged():
    assert findings("unbounded-promise-all-fan-out", "packages/modules/link-modules/src/links.ts", FILE_FAN_OUT) == [3]


def test_spliced_condition_in_browser_code_is_left_alone():
    assert findings("eval-of-dynamic-code", "frontend/src/app/state/form-rules.ts", FORM_RULE) == []


def test_spliced_condition_in_server_code_is_flagged():
    assert findings("eval-of-dynamic-code", "src/rules/form-rules.ts", FORM_RULE) == [3]


def test_server_helpers_named_like_hooks_do_not_make_a_file_browser_code():
    source = b"""
export default defineEventHandler(async (event) => {
  const config = useRuntimeConfig();
  const res = await fetch(`${config.paymentsUrl}/charges`);
  return res.json();
});
"""
    assert findings("http-call-without-timeout", "server/api/charges.ts", source) == [4]


def test_a_request_option_only_browsers_honour_marks_browser_code():
    source = b"""
export async function loadCharges() {
  const res = await fetch("/api/charges", { credentials: "include" });
  return res.json();
}
"""
    assert findings("http-call-without-timeout", "src/api/charges.ts", source) == []
