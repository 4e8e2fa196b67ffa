"""Values shared by the LLM layer's tests: the small orders client the reply samples refer to, sample
replies, and a fake clock whose sleep only records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.llm.changes import Hunk, HunkLine, ReviewFile

LLM_SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "llm"

ORDERS_TEXT = '''"""Orders client."""
import time

import requests


class OrdersClient:
    def stock(self, sku):
        resp = requests.get(f"{self.base}/stock/{sku}")
        return resp.json()

    def reserve(self, sku):
        for _ in range(10):
            try:
                return requests.post(f"{self.base}/reserve/{sku}", timeout=5)
            except requests.ConnectionError:
                continue
        raise RuntimeError("no stock")
'''

ORDERS_PATCH = "\n".join(
    [
        "@@ -6,5 +6,13 @@",
        " ",
        " class OrdersClient:",
        "     def stock(self, sku):",
        '-        resp = requests.get(f"{self.base}/stock/{sku}", timeout=5)',
        '+        resp = requests.get(f"{self.base}/stock/{sku}")',
        "         return resp.json()",
        "+",
        "+    def reserve(self, sku):",
        "+        for _ in range(10):",
        "+            try:",
        '+                return requests.post(f"{self.base}/reserve/{sku}", timeout=5)',
        "+            except requests.ConnectionError:",
        "+                continue",
        '+        raise RuntimeError("no stock")',
    ]
)
ORDERS_ADDED = frozenset({9, *range(11, 19)})


def orders_file(path: str = "orders_client.py") -> ReviewFile:
    return ReviewFile.from_patch(path, ORDERS_PATCH, new_text=ORDERS_TEXT)


def sample(name: str) -> str:
    return (LLM_SAMPLES / name).read_text(encoding="utf-8")


@dataclass
class FakeClock:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        # Backoff waits are recorded and the clock moves on; no test ever waits for real.
        self.sleeps.append(seconds)
        self.now += seconds


def file_with_added(path: str, text: str, added: set[int], *, context: int = 3) -> ReviewFile:
    """A ReviewFile whose hunks add exactly `added` (new-side line numbers) to `text`."""
    lines = text.splitlines()
    hunks: list[Hunk] = []
    for run in _runs(sorted(added)):
        start, end = max(1, run[0] - context), min(len(lines), run[-1] + context)
        hunk_lines = tuple(HunkLine("+" if n in added else " ", n, lines[n - 1]) for n in range(start, end + 1))
        hunks.append(Hunk(start, hunk_lines))
    return ReviewFile.build(path, hunks, new_text=text)


def _runs(nums: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for n in nums:
        if out and n - out[-1][-1] <= 7:
            out[-1].append(n)
        else:
            out.append([n])
    return out


def service_module(name: str, *, functions: int = 4, body: int = 8, outbound: bool = False) -> tuple[str, set[int]]:
    """A Python module of `functions` functions of `body` lines; one changed line in each function."""
    lines = ['"""Generated service module."""', "import logging", ""]
    added: set[int] = set()
    for i in range(functions):
        lines += ["", f"def {name}_step_{i}(order, ledger):"]
        for j in range(body):
            if j == body // 2:
                call = f"requests.post(ledger.url, json=order)  # step {i}" if outbound else f"order.total += {i * j}"
                lines.append(f"    {call}")
                added.add(len(lines))
            else:
                lines.append(f"    logging.info('step %s of %s', {i}, {j})")
        lines.append("    return order")
    return "\n".join(lines) + "\n", added
