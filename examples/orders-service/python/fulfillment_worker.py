"""Queue worker that fulfils paid orders: reads jobs, updates the database, prints labels."""

import json
import logging
import pickle
import shlex
import subprocess
import time

log = logging.getLogger(__name__)


def handle_job_legacy(db, message: bytes) -> None:
    # GAP: unpickling a queue message runs whatever code the producer (or an attacker) put in it.
    job = pickle.loads(message)
    with db.cursor() as cur:
        # GAP: SQL built from a value taken from the message.
        cur.execute(f"UPDATE orders SET status = 'fulfilling' WHERE id = '{job['order_id']}'")


def handle_job(db, message: bytes) -> None:
    # OK: JSON payload, bound SQL parameters.
    job = json.loads(message)
    with db.cursor() as cur:
        cur.execute("UPDATE orders SET status = 'fulfilling' WHERE id = %s", (job["order_id"],))


def print_label(printer: str, label_path: str) -> None:
    # GAP: printer and path go through the shell unquoted.
    subprocess.run(f"lp -d {printer} {label_path}", shell=True, check=True)


def print_label_ok(printer: str, label_path: str) -> None:
    # OK: argv list, no shell.
    subprocess.run(["lp", "-d", printer, label_path], check=True, timeout=30)


def reserve_stock_legacy(inventory, sku: str, qty: int) -> dict:
    # GAP: retries forever while the inventory service is down; the job never fails.
    while True:
        try:
            return inventory.reserve(sku, qty)
        except ConnectionError:
            log.warning("inventory unavailable, retrying")
            time.sleep(5)


def reserve_stock(inventory, sku: str, qty: int, max_attempts: int = 5) -> dict:
    # OK: bounded attempts with exponential backoff; the job is retried later by the queue.
    delay = 0.5
    for attempt in range(max_attempts):
        try:
            return inventory.reserve(sku, qty)
        except ConnectionError:
            if attempt == max_attempts - 1:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 10)
    raise AssertionError("unreachable")


def run(queue, db) -> None:
    while True:
        message = queue.receive(wait_seconds=20)
        if message is None:
            continue
        try:
            handle_job(db, message.body)
            message.ack()
        except Exception:
            # OK: logged with the traceback, message goes back to the queue for a later retry.
            log.exception("job failed")
            message.nack()
        try:
            message.close()
        except Exception:
            # OK: best-effort cleanup of a lone close().
            pass
