"""LLMClient through the real `openai` package against the simulator: retries, Retry-After, breaker,
budgets, concurrency limits, structured outputs and reply repair."""

from __future__ import annotations

import threading

import pytest
from llm_support import sample
from support.openai_sim import Reply

from bot.errors import LLMReplyError, LLMUnavailable
from bot.llm.reply import ReviewReply

HELLO = [{"role": "system", "content": "You review code."}, {"role": "user", "content": "hello"}]
EMPTY = {"findings": [], "triage": []}


def ask(client, *, schema=ReviewReply, installation=1):
    return client.complete(list(HELLO), schema=schema, installation=installation, purpose="test")


def test_a_call_sends_the_schema_as_structured_output_and_counts_tokens(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.text(sample("review-good.json")))
    client = make_llm_client(llm_settings())
    done = ask(client)
    (req,) = openai_sim.requests
    assert req.headers["authorization"] == "Bearer sk-test-key"
    assert req.body["model"] == "sim-model"
    assert req.response_format["json_schema"]["name"] == "ReviewReply"
    assert isinstance(done.parsed, ReviewReply) and len(done.parsed.findings) == 2
    assert done.tokens_in == req.prompt_tokens
    assert done.tokens_out > 0
    assert client.ledger.usage(1).total == done.tokens_in + done.tokens_out


def test_endpoint_without_structured_outputs_falls_back_to_json_in_text(openai_sim, llm_settings, make_llm_client):
    openai_sim.reject_structured = True
    openai_sim.script(Reply.json(EMPTY), Reply.json(EMPTY))
    client = make_llm_client(llm_settings())
    assert ask(client).parsed == ReviewReply(findings=[])
    assert ask(client).parsed == ReviewReply(findings=[])
    assert [r.response_format is not None for r in openai_sim.requests] == [True, False, False]
    assert client.structured_outputs is False


