// Payments client for the orders service.
// Each resilience gap sits next to the corrected version (suffix `Safe`), so the
// findings resbot reports can be compared with code it stays quiet on.
'use strict';

const https = require('https');
const axios = require('axios');
const axiosRetry = require('axios-retry');
const { setTimeout: sleep } = require('timers/promises');

const PAYMENTS_URL = process.env.PAYMENTS_URL || 'https://payments.internal';
const FRAUD_URL = process.env.FRAUD_URL || 'https://fraud.internal';
const MAX_ATTEMPTS = 4;

// GAP: no timeout on the shared client (axios defaults to 0 = wait forever),
// and TLS verification switched off "because of the internal CA".
const payments = axios.create({
  baseURL: PAYMENTS_URL,
  httpsAgent: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
});
// GAP: axios-retry without retryDelay retries immediately.
axiosRetry(payments, { retries: 3 });

// FIX: bounded client, private CA trusted explicitly, exponential retry delays.
const paymentsSafe = axios.create({
  baseURL: PAYMENTS_URL,
  timeout: 5000,
  httpsAgent: new https.Agent({ keepAlive: true, ca: process.env.PAYMENTS_CA }),
});
axiosRetry(paymentsSafe, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

// GAP: retries on a fixed one-second beat.
async function charge(order) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const { data } = await payments.post('/charges', { orderId: order.id, amount: order.total });
      return data;
    } catch (err) {
      if (attempt === MAX_ATTEMPTS) throw err;
      await sleep(1000);
    }
  }
}

// FIX: exponential backoff with full jitter, idempotency key so a retry cannot charge twice.
async function chargeSafe(order) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    try {
      const { data } = await paymentsSafe.post(
        '/charges',
        { orderId: order.id, amount: order.total },
        { headers: { 'idempotency-key': order.id } },
      );
      return data;
    } catch (err) {
      if (attempt === MAX_ATTEMPTS) throw err;
      await sleep(Math.random() * Math.min(8000, 200 * 2 ** attempt));
    }
  }
}

// GAP: retries forever while the payment service is down.
async function capture(chargeId) {
  while (true) {
    try {
      const { data } = await paymentsSafe.post(`/charges/${chargeId}/capture`);
      return data;
    } catch (err) {
      console.warn('capture failed, retrying', err.message);
      await sleep(Math.random() * 2000);
    }
  }
}

// FIX: the same loop with a cap; the caller decides what happens next.
async function captureSafe(chargeId) {
  let attempt = 0;
  while (true) {
    try {
      const { data } = await paymentsSafe.post(`/charges/${chargeId}/capture`);
      return data;
    } catch (err) {
      if (++attempt >= MAX_ATTEMPTS) throw err;
      await sleep(Math.random() * Math.min(8000, 200 * 2 ** attempt));
    }
  }
}

// GAP: fraud check with bare fetch (no signal) and a swallowed failure.
async function fraudScore(order) {
  try {
    const res = await fetch(`${FRAUD_URL}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: order.id, amount: order.total }),
    });
    return (await res.json()).score;
  } catch (err) {}
}

// FIX: bounded by a timeout, and the failure is logged before falling back.
async function fraudScoreSafe(order, logger) {
  try {
    const res = await fetch(`${FRAUD_URL}/score`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: order.id, amount: order.total }),
      signal: AbortSignal.timeout(2000),
    });
    return (await res.json()).score;
  } catch (err) {
    logger.warn({ err, orderId: order.id }, 'fraud check unavailable, using manual review');
    return null;
  }
}

// GAP: a new client (and connection pool) for every refund.
async function refund(chargeId, amount) {
  const api = axios.create({ baseURL: PAYMENTS_URL, timeout: 5000 });
  const { data } = await api.post(`/charges/${chargeId}/refunds`, { amount });
  return data;
}

// FIX: reuse the shared client.
async function refundSafe(chargeId, amount) {
  const { data } = await paymentsSafe.post(`/charges/${chargeId}/refunds`, { amount });
  return data;
}

module.exports = { charge, chargeSafe, capture, captureSafe, fraudScore, fraudScoreSafe, refund, refundSafe };
