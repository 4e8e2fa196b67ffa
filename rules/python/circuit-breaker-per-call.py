import aiobreaker
import pybreaker
import requests
from pybreaker import CircuitBreaker

RATES_BREAKER = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)


def fetch_rates():
    return requests.get("https://rates.internal/latest", timeout=5).json()


def get_rates():
    # ruleid: circuit-breaker-per-call
    breaker = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)
    return breaker.call(fetch_rates)


def get_stock(sku):
    # ruleid: circuit-breaker-per-call
    return CircuitBreaker(fail_max=3).call(requests.get, f"https://inventory.internal/stock/{sku}", timeout=5)


async def get_price(client, sku):
    # ruleid: circuit-breaker-per-call
    cb = aiobreaker.CircuitBreaker(fail_max=5)
    return await cb.call_async(client.get, f"/prices/{sku}")


def get_rates_guarded():
    # ok: circuit-breaker-per-call
    return RATES_BREAKER.call(fetch_rates)


class PricingClient:
    def __init__(self, session):
        self.session = session
        # ok: circuit-breaker-per-call
        self.breaker = CircuitBreaker(fail_max=5, reset_timeout=60)

    def price(self, sku):
        return self.breaker.call(self.session.get, f"https://pricing.internal/{sku}", timeout=5)


def make_breaker(name):
    # A factory: the caller keeps the breaker.
    # ok: circuit-breaker-per-call
    breaker = pybreaker.CircuitBreaker(fail_max=5, name=name)
    return breaker
