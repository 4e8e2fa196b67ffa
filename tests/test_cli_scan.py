"""`resbot scan` end to end through the real CLI: formats, exit codes, baselines, diffs, jobs, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import SAMPLES

RULES = ["--rules", str(SAMPLES / "rules")]
SERVICE = "import requests\n\n\ndef get_order(i):\n    return requests.get(f'https://o.internal/{i}')\n"


def scan(cli, *args, **kw):
    return cli("scan", *args, *RULES, **kw)


def test_text_report_groups_by_file_and_ends_with_a_summary(cli, tree):
    root = tree({"svc/orders.py": SERVICE, "svc/ok.py": "x = 1\n"})
    run = scan(cli, root)
    assert run.code == 1
    assert "svc/orders.py\n  5:12  high     requests-without-timeout" in run.out
    assert "return requests.get(f'https://o.internal/{i}')" in run.out
    assert "fix: return requests.get(f'https://o.internal/{i}', timeout=10)" in run.out
    assert "resbot: 1 findings (1 high) in 2 files, 6 lines" in run.out
    assert "\x1b[" not in run.out  # no colour when not on a terminal


def test_clean_tree_exits_zero(cli, tree):
    run = scan(cli, tree({"a.py": "print(1)\n"}))
    assert run.code == 0, run.err
    assert "0 findings (none)" in run.out


@pytest.mark.parametrize(("fail_on", "code"), [("high", 1), ("critical", 0), ("never", 0), ("low", 1)])
def test_fail_on_threshold(cli, tree, fail_on, code):
    assert scan(cli, tree({"a.py": SERVICE}), "--fail-on", fail_on).code == code


def test_json_report(cli, tree):
    run = scan(cli, tree({"a.py": SERVICE}), "--format", "json")
    data = json.loads(run.out)
    (finding,) = data["findings"]
    assert finding["rule_id"] == "requests-without-timeout"
    assert (finding["path"], finding["line"], finding["column"]) == ("a.py", 5, 12)
    assert finding["fix"]["replacement"].endswith("timeout=10)")
    assert len(finding["fingerprint"]) == 24
    assert data["summary"]["files"] == 1


def test_markdown_report(cli, tree):
    run = scan(cli, tree({"a.py": SERVICE}), "--format", "markdown")
    assert "| 5 | high | `requests-without-timeout` | `requests.get` has no timeout |" in run.out


def test_html_report_escapes_code(cli, tree):
    code = SERVICE.replace("f'https://o.internal/{i}'", "'<script>x</script>' + i")
    run = scan(cli, tree({"a.py": code}), "--format", "html")
    assert run.out.startswith("<!doctype html>")
    assert "requests-without-timeout" in run.out and "<span class=\"sev high\">high</span>" in run.out
    assert "<script>" not in run.out and "&lt;script&gt;" in run.out


def test_output_file_and_summary_on_stderr(cli, tree, tmp_path):
    root = tree({"a.py": SERVICE})
    out = tmp_path / "report.json"
    run = scan(cli, root, "--format", "json", "--output", out)
    assert run.code == 1
    assert json.loads(out.read_text())["findings"]
    assert "resbot: 1 findings" in run.err


def test_baseline_reports_only_new_findings(cli, tree, tmp_path):
    root = tree({"a.py": SERVICE})
    baseline = tmp_path / "baseline.json"
    first = scan(cli, root, "--write-baseline", baseline)
    assert "wrote baseline of 1 findings" in first.err
    assert scan(cli, root, "--baseline", baseline).code == 0
    # Moving the code does not make it new; a second call does.
    (root / "a.py").write_text("# moved down\n\n" + SERVICE + "\ndef more():\n    return requests.post('https://x')\n")
    run = scan(cli, root, "--baseline", baseline, "--format", "json")
    data = json.loads(run.out)
    assert [f["line"] for f in data["findings"]] == [10]
    assert data["summary"]["baseline_matched"] == 1


def test_diff_from_file_and_stdin_limits_findings_to_added_lines(cli, tree, tmp_path):
    root = tree({"a.py": "import requests\nrequests.get(a)\nrequests.get(b)\n"})
    diff = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,3 @@\n import requests\n requests.get(a)\n+requests.get(b)\n"
    (tmp_path / "change.diff").write_text(diff)
    for args, stdin in ((["--diff", tmp_path / "change.diff"], None), (["--diff", "-"], diff)):
        run = scan(cli, root, *args, "--format", "json", stdin=stdin)
        assert [f["line"] for f in json.loads(run.out)["findings"]] == [3], run.err


def test_changed_since_a_git_ref(cli, tree):
    root = tree({"a.py": "import requests\nrequests.get(a)\n"})
    git = ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (root / "a.py").write_text("import requests\nrequests.get(a)\nrequests.get(b)\n")
    (root / "new.py").write_text("import requests\nrequests.post(c)\n")
    run = scan(cli, root, "--changed-since", "main", "--format", "json")
    found = sorted((f["path"], f["line"]) for f in json.loads(run.out)["findings"])
    assert found == [("a.py", 3), ("new.py", 2)]
    bad = scan(cli, root, "--changed-since", "no-such-branch")
    assert bad.code == 2
    assert bad.err.startswith("resbot: error: git rev-parse")


def test_jobs_give_the_same_findings(cli, tree):
    files = {f"pkg{i}/m{j}.py": SERVICE for i in range(6) for j in range(12)}
    root = tree(files)
    one = json.loads(scan(cli, root, "--format", "json").out)["findings"]
    two = json.loads(scan(cli, root, "--format", "json", "--jobs", "2").out)["findings"]
    assert len(one) == 72
    assert one == two


def test_bad_input_is_counted_not_fatal(cli, tree):
    root = tree(
        {
            "ok.py": SERVICE,
            "blob.py": b"\x00\x01\x02binary",
            "latin.py": "name = 'caf\u00e9'\n".encode("latin-1"),
            "huge.py": "x = 1\n" * 2_000_000,  # 12 MB
            "broken.py": "import requests\ndef f(:\n    requests.get(u)\n",
        }
    )
    run = scan(cli, root, "--format", "json")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    summary = json.loads(run.out)["summary"]
    assert summary["skipped_by_reason"] == {"binary": 1, "not UTF-8": 1, "larger than 1,000,000 bytes": 1}
    assert summary["files_with_parse_errors"] == 1
    assert summary["findings"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["does/not/exist"], "does/not/exist: no such file or directory"),
        ([".", "--diff", "missing.diff"], "missing.diff: cannot read diff"),
        ([".", "--diff", "-", "--changed-since", "main"], "cannot be combined"),
        ([".", "--baseline", "nope.json"], "nope.json: baseline file not found"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, tree, args, message):
    root = tree({"a.py": "x = 1\n"})
    run = scan(cli, *args, cwd=root)
    assert run.code == 2
    assert message in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert "Traceback" not in run.err


def test_malformed_diff_is_a_usage_error(cli, tree):
    run = scan(cli, tree({"a.py": ""}), "--diff", "-", stdin="nonsense\n")
    assert run.code == 2
    assert "not a unified diff" in run.err


def test_broken_rule_file_is_a_usage_error(cli, tree, tmp_path):
    rules = tmp_path / "rules" / "python"
    rules.mkdir(parents=True)
    (rules / "bad-rule.yaml").write_text("id: bad-rule\n")
    run = cli("scan", tree({"a.py": ""}), "--rules", tmp_path / "rules")
    assert run.code == 2
    assert "bad-rule.yaml: field `title`" in run.err


def test_bad_config_names_the_field(cli, tree):
    root = tree({"a.py": "", ".resbot.yml": "min-severity: loud\n"})
    run = scan(cli, root)
    assert run.code == 2
    assert ".resbot.yml: field `min-severity`" in run.err


def test_config_disables_rules_and_sets_the_floor(cli, tree):
    root = tree({"a.py": SERVICE + "eval(x)\n", ".resbot.yml": "rules:\n  disable: [requests-without-timeout]\n"})
    ids = [f["rule_id"] for f in json.loads(scan(cli, root, "--format", "json").out)["findings"]]
    assert ids == ["eval-call"]
    (root / ".resbot.yml").write_text("min-severity: medium\n")
    ids = [f["rule_id"] for f in json.loads(scan(cli, root, "--format", "json").out)["findings"]]
    assert ids == ["requests-without-timeout"]
    (root / ".resbot.yml").write_text("rules:\n  severity: {eval-call: critical}\n")
    data = json.loads(scan(cli, root, "--format", "json").out)
    assert {f["rule_id"]: f["severity"] for f in data["findings"]}["eval-call"] == "critical"
    (root / ".resbot.yml").write_text("rules:\n  disable: [no-such-rule]\n")
    assert "unknown rule id 'no-such-rule'" in scan(cli, root).err


def test_rules_commands(cli):
    listed = cli("rules", "list", *RULES)
    assert "requests-without-timeout" in listed.out and "2 rules, 2 (rule, language) pairs" in listed.out
    shown = cli("rules", "show", "requests-without-timeout", *RULES)
    assert "Why it takes services down" in shown.out and "requests.get(url, timeout=10)" in shown.out
    assert cli("rules", "show", "nope", *RULES).code == 2
    tested = cli("rules", "test", *RULES)
    assert tested.code == 0 and "2 passed, 0 failed" in tested.out


def test_several_paths_as_pre_commit_passes_them(cli, tree):
    root = tree({"a.py": SERVICE, "b.py": SERVICE, "c.py": SERVICE})
    run = scan(cli, "a.py", "c.py", "--format", "json", cwd=root)
    assert sorted(f["path"] for f in json.loads(run.out)["findings"]) == ["a.py", "c.py"]


def test_a_hard_coded_secret_is_masked_in_every_report(cli, tree):
    token = "AKIAZ7Q2W8E4R6T1Y3UP"  # not the one in the rule docs, which SARIF embeds
    root = tree({"settings.py": f'GITHUB_TOKEN = "{token}"\n'})
    for fmt in ("text", "json", "sarif", "markdown", "html"):
        run = cli("scan", root, "--format", fmt, "--min-confidence", "low")  # the bundled pack, opt-in rules too
        assert "hardcoded-secret" in run.out, fmt
        assert token not in run.out and token[4:] not in run.out, fmt
        assert token not in run.err, fmt


def test_jobs_give_the_same_findings_across_languages(cli, tmp_path):
    import shutil

    from conftest import REPO

    # Six copies of the bundled examples: every grammar, so the worker processes split by grammar and
    # the one that finishes first takes chunks from the other.
    root = tmp_path / "svc"
    for i in range(6):
        shutil.copytree(REPO / "examples", root / f"copy{i}")
    # The shipped pack, every rule (not the small test pack the other tests use).
    every = ("--format", "json", "--fail-on", "never", "--min-confidence", "low")
    one = json.loads(cli("scan", root, *every).out)
    two = json.loads(cli("scan", root, *every, "--jobs", "2").out)
    assert len(one["findings"]) > 300
    assert one["findings"] == two["findings"]
    assert one["summary"]["files"] == two["summary"]["files"] and one["summary"]["lines"] == two["summary"]["lines"]


def test_files_are_shared_out_by_grammar_in_balanced_shares(tmp_path):
    from bot.jobs.scan import partition_by_grammar
    from bot.models import FileChange

    sizes = {"a.py": 4000, "b.py": 4000, "c.go": 3000, "d.go": 3000, "e.java": 1000, "f.java": 1000}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    files = tuple(FileChange(path=name) for name in sizes)
    shares = partition_by_grammar(tmp_path, files, 2)
    assert sorted(c.path for share in shares for c in share) == sorted(sizes)
    loads = [sum(sizes[c.path] for c in share) for share in shares]
    assert max(loads) - min(loads) <= 2000
    # Python and Go each stay within one share.
    for ext in (".py", ".go"):
        assert sum(any(c.path.endswith(ext) for c in share) for share in shares) == 1


def test_low_confidence_rules_run_only_when_opted_in(cli, tree, tmp_path_factory):
    rules = tmp_path_factory.mktemp("pack") / "rules"
    shutil.copytree(SAMPLES / "rules", rules)
    spec = rules / "python" / "eval-call.yaml"
    spec.write_text(spec.read_text() + "confidence: low\n")
    root = tree({"a.py": SERVICE + "eval(x)\n"})

    def ids(*args: str) -> list[str]:
        run = cli("scan", root, "--format", "json", "--rules", rules, *args)
        return sorted(f["rule_id"] for f in json.loads(run.out)["findings"])

    assert ids() == ["requests-without-timeout"]
    run = cli("scan", root, "--format", "json", "--rules", rules, "--min-confidence", "low")
    assert sorted((f["rule_id"], f["confidence"]) for f in json.loads(run.out)["findings"]) == [
        ("eval-call", "low"),
        ("requests-without-timeout", "medium"),
    ]
    assert "1 low-confidence rules not run (--min-confidence low)" in cli("scan", root, "--rules", rules).out
    assert ids("--min-confidence", "low") == ["eval-call", "requests-without-timeout"]
    assert "low-confidence" not in cli("scan", root, "--rules", rules, "--min-confidence", "low").out
    (root / ".resbot.yml").write_text("rules:\n  opt-in: [eval-call]\n")
    assert ids() == ["eval-call", "requests-without-timeout"]
    (root / ".resbot.yml").write_text("min-confidence: low\nrules:\n  disable: [requests-without-timeout]\n")
    assert ids() == ["eval-call"]
    (root / ".resbot.yml").write_text("min-confidence: high\n")
    assert ids() == []  # both sample rules are medium (the default) or low
    (root / ".resbot.yml").write_text("min-confidence: sure\n")
    assert "field `min-confidence`" in cli("scan", root, "--rules", rules).err
    listed = cli("rules", "list", "--rules", rules).out
    assert "eval-call" in listed and "python*" in listed and "1 pairs are low-confidence" in listed
    (root / ".resbot.yml").unlink()
    sarif = json.loads(cli("scan", root, "--format", "sarif", "--rules", rules, "--min-confidence", "low").out)
    precision = {r["id"]: r["properties"]["precision"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert precision == {"eval-call": "low", "requests-without-timeout": "medium"}
    spec.write_text(spec.read_text().replace("confidence: low", "confidence: maybe"))
    broken = cli("scan", root, "--rules", rules)
    assert broken.code == 2 and "eval-call.yaml: field `confidence`" in broken.err


def test_worker_processes_run_the_rules_the_scan_was_given(tmp_path):
    from bot.analyze.rules import load_rules
    from bot.config import RepoConfig
    from bot.jobs.scan import CHUNK, ScanPlan, run_scan
    from bot.source import walk_tree

    # Rules handed to the scan (as the benchmarks do) are the ones its worker processes run, not
    # whatever the plan's rules directory (here: none, so the shipped pack) would load.
    for i in range(CHUNK * 3):
        (tmp_path / f"svc{i}.py").write_text(SERVICE, encoding="utf-8")
    changes, _ = walk_tree(tmp_path, RepoConfig())
    given = load_rules(SAMPLES / "rules")
    results = [run_scan(ScanPlan(root=tmp_path, changes=changes, config=RepoConfig(), jobs=jobs), rules=given) for jobs in (1, 2)]
    assert [{f.rule_id for f in r.findings} for r in results] == [{"requests-without-timeout"}] * 2
    assert len(results[1].findings) == CHUNK * 3
