import asyncio

import httpx


async def fetch_rate(client, currency):
    resp = await client.get(f"/rates/{currency}")
    return resp.json()["rate"]


async def price_order(client, order):
    # ruleid: sync-over-async
    rate = asyncio.run(fetch_rate(client, order.currency))
    return order.total * rate


async def reserve_all(client, loop, skus):
    # ruleid: sync-over-async
    results = loop.run_until_complete(asyncio.gather(*(client.post(f"/reserve/{s}") for s in skus)))
    return results


async def settle(client, order_id):
    # ruleid: sync-over-async
    return asyncio.get_event_loop().run_until_complete(client.post(f"/settle/{order_id}"))


async def audit(main_loop, event):
    # ruleid: sync-over-async
    asyncio.run_coroutine_threadsafe(write_audit(event), main_loop).result()


async def write_audit(event):
    await asyncio.sleep(0)


def main():
    # The sync entry point owns the loop.
    # ok: sync-over-async
    asyncio.run(serve())


async def serve():
    async with httpx.AsyncClient(base_url="https://rates.internal", timeout=5) as client:
        # ok: sync-over-async
        rate = await fetch_rate(client, "EUR")

        def in_worker_thread():
            # A sync function handed to a thread gets its own loop.
            # ok: sync-over-async
            return asyncio.run(fetch_rate(client, "USD"))

        other = await asyncio.to_thread(in_worker_thread)
        return rate, other


def legacy_sync_api(client, currency):
    loop = asyncio.new_event_loop()
    # ok: sync-over-async
    return loop.run_until_complete(fetch_rate(client, currency))
