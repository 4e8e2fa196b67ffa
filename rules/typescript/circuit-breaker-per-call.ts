import CircuitBreaker from 'opossum';
import { circuitBreaker, handleAll, ConsecutiveBreaker, type CircuitBreakerPolicy } from 'cockatiel';

type Rates = Record<string, number>;

async function fetchRates(): Promise<Rates> {
  const res = await fetch(`${process.env.RATES_URL}/latest`, { signal: AbortSignal.timeout(3000) });
  return (await res.json()) as Rates;
}

const ratesBreaker = new CircuitBreaker(fetchRates, { timeout: 3000, resetTimeout: 30000 });

export async function getRates(): Promise<Rates> {
  // ruleid: circuit-breaker-per-call
  const breaker = new CircuitBreaker(fetchRates, { timeout: 3000, resetTimeout: 30000 });
  return breaker.fire();
}

export const getStock = async (sku: string): Promise<Response> => {
  // ruleid: circuit-breaker-per-call
  const policy = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  return policy.execute(() => fetch(`${process.env.STOCK_URL}/${sku}`, { signal: AbortSignal.timeout(3000) }));
};

export async function getPrice(sku: string): Promise<Response> {
  // ruleid: circuit-breaker-per-call
  return circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) })
    .execute(() => fetch(`${process.env.PRICES_URL}/${sku}`, { signal: AbortSignal.timeout(3000) }));
}

export async function getRatesGuarded(): Promise<Rates> {
  // ok: circuit-breaker-per-call
  return ratesBreaker.fire();
}

export class PricingClient {
  private readonly policy: CircuitBreakerPolicy;

  constructor() {
    // ok: circuit-breaker-per-call
    this.policy = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  }

  price(sku: string): Promise<Response> {
    return this.policy.execute(() => fetch(`${process.env.PRICES_URL}/${sku}`, { signal: AbortSignal.timeout(3000) }));
  }
}

export function makeBreaker<T>(fn: () => Promise<T>): CircuitBreaker<[], T> {
  // ok: circuit-breaker-per-call
  const breaker = new CircuitBreaker(fn, { timeout: 3000 });
  return breaker;
}
