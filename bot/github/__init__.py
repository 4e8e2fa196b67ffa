"""GitHub edge: authenticated clients, reading pull requests, publishing reviews idempotently."""
