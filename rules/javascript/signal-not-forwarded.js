const axios = require('axios');

const INVENTORY_URL = process.env.INVENTORY_URL;
const inventoryApi = axios.create({ baseURL: INVENTORY_URL, timeout: 3000 });

async function reserve(order, signal) {
  // ruleid: signal-not-forwarded
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    body: JSON.stringify({ orderId: order.id, lines: order.lines }),
  });
  return res.json();
}

async function stock(sku, { signal } = {}) {
  // ruleid: signal-not-forwarded
  const { data } = await inventoryApi.get(`/stock/${sku}`, { timeout: 2000 });
  return data;
}

const release = async (reservationId, { signal, reason }) => {
  // ruleid: signal-not-forwarded
  await axios.delete(`${INVENTORY_URL}/reservations/${reservationId}`, { params: { reason }, timeout: 2000 });
};

// ---- quiet ----

async function reserveForwarded(order, signal) {
  // ok: signal-not-forwarded
  const res = await fetch(`${INVENTORY_URL}/reservations`, {
    method: 'POST',
    body: JSON.stringify({ orderId: order.id }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]),
  });
  return res.json();
}

async function stockForwarded(sku, { signal } = {}) {
  // ok: signal-not-forwarded
  const { data } = await inventoryApi.get(`/stock/${sku}`, { signal, timeout: 2000 });
  return data;
}

async function passThrough(url, options) {
  // No signal parameter here.
  // ok: signal-not-forwarded
  return fetch(url, { ...options, headers: { accept: 'application/json' } });
}

async function cached(cache, sku, signal) {
  // A Map lookup is not a request.
  // ok: signal-not-forwarded
  return cache.get(sku);
}

module.exports = { reserve, stock, release, reserveForwarded, stockForwarded, passThrough, cached };

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
