import smtplib
import socket
import ssl
import urllib.request

import aiohttp
import httpx
import jwt
import requests
import urllib3
from elasticsearch import Elasticsearch

from orders.settings import settings

PAYMENTS_URL = "https://payments.internal/charges"


def charge(payload):
    # ruleid: tls-verification-disabled
    return requests.post(PAYMENTS_URL, json=payload, timeout=10, verify=False)


# ruleid: tls-verification-disabled
inventory = httpx.Client(base_url="https://inventory.internal", verify=False)


def legacy_session():
    session = requests.Session()
    # ruleid: tls-verification-disabled
    session.verify = False
    return session


def fetch_rates():
    # ruleid: tls-verification-disabled
    ctx = ssl._create_unverified_context()
    return urllib.request.urlopen("https://rates.internal/latest", context=ctx, timeout=5).read()


def pinned_context():
    ctx = ssl.create_default_context()
    # ok: tls-verification-disabled
    ctx.check_hostname = False  # (reported once, on the verify_mode line below)
    # ruleid: tls-verification-disabled
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def any_name_context(cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    # ruleid: tls-verification-disabled
    ctx.check_hostname = False
    return ctx


# ruleid: tls-verification-disabled
pool = urllib3.PoolManager(cert_reqs="CERT_NONE")


async def shipping_session():
    # ruleid: tls-verification-disabled
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False, limit=50))


def charge_private_ca(payload):
    # ok: tls-verification-disabled
    return requests.post(PAYMENTS_URL, json=payload, timeout=10, verify="/etc/ssl/certs/internal-ca.pem")


# Driven by configuration, reviewed there.
# ok: tls-verification-disabled
catalog = httpx.Client(base_url="https://catalog.internal", verify=settings.TLS_VERIFY)


def read_claims(token):
    # JWT signature checks are a different concern.
    # ok: tls-verification-disabled
    return jwt.decode(token, options={"verify_signature": True}, verify=False, algorithms=["RS256"])


def strict_context():
    ctx = ssl.create_default_context()
    # ok: tls-verification-disabled
    ctx.check_hostname = True
    # ok: tls-verification-disabled
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def client_context(verify: bool):
    # Driven by the caller's --verify flag.
    # ok: tls-verification-disabled
    return urllib3.PoolManager(cert_reqs=ssl.CERT_REQUIRED if verify else ssl.CERT_NONE)


def default_cipher_names(make_context):
    # The context is only asked which ciphers it offers; it never connects.
    # ok: tls-verification-disabled
    return [c["name"] for c in make_context(verify=False).get_ciphers()]


def search_client(settings):
    if settings.DEBUG:
        # The local stack runs a self-signed search node.
        # ok: tls-verification-disabled
        return Elasticsearch(settings.SEARCH_URL, verify_certs=False)
    return Elasticsearch(settings.SEARCH_URL, ca_certs=settings.SEARCH_CA)


def billing_client(settings):
    if settings.DEBUG:
        return requests.Session()
    session = requests.Session()
    # ruleid: tls-verification-disabled
    session.verify = False
    return session


def search_cluster_health(auth):
    # The search node runs on this host with its own self-signed certificate.
    # ok: tls-verification-disabled
    return requests.get("https://localhost:9200/_cluster/health", auth=auth, timeout=5, verify=False)


def is_port_open(host, port, path="/"):
    try:
        # ok: tls-verification-disabled
        return requests.get(f"https://{host}:{port}{path}", timeout=2, verify=False).status_code < 400
    except requests.RequestException:
        return False


def fetch_report(report_host, token):
    # ruleid: tls-verification-disabled
    return requests.get(f"https://{report_host}/reports", headers={"Authorization": token}, timeout=10, verify=False)


def deployed_certificate(host, port):
    """The certificate a host serves, for the expiry report (self-signed and expired ones included)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    # ok: tls-verification-disabled
    context.verify_mode = ssl.CERT_NONE
    with context.wrap_socket(socket.create_connection((host, port), timeout=10), server_hostname=host) as sock:
        return ssl.DER_cert_to_PEM_cert(sock.getpeercert(True))


def pull_ledger(host, port, query):
    context = ssl.create_default_context()
    context.check_hostname = False
    # ruleid: tls-verification-disabled
    context.verify_mode = ssl.CERT_NONE
    with context.wrap_socket(socket.create_connection((host, port), timeout=10), server_hostname=host) as sock:
        peer = sock.getpeercert(True)
        sock.sendall(query)
        return peer, sock.recv(65536)


def send_receipt(host, user, password, message):
    with smtplib.SMTP(host, 587, timeout=10) as server:
        # No context: smtplib's own is unverified.
        # ruleid: tls-verification-disabled
        server.starttls()
        server.login(user, password)
        server.send_message(message)


def send_receipt_verified(host, user, password, message):
    with smtplib.SMTP(host, 587, timeout=10) as server:
        # ok: tls-verification-disabled
        server.starttls(context=ssl.create_default_context())
        server.login(user, password)
        server.send_message(message)
