"""Keep secrets and hidden text from reaching the model: redaction, PR-text sanitising, sensitive paths.

Curated regexes rather than `detect-secrets`: that library reports which *lines* hold a secret (redaction
needs exact spans, and a PEM block spans lines), keeps its plugin settings in process-global state (the
worker is threaded), and has no detector for credentials inside connection URLs. The formats below follow
the vendors' published token shapes; each has a test in tests/llm/test_redact.py.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

_NAME = r"[A-Za-z0-9_.-]*?(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)[A-Za-z0-9_]*"
_PASSWORDISH = re.compile(r"passw|pwd|secret|credential", re.I)
_PLACEHOLDER = re.compile(r"^(?:\$\{.*\}|\{\{.*\}\}|<[^>]*>|%\(?\w+\)?s?|x+|\*+|\.+|changeme|example|dummy|test|redacted)$", re.I)

# (kind, pattern, group holding the secret). Earlier entries win where spans overlap.
_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    (
        "private-key",
        re.compile(
            r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?-----END \1-----"
        ),
        0,
    ),
    # A key block cut off by a hunk or region boundary: the header and the base64-looking lines after it.
    (
        "private-key",
        re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[ \t]*\r?\n[^\n]*?[A-Za-z0-9+/=]{16,}[^\n]*)*"),
        0,
    ),
    ("aws-access-key-id", re.compile(r"(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Z0-9])"), 1),
    (
        "aws-secret-access-key",
        re.compile(
            r"(?i)(?:aws_?)?secret_?(?:access_?)?key[\"'`]?\s*(?::=|=>|[:=])\s*[\"'`]?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"
        ),
        1,
    ),
    ("github-token", re.compile(r"(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,255})(?![A-Za-z0-9_])"), 1),
    ("github-token", re.compile(r"(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{22,255})"), 1),
    ("slack-token", re.compile(r"(?<![A-Za-z0-9])(xox[abposre]-[A-Za-z0-9-]{10,})"), 1),
    ("slack-webhook", re.compile(r"(https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9/_-]{20,})"), 1),
    ("openai-key", re.compile(r"(?<![A-Za-z0-9_-])(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,})"), 1),
    ("stripe-key", re.compile(r"(?<![A-Za-z0-9_])((?:sk|rk)_live_[A-Za-z0-9]{20,})"), 1),
    ("google-api-key", re.compile(r"(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})"), 1),
    ("npm-token", re.compile(r"(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})"), 1),
    (
        "azure-key",
        re.compile(r"(?i)(?:AccountKey|SharedAccessKey|SharedSecretValue|sig)\s*=\s*([A-Za-z0-9%+/=]{16,})"),
        1,
    ),
    ("azure-storage-key", re.compile(r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{86}==)"), 1),
    ("jwt", re.compile(r"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"), 1),
    # scheme://user:password@host — databases, brokers, caches, and plain URLs alike
    ("url-credentials", re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"`]*:([^\s@/'\"`]+)@"), 1),
    # ADO.NET / JDBC / ODBC key=value strings
    (
        "connection-string-password",
        re.compile(r"(?im)(?:^|[;\"'`])[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;'\"`\s()\[\]]{3,})(?=;|[\"'`]|$)"),
        1,
    ),
    ("bearer-token", re.compile(r"(?i)\b(?:bearer|basic)\s+([A-Za-z0-9\-._~+/]{20,}=*)"), 1),
    # Quoted literals assigned to secret-like names (code, YAML, JSON)
    (
        "secret-assignment",
        re.compile(rf"(?i)\b({_NAME})[\"'`]?\s*(?::=|=>|[:=])\s*(?:[a-z]?)([\"'`])([^\"'`\n]{{6,}})\2"),
        3,
    ),
    # Unquoted values (.env files, YAML, properties): only token-shaped, digit-bearing values
    (
        "secret-assignment",
        re.compile(rf"(?im)^[ \t]*(?:export[ \t]+)?({_NAME})[ \t]*[:=][ \t]*([A-Za-z0-9+/=_\-]{{12,}})[ \t]*(?:#.*)?$"),
        2,
    ),
]

_GENERIC = "secret-assignment"
_BIDI_AND_ZERO_WIDTH = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e\u00ad]")
_HTML_COMMENT = re.compile(r"<!--[\s\S]*?(?:-->|$)")

_SENSITIVE_NAMES = frozenset(
    {
        "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "credentials", "credentials.json", "credentials.yml",
        "credentials.yaml", "secrets.json", "secrets.yml", "secrets.yaml", ".npmrc", ".pypirc", ".netrc", "_netrc",
        ".git-credentials", ".htpasswd", ".pgpass", ".dockercfg", "terraform.tfstate", "terraform.tfstate.backup",
        "service-account.json", "keystore.jks",
    }
)  # fmt: skip
_SENSITIVE_SUFFIXES = (
    ".pem", ".key", ".p12", ".pfx", ".crt", ".cer", ".der", ".p8", ".jks", ".keystore", ".kdbx", ".tfstate",
    ".ovpn", ".gpg", ".asc", ".ppk",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Redacted:
    """Text with its secrets replaced by `[REDACTED:<kind>]`; `kinds` counts what was replaced."""

    text: str
    count: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _generic_is_secret(name: str, value: str) -> bool:
    value = value.strip()
    if "REDACTED:" in value or _PLACEHOLDER.match(value) or value.startswith(("$", "{{", "%(")):
        return False
    if _PASSWORDISH.search(name) and len(value) >= 6:
        return True
    return len(value) >= 8 and entropy(value) >= 3.0


def redact(text: str) -> Redacted:
    """Replace every secret of a known format, and high-entropy values assigned to secret-like names.

    Line breaks inside a secret (a PEM block) are kept, so new-file line numbers stay right.
    """
    spans: list[tuple[int, int, str]] = []
    for kind, pattern, group in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span(group)
            if start == end:
                continue
            if kind == _GENERIC and not _generic_is_secret(m.group(1), m.group(group)):
                continue
            spans.append((start, end, kind))
    if not spans:
        return Redacted(text)
    # Earlier patterns are more specific; sort is stable, so among equal starts the first pattern wins.
    spans.sort(key=lambda s: s[0])
    out: list[str] = []
    kinds: Counter[str] = Counter()
    pos = 0
    for start, end, kind in spans:
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append(f"[REDACTED:{kind}]" + "\n" * text.count("\n", start, end))
        kinds[kind] += 1
        pos = end
    out.append(text[pos:])
    return Redacted("".join(out), sum(kinds.values()), kinds)


def reveal_invisible(text: str) -> str:
    """Bidi controls and zero-width characters made visible as `<U+XXXX>` (Trojan Source hides code in them)."""
    return _BIDI_AND_ZERO_WIDTH.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def strip_invisible(text: str) -> str:
    return _BIDI_AND_ZERO_WIDTH.sub("", text)


def strip_html_comments(text: str) -> str:
    return _HTML_COMMENT.sub("", text)


def sanitize_pr_text(text: str) -> str:
    """PR title/body/comments as the model may see them: no hidden HTML comments, no bidi or zero-width
    characters, no NULs, normalised line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    return strip_invisible(strip_html_comments(text)).strip()


def is_sensitive_path(path: str) -> bool:
    """Files never sent to the model whatever their content: env files, keys, certificates, credential
    stores, Terraform state."""
    p = PurePosixPath(path.replace("\\", "/"))
    name = p.name.lower()
    # `.env.example` and friends too: templates are where real values get pasted by mistake
    if name == ".env" or name.startswith(".env.") or name.endswith(".env"):
        return True
    if name in _SENSITIVE_NAMES or name.endswith(_SENSITIVE_SUFFIXES):
        return True
    if name.startswith(("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519")) and not name.endswith(".pub"):
        return True
    parts = {part.lower() for part in p.parts[:-1]}
    return bool(parts & {".ssh", ".aws", ".gnupg", ".docker"}) and name in {"config", "credentials", "config.json"}
