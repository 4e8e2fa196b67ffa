import asyncio
import logging
import random
import time

import anyio
import backoff
import httpx
import requests
import retrying
import stamina
import tenacity
from tenacity import retry, stop_after_attempt, stop_after_delay, wait_exponential

log = logging.getLogger(__name__)


def fetch_exchange_rates():
    delay = 0.5
    # ruleid: retry-without-cap
    while True:
        try:
            return requests.get("https://rates.internal/latest", timeout=5).json()
        except requests.RequestException:
            log.warning("rates unavailable, retrying in %.1fs", delay)
            time.sleep(delay)
            delay = min(delay * 2, 30)


async def submit_shipment(client, shipment):
    # ruleid: retry-without-cap
    while 1:
        try:
            resp = await client.post("/shipments", json=shipment)
            resp.raise_for_status()
            break
        except httpx.HTTPError:
            await asyncio.sleep(2)


# ruleid: retry-without-cap
@retry
def load_catalog():
    return requests.get("https://catalog.internal/items", timeout=5).json()


# ruleid: retry-without-cap
@tenacity.retry(wait=wait_exponential(multiplier=1, max=30))
def charge(order):
    return requests.post("https://payments.internal/charges", json=order, timeout=10)


# ruleid: retry-without-cap
@backoff.on_exception(backoff.expo, requests.RequestException)
def fetch_inventory(sku):
    return requests.get(f"https://inventory.internal/stock/{sku}", timeout=5).json()


# ruleid: retry-without-cap
@stamina.retry(on=httpx.HTTPError, attempts=None, timeout=None)
async def push_invoice(client, invoice):
    await client.post("/invoices", json=invoice)


# A listener that never returns: the retry restarts it after a lost connection, for as long as the process runs.
# ok: retry-without-cap
@tenacity.retry(wait=wait_exponential(min=1, max=30))
def listen(redis_client, clients):
    pubsub = redis_client.pubsub()
    pubsub.subscribe("events")
    while True:
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
        if message:
            for queue in clients:
                queue.put(message["data"])


# A loop that returns once it has an answer is a retried operation, not a daemon.
# ruleid: retry-without-cap
@tenacity.retry(wait=wait_exponential(min=1, max=30))
def next_batch(queue_client):
    while True:
        batch = queue_client.get("/batches/next", timeout=5).json()
        if batch:
            return batch


def fetch_exchange_rates_bounded():
    attempt = 0
    # ok: retry-without-cap
    while True:
        try:
            return requests.get("https://rates.internal/latest", timeout=5).json()
        except requests.RequestException:
            attempt += 1
            if attempt >= 5:
                raise
            time.sleep(min(30, 2 ** attempt) + random.random())


def consume(queue):
    # A consumer loop, not a retry: it never returns on success.
    # ok: retry-without-cap
    while True:
        try:
            message = queue.get(timeout=1)
            message.process()
        except Exception:
            log.exception("message failed")
            time.sleep(1)


# ok: retry-without-cap
@tenacity.retry(wait=wait_exponential(max=30), stop=stop_after_attempt(5) | stop_after_delay(60))
def refund(order):
    return requests.post("https://payments.internal/refunds", json=order, timeout=10)


# ok: retry-without-cap
@backoff.on_exception(backoff.expo, requests.RequestException, max_time=60)
def fetch_prices(sku):
    return requests.get(f"https://pricing.internal/prices/{sku}", timeout=5).json()


# stamina is bounded by default (10 attempts, 45 s).
# ok: retry-without-cap
@stamina.retry(on=httpx.HTTPError)
async def push_receipt(client, receipt):
    await client.post("/receipts", json=receipt)


RETRY_POLICY = {"stop": stop_after_attempt(3), "wait": wait_exponential(max=10)}


# Settings forwarded through **kwargs: resbot cannot see inside them.
# ok: retry-without-cap
@retry(**RETRY_POLICY)
def reserve(sku):
    return requests.post(f"https://inventory.internal/reserve/{sku}", timeout=5)


def remove_with_retry(func, max_wait=1.0):
    started = time.time()
    wait_time = 0.01
    # Gives up from inside the handler once the budget is spent.
    # ok: retry-without-cap
    while True:
        try:
            func()
            return
        except OSError:
            wait_time = min(wait_time * 2, started + max_wait - time.time())
            if wait_time <= 0.01:
                raise
            time.sleep(wait_time)


def wait_for_export(client, job_id):
    # A job that hangs in RUNNING keeps this caller waiting forever.
    # ruleid: retry-without-cap
    while True:
        job = client.get_job(job_id)
        if job.state in ("PENDING", "RUNNING"):
            log.info("export %s is still %s", job_id, job.state)
            time.sleep(30)
        else:
            break
    return job


def wait_for_export_bounded(client, job_id, timeout=1800):
    deadline = time.monotonic() + timeout
    # ok: retry-without-cap
    while True:
        job = client.get_job(job_id)
        if job.state not in ("PENDING", "RUNNING"):
            return job
        if time.monotonic() > deadline:
            raise TimeoutError(f"export {job_id} did not finish in {timeout} s")
        time.sleep(30)


class Heartbeat:
    def __init__(self, send):
        self.state = "running"
        self.send = send

    def run(self):
        # The object's own run flag: a daemon loop, not a wait for a remote job.
        # ok: retry-without-cap
        while True:
            if self.state == "stopped":
                break
            self.send()
            time.sleep(10)


async def wait_for_resume(client, run_id, timeout=600, poll_interval=10):
    # The cancel scope around the loop is its time limit.
    with anyio.move_on_after(timeout):
        # ok: retry-without-cap
        while True:
            run = await client.read_run(run_id)
            if run.status in ("RUNNING", "COMPLETED"):
                return run
            await anyio.sleep(poll_interval)
    raise TimeoutError(f"run {run_id} was not resumed in {timeout} s")


def is_throttled(exc):
    return isinstance(exc, requests.HTTPError) and exc.response.status_code == 429


# The retrying library never stops unless told to.
# ruleid: retry-without-cap
@retrying.retry(retry_on_exception=is_throttled, wait_fixed=2000)
def upload_certificate(client, name, body):
    return client.put(f"/certificates/{name}", data=body, timeout=10)


# ruleid: retry-without-cap
@retrying.retry
def refresh_inventory(client):
    return client.get("/inventory", timeout=10)


# ok: retry-without-cap
@retrying.retry(retry_on_exception=is_throttled, wait_exponential_multiplier=500, stop_max_attempt_number=25)
def delete_certificate(client, name):
    return client.delete(f"/certificates/{name}", timeout=10)


# ok: retry-without-cap
@retrying.retry(wait_fixed=1000, stop_max_delay=30000)
def rotate_certificate(client, name):
    return client.post(f"/certificates/{name}/rotate", timeout=10)
