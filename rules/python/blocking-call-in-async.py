import asyncio
import functools
import json
import os
import shutil
import subprocess
import time

import aiofiles
import aiofiles.os
import httpx
import redis
import requests
from azure.mgmt.storage import StorageManagementClient
from langchain_core.prompts import ChatPromptTemplate

LEGACY = requests.Session()


async def confirm_payment(order_id):
    # ruleid: blocking-call-in-async
    time.sleep(0.5)
    # ruleid: blocking-call-in-async
    resp = requests.post(f"https://payments.internal/confirm/{order_id}", timeout=5)
    return resp.json()


async def legacy_stock(sku):
    # ruleid: blocking-call-in-async
    return LEGACY.get(f"https://legacy.internal/stock/{sku}", timeout=5).json()


async def load_price_overrides(path):
    # ruleid: blocking-call-in-async
    with open(path) as fh:
        return json.load(fh)


async def render_invoice_pdf(invoice_id):
    # ruleid: blocking-call-in-async
    subprocess.run(["wkhtmltopdf", f"/tmp/{invoice_id}.html", f"/tmp/{invoice_id}.pdf"], check=True)


async def purge_upload(upload_dir, manifest_path, backup_path):
    # ruleid: blocking-call-in-async
    shutil.copyfile(manifest_path, backup_path)
    # ruleid: blocking-call-in-async
    os.unlink(manifest_path)
    # ruleid: blocking-call-in-async
    shutil.rmtree(upload_dir)


async def purge_upload_in_thread(upload_dir, manifest_path):
    # Handed to a worker thread: not run on the loop.
    # ok: blocking-call-in-async
    await asyncio.to_thread(shutil.rmtree, upload_dir)
    # ok: blocking-call-in-async
    await aiofiles.os.remove(manifest_path)
    # ok: blocking-call-in-async
    await asyncio.to_thread(os.unlink, manifest_path)


def purge_upload_sync(upload_dir):
    # ok: blocking-call-in-async
    shutil.rmtree(upload_dir)


async def confirm_payment_ok(client: httpx.AsyncClient, order_id):
    # ok: blocking-call-in-async
    await asyncio.sleep(0.5)
    resp = await client.post(f"/confirm/{order_id}")
    return resp.json()


async def legacy_stock_in_thread(sku):
    # Handed to a worker thread: not called on the loop.
    # ok: blocking-call-in-async
    return await asyncio.to_thread(requests.get, f"https://legacy.internal/stock/{sku}", timeout=5)


async def export_report(loop, path, rows):
    def write():
        # Runs in the executor thread.
        # ok: blocking-call-in-async
        with open(path, "w") as fh:
            json.dump(rows, fh)

    await loop.run_in_executor(None, write)
    # ok: blocking-call-in-async
    await loop.run_in_executor(None, functools.partial(time.sleep, 0.1))


async def read_template(path):
    # ok: blocking-call-in-async
    async with aiofiles.open(path) as fh:
        return await fh.read()


def sync_worker(order_id):
    # Plain sync code.
    # ok: blocking-call-in-async
    time.sleep(1)
    # ok: blocking-call-in-async
    return requests.get(f"https://orders.internal/orders/{order_id}", timeout=5)


async def main():
    # ok: blocking-call-in-async
    with open("settings.json") as fh:
        settings = json.load(fh)
    await serve(settings)


async def addon_icon(addon):
    # pathlib reads the whole file on the event loop.
    # ruleid: blocking-call-in-async
    with addon.path_icon.open("rb") as png:
        return png.read()


async def addon_changelog(addon):
    # ruleid: blocking-call-in-async
    return addon.path_changelog.read_text()


async def addon_readme(addon):
    # An async path (anyio.Path) is awaited.
    # ok: blocking-call-in-async
    return await addon.async_path_readme.read_text()


async def archive_member(archive, name):
    # A member name, not a mode: left alone.
    # ok: blocking-call-in-async
    return archive.open(name)


class QueueStats:
    def __init__(self, url):
        self.redis = redis.Redis.from_url(url, socket_timeout=5)
        self.redis_client = self.redis

    async def queues(self, names):
        # A sync redis-py client: one network round trip per command, on the loop.
        # ruleid: blocking-call-in-async
        return [{"name": n, "messages": self.redis.llen(n)} for n in names]

    async def seen(self, key):
        # ruleid: blocking-call-in-async
        if self.redis_client.exists(key):
            return True
        # ruleid: blocking-call-in-async
        self.redis_client.setex(key, 60, 1)
        return False

    async def cached_async(self, client, key):
        # An awaited call is an async client's.
        # ok: blocking-call-in-async
        return await client.redis.get(key)

    async def counts_in_thread(self, names):
        # ok: blocking-call-in-async
        return await asyncio.to_thread(lambda: [self.redis.llen(n) for n in names])

    def counts(self, names):
        # Plain sync code.
        # ok: blocking-call-in-async
        return [self.redis.llen(n) for n in names]

    async def settings(self, cfg):
        # Not a redis client: a mapping's get.
        # ok: blocking-call-in-async
        return cfg.redis_settings.get("url")


class PodSpawner:
    # A Tornado generator coroutine runs on the hub's event loop between its yields.
    @gen.coroutine
    def start(self):
        while True:
            data = yield self.get_pod_info()
            if data is not None:
                break
            # ruleid: blocking-call-in-async
            time.sleep(1)
        return data

    @gen.coroutine
    def stop(self):
        while (yield self.get_pod_info()) is not None:
            # ok: blocking-call-in-async
            yield gen.sleep(1)

    @functools.lru_cache(maxsize=1)
    def image(self):
        # A plain method with some other decorator.
        # ok: blocking-call-in-async
        time.sleep(0)
        return "hub"


async def storage_name_available(credential, subscription_id, workspace_id):
    storage_client = StorageManagementClient(credential, subscription_id)
    # ruleid: blocking-call-in-async
    result = storage_client.storage_accounts.check_name_availability({"name": f"stgws{workspace_id[-4:]}"})
    return result.name_available


async def storage_name_available_async(make_client, workspace_id):
    storage_client = make_client()
    # ok: blocking-call-in-async
    result = storage_client.storage_accounts.check_name_availability({"name": workspace_id})
    registry = ServiceRegistry()
    # ok: blocking-call-in-async
    registry.lookup(workspace_id)
    return result


async def construct_subtopics(model, parser, task):
    chain = ChatPromptTemplate.from_template("{task}") | model | parser
    # ruleid: blocking-call-in-async
    output = chain.invoke({"task": task})
    # ruleid: blocking-call-in-async
    outputs = chain.batch([{"task": task}, {"task": task.upper()}])
    # ok: blocking-call-in-async
    summary = await chain.ainvoke({"task": output})
    # ok: blocking-call-in-async
    again = await chain.invoke_async({"task": summary}) if hasattr(chain, "invoke_async") else outputs
    return again


def construct_subtopics_sync(model, task):
    # ok: blocking-call-in-async
    return model.invoke(task)
