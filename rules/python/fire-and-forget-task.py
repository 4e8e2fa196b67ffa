import asyncio

background_tasks: set[asyncio.Task] = set()


async def notify_warehouse(order):
    await asyncio.sleep(0)


async def place_order(repo, order):
    await repo.save(order)
    # ruleid: fire-and-forget-task
    asyncio.create_task(notify_warehouse(order))


async def place_order_legacy(repo, order):
    await repo.save(order)
    # ruleid: fire-and-forget-task
    asyncio.ensure_future(notify_warehouse(order))


class AuditSink:
    def __init__(self, loop):
        self._loop = loop

    def record(self, event):
        # ruleid: fire-and-forget-task
        self._loop.create_task(self._write(event))

    async def _write(self, event):
        await asyncio.sleep(0)

    def schedule(self, coro):
        # Callers keep their own reference through the Deferred the coroutine feeds; the task is not needed.
        # ok: fire-and-forget-task
        self._loop.create_task(coro)  # noqa: RUF006

    def schedule_other(self, coro):
        # A suppression of some other check says nothing about this one.
        # ruleid: fire-and-forget-task
        self._loop.create_task(coro)  # noqa: E501


async def place_order_ok(repo, order):
    await repo.save(order)
    # ok: fire-and-forget-task
    task = asyncio.create_task(notify_warehouse(order))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)


async def fulfil_all(orders):
    async with asyncio.TaskGroup() as tg:
        for order in orders:
            # ok: fire-and-forget-task
            tg.create_task(notify_warehouse(order))


async def place_order_awaited(order):
    # ok: fire-and-forget-task
    await asyncio.create_task(notify_warehouse(order))


class Supervisor:
    def __init__(self, loop):
        self._loop = loop

    def start(self):
        # The coroutine handles its own failures: its whole body is a try with a broad except (counts as low).
        # ruleid: fire-and-forget-task
        self._loop.create_task(self._refresh_cache())
        # ... or a loop that starts each round with one (low).
        # ruleid: fire-and-forget-task
        asyncio.ensure_future(self._poll_forever())
        # ... or one that only checks a flag before its try (low).
        # ruleid: fire-and-forget-task
        asyncio.ensure_future(self._close_once())
        # Something awaited before the try can fail outside it.
        # ruleid: fire-and-forget-task
        asyncio.ensure_future(self._connect_then_guard())
        # A narrow except lets every other error escape into the dropped task.
        # ruleid: fire-and-forget-task
        asyncio.create_task(self._sync_narrow())
        # An except that re-raises hands the error to the task nobody holds.
        # ruleid: fire-and-forget-task
        asyncio.create_task(self._sync_reraise())

    async def _refresh_cache(self):
        """Refresh the cache; failures are logged."""
        try:
            await fetch_all()
        except Exception:
            logger.exception("cache refresh failed")

    async def _poll_forever(self):
        while True:
            try:
                await poll_once()
            except Exception:
                logger.exception("poll failed")
            await asyncio.sleep(30)

    async def _sync_narrow(self):
        try:
            await fetch_all()
        except KeyError:
            logger.warning("missing key")

    async def _sync_reraise(self):
        try:
            await fetch_all()
        except Exception:
            logger.exception("sync failed")
            raise

    async def _close_once(self):
        """Close the client once; failures are logged."""
        if getattr(self, "_closed", None):
            return
        self._closed = True
        try:
            await self.client.close()
        except Exception as exc:
            logger.error(f"close failed: {exc}")

    async def _connect_then_guard(self):
        await self.client.connect()
        try:
            await self.client.ping()
        except Exception:
            logger.exception("ping failed")
