import asyncio
import fcntl
import logging
import os
import random
import time
import urllib.request

import httpx
import requests
import urllib3
from requests.adapters import HTTPAdapter
from sqlalchemy.exc import DatabaseError, IntegrityError
from tenacity import (
    AsyncRetrying,
    Retrying,
    retry,
    retry_if_exception_type,
    stop_after_delay,
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


def send_callback(manager, execution_id, data):
    # ruleid: retry-without-backoff
    for i in range(cfg.CONF.callbacks.max_attempts):
        try:
            manager.update(execution_id, **data)
            break
        except ConnectionError:
            log.warning("callback failed")
            eventlet.sleep(cfg.CONF.callbacks.retry_wait)


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


# A few attempts far apart: six tries ten seconds apart shed the load a growing delay would.
# ok: retry-without-backoff
@retry(stop=stop_after_attempt(6), wait=wait_fixed(10))
def fetch_library(section_id):
    return requests.get(f"https://media.internal/library/sections/{section_id}", timeout=10)


# ... but not when the attempts are unbounded.
# ruleid: retry-without-backoff
@retry(wait=wait_fixed(10))
def fetch_library_forever(section_id):
    return requests.get(f"https://media.internal/library/sections/{section_id}/all", timeout=10)


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


def claim_version(session, record, next_version):
    # A lost write race: re-read the next free number and try again at once.
    # ok: retry-without-backoff
    for attempt in range(3):
        try:
            session.insert_version(record, next_version)
            break
        except IntegrityError:
            next_version = session.next_version(record)


def save_version(session, record, next_version):
    # The same loop retrying on any database error is a retry of the database.
    # ruleid: retry-without-backoff
    for attempt in range(3):
        try:
            session.insert_version(record, next_version)
            break
        except DatabaseError:
            next_version = session.next_version(record)


def wait_for_db(db):
    retried = False
    # One retry after a pause, then give up.
    # ok: retry-without-backoff
    while not retried:
        try:
            db.execute("SELECT 1")
            return
        except DatabaseError:
            time.sleep(30)
        retried = True


class ExportStillRunning(Exception):
    pass


def wait_for_export(client, job_id, cadence=5, timeout=1800):
    def check():
        if client.job_state(job_id) in ("PENDING", "RUNNING"):
            raise ExportStillRunning(job_id)

    # Polls the job at a fixed cadence until it leaves a running state.
    # ok: retry-without-backoff
    poller = Retrying(
        wait=wait_fixed(cadence),
        stop=stop_after_delay(timeout),
        retry=retry_if_exception_type(ExportStillRunning),
        reraise=True,
    )
    poller(check)


def wait_for_db_ready(db, timeout=60):
    started = time.monotonic()
    # Start-up readiness poll: a fixed interval until the deadline.
    # ok: retry-without-backoff
    while True:
        try:
            db.execute("SELECT 1")
            return
        except DatabaseError:
            if time.monotonic() - started > timeout:
                raise
        time.sleep(1)


def rename_when_released(src, dst):
    # A local file held by another process (a virus scanner): no remote dependency to overload.
    # ok: retry-without-backoff
    for _attempt in range(10):
        try:
            os.rename(src, dst)
            return
        except PermissionError:
            time.sleep(2)
    raise OSError(f"{src} stayed locked")


def take_project_lock(lock_fd, cancelled):
    # ok: retry-without-backoff
    while True:
        try:
            fcntl.lockf(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if cancelled():
                raise
            time.sleep(1)


def smoke_test_started_binary():
    # Waiting for the binary this script just started to answer on localhost.
    base_url = "http://127.0.0.1:8080/"
    # ok: retry-without-backoff
    for _ in range(30):
        try:
            urllib.request.urlopen(base_url, timeout=1).read()
            return
        except OSError:
            time.sleep(1)
    raise RuntimeError("no answer")


# ---- retries by recursion ----


class PeerClient:
    def __init__(self, host):
        self.host = host
        self.token = None

    async def connect(self):
        try:
            return await asyncio.open_connection(self.host, 443)
        except OSError:
            logging.warning("connect to %s failed, retrying", self.host)
            # ruleid: retry-without-backoff
            return await self.connect()

    def fetch_peers(self):
        try:
            return requests.get(f"https://{self.host}/peers", timeout=5).json()
        except requests.RequestException:
            # ruleid: retry-without-backoff
            peers = self.fetch_peers()
            return peers

    def fetch_paced(self):
        try:
            return requests.get(f"https://{self.host}/peers", timeout=5).json()
        except requests.RequestException:
            time.sleep(random.uniform(0, 2))
            # ok: retry-without-backoff
            return self.fetch_paced()

    def fetch_authed(self):
        try:
            return requests.get(f"https://{self.host}/me", headers={"Authorization": self.token}, timeout=5)
        except requests.HTTPError:
            self.token = self.refresh_token()
            # ok: retry-without-backoff
            return self.fetch_authed()

    def load(self):
        try:
            return requests.get(f"https://{self.host}/state", timeout=5).json()
        except requests.RequestException:
            # A different function: a fallback, not a retry.
            # ok: retry-without-backoff
            return self.load_cached()

    def load_cached(self):
        return {}

    def refresh_token(self):
        return "t"


def ping(url):
    try:
        return urllib.request.urlopen(url, timeout=3).status
    except OSError:
        # ruleid: retry-without-backoff
        return ping(url)


class VersionedController:
    def __getattribute__(self, key):
        try:
            table = object.__getattribute__(self, "versions")
        except AttributeError:
            # The base implementation of the same name: a delegation, not a retry.
            # ok: retry-without-backoff
            return object.__getattribute__(self, key)
        return table[key]


def string_to_enum(field, value, strict=False):
    try:
        return field.values[value]
    except KeyError:
        if strict:
            raise
        # Other values (the upper-cased name, strict): a fallback, not the same work again.
        # ok: retry-without-backoff
        return string_to_enum(field, value.upper(), strict=True)


def run_listeners(client, attempt=0):
    try:
        client.run()
    except Exception:
        logging.exception("listener failed")
        # ruleid: retry-without-backoff
        run_listeners(client, attempt + 1)


class Watcher:
    def __init__(self, etcd, reconnect_intvl=0.5):
        self.etcd = etcd
        self.watch_reconnect_intvl = reconnect_intvl
        self.backoff = Backoff()

    async def watch(self, key):
        done = False
        # ruleid: retry-without-backoff
        while not done:
            try:
                async for event in self.etcd.watch(key):
                    yield event
                done = True
            except ConnectionError:
                await asyncio.sleep(self.watch_reconnect_intvl)

    async def watch_fixed(self, key):
        finished = False
        # ruleid: retry-without-backoff
        while not finished:
            try:
                await self.etcd.get(key)
                finished = True
            except ConnectionError:
                await asyncio.sleep(RECONNECT_DELAY)

    async def watch_slower(self, key):
        done = False
        # ok: retry-without-backoff
        while not done:
            try:
                async for event in self.etcd.watch(key):
                    yield event
                done = True
            except ConnectionError:
                await asyncio.sleep(self.backoff.next_delay())

    async def drain(self, queue):
        done = False
        # ok: retry-without-backoff
        while not done:
            try:
                await queue.flush()
                done = True
            except IntegrityError:
                await asyncio.sleep(1)

    async def wait_for_etcd_ready(self, key):
        ready = False
        # ok: retry-without-backoff
        while not ready:
            try:
                await self.etcd.get(key)
                ready = True
            except ConnectionError:
                await asyncio.sleep(self.watch_reconnect_intvl)


class NetworkCreator:
    def __init__(self, docker, hosts):
        self.docker = docker
        self.hosts = hosts

    def create_network(self, name):
        # ruleid: retry-without-backoff
        for attempt in (1, 2, 3):
            created = self.docker.create_network(name)
            if created:
                return created
            time.sleep(1)
        raise RuntimeError("cannot create network %s" % name)

    def attach(self, container):
        # ruleid: retry-without-backoff
        for retry in range(5):
            if self.docker.connect(container):
                break
            time.sleep(RETRY_DELAY)

    def detach(self, container):
        # ruleid: retry-without-backoff
        for tries in [1, 2, 3, 4]:
            ok = self.docker.disconnect(container)
            if ok:
                return ok
            time.sleep(2)

    def create_network_backing_off(self, name):
        # ok: retry-without-backoff
        for attempt in (1, 2, 3):
            created = self.docker.create_network(name)
            if created:
                return created
            time.sleep(2 ** attempt - 1)

    def first_reachable(self):
        # Trying each host in turn: not retrying one.
        # ok: retry-without-backoff
        for host in self.hosts:
            if self.docker.ping(host):
                return host
            time.sleep(1)

    def wait_for_network_ready(self, name):
        # ok: retry-without-backoff
        for attempt in range(30):
            if self.docker.inspect_network(name):
                return True
            time.sleep(1)
        return False


async def wait_for_sidecar(sock, host, port, deadline):
    while True:
        try:
            sock.connect((host, port))
            return
        except OSError:
            if time.time() > deadline:
                raise
            # ruleid: retry-without-backoff
            asyncio.sleep(1)


async def publish_until_accepted(broker, message):
    for attempt in range(5):
        if await broker.publish(message):
            return True
        # ruleid: retry-without-backoff
        asyncio.sleep(0.5 * 2 ** attempt)
    return False


async def wait_for_sidecar_awaiting(sock, host, port, deadline):
    delay = 0.1
    while True:
        try:
            sock.connect((host, port))
            return
        except OSError:
            if time.time() > deadline:
                raise
            # ok: retry-without-backoff
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5)


async def settle_once():
    # Not in a loop: a stray coroutine, but no retry spins here.
    # ok: retry-without-backoff
    asyncio.sleep(0)


async def pause_tasks(loop, seconds):
    # Scheduled as a task on purpose: the loop keeps the handle.
    tasks = []
    for _ in range(3):
        # ok: retry-without-backoff
        tasks.append(asyncio.ensure_future(asyncio.sleep(seconds)))
    return tasks
