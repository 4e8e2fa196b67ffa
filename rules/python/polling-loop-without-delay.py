import asyncio
import time

import boto3
import httpx
import requests

EXPORTS = "https://exports.internal"


def wait_for_export(job_id: str) -> dict:
    # ruleid: polling-loop-without-delay
    while True:
        job = requests.get(f"{EXPORTS}/jobs/{job_id}", timeout=5).json()
        if job["status"] == "done":
            return job


async def wait_for_payment(client: httpx.AsyncClient, payment_id: str) -> str:
    state = "pending"
    # ruleid: polling-loop-without-delay
    while state == "pending":
        resp = await client.get(f"/payments/{payment_id}")
        state = resp.json()["state"]
    return state


def wait_for_stack(name: str) -> None:
    cfn = boto3.client("cloudformation")
    # ruleid: polling-loop-without-delay
    for _ in range(100):
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        if stack["StackStatus"].endswith("_COMPLETE"):
            return


def wait_for_export_politely(job_id: str) -> dict:
    delay = 0.5
    # ok: polling-loop-without-delay
    while True:
        job = requests.get(f"{EXPORTS}/jobs/{job_id}", timeout=5).json()
        if job["status"] == "done":
            return job
        time.sleep(delay)
        delay = min(delay * 2, 10)


async def wait_for_refund(client: httpx.AsyncClient, refund_id: str) -> str:
    state = "pending"
    # ok: polling-loop-without-delay
    while state == "pending":
        await asyncio.sleep(1)
        state = (await client.get(f"/refunds/{refund_id}")).json()["state"]
    return state


def all_orders(session: requests.Session) -> list:
    # Pagination: every request fetches new data.
    orders, url = [], "https://orders.internal/orders"
    # ok: polling-loop-without-delay
    while url:
        page = session.get(url, timeout=5).json()
        orders.extend(page["items"])
        url = page.get("next")
    return orders


def wait_until_ready(client, event) -> None:
    # Blocks on an event between checks.
    # ok: polling-loop-without-delay
    while client.get("/health").json()["status"] != "ready":
        event.wait(2)
