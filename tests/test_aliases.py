"""Path aliases: a bare specifier names a project module through the nearest tsconfig / jsconfig.

Covers pattern choice as TypeScript makes it, `baseUrl`, the relative `extends` chain, configs written as JSONC,
configs that cannot be read, and a scan of a checkout where `module-has` follows an aliased import.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import write_tree

from bot.analyze.aliases import PathAliases, config_candidates, extends_of, load_aliases
from bot.analyze.modules import ModuleIndex
from bot.analyze.rules import load_rules
from bot.config import RepoConfig
from bot.jobs.scan import ScanPlan, run_scan
from bot.source import walk_tree

LOW = RepoConfig(**{"min-confidence": "low"})


def aliases_of(files: dict[str, str], config: str = "tsconfig.json") -> PathAliases | None:
    return load_aliases(config, lambda path: files[path].encode() if path in files else None)


@pytest.mark.parametrize(
    ("specifier", "expected"),
    [
        ("@/lib/mail", ["src/lib/mail"]),
        ("@/lib/mail/index", ["src/lib/mail/index"]),
        ("@lib/mail", ["packages/lib/src/mail", "vendor/lib/mail"]),  # both substitutions, in order
        ("@lib/special", ["special/exact"]),  # an exact pattern beats the wildcards
        ("@lib/x/y", ["packages/lib/x/deep/y"]),  # the longest prefix wins
        ("#cfg.json", ["cfg/cfg.json"]),  # a suffix after the star
        ("#cfg.yaml", []),
        ("lodash", []),  # no pattern, no baseUrl: a package
        ("@/../../etc/passwd", []),  # leaves the root
    ],
)
def test_patterns_are_chosen_as_typescript_chooses_them(specifier, expected):
    config = {
        "compilerOptions": {
            "paths": {
                "@/*": ["./src/*"],
                "@lib/*": ["packages/lib/src/*", "vendor/lib/*"],
                "@lib/x/*": ["packages/lib/x/deep/*"],
                "@lib/special": ["special/exact"],
                "#*.json": ["cfg/*.json"],
                "bad/*/*": ["nope"],
            }
        }
    }
    aliases = aliases_of({"tsconfig.json": json.dumps(config)})
    assert aliases is not None
    assert aliases.targets(specifier) == expected


def test_substitutions_follow_base_url_and_the_config_folder():
    with_base = aliases_of(
        {"app/tsconfig.json": '{"compilerOptions": {"baseUrl": "./src", "paths": {"~/*": ["*"]}}}'}, "app/tsconfig.json"
    )
    assert with_base is not None
    assert with_base.targets("~/jobs") == ["app/src/jobs", "app/src/~/jobs"], "paths, then baseUrl itself"
    no_base = aliases_of(
        {"app/tsconfig.json": '{"compilerOptions": {"paths": {"~/*": ["./lib/*"]}}}'}, "app/tsconfig.json"
    )
    assert no_base is not None
    assert no_base.targets("~/jobs") == ["app/lib/jobs"], "without baseUrl: relative to the config's folder"
    only_base = aliases_of({"tsconfig.json": '{"compilerOptions": {"baseUrl": "src"}}'})
    assert only_base is not None and only_base.targets("services/mail") == ["src/services/mail"]


def test_extends_chains_are_followed_and_a_config_s_own_paths_replace_inherited_ones():
    files = {
        # JSONC: comments and trailing commas, as tsc accepts them
        "apps/api/tsconfig.json": textwrap.dedent(
            """\
            {
              // the API's config
              "extends": "../../tsconfig.base",
              "compilerOptions": { "outDir": "dist", },
            }
            """
        ),
        "tsconfig.base.json": '{"extends": ["./tsconfig.paths.json", "@tsconfig/node20/tsconfig.json"]}',
        "tsconfig.paths.json": '{"compilerOptions": {"baseUrl": ".", "paths": {"@org/*": ["libs/*/src"]}}}',
        "apps/web/tsconfig.json": '{"extends": "../../tsconfig.base.json", "compilerOptions": {"paths": {"@w/*": ["./w/*"]}}}',
    }
    api = aliases_of(files, "apps/api/tsconfig.json")
    assert api is not None
    assert api.targets("@org/mail") == ["libs/mail/src", "@org/mail"], "inherited paths, relative to inherited baseUrl"
    web = aliases_of(files, "apps/web/tsconfig.json")
    assert web is not None
    assert web.targets("@org/mail") == ["@org/mail"], "its own paths replace the inherited ones"
    assert web.targets("@w/x") == ["w/x", "@w/x"], "relative to the inherited baseUrl (the root), not its folder"
    assert extends_of("tsconfig.base.json", files["tsconfig.base.json"].encode()) == ["tsconfig.paths.json"], (
        "a package config is not followed"
    )


@pytest.mark.parametrize(
    "text",
    ["{ not json", '["a list"]', '{"compilerOptions": {"paths": "nope"}}', "\xff\xfe"],
)
def test_a_config_that_cannot_be_read_gives_no_aliases(text):
    assert aliases_of({"tsconfig.json": text}) is None


def test_in_an_extends_list_the_later_config_wins():
    files = {
        "tsconfig.json": '{"extends": ["./a.json", "./b.json"]}',
        "a.json": '{"compilerOptions": {"paths": {"@/*": ["a/*"]}}}',
        "b.json": '{"compilerOptions": {"paths": {"@/*": ["b/*"]}}}',
    }
    aliases = aliases_of(files)
    assert aliases is not None and aliases.targets("@/x") == ["b/x"]


def test_an_extends_cycle_ends():
    files = {
        "a.json": '{"extends": "./b.json"}',
        "b.json": '{"extends": "./a.json", "compilerOptions": {"baseUrl": "x"}}',
    }
    aliases = aliases_of(files, "a.json")
    assert aliases is not None and aliases.targets("m") == ["x/m"]


def test_the_nearest_config_governs_a_file():
    assert list(config_candidates("apps/api/src/a.ts"))[:3] == [
        "apps/api/src/tsconfig.json",
        "apps/api/src/jsconfig.json",
        "apps/api/tsconfig.json",
    ]
    assert list(config_candidates("a.ts")) == ["tsconfig.json", "jsconfig.json"]
    files = {
        "tsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["root/*"]}}}',
        "apps/api/jsconfig.json": '{"compilerOptions": {"paths": {"@/*": ["./src/*"]}}}',
        "apps/api/src/jobs.js": "export async function rebuild() {}\n",
        "root/jobs.ts": "export async function rebuild() {}\n",
    }
    index = ModuleIndex.from_reader(lambda path: files[path].encode() if path in files else None)
    assert index.resolve("apps/api/src/routes/a.js", "@/jobs") == "apps/api/src/jobs.js"
    assert index.resolve("web/a.ts", "@/jobs") == "root/jobs.ts"
    assert index.resolve("web/a.ts", "react") is None


CALLER = """\
import { rebuild } from '@/jobs/rebuild';
import { format } from '@/jobs/format';

export async function onShare(id: string): Promise<void> {
  rebuild(id);
  format(id);
}
"""


def test_a_scan_follows_an_aliased_import_into_the_checkout(tmp_path):
    files = {
        "tsconfig.json": '{\n  "compilerOptions": {\n    "paths": { "@/*": ["./src/*"], }, // aliases\n  },\n}\n',
        "src/routes/share.ts": CALLER,
        "src/jobs/rebuild.ts": "export async function rebuild(id: string): Promise<void> { console.log(id); }\n",
        "src/jobs/format.ts": "export function format(id: string): string { return id; }\n",
    }
    root = write_tree(tmp_path, files)
    changes, _ = walk_tree(root, LOW)
    result = run_scan(ScanPlan(root=root, changes=changes, config=LOW), rules=load_rules())
    lines = [f.line for f in result.findings if f.rule_id == "floating-promise" and f.path == "src/routes/share.ts"]
    assert lines == [5], "rebuild() is async in the module the alias names; format() is not"
