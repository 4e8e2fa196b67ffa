const pLimit = require('p-limit');
const axios = require('axios');

const inventory = axios.create({ baseURL: process.env.INVENTORY_URL, timeout: 3000 });
const limit = pLimit(8);

async function reserveAll(order) {
  // ruleid: unbounded-promise-all-fan-out
  return Promise.all(order.lines.map(async (line) => {
    const { data } = await inventory.post('/reservations', { sku: line.sku, qty: line.qty });
    return data.id;
  }));
}

async function pricesFor(skus) {
  // ruleid: unbounded-promise-all-fan-out
  const responses = await Promise.all(skus.map((sku) => fetch(`${process.env.PRICING_URL}/prices/${sku}`, { signal: AbortSignal.timeout(2000) })));
  return Promise.all(responses.map((r) => r.json()));
}

async function notifyAll(customers, mailer) {
  // ruleid: unbounded-promise-all-fan-out
  await Promise.allSettled(customers.map(async function (c) { await mailer.send(c.email, 'Your order shipped'); }));
}

// ---- quiet ----

async function reserveAllLimited(order) {
  // ok: unbounded-promise-all-fan-out
  return Promise.all(order.lines.map((line) => limit(() => inventory.post('/reservations', line))));
}

async function loadDashboard(customerId) {
  // A fixed, small set of calls.
  // ok: unbounded-promise-all-fan-out
  const [orders, invoices] = await Promise.all([customerId, customerId].map(async (id) => inventory.get(`/summary/${id}`)));
  return { orders, invoices };
}

async function reindex(skus) {
  for (let i = 0; i < skus.length; i += 50) {
    const chunk = skus.slice(i, i + 50);
    // ok: unbounded-promise-all-fan-out
    await Promise.all(chunk.map(async (sku) => inventory.post(`/reindex/${sku}`)));
  }
}

async function enableEnvironments(envsToEnable, project) {
  // One call per configured environment: a handful, fixed by configuration.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(envsToEnable.map(async (env) => project.enable(env)));
}

async function parseAll(files) {
  // CPU-only mapping without async I/O.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(files.map((f) => Promise.resolve(JSON.parse(f))));
}

module.exports = { enableEnvironments, reserveAll, pricesFor, notifyAll, reserveAllLimited, loadDashboard, reindex, parseAll };
