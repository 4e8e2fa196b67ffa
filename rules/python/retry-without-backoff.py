import asyncio
import logging
import random
import time

import httpx
import requests
import urllib3
from requests.adapters import HTTPAdapter
from tenacity import (
    AsyncRetrying,
    retry,
    stop_after_attempt,
    wait_exponential,
    wait_fixed,
    wait_random,
    wait_random_exponential,
)
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)
RETRY_DELAY = 2
MAX_ATTEMPTS = 4


def fetch_order(order_id):
    # ruleid: retry-without-backoff
    for attempt in range(5):
        try:
            return requests.get(f"https://orders.internal/orders/{order_id}", timeout=5).json()
        except requests.RequestException:
            log.warning("order fetch failed, attempt %d", attempt)
            time.sleep(1)
    raise RuntimeError("orders unavailable")


async def reserve_stock(client, sku, qty):
    attempt = 0
    # ruleid: retry-without-backoff
    while attempt < MAX_ATTEMPTS:
        try:
            resp = await client.post("/reservations", json={"sku": sku, "qty": qty})
            resp.raise_for_status()
            return resp.json()
        except httpx.HTTPError:
            attempt += 1
        await asyncio.sleep(RETRY_DELAY)
    raise RuntimeError("inventory unavailable")


def publish_event(producer, event):
    # No delay at all: three immediate hits on a struggling broker.
    # ruleid: retry-without-backoff
    for _ in range(3):
        try:
            producer.send("orders", event)
            break
        except ConnectionError:
            continue


# ruleid: retry-without-backoff
@retry(stop=stop_after_attempt(5))
def capture_payment(payment_id):
    return requests.post(f"https://payments.internal/captures/{payment_id}", timeout=10)


# ruleid: retry-without-backoff
@retry(stop=stop_after_attempt(5), wait=wait_fixed(2))
def refund_payment(payment_id):
    return requests.post(f"https://payments.internal/refunds/{payment_id}", timeout=10)


def make_session():
    session = requests.Session()
    # ruleid: retry-without-backoff
    retries = Retry(total=5, status_forcelist=[502, 503, 504])
    session.mount("https://", HTTPAdapter(max_retries=retries))
    return session


def make_legacy_session():
    session = requests.Session()
    # ruleid: retry-without-backoff
    session.mount("https://", HTTPAdapter(max_retries=3))
    return session


def fetch_order_backoff(order_id):
    # ok: retry-without-backoff
    for attempt in range(5):
        try:
            return requests.get(f"https://orders.internal/orders/{order_id}", timeout=5).json()
        except requests.RequestException:
            if attempt == 4:
                raise
            time.sleep(min(30, 0.5 * 2 ** attempt) + random.uniform(0, 0.5))


def reconnect_once(db, sql):
    # A single immediate retry after re-opening a stale connection is fine.
    # ok: retry-without-backoff
    for attempt in range(2):
        try:
            return db.execute(sql)
        except ConnectionError:
            db.reconnect()


def load_all(items):
    # Iterating over work items, not retrying.
    # ok: retry-without-backoff
    for item in items:
        try:
            return item.load()
        except KeyError:
            time.sleep(1)


def poll_queue(queue):
    # A poll loop with a fixed interval, not a retry (no exit on success).
    # ok: retry-without-backoff
    while True:
        try:
            for message in queue.receive(max_messages=10):
                message.process()
        except Exception:
            log.exception("poll failed")
        time.sleep(5)


# ok: retry-without-backoff
@retry(stop=stop_after_attempt(5), wait=wait_random_exponential(multiplier=0.5, max=30))
def ship_order(order_id):
    return requests.post(f"https://shipping.internal/shipments/{order_id}", timeout=10)


# Fixed wait plus jitter de-synchronises clients.
# ok: retry-without-backoff
@retry(stop=stop_after_attempt(3), wait=wait_fixed(1) + wait_random(0, 1))
def cancel_order(order_id):
    return requests.delete(f"https://orders.internal/orders/{order_id}", timeout=10)


async def notify(client, payload):
    # ok: retry-without-backoff
    async for attempt in AsyncRetrying(stop=stop_after_attempt(4), wait=wait_exponential(max=10)):
        with attempt:
            await client.post("/notifications", json=payload)


def make_resilient_session():
    session = requests.Session()
    # ok: retry-without-backoff
    retries = Retry(total=5, backoff_factor=0.5, status_forcelist=[502, 503, 504])
    session.mount("https://", HTTPAdapter(max_retries=retries))
    # ok: retry-without-backoff
    session.mount("http://", HTTPAdapter(max_retries=Retry(0)))
    return session


def module_of(modules, fullname):
    # A lookup over candidates, not a retry.
    # ok: retry-without-backoff
    for i in range(fullname.count(".")):
        try:
            return modules[fullname.rsplit(".", i + 1)[0]]
        except KeyError:
            pass


def s3_pool(timeout):
    # One retry: there is no schedule to back off on.
    # ok: retry-without-backoff
    return urllib3.PoolManager(timeout=timeout, retries=Retry(total=1))
