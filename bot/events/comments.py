"""Comment events: slash commands in a PR conversation (`issue_comment`) or on a line (review comments)."""

from __future__ import annotations

import re
from typing import Any

from bot.events.routing import Router
from bot.jobs.queue import JobSpec
from bot.settings import Settings

router = Router()
COMMAND_RE = re.compile(r"^\s*/(review|help|ask)\b[ \t]*(.*)", re.S | re.I)
COMMANDS = ("review", "help", "ask")


def parse_command(body: str) -> tuple[str, str] | None:
    """(`review`|`help`|`ask`, the rest) when a comment starts with a command."""
    m = COMMAND_RE.match(body or "")
    if m is None:
        return None
    return m.group(1).lower(), m.group(2).strip()


def is_bot(user: dict[str, Any] | None) -> bool:
    if not user:
        return True
    return user.get("type") == "Bot" or str(user.get("login", "")).endswith("[bot]")


def _command_job(payload: dict[str, Any], number: int, comment: dict[str, Any], *, where: str) -> list[JobSpec]:
    parsed = parse_command(comment.get("body") or "")
    if parsed is None or is_bot(comment.get("user")) or is_bot(payload.get("sender")):
        return []
    command, argument = parsed
    repo = payload["repository"]["full_name"]
    installation = (payload.get("installation") or {}).get("id")
    return [
        JobSpec(
            kind="command",
            key=f"{repo}#{number}",
            installation=str(installation or ""),
            payload={
                "repo": repo,
                "number": number,
                "installation": installation,
                "command": command,
                "argument": argument,
                "comment_id": comment["id"],
                "where": where,
                "user": comment["user"]["login"],
                "path": comment.get("path"),
                "line": comment.get("line") or comment.get("original_line"),
                "in_reply_to": comment.get("in_reply_to_id"),
                "diff_hunk": comment.get("diff_hunk"),
            },
        )
    ]


@router.register("issue_comment", "created")
def on_issue_comment(payload: dict[str, Any], settings: Settings) -> list[JobSpec]:
    issue = payload["issue"]
    if not issue.get("pull_request"):
        return []  # a plain issue: resbot only works on pull requests
    return _command_job(payload, int(issue["number"]), payload["comment"], where="conversation")


@router.register("pull_request_review_comment", "created")
def on_review_comment(payload: dict[str, Any], settings: Settings) -> list[JobSpec]:
    return _command_job(payload, int(payload["pull_request"]["number"]), payload["comment"], where="line")
