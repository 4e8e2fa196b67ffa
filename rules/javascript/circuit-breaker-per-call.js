const CircuitBreaker = require('opossum');
const { circuitBreaker, handleAll, ConsecutiveBreaker } = require('cockatiel');

const ratesBreaker = new CircuitBreaker(fetchRates, { timeout: 3000, resetTimeout: 30000 });

async function fetchRates() {
  const res = await fetch(`${process.env.RATES_URL}/latest`, { signal: AbortSignal.timeout(3000) });
  return res.json();
}

async function getRates() {
  // ruleid: circuit-breaker-per-call
  const breaker = new CircuitBreaker(fetchRates, { timeout: 3000, resetTimeout: 30000 });
  return breaker.fire();
}

async function getStock(sku) {
  // ruleid: circuit-breaker-per-call
  const policy = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  return policy.execute(() => fetch(`${process.env.STOCK_URL}/${sku}`, { signal: AbortSignal.timeout(3000) }));
}

async function getPrice(sku) {
  // ruleid: circuit-breaker-per-call
  return new CircuitBreaker(() => fetch(`${process.env.PRICES_URL}/${sku}`), { timeout: 3000 }).fire();
}

async function getRatesGuarded() {
  // ok: circuit-breaker-per-call
  return ratesBreaker.fire();
}

class PricingClient {
  constructor(fetchPrice) {
    // ok: circuit-breaker-per-call
    this.breaker = new CircuitBreaker(fetchPrice, { timeout: 3000 });
  }

  price(sku) {
    return this.breaker.fire(sku);
  }
}

function makeBreaker(fn) {
  // A factory: the caller keeps the breaker.
  // ok: circuit-breaker-per-call
  const breaker = new CircuitBreaker(fn, { timeout: 3000 });
  return breaker;
}

module.exports = { getRates, getStock, getPrice, getRatesGuarded, PricingClient, makeBreaker };
