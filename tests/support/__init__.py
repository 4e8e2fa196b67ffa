"""Test support: the GitHub REST simulator (`github_sim`), its OpenAPI checks and webhook example payloads."""
