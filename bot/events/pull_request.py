"""pull_request events: opened, reopened, synchronize and ready_for_review become review jobs."""

from __future__ import annotations

from typing import Any

from bot.events.routing import Router
from bot.jobs.queue import JobSpec
from bot.settings import Settings

router = Router()


def review_job(
    *, repo: str, number: int, installation: int | None, head_sha: str | None, trigger: str, force: bool = False
) -> JobSpec:
    key = f"{repo}#{number}"
    return JobSpec(
        kind="review",
        key=key,
        coalesce_key=key,
        head_sha=head_sha,
        installation=str(installation or ""),
        payload={"repo": repo, "number": number, "installation": installation, "head_sha": head_sha, "trigger": trigger},
        force=force,
    )


@router.register("pull_request", "opened", "reopened", "synchronize", "ready_for_review")
def on_pull_request(payload: dict[str, Any], settings: Settings) -> list[JobSpec]:
    pr = payload["pull_request"]
    if pr.get("state") == "closed":
        return []
    if pr.get("draft") and payload["action"] != "ready_for_review" and not settings.review_drafts:
        return []
    return [
        review_job(
            repo=payload["repository"]["full_name"],
            number=int(pr["number"]),
            installation=(payload.get("installation") or {}).get("id"),
            head_sha=pr["head"]["sha"],
            trigger=payload["action"],
        )
    ]
