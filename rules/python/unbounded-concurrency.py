import asyncio


async def fetch_stock(client, sku):
    resp = await client.get(f"/stock/{sku}")
    return resp.json()


async def stock_levels(client, skus):
    # ruleid: unbounded-concurrency
    return await asyncio.gather(*[fetch_stock(client, sku) for sku in skus])


async def reprice(client, products):
    # ruleid: unbounded-concurrency
    done, _ = await asyncio.wait([asyncio.create_task(client.post(f"/prices/{p.id}", json=p.price)) for p in products])
    return done


async def notify_all(client, orders):
    # ruleid: unbounded-concurrency
    for fut in asyncio.as_completed([client.post("/notify", json=o) for o in orders]):
        await fut


async def health(client):
    # A fixed set of three checks.
    # ok: unbounded-concurrency
    return await asyncio.gather(*[client.get(path) for path in ("/orders", "/payments", "/stock")])


async def fetch_pair(client, a, b):
    # ok: unbounded-concurrency
    return await asyncio.gather(fetch_stock(client, a), fetch_stock(client, b))


async def stock_levels_with_tasks(client, skus):
    # The list starts every task; the gather below only waits for them.
    # ruleid: unbounded-concurrency
    tasks = [asyncio.create_task(fetch_stock(client, sku)) for sku in skus]
    # ok: unbounded-concurrency
    return await asyncio.gather(*tasks)


async def drain_pending(pending_releases):
    # Waits for releases already scheduled; starts nothing new.
    # ok: unbounded-concurrency
    await asyncio.gather(*(asyncio.wrap_future(f) for f in tuple(pending_releases)), return_exceptions=True)


async def stop_workers(workers):
    # ok: unbounded-concurrency
    await asyncio.gather(*[worker.stop() for worker in workers])


async def close_pools(pools):
    async def close_pool(pool):
        await pool.aclose()

    # ok: unbounded-concurrency
    await asyncio.gather(*[close_pool(pool) for pool in pools.values()])


async def read_related(client, kind, obj_id):
    readers = {"order": [client.read_order, client.read_invoice], "sku": [client.read_sku]}
    # ok: unbounded-concurrency
    return await asyncio.gather(*[read(obj_id) for read in readers[kind]])


async def restock_all(client, skus):
    # ruleid: unbounded-concurrency
    return await asyncio.gather(*(client.post(f"/restock/{sku}") for sku in skus))


async def fetch_all(client, resource, total_pages):
    # One task per page, all running as soon as the list is built; awaited one by one afterwards.
    # ruleid: unbounded-concurrency
    pending = [asyncio.create_task(client.fetch_page(resource, page)) for page in range(2, total_pages + 1)]
    for task in pending:
        yield await task


async def warm_all(cache, keys):
    # ruleid: unbounded-concurrency
    futures = [asyncio.ensure_future(cache.load(key)) for key in keys]
    await asyncio.sleep(0)
    return futures


async def refresh_all(registry, names):
    # ruleid: unbounded-concurrency
    return [asyncio.create_task(registry.refresh(name)) for name in names]


async def probe_fixed(client):
    # A fixed set of probes.
    # ok: unbounded-concurrency
    probes = [asyncio.create_task(client.ping(host)) for host in ("primary", "replica")]
    return [await probe for probe in probes]


async def wait_all(tasks):
    # Tasks already running: nothing new starts.
    # ok: unbounded-concurrency
    wrapped = [asyncio.ensure_future(task) for task in tasks]
    return await asyncio.wait(wrapped)


async def consume_forever(consumer, loop):
    async for msg in consumer:
        # ruleid: unbounded-concurrency
        asyncio.create_task(handle_message(msg))


async def consume_logged(consumer, logger, loop):
    async for msg in consumer:
        # ruleid: unbounded-concurrency
        create_task_and_log(handle_message(msg), logger, loop)


async def consume_in_turn(consumer):
    async for msg in consumer:
        # ok: unbounded-concurrency
        await handle_message(msg)
