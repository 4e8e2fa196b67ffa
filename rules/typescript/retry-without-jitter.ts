import pRetry from 'p-retry';
import axios from 'axios';
import axiosRetry from 'axios-retry';
import { setTimeout as sleep } from 'node:timers/promises';

interface Order { id: string; total: number }

declare const payments: {
  charge(order: Order): Promise<void>;
  capture(id: string): Promise<void>;
};

export async function charge(order: Order): Promise<void> {
  // ruleid: retry-without-jitter
  return pRetry(() => payments.charge(order), { retries: 5, minTimeout: 500, randomize: false });
}

const ledger = axios.create({ baseURL: process.env.LEDGER_URL, timeout: 5000 });
axiosRetry(ledger, {
  retries: 4,
  // ruleid: retry-without-jitter
  retryDelay: (retryCount: number) => Math.pow(2, retryCount) * 100,
});

export async function pushInvoice(invoice: object): Promise<unknown> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await ledger.post('/invoices', invoice);
    } catch {
      // ruleid: retry-without-jitter
      await sleep(100 * 2 ** attempt);
    }
  }
  throw new Error('ledger unavailable');
}

export function pushReceiptLater(receipt: object, attempt: number): void {
  // ruleid: retry-without-jitter
  setTimeout(() => void ledger.post('/receipts', receipt), 1000 * (1 << attempt));
}

export async function capture(paymentId: string): Promise<void> {
  // ok: retry-without-jitter
  return pRetry(() => payments.capture(paymentId), { retries: 5, randomize: true });
}

const shipping = axios.create({ baseURL: process.env.SHIPPING_URL, timeout: 5000 });
// ok: retry-without-jitter
axiosRetry(shipping, { retries: 4, retryDelay: axiosRetry.exponentialDelay });

export async function pushReceipt(receipt: object): Promise<unknown> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await ledger.post('/receipts', receipt);
    } catch {
      // ok: retry-without-jitter
      await sleep(Math.random() * 100 * 2 ** attempt);
    }
  }
  throw new Error('ledger unavailable');
}

export async function pollExport(jobId: string): Promise<unknown> {
  // ok: retry-without-jitter
  await sleep(2000);
  return ledger.get(`/exports/${jobId}`);
}

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

async function reconnectFeed(connect, maxErrors: number) {
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

async function reconnectFeedWithJitter(connect, maxErrors: number) {
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

function scheduleRetry(run, attempt: number) {
  // ruleid: retry-without-jitter
  const wait = Math.pow(2, attempt) * 1000;
  setTimeout(run, wait);
}

function pageWindow(page: number) {
  // A size, not a delay: nothing waits on it.
  // ok: retry-without-jitter
  const size = 2 ** page;
  return fetchWindow(size);
}
