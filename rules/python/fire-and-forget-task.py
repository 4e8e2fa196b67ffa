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


class Recognizer:
    def __init__(self, loop):
        self.loop = loop
        # The model download handles its own failures: its whole body is a try whose except logs.
        # ok: fire-and-forget-task
        asyncio.ensure_future(self.prepare_models(), loop=self.loop)
        # A consumer whose loop body is a try that logs each failure and goes on.
        # ok: fire-and-forget-task
        asyncio.ensure_future(self.consume(), loop=self.loop)
        # refresh() re-raises after logging: its failure still needs an owner.
        # ruleid: fire-and-forget-task
        asyncio.ensure_future(self.refresh(), loop=self.loop)
        # Only part of sync_labels is guarded.
        # ruleid: fire-and-forget-task
        self.loop.create_task(self.sync_labels())

    async def prepare_models(self):
        """Download the recognition models once."""
        try:
            await download_models()
        except Exception as e:
            print("model download failed", e)

    async def consume(self):
        while True:
            try:
                await handle(await self.queue.get())
            except Exception:
                print("consumer error")

    async def refresh(self):
        try:
            await download_models()
        except Exception:
            print("refresh failed")
            raise

    async def sync_labels(self):
        labels = await fetch_labels()
        try:
            await store(labels)
        except Exception:
            pass


async def download_models():
    await asyncio.sleep(0)


async def handle(item):
    await asyncio.sleep(0)


async def fetch_labels():
    return []


async def store(labels):
    await asyncio.sleep(0)


def start_sync(app):
    # ruleid: fire-and-forget-task
    asyncio.ensure_future(app.state.syncer.run())
