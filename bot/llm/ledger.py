"""Tokens used per installation per UTC day, kept in SQLite so every worker and process shares one count."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.errors import LLMUnavailable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS llm_usage (
    installation TEXT NOT NULL,
    day TEXT NOT NULL,
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    calls INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (installation, day)
)
"""
CLI_INSTALLATION = "cli"


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def installation_key(installation: str | int | None) -> str:
    return CLI_INSTALLATION if installation is None else str(installation)


@dataclass(frozen=True, slots=True)
class Usage:
    tokens_in: int = 0
    tokens_out: int = 0
    calls: int = 0

    @property
    def total(self) -> int:
        return self.tokens_in + self.tokens_out


class UsageLedger:
    """Token use per installation per UTC day; a connection per operation, so any thread may call."""

    def __init__(self, path: Path, *, today: Callable[[], dt.date] = utc_today) -> None:
        self.path = path
        self._today = today
        self._ready = False
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        try:
            if not self._ready:
                with self._lock:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with sqlite3.connect(self.path, timeout=10) as conn:
                        conn.execute("PRAGMA journal_mode=WAL")
                        conn.execute(_SCHEMA)
                    self._ready = True
            return sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise LLMUnavailable(f"token ledger {self.path} cannot be opened: {exc}") from exc

    def usage(self, installation: str | int | None, day: dt.date | None = None) -> Usage:
        day_s = (day or self._today()).isoformat()
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT tokens_in, tokens_out, calls FROM llm_usage WHERE installation = ? AND day = ?",
                (installation_key(installation), day_s),
            ).fetchone()
        except sqlite3.Error as exc:
            raise LLMUnavailable(f"token ledger {self.path} cannot be read: {exc}") from exc
        finally:
            conn.close()
        return Usage(*row) if row else Usage()

    def add(self, installation: str | int | None, tokens_in: int, tokens_out: int, *, calls: int = 1) -> None:
        conn = self._connect()
        try:
            with conn:
                conn.execute(
                    "INSERT INTO llm_usage (installation, day, tokens_in, tokens_out, calls) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (installation, day) DO UPDATE SET tokens_in = tokens_in + excluded.tokens_in, "
                    "tokens_out = tokens_out + excluded.tokens_out, calls = calls + excluded.calls",
                    (installation_key(installation), self._today().isoformat(), tokens_in, tokens_out, calls),
                )
        except sqlite3.Error as exc:
            raise LLMUnavailable(f"token ledger {self.path} cannot be written: {exc}") from exc
        finally:
            conn.close()
