const pRetry = require('p-retry');
const retry = require('retry');
const axios = require('axios');
const axiosRetry = require('axios-retry');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function charge(order) {
  // ruleid: retry-without-jitter
  return pRetry(() => payments.charge(order), { retries: 5, minTimeout: 500 });
}

function refund(refundId, done) {
  // ruleid: retry-without-jitter
  const operation = retry.operation({ retries: 5, factor: 2, minTimeout: 500 });
  operation.attempt(() => payments.refund(refundId).then(done, (err) => operation.retry(err) || done(err)));
}

const ledger = axios.create({ baseURL: process.env.LEDGER_URL, timeout: 5000 });
axiosRetry(ledger, {
  retries: 4,
  // ruleid: retry-without-jitter
  retryDelay: (retryCount) => 2 ** retryCount * 100,
});

async function pushInvoice(invoice) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await ledger.post('/invoices', invoice);
    } catch (err) {
      // ruleid: retry-without-jitter
      await sleep(2 ** attempt * 100);
    }
  }
  throw new Error('ledger unavailable');
}

async function capture(paymentId) {
  // ok: retry-without-jitter
  return pRetry(() => payments.capture(paymentId), { retries: 5, randomize: true });
}

const shipping = axios.create({ baseURL: process.env.SHIPPING_URL, timeout: 5000 });
// ok: retry-without-jitter
axiosRetry(shipping, { retries: 4, retryDelay: axiosRetry.exponentialDelay });

async function pushReceipt(receipt) {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await ledger.post('/receipts', receipt);
    } catch (err) {
      // ok: retry-without-jitter
      await sleep(Math.random() * 2 ** attempt * 100);
    }
  }
  throw new Error('ledger unavailable');
}

async function pollExport(jobId) {
  // A constant poll interval is not a backoff.
  // ok: retry-without-jitter
  await sleep(2000);
  return ledger.get(`/exports/${jobId}`);
}

module.exports = { charge, refund, pushInvoice, capture, pushReceipt, pollExport };

async function newShortId(users) {
  // Regenerates an id until it does not collide: not a retry against a failing dependency.
  // ok: retry-without-jitter
  return pRetry(async () => {
    const id = generateShortId();
    if (await users.hasId(id)) {
      throw new Error('id taken');
    }
    return id;
  }, { retries: 50 });
}

async function waitForExtraction(hasExtractionCompleted) {
  // Waits for a local step through a completion predicate.
  // ok: retry-without-jitter
  await pRetry(hasExtractionCompleted, { retries: 10 });
}

function generateShortId() {
  return Math.random().toString(36).slice(2, 10);
}

async function reconnectFeed(connect, maxErrors) {
  for (let errors = 0; errors < maxErrors; errors++) {
    try {
      return await connect();
    } catch (err) {
      // ruleid: retry-without-jitter
      const duration = 250 * 2 ** errors;
      await sleep(duration);
    }
  }
  throw new Error('feed unavailable');
}

async function reconnectFeedWithJitter(connect, maxErrors) {
  for (let errors = 0; errors < maxErrors; errors++) {
    try {
      return await connect();
    } catch (err) {
      // ok: retry-without-jitter
      const base = 250 * 2 ** errors;
      await sleep(base / 2 + Math.random() * base / 2);
    }
  }
  throw new Error('feed unavailable');
}

function scheduleRetry(run, attempt) {
  // ruleid: retry-without-jitter
  const wait = Math.pow(2, attempt) * 1000;
  setTimeout(run, wait);
}

function pageWindow(page) {
  // A size, not a delay: nothing waits on it.
  // ok: retry-without-jitter
  const size = 2 ** page;
  return fetchWindow(size);
}
