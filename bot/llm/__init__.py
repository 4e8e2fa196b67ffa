"""The LLM layer: what may leave for the model, how much of it, and what may come back.

    redact    secrets out of any text; hidden/bidi characters out of PR text; sensitive paths
    changes   ReviewFile / Hunk: one changed file as the model sees it (from a patch or a diff)
    budget    token counting (tiktoken, offline) and the packer that fills bounded calls by risk
    prompts   the one render function over `prompts/<task>/{system,user}.md.j2`
    reply     the one reply parser: JSON (fenced, prose-wrapped or structured) against a pydantic schema
    breaker   a circuit breaker with an injectable clock
    ledger    tokens per installation per UTC day, in SQLite, for the daily budget
    client    LLMClient: the openai SDK behind timeout, retries, breaker, concurrency limits and budget
    review    llm_review(): grounded, capped, labelled findings from the model, or a one-line note why not
    ask       answer(): `/ask` in the conversation or on a line

Nothing here imports the GitHub layer; callers pass values in and get values back.
"""
