"""The one reply parser, on good and malformed model replies kept in tests/samples/llm/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from llm_support import sample

from bot.errors import LLMReplyError
from bot.llm.reply import CATEGORIES, ReviewReply, parse_reply, response_format, strict_json_schema


def test_good_reply_parses_every_field():
    reply = parse_reply(sample("review-good.json"), ReviewReply)
    assert [(f.path, f.line, f.end_line, f.category, f.severity) for f in reply.findings] == [
        ("orders_client.py", 9, None, "resilience/timeout", "high"),
        ("orders_client.py", 13, 17, "resilience/retry", "medium"),
    ]
    assert reply.findings[0].confidence == pytest.approx(0.92)
    assert reply.dropped_invalid == 0


@pytest.mark.parametrize("name", ["review-fenced.md", "review-prose.txt", "review-list.json"])
def test_json_wrapped_in_prose_fences_or_a_bare_list_is_found(name):
    reply = parse_reply(sample(name), ReviewReply)
    assert [(f.path, f.line, f.category) for f in reply.findings] == [("orders_client.py", 9, "resilience/timeout")]


def test_loose_types_are_coerced():
    (finding,) = parse_reply(sample("review-loose-types.json"), ReviewReply).findings
    assert finding.path == "orders_client.py"
    assert finding.line == 9
    assert finding.severity == "high"
    assert finding.category == "resilience/timeout"
    assert finding.confidence == pytest.approx(0.85)


def test_invalid_items_are_dropped_one_by_one_and_counted():
    reply = parse_reply(sample("review-partly-invalid.json"), ReviewReply)
    assert [f.line for f in reply.findings] == [9]
    assert reply.dropped_invalid == 2


@pytest.mark.parametrize(("name", "words"), [("review-truncated.txt", "no complete JSON"), ("review-not-json.txt", "no complete JSON")])
def test_malformed_replies_raise_one_clear_error(name, words):
    with pytest.raises(LLMReplyError, match=words):
        parse_reply(sample(name), ReviewReply)


def test_an_object_without_findings_is_a_schema_error():
    with pytest.raises(LLMReplyError, match="ReviewReply schema: `findings`"):
        parse_reply('{"comments": []}', ReviewReply)


def test_keys_the_schema_does_not_know_are_ignored():
    reply = parse_reply(sample("review-injected.json"), ReviewReply)
    assert not hasattr(reply, "approve")
    assert "approve" not in reply.model_dump()
    assert len(reply.findings) == 1


def test_strict_schema_requires_every_property_and_forbids_extras():
    schema = strict_json_schema(ReviewReply)
    finding = schema["$defs"]["ModelFinding"]
    assert finding["additionalProperties"] is False
    assert set(finding["required"]) == set(finding["properties"])
    assert "dropped_invalid" not in schema["properties"]
    assert "default" not in str(schema)
    rf = response_format(ReviewReply)
    assert rf["type"] == "json_schema"
    assert rf["json_schema"]["strict"] is True


def test_categories_cover_every_rule_category():
    rules = Path(__file__).resolve().parents[2] / "rules"
    used = {m.group(1) for p in rules.glob("*/*.yaml") for m in re.finditer(r"^category:\s*(\S+)", p.read_text(), re.M)}
    assert used <= set(CATEGORIES)
