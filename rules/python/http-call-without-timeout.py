import urllib.request

import httpx
import requests
from requests import Session, get as http_get, post
from tenacity import retry, stop_after_attempt


def fetch_order(order_id):
    # ruleid: http-call-without-timeout
    return requests.get(f"https://orders.internal/orders/{order_id}")


def create_payment(payload):
    # ruleid: http-call-without-timeout
    return requests.post("https://payments.internal/charges", json=payload, timeout=None)


def lookup(url):
    # ruleid: http-call-without-timeout
    return urllib.request.urlopen(url)


def stream_all():
    # ruleid: http-call-without-timeout
    return httpx.get("https://catalog.internal/items", timeout=None)


class InventoryClient:
    def __init__(self):
        self.session = requests.Session()

    def stock(self, sku):
        # ruleid: http-call-without-timeout
        return self.session.get(f"https://inventory.internal/stock/{sku}")

    def cached_stock(self, db, sku):
        # A lookup by mapped class in the ORM's session: no HTTP request.
        # ok: http-call-without-timeout
        row = db.session.get(StockRow, sku)
        session = db.session
        # ok: http-call-without-timeout
        return row or session.get(StockRow, sku.upper())

    def notify(self, topic, message):
        NOTIFY_URL = f"https://ntfy.internal/{topic}"
        # A constant's name is no mapped class.
        # ruleid: http-call-without-timeout
        return self.session.post(NOTIFY_URL, data=message)


@retry(stop=stop_after_attempt(3))
def fetch_with_retry(url):
    # A retry does not bound a single attempt.
    # ruleid: http-call-without-timeout
    return requests.get(url)


def fetch_ok(order_id):
    # ok: http-call-without-timeout
    return requests.get(f"https://orders.internal/orders/{order_id}", timeout=(3.05, 10))


def forward(url, **kwargs):
    # ok: http-call-without-timeout
    return requests.get(url, **kwargs)


def lookup_ok(url):
    # ok: http-call-without-timeout
    return urllib.request.urlopen(url, None, 5)


def httpx_default():
    # httpx has a 5 s default timeout.
    # ok: http-call-without-timeout
    return httpx.get("https://catalog.internal/items")


def cache_lookup(cache, key):
    # A dict-like .get is not an HTTP call.
    # ok: http-call-without-timeout
    return cache.get(key)


def deliver_webhook(url, payload, headers):
    with requests.Session() as session:
        # ruleid: http-call-without-timeout
        return session.post(url, json=payload, headers=headers)


def deliver_prepared(url, body):
    request = requests.Request("POST", url, data=body).prepare()
    with requests.Session() as session:
        # ruleid: http-call-without-timeout
        return session.send(request)


def deliver_prepared_ok(url, body):
    request = requests.Request("POST", url, data=body).prepare()
    with requests.Session() as session:
        # ok: http-call-without-timeout
        return session.send(request, timeout=10)


def snapd_connections(url):
    # The class imported by name: the same Session.
    with Session() as session:
        # ruleid: http-call-without-timeout
        return session.get(url)


def snapd_connections_ok(url):
    client = Session()
    # ok: http-call-without-timeout
    return client.get(url, timeout=(3.05, 10))


def notify(queue, message):
    # `send` on something that is not a requests session.
    # ok: http-call-without-timeout
    return queue.send(message)


def pause_local_server(minutes):
    # The admin API of the server this tool ships with, on this host.
    # ok: http-call-without-timeout
    return requests.post(f"http://localhost:8200/api/v1/serverstate/pause?duration={minutes}m")


class UnisphereRest:
    """The session is built by a helper and kept on the instance."""

    def __init__(self, base_uri):
        self.base_uri = base_uri
        self.session = None
        self.pool = None

    def _establish_rest_session(self):
        session = requests.session()
        session.headers = {"content-type": "application/json"}
        return session

    def request(self, target_uri, method="GET"):
        if not self.session:
            self.session = self._establish_rest_session()
        # ruleid: http-call-without-timeout
        response = self.session.request(method=method, url=self.base_uri + target_uri)
        # ok: http-call-without-timeout
        bounded = self.session.request(method=method, url=self.base_uri + target_uri, timeout=(5, 30))
        # ok: http-call-without-timeout
        pooled = self.pool.request(method, self.base_uri + target_uri)
        return response, bounded, pooled


def notify_webhook(url, payload):
    # ruleid: http-call-without-timeout
    post(url, json=payload)
    # ruleid: http-call-without-timeout
    return http_get(url + "/status").json()


def notify_webhook_bounded(url, payload):
    # ok: http-call-without-timeout
    post(url, json=payload, timeout=10)
    # A local helper that is not requests' (no import by that name).
    # ok: http-call-without-timeout
    put(url, payload)


def fetch_reviewed(url):
    # Reviewed for bandit / ruff, which check the same thing.
    # ok: http-call-without-timeout
    requests.get(url)  # nosec B113
    # ok: http-call-without-timeout
    requests.get(url)  # noqa: S113
    # A marker for another check is no decision about this one.
    # ruleid: http-call-without-timeout
    requests.get(url)  # noqa: E501
