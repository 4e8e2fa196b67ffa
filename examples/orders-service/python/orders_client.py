"""Synchronous client for the orders API, used by the back-office jobs.

Each gap that resbot should report is marked GAP; the code marked OK is the version to copy.
"""

import logging
import random
import time

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = logging.getLogger(__name__)
ORDERS_URL = "https://orders.internal/api/v1"


def _session() -> requests.Session:
    # OK: one pooled session, created once; urllib3 retries idempotent calls with exponential backoff.
    session = requests.Session()
    retries = Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503, 504], allowed_methods=["GET"])
    session.mount("https://", HTTPAdapter(max_retries=retries, pool_maxsize=20))
    return session


SESSION = _session()


def get_order(order_id: str) -> dict:
    # GAP: no timeout, a stalled orders API hangs the job forever.
    resp = requests.get(f"{ORDERS_URL}/orders/{order_id}")
    resp.raise_for_status()
    return resp.json()


def get_order_ok(order_id: str) -> dict:
    # OK: shared session, (connect, read) timeout.
    resp = SESSION.get(f"{ORDERS_URL}/orders/{order_id}", timeout=(3.05, 10))
    resp.raise_for_status()
    return resp.json()


def mark_shipped(order_id: str, tracking: str) -> None:
    # GAP: a new session (and TLS handshake) per call, and a fixed 1 s retry delay.
    session = requests.Session()
    for attempt in range(5):
        try:
            resp = session.post(f"{ORDERS_URL}/orders/{order_id}/shipments", json={"tracking": tracking}, timeout=10)
            resp.raise_for_status()
            return
        except requests.RequestException:
            log.warning("mark_shipped failed (attempt %d)", attempt + 1)
            time.sleep(1)
    raise RuntimeError(f"could not mark {order_id} shipped")


def mark_shipped_ok(order_id: str, tracking: str) -> None:
    # OK: capped attempts, exponential backoff with jitter, re-raise on the last one.
    for attempt in range(5):
        try:
            resp = SESSION.post(f"{ORDERS_URL}/orders/{order_id}/shipments", json={"tracking": tracking}, timeout=10)
            resp.raise_for_status()
            return
        except requests.RequestException:
            if attempt == 4:
                raise
            time.sleep(min(20, 0.5 * 2 ** attempt) + random.uniform(0, 0.5))


def export_orders(order_ids: list[str]) -> list[dict]:
    # OK: one session for a whole batch is reuse, not a client per call.
    out = []
    with requests.Session() as session:
        for order_id in order_ids:
            out.append(session.get(f"{ORDERS_URL}/orders/{order_id}", timeout=10).json())
    return out


def add_note(order_id: str, note: str) -> None:
    # GAP: if the call fails, the note is lost and nobody knows.
    try:
        SESSION.post(f"{ORDERS_URL}/orders/{order_id}/notes", json={"note": note}, timeout=5).raise_for_status()
    except Exception:
        pass
