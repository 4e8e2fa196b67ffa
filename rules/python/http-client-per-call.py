import functools

import aiohttp
import httpx
import requests

ORDERS_URL = "https://orders.internal"
SHARED = httpx.AsyncClient(base_url=ORDERS_URL, timeout=5)


async def get_order(order_id):
    # ruleid: http-client-per-call
    async with httpx.AsyncClient(base_url=ORDERS_URL, timeout=5) as client:
        resp = await client.get(f"/orders/{order_id}")
        return resp.json()


async def get_shipping_quote(order):
    # ruleid: http-client-per-call
    async with aiohttp.ClientSession() as session:
        async with session.post("https://shipping.internal/quotes", json=order) as resp:
            return await resp.json()


def charge_card(payload):
    # ruleid: http-client-per-call
    session = requests.Session()
    session.headers["Authorization"] = "Bearer from-vault"
    resp = session.post("https://payments.internal/charges", json=payload, timeout=10)
    return resp.json()


def ping_inventory():
    # ruleid: http-client-per-call
    return requests.Session().get("https://inventory.internal/health", timeout=2).ok


async def get_order_shared(order_id):
    # Module-level client, reused.
    # ok: http-client-per-call
    resp = await SHARED.get(f"/orders/{order_id}")
    return resp.json()


class PaymentsClient:
    def __init__(self, session=None):
        # ok: http-client-per-call
        self._session = session or requests.Session()
        # ok: http-client-per-call
        http = httpx.Client(base_url="https://payments.internal", timeout=10)
        self._http = http


@functools.lru_cache(maxsize=None)
def inventory_session():
    # ok: http-client-per-call
    s = requests.Session()
    s.headers["User-Agent"] = "orders-service"
    return s


def export_orders(order_ids):
    # One session for the whole batch is the point of a session.
    # ok: http-client-per-call
    with requests.Session() as session:
        for order_id in order_ids:
            session.get(f"{ORDERS_URL}/orders/{order_id}", timeout=5).raise_for_status()


def main():
    # ok: http-client-per-call
    with httpx.Client(base_url=ORDERS_URL, timeout=5) as client:
        print(client.get("/health").status_code)


async def http_client():
    # A FastAPI-style dependency: the framework owns the lifetime.
    # ok: http-client-per-call
    async with httpx.AsyncClient(base_url=ORDERS_URL, timeout=5) as client:
        yield client


def cancel_order(order_id):
    # A retry loop is not a batch: the session still lives for one logical call.
    # ruleid: http-client-per-call
    session = requests.Session()
    for attempt in range(3):
        try:
            return session.delete(f"{ORDERS_URL}/orders/{order_id}", timeout=5)
        except requests.ConnectionError:
            continue


def deliver_webhook(hook, body):
    # A client per destination: the transport pins the address this hook's host resolved to.
    transport = PinnedHostTransport(allow_internal=False)
    # ok: http-client-per-call
    with httpx.Client(transport=transport, timeout=5.0) as client:
        client.post(hook.url, content=body).raise_for_status()


def send_signed_hook(hook, prepared):
    # ok: http-client-per-call
    with requests.Session() as session:
        session.verify = hook.ca_file_path or hook.ssl_verification
        return session.send(prepared, timeout=10)


def post_event(event):
    # ruleid: http-client-per-call
    with httpx.Client(verify=False, timeout=5.0) as client:
        client.post(EVENTS_URL, json=event)


def probe_upstream(url):
    # A liveness probe that must open a fresh connection every time.
    # ok: http-client-per-call
    with httpx.Client(timeout=3.0, headers={"Connection": "close"}) as client:
        return client.get(url).status_code == 200
