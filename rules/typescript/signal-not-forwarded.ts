import axios from 'axios';

const INVENTORY_URL = process.env.INVENTORY_URL;
const inventoryApi = axios.create({ baseURL: INVENTORY_URL, timeout: 3000 });

interface Order { id: string; lines: { sku: string; qty: number }[] }

async function reserve(order: Order, signal?: AbortSignal): Promise<unknown> {
  // ruleid: signal-not-forwarded
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    body: JSON.stringify({ orderId: order.id, lines: order.lines }),
  });
  return res.json();
}

async function stock(sku: string, { signal }: { signal?: AbortSignal } = {}): Promise<number> {
  // ruleid: signal-not-forwarded
  const { data } = await inventoryApi.get<number>(`/stock/${sku}`, { timeout: 2000 });
  return data;
}

const release = async (reservationId: string, { signal, reason }: { signal: AbortSignal; reason: string }): Promise<void> => {
  // ruleid: signal-not-forwarded
  await axios.delete(`${INVENTORY_URL}/reservations/${reservationId}`, { params: { reason }, timeout: 2000 });
};

// ---- quiet ----

async function reserveForwarded(order: Order, signal: AbortSignal) {
  // ok: signal-not-forwarded
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    body: JSON.stringify({ orderId: order.id }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]),
  });
  return res.json();
}

async function stockForwarded(sku: string, { signal }: { signal?: AbortSignal } = {}) {
  // ok: signal-not-forwarded
  const { data } = await inventoryApi.get<number>(`/stock/${sku}`, { signal, timeout: 2000 });
  return data;
}

async function passThrough(url: string, options: RequestInit) {
  // No signal parameter here.
  // ok: signal-not-forwarded
  return fetch(url, { ...options, headers: { accept: 'application/json' } });
}

async function cached(cache: Map<string, number>, sku: string, signal: AbortSignal) {
  // A Map lookup is not a request.
  // ok: signal-not-forwarded
  return cache.get(sku);
}

export { reserve, stock, release, reserveForwarded, stockForwarded, passThrough, cached };

async function fetchMetadata(clientId, signal) {
  // The signal rides on the Request.
  const request = new Request(clientId, { redirect: 'error', signal });
  // ok: signal-not-forwarded
  const metadata = await fetch(request);
  // ok: signal-not-forwarded
  const jwks = await fetch(new Request(`${clientId}/jwks.json`, { signal }));
  // ruleid: signal-not-forwarded
  const again = await fetch(new Request(clientId, { redirect: 'error' }));
  return { metadata, jwks, again };
}
