import imaplib
import smtplib

import aiohttp
import httpx
from langchain_openai import ChatOpenAI
from openai import AsyncOpenAI
from aiohttp import ClientTimeout
from imap_tools import MailBox, MailBoxStartTls

PAYMENTS_URL = "https://payments.internal"


class PaymentGateway:
    def __init__(self):
        # ruleid: http-client-without-timeout
        self._client = httpx.AsyncClient(base_url=PAYMENTS_URL, timeout=None)

    async def charge(self, order_id, amount):
        resp = await self._client.post("/charges", json={"order": order_id, "amount": amount})
        resp.raise_for_status()
        return resp.json()


def make_inventory_client():
    # ruleid: http-client-without-timeout
    return httpx.Client(base_url="https://inventory.internal", timeout=None, http2=True)


# ruleid: http-client-without-timeout
UNBOUNDED = httpx.Timeout(None)

# Only the connect phase is bounded; a stalled response is waited on forever.
# ruleid: http-client-without-timeout
SHIPPING_TIMEOUT = aiohttp.ClientTimeout(connect=5)


async def open_session():
    # ruleid: http-client-without-timeout
    return aiohttp.ClientSession(timeout=ClientTimeout(total=None))


# httpx's default is 5 s: no timeout argument is fine.
# ok: http-client-without-timeout
catalog = httpx.Client(base_url="https://catalog.internal")

# ok: http-client-without-timeout
orders = httpx.AsyncClient(base_url="https://orders.internal", timeout=httpx.Timeout(10.0, connect=3.0))

# ok: http-client-without-timeout
REPORTS_TIMEOUT = httpx.Timeout(None, read=60.0, connect=5.0)

# Streaming downloads: no total, but every read is bounded.
# ok: http-client-without-timeout
EXPORT_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=10, sock_read=30)

# ok: http-client-without-timeout
DEFAULT_TIMEOUT = ClientTimeout(total=30, connect=5)

# ok: http-client-without-timeout
POSITIONAL_TIMEOUT = ClientTimeout(20)


def fetch_unseen(account):
    # ruleid: http-client-without-timeout
    with MailBox(account.host, account.port, ssl_context=account.ssl_context) as mailbox:
        mailbox.login(account.username, account.password)
        return list(mailbox.fetch(mark_seen=False))


def starttls_mailbox(server, port, ssl_context):
    # ruleid: http-client-without-timeout
    return MailBoxStartTls(server, port, ssl_context=ssl_context)


def open_inbox(host, user, password):
    # ruleid: http-client-without-timeout
    conn = imaplib.IMAP4_SSL(host)
    conn.login(user, password)
    return conn


def send_receipt(message, settings):
    # ruleid: http-client-without-timeout
    with smtplib.SMTP(settings.host, settings.port) as smtp:
        smtp.starttls()
        smtp.send_message(message)


def fetch_unseen_bounded(account):
    # ok: http-client-without-timeout
    with MailBox(account.host, account.port, timeout=30, ssl_context=account.ssl_context) as mailbox:
        mailbox.login(account.username, account.password)
        return list(mailbox.fetch(mark_seen=False))


def open_inbox_bounded(host, user, password):
    # ok: http-client-without-timeout
    conn = imaplib.IMAP4(host, 143, 20)
    conn.starttls()
    conn.login(user, password)
    return conn


def send_alert(message, settings):
    # ok: http-client-without-timeout
    with smtplib.SMTP_SSL(settings.host, settings.port, timeout=10) as smtp:
        smtp.send_message(message)


# urllib3 pools: no timeout unless given one (this file bounds none of its requests).
import urllib3

# ruleid: http-client-without-timeout
metadata_http = urllib3.PoolManager()
# ruleid: http-client-without-timeout
proxied = urllib3.ProxyManager("http://proxy.internal:3128", num_pools=4)
# ruleid: http-client-without-timeout
pool = urllib3.HTTPSConnectionPool("billing.internal", port=443, maxsize=8)
# ok: http-client-without-timeout
bounded_http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2.0, read=5.0))
# ok: http-client-without-timeout
bounded_pool = urllib3.HTTPConnectionPool("billing.internal", timeout=3.0)
# ok: http-client-without-timeout
configured = urllib3.PoolManager(**POOL_SETTINGS)


import httplib2


def post_status(url, body):
    # ruleid: http-client-without-timeout
    http = httplib2.Http()
    return http.request(url, "POST", body=body)


def fetch_artifact(url):
    # ruleid: http-client-without-timeout
    conn = httplib2.Http(disable_ssl_certificate_validation=False)
    return conn.request(url)


def fetch_cached(url):
    # ruleid: http-client-without-timeout
    return httplib2.Http(".cache", timeout=None).request(url)


def fetch_bounded(url):
    # ok: http-client-without-timeout
    http = httplib2.Http(timeout=10)
    # ok: http-client-without-timeout
    cached = httplib2.Http(".cache", timeout=5)
    return http.request(url), cached


from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from keystoneauth1.session import Session


def admin_session(conf):
    auth = v3.Password(auth_url=conf.auth_url, username=conf.user, password=conf.password)
    # ruleid: http-client-without-timeout
    return ks_session.Session(auth=auth, verify=conf.cafile)


def swift_session(auth):
    # ruleid: http-client-without-timeout
    return Session(auth=auth)


def token_session(auth):
    # ruleid: http-client-without-timeout
    return ks_session.Session(auth=auth, timeout=None)


def bounded_session(auth, conf, options):
    # ok: http-client-without-timeout
    bounded = ks_session.Session(auth=auth, timeout=conf.http_timeout)
    # ok: http-client-without-timeout
    pooled = ks_session.Session(session=bounded.session, **options)
    # ok: http-client-without-timeout
    named = Session(auth=auth, timeout=30)
    return bounded, pooled, named


def research_llm(rate_limiter, **kwargs):
    # ruleid: http-client-without-timeout
    llm = ChatOpenAI(openai_api_base="https://openrouter.ai/api/v1", rate_limiter=rate_limiter)
    # The caller's keyword arguments may carry the timeout.
    # ok: http-client-without-timeout
    configured = ChatOpenAI(openai_api_base="https://openrouter.ai/api/v1", **kwargs)
    # ruleid: http-client-without-timeout
    client = AsyncOpenAI(base_url="https://llm.internal/v1")
    # ok: http-client-without-timeout
    bounded = ChatOpenAI(model="gpt-4o", request_timeout=180)
    # ok: http-client-without-timeout
    sdk = AsyncOpenAI(timeout=httpx.Timeout(60.0, connect=5.0))
    return llm, configured, client, bounded, sdk
