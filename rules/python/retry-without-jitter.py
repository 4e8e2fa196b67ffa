import asyncio
import random
import time

import backoff
import httpx
import requests
import stamina
from tenacity import (
    retry,
    stop_after_attempt,
    wait_exponential,
    wait_exponential_jitter,
    wait_random,
    wait_random_exponential,
)


# ruleid: retry-without-jitter
@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=0.5, max=30))
def reserve_stock(sku):
    return requests.post(f"https://inventory.internal/reserve/{sku}", timeout=5)


# ruleid: retry-without-jitter
@backoff.on_exception(backoff.expo, requests.RequestException, max_tries=5, jitter=None)
def fetch_rates():
    return requests.get("https://rates.internal/latest", timeout=5).json()


def push_invoice(invoice):
    for attempt in range(5):
        try:
            return requests.post("https://billing.internal/invoices", json=invoice, timeout=5)
        except requests.RequestException:
            # ruleid: retry-without-jitter
            time.sleep(0.5 * 2 ** attempt)
    raise RuntimeError("billing unavailable")


async def push_receipt(client: httpx.AsyncClient, receipt):
    for attempt in range(5):
        try:
            return await client.post("/receipts", json=receipt)
        except httpx.HTTPError:
            # ruleid: retry-without-jitter
            await asyncio.sleep(min(30, 1 << attempt))
    raise RuntimeError("receipts unavailable")


# ruleid: retry-without-jitter
@stamina.retry(on=httpx.HTTPError, attempts=5, wait_jitter=0)
async def post_refund(client, refund):
    await client.post("/refunds", json=refund)


# ok: retry-without-jitter
@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(multiplier=0.5, max=30))
def release_stock(sku):
    return requests.post(f"https://inventory.internal/release/{sku}", timeout=5)


# ok: retry-without-jitter
@retry(stop=stop_after_attempt(5), wait=wait_exponential(max=30) + wait_random(0, 1))
def cancel_order(order_id):
    return requests.delete(f"https://orders.internal/orders/{order_id}", timeout=5)


# ok: retry-without-jitter
@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=30))
def ship_order(order_id):
    return requests.post(f"https://shipping.internal/orders/{order_id}", timeout=5)


# backoff jitters by default (full jitter).
# ok: retry-without-jitter
@backoff.on_exception(backoff.expo, requests.RequestException, max_tries=5)
def fetch_prices():
    return requests.get("https://pricing.internal/prices", timeout=5).json()


def push_invoice_jittered(invoice):
    for attempt in range(5):
        try:
            return requests.post("https://billing.internal/invoices", json=invoice, timeout=5)
        except requests.RequestException:
            # ok: retry-without-jitter
            time.sleep(random.uniform(0, min(30, 0.5 * 2 ** attempt)))
    raise RuntimeError("billing unavailable")


def poll_export(job):
    while not job.done():
        # A constant poll interval is not a backoff.
        # ok: retry-without-jitter
        time.sleep(2)


def serve_forever():
    while True:
        # A very long sleep, not a backoff.
        # ok: retry-without-jitter
        time.sleep(2**32)


def _create_exp_backoff_generator(max_value=0):
    delay = 1
    while True:
        yield min(delay, max_value) if max_value else delay
        delay *= 2


def export_spans(session, payload):
    # ruleid: retry-without-jitter
    for delay in _create_exp_backoff_generator(max_value=64):
        if delay == 64:
            return False
        resp = session.post("https://collector.internal/v1/traces", data=payload, timeout=10)
        if resp.ok:
            return True
        time.sleep(delay)


def export_spans_jittered(session, payload):
    # ok: retry-without-jitter
    for delay in _create_exp_backoff_generator(max_value=64):
        resp = session.post("https://collector.internal/v1/traces", data=payload, timeout=10)
        if resp.ok:
            return True
        time.sleep(delay * random.uniform(0.8, 1.2))


def export_batches(session, batches):
    # ok: retry-without-jitter
    for delay in exponential_backoff_with_jitter(5):
        time.sleep(delay)
    # ok: retry-without-jitter
    for batch in _create_exp_backoff_generator(max_value=8):
        session.post("https://collector.internal/v1/traces", data=batch, timeout=10)
        break
