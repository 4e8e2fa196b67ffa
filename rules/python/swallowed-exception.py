import contextlib
import logging
import os
import socket

log = logging.getLogger(__name__)

try:
    import orjson as json
except ImportError:
    # ok: swallowed-exception
    pass


def publish_order_created(publisher, order):
    try:
        publisher.publish("order.created", order.to_dict())
    # ruleid: swallowed-exception
    except Exception:
        pass


def sync_inventory(client, skus):
    for sku in skus:
        try:
            client.refresh(sku)
        # ruleid: swallowed-exception
        except (ValueError, Exception) as exc:
            continue


def record_payment(ledger_client, payment):
    try:
        ledger_client.append(payment)
    # ruleid: swallowed-exception
    except:
        pass


def warm_cache(cache, loader):
    try:
        cache.update(loader())
    # ruleid: swallowed-exception
    except BaseException:
        ...


def parse_quantity(raw):
    try:
        return int(raw)
    # A specific, expected error is a decision, not a swallow.
    # ok: swallowed-exception
    except ValueError:
        pass
    return 0


def emit_metric(statsd, name):
    try:
        statsd.increment(name)
    # ok: swallowed-exception
    except Exception:  # metrics are best effort; never fail a checkout over them
        pass


def release_lock(lock):
    try:
        lock.release()
    # ok: swallowed-exception
    except Exception:
        pass


def remove_temp_export(path):
    # ok: swallowed-exception
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def charge(gateway, order):
    try:
        return gateway.charge(order)
    # ok: swallowed-exception
    except Exception:
        log.exception("charge failed for order %s", order.id)
        raise


class Consumer:
    def __exit__(self, *exc):
        try:
            self.commit_offsets()
        # ok: swallowed-exception
        except Exception:
            pass


async def close_stream(writer):
    writer.close()
    try:
        await writer.wait_closed()
    # ok: swallowed-exception
    except Exception:
        pass


def parse_retry_after(headers):
    delay = None
    try:
        delay = int(headers.get("Retry-After", ""))
    # ok: swallowed-exception
    except Exception:
        pass
    return delay if delay is not None else 1


def refresh_rates(client, cache):
    try:
        cache.set("rates", client.fetch_rates())
    # The cache is warmed again on the next tick; a stale rate for one minute is acceptable.
    except Exception:  # ok: swallowed-exception
        pass


def lookup_view(store, name):
    view = None
    try:
        view = store.get_feature_view(name)
    # ruleid: swallowed-exception
    except Exception:
        pass
    return view


def clear_loader_caches(loaders):
    """Drop cached model state after a request.

    Rejected promises raise on `.get()`; there is nothing to clean up for them, so they are skipped
    with try/except.
    """
    for loader in loaders:
        for promise in loader.cache.values():
            try:
                value = promise.get()
            # ok: swallowed-exception
            except Exception:
                continue
            value.reset()


def guess_language(text):
    lang = None
    try:
        lang = detect_language(text)
    # ok: swallowed-exception
    except Exception:
        pass
    return lang or "en"


fast_json = None
try:
    import orjson as fast_json
# ok: swallowed-exception
except Exception:
    pass


def fetch_rate(currency):
    rate = None
    try:
        rate = requests.get(RATES_URL, params={"c": currency}, timeout=5).json()["rate"]
    # ruleid: swallowed-exception
    except Exception:
        pass
    return rate


def matching_sources(sources, wanted):
    matched = []
    for source in sources:
        try:
            ids = extract_identifiers(source.to_proto())
        # Parse-or-skip over in-memory definitions: nothing remote is silenced.
        # ok: swallowed-exception
        except Exception:
            continue
        if ids & wanted:
            matched.append(source.name)
    return matched


def as_utc(value):
    try:
        if value is not None:
            value = value.replace(tzinfo=timezone.utc)
    # ok: swallowed-exception
    except Exception:
        pass
    return value


def ensure_upload_dir(path):
    try:
        os.makedirs(path, exist_ok=True)
    # ok: swallowed-exception
    except Exception:
        pass
    return path


def latest_quote(symbol):
    quote = None
    try:
        quote = fetch_quote(symbol)
    # ruleid: swallowed-exception
    except Exception:
        pass
    return quote


def installed_tool_version(tool_path):
    # A local probe with a fallback: an unknown version is the answer.
    try:
        if "turbo" in run_command([tool_path, "-V"]):
            return True
    # ok: swallowed-exception
    except Exception:
        pass
    return False


def drop_partial_files(paths):
    for path in paths:
        try:
            remove_file(path)
            logging.debug("removed %s", path)
        # ok: swallowed-exception
        except Exception:
            pass


def mark_job_done(job_store, job_id):
    try:
        job_store.update_status(job_id, "done")
    # ruleid: swallowed-exception
    except Exception:
        pass


def measure_connect(results, sockaddr, family):
    # The connection failure is logged by the inner handler.
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.connect(sockaddr)
            results.append(sockaddr)
        except OSError:
            log.debug("failed to connect to %s", sockaddr)
        finally:
            sock.close()
    # ok: swallowed-exception
    except Exception:
        pass


def export_rows(conn, rows):
    try:
        conn.executemany("INSERT INTO export VALUES (?, ?)", rows)
    finally:
        try:
            conn.execute("DROP TABLE IF EXISTS export_tmp")
        # ok: swallowed-exception
        except Exception:
            pass


def send_batch(client, batch):
    try:
        client.send(batch)
    except Exception:
        try:
            client.rollback(batch.id)
        # ok: swallowed-exception
        except Exception:
            pass
        raise


def voice_to_text(recognizer, audio):
    try:
        reply = recognizer.recognize(audio)
    except LookupError:
        reply = None
    finally:
        # ruleid: swallowed-exception
        return reply


def upgrade(context, app_name):
    try:
        context.pull_images(app_name)
    finally:
        app = context.refresh(app_name)
        if app.upgrade_available is False:
            # ruleid: swallowed-exception
            return app
    return context.upgrade(app)


def drain(queue):
    for item in queue:
        try:
            item.process()
        finally:
            item.ack()
            # ruleid: swallowed-exception
            continue


def trim_token(token):
    try:
        err = token.split("keep.")[1]
    except Exception:
        err = token
    finally:
        # ruleid: swallowed-exception
        return err


def close_all(conns):
    try:
        conns.flush()
    finally:
        for conn in conns:
            if conn.closed:
                # ok: swallowed-exception
                continue
            conn.close()

        def report():
            # ok: swallowed-exception
            return len(conns)

        conns.on_close(report)
    # ok: swallowed-exception
    return conns
