const axios = require('axios');
const axiosRetry = require('axios-retry');
const pRetry = require('p-retry');
const ReconnectingWebSocket = require('reconnecting-websocket');
const ws = require('ws');

const MAX_ATTEMPTS = 5;
const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 5000 });

async function chargeUntilItWorks(order) {
  // ruleid: retry-without-cap
  while (true) {
    try {
      const { data } = await payments.post('/charges', order);
      return data;
    } catch (err) {
      console.warn('charge failed, retrying', err.message);
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
    }
  }
}

async function reserve(sku) {
  // ruleid: retry-without-cap
  for (;;) {
    try {
      const res = await payments.post('/reservations', { sku });
      if (res.status === 201) return res.data;
    } catch (err) {
      await sleepBackoff();
    }
  }
}

// ruleid: retry-without-cap
axiosRetry(payments, { retries: Infinity, retryDelay: axiosRetry.exponentialDelay });

// A long-lived tunnel socket: reconnecting for the life of the process is the point.
const tunnel = new ReconnectingWebSocket(process.env.TUNNEL_URL, [], {
  WebSocket: ws,
  connectionTimeout: 2000,
  // ok: retry-without-cap
  maxRetries: Infinity,
});

async function refund(chargeId) {
  // ruleid: retry-without-cap
  return pRetry(() => payments.post(`/charges/${chargeId}/refund`), { forever: true });
}

// ---- quiet ----

async function recomputeScores(processBatch, skipBatch) {
  let batchNumber = 0;
  // A loop over batches that ends when the work runs out; a failed batch is skipped, not retried.
  // ok: retry-without-cap
  while (true) {
    batchNumber++;
    try {
      const updated = await processBatch(500);
      if (updated < 500) break;
    } catch (err) {
      console.error(`batch ${batchNumber} failed`, err);
      await skipBatch();
    }
  }
}

async function chargeCapped(order) {
  let attempt = 0;
  // ok: retry-without-cap
  while (true) {
    try {
      return await payments.post('/charges', order);
    } catch (err) {
      if (++attempt >= MAX_ATTEMPTS) throw err;
      await sleepBackoff(attempt);
    }
  }
}

async function reserveWithGuard(sku) {
  let attempt = 0;
  // ok: retry-without-cap
  while (true) {
    if (attempt++ >= MAX_ATTEMPTS) throw new Error('inventory unavailable');
    try {
      return await payments.post('/reservations', { sku });
    } catch (err) {
      await sleepBackoff(attempt);
    }
  }
}

async function consume(queue) {
  // A consumer loop: the try does not leave the loop on success.
  // ok: retry-without-cap
  while (true) {
    try {
      const msg = await queue.receive();
      await handle(msg);
    } catch (err) {
      console.error('message failed', err);
    }
  }
}

// ok: retry-without-cap
axiosRetry(payments, { retries: 3, retryDelay: axiosRetry.exponentialDelay });

async function refundCapped(chargeId) {
  // ok: retry-without-cap
  return pRetry(() => payments.post(`/charges/${chargeId}/refund`), { retries: 4 });
}

module.exports = { chargeUntilItWorks, reserve, refund, chargeCapped, reserveWithGuard, consume, refundCapped, tunnel };

async function runSerializable(txn, isSerializationFailure) {
  let retryWaitMillis = 1;
  while (true) {
    try {
      return await txn();
    } catch (err) {
      if (!isSerializationFailure(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, retryWaitMillis));
      // ruleid: retry-without-cap
      retryWaitMillis *= 1.5;
    }
  }
}

async function runSerializableCapped(txn, isSerializationFailure) {
  let retryWaitMillis = 1;
  // ok: retry-without-cap
  while (true) {
    try {
      return await txn();
    } catch (err) {
      if (!isSerializationFailure(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, retryWaitMillis));
      retryWaitMillis = Math.min(retryWaitMillis * 1.5, 2000);
    }
  }
}
