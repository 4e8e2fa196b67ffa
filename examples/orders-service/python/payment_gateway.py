"""Async client for the payment provider, called from the checkout request handlers."""

import asyncio
import logging
import time

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_random_exponential

log = logging.getLogger(__name__)
GATEWAY_URL = "https://payments.example-psp.com/v2"

# GAP: timeout=None removes httpx's 5 s default for every request of this client.
legacy_client = httpx.AsyncClient(base_url=GATEWAY_URL, timeout=None)

# OK: one shared client with explicit timeouts and pool limits; closed in the app's shutdown hook.
client = httpx.AsyncClient(
    base_url=GATEWAY_URL,
    timeout=httpx.Timeout(10.0, connect=3.0),
    limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
)


# GAP: tenacity without stop= retries forever, without wait= it retries immediately.
@retry(retry=retry_if_exception_type(httpx.TransportError))
async def authorize(order_id: str, amount_cents: int) -> dict:
    resp = await client.post("/authorizations", json={"order": order_id, "amount": amount_cents})
    resp.raise_for_status()
    return resp.json()


# OK: bounded, jittered exponential retries on transport errors only.
@retry(
    retry=retry_if_exception_type(httpx.TransportError),
    stop=stop_after_attempt(4),
    wait=wait_random_exponential(multiplier=0.2, max=5),
    reraise=True,
)
async def authorize_ok(order_id: str, amount_cents: int) -> dict:
    resp = await client.post("/authorizations", json={"order": order_id, "amount": amount_cents})
    resp.raise_for_status()
    return resp.json()


async def capture(payment_id: str) -> dict:
    # GAP: a fresh client (and connection pool) for every capture; TLS verification is off.
    async with httpx.AsyncClient(base_url=GATEWAY_URL, timeout=10, verify=False) as c:
        resp = await c.post(f"/payments/{payment_id}/capture")
        resp.raise_for_status()
        return resp.json()


async def wait_for_settlement(payment_id: str) -> str:
    for _ in range(10):
        resp = await client.get(f"/payments/{payment_id}")
        status = resp.json()["status"]
        if status != "pending":
            return status
        # GAP: blocks the event loop, and every other checkout on it, for 2 s.
        time.sleep(2)
    return "pending"


async def wait_for_settlement_ok(payment_id: str) -> str:
    for _ in range(10):
        resp = await client.get(f"/payments/{payment_id}")
        status = resp.json()["status"]
        if status != "pending":
            return status
        # OK: yields to the loop while waiting.
        await asyncio.sleep(2)
    return "pending"


async def refund(payment_id: str, amount_cents: int) -> dict:
    # GAP: asyncio.run inside a running loop raises RuntimeError.
    return asyncio.run(_post_refund(payment_id, amount_cents))


async def refund_ok(payment_id: str, amount_cents: int) -> dict:
    # OK
    return await _post_refund(payment_id, amount_cents)


async def _post_refund(payment_id: str, amount_cents: int) -> dict:
    resp = await client.post(f"/payments/{payment_id}/refunds", json={"amount": amount_cents})
    resp.raise_for_status()
    return resp.json()


async def close() -> None:
    await client.aclose()
    await legacy_client.aclose()
