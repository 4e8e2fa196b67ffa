import asyncio
import collections
import queue
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


def all_issues(session, project) -> list:
    # Pagination with a page counter: each request reads the next page; the status code is checked.
    issues, page = [], 1
    # ok: polling-loop-without-delay
    while page <= 100:
        response = session.get("https://scanner.internal/api/issues", params={"project": project, "p": page}, timeout=10)
        if response.status_code != 200:
            raise RuntimeError(response.text)
        body = response.json()
        issues.extend(body["issues"])
        if not body["issues"]:
            break
        page += 1
    return issues


def all_remediations(session, base) -> list:
    # Following the next link of each page until there is none.
    items, url = [], "/api/remediations"
    # ok: polling-loop-without-delay
    while url:
        res = session.get(base + url, timeout=30)
        if res.status_code != 200:
            return items
        items.extend(res.json()["data"])
        url = res.json()["links"]["next"]
    return items


async def listen(ws_client, output) -> None:
    listener = asyncio.create_task(ws_client.forward(output))
    # Reopen the connection when it closes: zero seconds only yields, so this loop spins.
    # ruleid: polling-loop-without-delay
    while ws_client.is_open():
        await asyncio.sleep(0)
    listener.cancel()


def wait_until_flushed(buffer) -> None:
    # ruleid: polling-loop-without-delay
    while buffer.pending():
        time.sleep(0)


async def drain(queue) -> None:
    # ruleid: polling-loop-without-delay
    while not queue.empty():
        await asyncio.sleep(00)


async def watch_connection(ws_client) -> None:
    # A real pause between checks.
    # ok: polling-loop-without-delay
    while ws_client.is_open():
        await asyncio.sleep(0.5)


async def pump(source, sink) -> None:
    # Yielding between units of real work is cooperative scheduling, not a spin.
    # ok: polling-loop-without-delay
    while source.has_more():
        sink.write(source.read_chunk())
        await asyncio.sleep(0)


class DecodeManager:
    def __init__(self, end_thread, decode):
        self.decode_queue = []
        self.frames = collections.deque()
        self.jobs = queue.Queue()
        self._end_thread = end_thread
        self._decode = decode

    def run(self):
        # ruleid: polling-loop-without-delay
        while not self._end_thread.is_set():
            try:
                data = self.decode_queue.pop(0)
            except IndexError:
                continue
            self._decode(data)

    def run_frames(self):
        # ruleid: polling-loop-without-delay
        while True:
            try:
                frame = self.frames.popleft()
            except IndexError:
                continue
            self._decode(frame)

    def run_jobs(self):
        # ruleid: polling-loop-without-delay
        while not self._end_thread.is_set():
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                continue
            self._decode(job)

    def run_blocking(self):
        # The queue's own wait blocks until a job comes (or the timeout passes).
        # ok: polling-loop-without-delay
        while not self._end_thread.is_set():
            try:
                job = self.jobs.get(timeout=0.5)
            except queue.Empty:
                continue
            self._decode(job)

    def run_with_pause(self):
        # ok: polling-loop-without-delay
        while not self._end_thread.is_set():
            try:
                data = self.decode_queue.pop(0)
            except IndexError:
                time.sleep(0.01)
                continue
            self._decode(data)

    def drain(self):
        # Empty means done: the loop ends instead of spinning.
        # ok: polling-loop-without-delay
        while True:
            try:
                data = self.decode_queue.pop(0)
            except IndexError:
                break
            self._decode(data)
