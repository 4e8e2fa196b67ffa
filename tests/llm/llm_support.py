"""Values shared by the LLM layer's tests: the small orders client the reply samples refer to, sample
replies, and a fake clock whose sleep only records."""

from __future__ import annotations

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


# (kind, a line of code holding the secret, the secret itself). Values are made up in the vendors' shapes.
SECRETS = [
    ("aws-access-key-id", 'AWS_ACCESS_KEY_ID = "AKIAQWERTYUIOPASDFGH"', "AKIAQWERTYUIOPASDFGH"),
    (
        "aws-secret-access-key",
        'aws_secret_access_key = "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"',
        "wJalrXUtnFEMIK7MDENGbPxRfiCYzq8xR2d9Lm0p",
    ),
    ("github-token", 'token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3sXyZ"', "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3sXyZ"),
    ("github-token", "GH = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'", "ghs_16C7e42F292c6912E7710c838347Ae178B4a"),
    (
        "github-token",
        "pat: github_pat_11AAAAAAA0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuV",
        "github_pat_11AAAAAAA0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuV",
    ),
    ("slack-token", 'SLACK = "xoxb-2048151623-4096302145-Zq8xR2d9Lm0pWv3Ys5Tn7Kb1"', "xoxb-2048151623-4096302145-Zq8xR2d9Lm0pWv3Ys5Tn7Kb1"),
    (
        "slack-webhook",
        'hook = "https://hooks.slack.com/services/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"',
        "Zq8xR2d9Lm0pWv3Ys5Tn7Kb1",
    ),
    (
        "azure-key",
        'conn = "DefaultEndpointsProtocol=https;AccountName=orders;AccountKey=Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2Df4Gh6Jk8Lz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df1Gh3Jk5==;EndpointSuffix=core.windows.net"',
        "Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2Df4Gh6Jk8Lz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df1Gh3Jk5==",
    ),
    (
        "azure-key",
        'bus = "Endpoint=sb://orders.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D="',
        "Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D=",
    ),
    (
        "private-key",
        'KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2Df4Gh6Jk8\nLz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df1Gh3Jk5Lz7Xc9Vb1Nm3Qw5Er7Ty9Ui1Op\n-----END RSA PRIVATE KEY-----"""',
        "MIIEpAIBAAKCAQEAq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2Df4Gh6Jk8",
    ),
    (
        "private-key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    ),
    (
        "jwt",
        'auth = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlcnMiLCJpYXQiOjE3MDAwMDAwMDB9.Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D"',
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJvcmRlcnMiLCJpYXQiOjE3MDAwMDAwMDB9.Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D",
    ),
    ("url-credentials", 'DB = "postgresql://orders:Qw4Er6Ty8Ui0@db.internal:5432/orders"', "Qw4Er6Ty8Ui0"),
    ("url-credentials", 'cache = "redis://:Zx9Cv7Bn5Ml3@cache:6379/0"', "Zx9Cv7Bn5Ml3"),
    ("url-credentials", "MONGO_URL=mongodb+srv://app:Hj4Kl6Zx8Cv0@cluster0.mongodb.net/orders", "Hj4Kl6Zx8Cv0"),
    (
        "connection-string-password",
        '"Server=tcp:orders.database.windows.net;Database=orders;User ID=app;Password=Pz7Xc9Vb1Nm3;"',
        "Pz7Xc9Vb1Nm3",
    ),
    ("bearer-token", 'headers = {"Authorization": "Bearer Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6"}', "Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6"),
    ("openai-key", 'OPENAI = "sk-proj-Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D"', "sk-proj-Zq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8Ui0OpAs2D"),
    ("google-api-key", 'maps_key = "AIzaSyZq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8"', "AIzaSyZq8xR2d9Lm0pWv3Ys5Tn7Kb1Qw4Er6Ty8"),
    ("secret-assignment", 'client_secret = "q8Zr2LmX0pT4vN7wK3"', "q8Zr2LmX0pT4vN7wK3"),
    ("secret-assignment", "db_password: 'hunter2hunter2'", "hunter2hunter2"),
    ("secret-assignment", "PAYMENTS_API_KEY=Zq8xR2d9Lm0pWv3Ys5", "Zq8xR2d9Lm0pWv3Ys5"),
    ("secret-assignment", 'private static final String API_TOKEN = "tK9mW2xQ7vB4nL1z";', "tK9mW2xQ7vB4nL1z"),
]
