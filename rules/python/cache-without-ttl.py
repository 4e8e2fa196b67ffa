import functools
from functools import lru_cache

import boto3
import requests
from cachetools import TTLCache, cached

RATES_URL = "https://rates.internal/latest"


# ruleid: cache-without-ttl
@functools.lru_cache(maxsize=1)
def exchange_rates():
    return requests.get(RATES_URL, timeout=5).json()


# ruleid: cache-without-ttl
@lru_cache
def payment_api_key():
    return boto3.client("secretsmanager").get_secret_value(SecretId="payments/api-key")["SecretString"]


# ruleid: cache-without-ttl
@functools.cache
def tax_rate(db, region):
    return db.execute("SELECT rate FROM tax_rates WHERE region = ?", (region,)).fetchone()[0]


# ok: cache-without-ttl
@cached(cache=TTLCache(maxsize=1, ttl=300))
def exchange_rates_ttl():
    return requests.get(RATES_URL, timeout=5).json()


# Pure computation: caching forever is fine.
# ok: cache-without-ttl
@functools.lru_cache(maxsize=1024)
def normalise_sku(raw):
    return raw.strip().upper().replace(" ", "-")


# ok: cache-without-ttl
@lru_cache(maxsize=None)
def load_country_codes(path):
    with open(path) as fh:
        return frozenset(line.strip() for line in fh)