def test_429_with_retry_after_is_retried_after_the_time_asked(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.script(Reply.error(429, headers={"retry-after": "7"}), Reply.json(EMPTY))
    done = ask(make_llm_client(llm_settings()))
    assert done.attempts == 2
    assert len(openai_sim.requests) == 2
    assert llm_clock.sleeps == [7.0]


def test_retry_after_ms_is_preferred(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.script(Reply.error(503, headers={"retry-after-ms": "1500", "retry-after": "9"}), Reply.json(EMPTY))
    ask(make_llm_client(llm_settings()))
    assert llm_clock.sleeps == [1.5]


def test_a_wait_longer_than_allowed_gives_up_at_once(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.script(Reply.error(429, headers={"retry-after": "3600"}))
    with pytest.raises(LLMUnavailable, match="asks to wait 3600 s"):
        ask(make_llm_client(llm_settings()))
    assert len(openai_sim.requests) == 1
    assert llm_clock.sleeps == []


def test_server_errors_back_off_with_full_jitter_then_give_up(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.default = Reply.error(500)
    client = make_llm_client(llm_settings(llm_retries=3), backoff_base=1.0, backoff_cap=3.0)
    with pytest.raises(LLMUnavailable, match=r"^server error 500 after 4 attempts$"):
        ask(client)
    assert len(openai_sim.requests) == 4
    # jitter is fixed at 0.5 of the window: 1, 2, then the 3-second cap
    assert llm_clock.sleeps == [0.5, 1.0, 1.5]


def test_insufficient_quota_is_not_retried(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.error(429, code="insufficient_quota"))
    with pytest.raises(LLMUnavailable, match="quota is exhausted"):
        ask(make_llm_client(llm_settings()))
    assert len(openai_sim.requests) == 1


def test_bad_credentials_say_so_and_are_not_retried(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.error(401))
    with pytest.raises(LLMUnavailable, match="refused the credentials"):
        ask(make_llm_client(llm_settings()))
    assert len(openai_sim.requests) == 1


def test_slow_replies_time_out_per_call_and_are_retried(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.slow(1.0), Reply.slow(1.0))
    client = make_llm_client(llm_settings(llm_timeout=0.2, llm_retries=1))
    with pytest.raises(LLMUnavailable, match=r"^timed out after 2 attempts$"):
        ask(client)
    assert len(openai_sim.requests) == 2


def test_breaker_opens_after_n_failures_then_nothing_reaches_the_endpoint(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.default = Reply.error(502)
    client = make_llm_client(llm_settings(llm_retries=0, llm_breaker_failures=3, llm_breaker_reset=30))
    for _ in range(3):
        with pytest.raises(LLMUnavailable, match="server error 502 after 1 attempt"):
            ask(client)
    assert client.breaker.state == "open"
    for _ in range(5):
        with pytest.raises(LLMUnavailable, match="circuit breaker open"):
            ask(client)
    assert len(openai_sim.requests) == 3
    assert client.available() == (False, "circuit breaker open (open after 3 consecutive failures; next try in 30 s)")

    # After the reset time one probe goes out; its success closes the breaker.
    llm_clock.now += 31
    openai_sim.default = Reply.json(EMPTY)
    assert client.breaker.state == "half-open"
    ask(client)
    assert client.breaker.state == "closed"
    assert len(openai_sim.requests) == 4


def test_a_failed_probe_opens_the_breaker_again(openai_sim, llm_settings, make_llm_client, llm_clock):
    openai_sim.default = Reply.error(500)
    client = make_llm_client(llm_settings(llm_retries=0, llm_breaker_failures=2))
    for _ in range(2):
        with pytest.raises(LLMUnavailable):
            ask(client)
    llm_clock.now += 31
    with pytest.raises(LLMUnavailable, match="server error"):
        ask(client)
    assert client.breaker.state == "open"
    assert len(openai_sim.requests) == 3


def test_daily_budget_exhausted_means_no_call(openai_sim, llm_settings, make_llm_client):
    client = make_llm_client(llm_settings(llm_daily_tokens=1000))
    client.ledger.add(7, 900, 100)
    with pytest.raises(LLMUnavailable, match="daily token budget exhausted"):
        ask(client, installation=7)
    assert openai_sim.requests == []
    assert client.available(7)[0] is False
    # Another installation has its own budget (a bulkhead).
    ask(client, installation=8)
    assert len(openai_sim.requests) == 1


def test_usage_is_kept_across_clients_in_the_data_dir(openai_sim, llm_settings, make_llm_client):
    settings = llm_settings(llm_daily_tokens=10_000)
    first = ask(make_llm_client(settings), installation="acme")
    again = make_llm_client(settings)
    assert again.ledger.usage("acme").total == first.tokens_in + first.tokens_out
    assert (settings.data_dir / "llm-usage.sqlite3").is_file()


def test_malformed_json_gets_one_repair_round(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.text(sample("review-truncated.txt")), Reply.text(sample("review-fenced.md")))
    done = ask(make_llm_client(llm_settings()))
    assert isinstance(done.parsed, ReviewReply) and done.parsed.findings[0].line == 9
    first, second = openai_sim.requests
    assert second.messages[-2]["content"] == sample("review-truncated.txt")
    assert "could not be used" in second.messages[-1]["content"]
    assert done.tokens_in == first.prompt_tokens + second.prompt_tokens


def test_twice_malformed_is_a_reply_error_with_its_cost(openai_sim, llm_settings, make_llm_client):
    openai_sim.script(Reply.text(sample("review-not-json.txt")), Reply.text(sample("review-not-json.txt")))
    with pytest.raises(LLMReplyError, match="not usable twice") as info:
        ask(make_llm_client(llm_settings()))
    assert len(openai_sim.requests) == 2
    assert info.value.tokens_in == sum(r.prompt_tokens for r in openai_sim.requests)


def test_not_configured_is_unavailable_without_a_request(openai_sim, llm_settings, make_llm_client):
    client = make_llm_client(llm_settings(openai_base_url=None, openai_api_key=None))
    assert client.available() == (False, "not configured (set OPENAI_API_KEY, or OPENAI_BASE_URL for a local endpoint)")
    with pytest.raises(LLMUnavailable, match="not configured"):
        ask(client)
    assert openai_sim.requests == []


def test_azure_openai_uses_deployment_paths_and_api_version(openai_sim, llm_settings, make_llm_client):
    client = make_llm_client(llm_settings(openai_base_url=openai_sim.root_url, azure_api_version="2024-10-21", model="orders-gpt"))
    ask(client, schema=None)
    (req,) = openai_sim.requests
    assert req.path.startswith("/openai/deployments/orders-gpt/chat/completions")
    assert "api-version=2024-10-21" in req.path
    assert req.headers["api-key"] == "sk-test-key"


def _hammer(client, n: int, installation_of) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            client.complete(list(HELLO), schema=None, installation=installation_of(i), purpose="load")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_global_concurrency_limit_holds(openai_sim, llm_settings, make_llm_client):
    openai_sim.default = Reply.slow(0.15, "ok")
    client = make_llm_client(llm_settings(llm_concurrency=2, llm_installation_concurrency=8))
    assert _hammer(client, 6, lambda i: i) == []
    assert len(openai_sim.requests) == 6
    assert openai_sim.max_in_flight <= 2


def test_per_installation_concurrency_limit_holds(openai_sim, llm_settings, make_llm_client):
    openai_sim.default = Reply.slow(0.1, "ok")
    client = make_llm_client(llm_settings(llm_concurrency=8, llm_installation_concurrency=1))
    assert _hammer(client, 4, lambda i: "busy-org") == []
    assert len(openai_sim.requests) == 4
    assert openai_sim.max_in_flight == 1
