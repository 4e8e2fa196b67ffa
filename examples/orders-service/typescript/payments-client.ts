// Typed payments / inventory clients for the orders service.
// Each gap is followed by its corrected version (suffix `Safe`).
import https from 'node:https';
import axios, { AxiosInstance } from 'axios';
import axiosRetry from 'axios-retry';

export interface Order {
  id: string;
  customerId: string;
  total: number;
  currency: string;
  lines: { sku: string; qty: number }[];
}

export interface Charge {
  id: string;
  status: 'pending' | 'captured' | 'failed';
}

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://payments.internal';
const INVENTORY_URL = process.env.INVENTORY_URL ?? 'https://inventory.internal';
const RETRY_DELAY_MS = 500;
const MAX_ATTEMPTS = 4;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class PaymentsClient {
  // FIX: one client per process, bounded, with exponential retry delays.
  private readonly http: AxiosInstance;

  constructor(baseURL: string = PAYMENTS_URL) {
    this.http = axios.create({ baseURL, timeout: 5_000 });
    axiosRetry(this.http, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
  }

  // GAP: constant delay between attempts.
  async charge(order: Order): Promise<Charge> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const { data } = await this.http.post<Charge>('/charges', { orderId: order.id, amount: order.total });
        return data;
      } catch (err: unknown) {
        if (attempt === MAX_ATTEMPTS) throw err;
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
    throw new Error('unreachable');
  }

  // FIX: exponential backoff with full jitter.
  async chargeSafe(order: Order): Promise<Charge> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const { data } = await this.http.post<Charge>('/charges', { orderId: order.id, amount: order.total });
        return data;
      } catch (err: unknown) {
        if (attempt === MAX_ATTEMPTS) throw err;
        await sleep(Math.random() * Math.min(8_000, 200 * 2 ** attempt));
      }
    }
    throw new Error('unreachable');
  }

  // GAP: a new agent (and TLS session cache, and socket pool) for every call.
  async status(chargeId: string): Promise<Charge> {
    const { data } = await this.http.get<Charge>(`/charges/${chargeId}`, {
      httpsAgent: new https.Agent({ keepAlive: true }),
    });
    return data;
  }

  // FIX: the shared client's agent is reused.
  async statusSafe(chargeId: string): Promise<Charge> {
    const { data } = await this.http.get<Charge>(`/charges/${chargeId}`);
    return data;
  }
}

// GAP: global axios call with no timeout (axios waits forever by default).
export async function stockLevel(sku: string): Promise<number> {
  const { data } = await axios.get<{ available: number }>(`${INVENTORY_URL}/stock/${sku}`);
  return data.available;
}

// FIX: per-call timeout.
export async function stockLevelSafe(sku: string): Promise<number> {
  const { data } = await axios.get<{ available: number }>(`${INVENTORY_URL}/stock/${sku}`, { timeout: 2_000 });
  return data.available;
}

// GAP: the caller's abort signal is dropped, and the request has no bound of its own.
export async function reserve(order: Order, signal?: AbortSignal): Promise<string> {
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId: order.id, lines: order.lines }),
  });
  const body = (await res.json()) as { reservationId: string };
  return body.reservationId;
}

// FIX: forward the caller's signal and add a local deadline.
export async function reserveSafe(order: Order, signal?: AbortSignal): Promise<string> {
  const deadline = AbortSignal.timeout(3_000);
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId: order.id, lines: order.lines }),
    signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
  });
  const body = (await res.json()) as { reservationId: string };
  return body.reservationId;
}
