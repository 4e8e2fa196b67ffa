import axios from 'axios';
import axiosRetry, { IAxiosRetryConfig } from 'axios-retry';

declare const retryOptions: IAxiosRetryConfig;
declare function handle(msg: unknown): Promise<void>;
import pRetry from 'p-retry';
import { retry, handleAll, ConstantBackoff, ExponentialBackoff } from 'cockatiel';
import { setTimeout as sleep } from 'timers/promises';

const RETRY_DELAY_MS = 500;
const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 5000 });

async function chargeWithFixedDelay(order: { id: string; total: number }): Promise<unknown> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const { data } = await payments.post('/charges', order);
      return data;
    } catch (err: unknown) {
      if (attempt === 5) throw err;
      // ruleid: retry-without-backoff
      await sleep(RETRY_DELAY_MS);
    }
  }
}

async function reserveWithPromiseTimer(sku) {
  let attempts = 0;
  while (attempts < 3) {
    try {
      return await payments.post('/reservations', { sku });
    } catch (err) {
      attempts++;
      // ruleid: retry-without-backoff
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error('reservation failed');
}

async function captureImmediately(chargeId: string) {
  for (let i = 0; i < 3; i++) {
    try {
      const res = await payments.post<{ captured: boolean }>(`/charges/${chargeId}/capture`);
      if (res.status === 200) return res.data;
    // ruleid: retry-without-backoff
    } catch (err) {
      console.warn('capture failed, retrying', (err as Error).message);
    }
  }
  return null;
}

// ruleid: retry-without-backoff
axiosRetry(payments, { retries: 3 });

// ruleid: retry-without-backoff
axiosRetry(axios, { retries: 5, retryDelay: () => 1000 });

async function refund(chargeId) {
  // ruleid: retry-without-backoff
  return pRetry(() => payments.post(`/charges/${chargeId}/refund`), { retries: 4, factor: 1 });
}

async function voidPayment(chargeId) {
  // ruleid: retry-without-backoff
  return pRetry(() => payments.post(`/charges/${chargeId}/void`), { retries: 3, minTimeout: 1000, maxTimeout: 1000 });
}

// ruleid: retry-without-backoff
const constantPolicy: ReturnType<typeof retry> = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(200) });

// ---- quiet ----

const BATCH_SIZE = 500;
const INTER_BATCH_DELAY_MS = 250;
declare function archiveNextBatch(limit: number): Promise<number>;

async function archiveOldOrders() {
  let batchNumber = 0;
  while (true) {
    batchNumber++;
    try {
      const archived = await archiveNextBatch(BATCH_SIZE);
      if (archived < BATCH_SIZE) break;
      // Pacing between batches, not a retry delay.
      // ok: retry-without-backoff
      await sleep(INTER_BATCH_DELAY_MS);
    } catch (err) {
      console.error(`batch ${batchNumber} failed`, err);
    }
  }
}

class UniqueConstraintError extends Error {}

async function createWithUniqueSlug<T>(create: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    // A write conflict: the next attempt picks another slug at once.
    // ok: retry-without-backoff
    } catch (err) {
      if (!(err instanceof UniqueConstraintError) || attempt >= attempts) throw err;
    }
  }
}

async function chargeWithBackoff(order) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await payments.post('/charges', order);
    } catch (err) {
      if (attempt === 5) throw err;
      // ok: retry-without-backoff
      await sleep(Math.random() * Math.min(10000, 100 * 2 ** attempt));
    }
  }
}

async function doublingDelay(sku) {
  let delay = 200;
  for (let attempt = 0; attempt < 4; attempt++) {
    try {
      return await payments.get(`/stock/${sku}`);
    } catch (err) {
      // ok: retry-without-backoff
      await sleep(delay);
      delay *= 2;
    }
  }
}

async function failover(path, endpoints) {
  for (let i = 0; i < endpoints.length; i++) {
    try {
      return await axios.get(`${endpoints[i]}${path}`, { timeout: 2000 });
    // ok: retry-without-backoff
    } catch (err) {
      console.warn('endpoint failed', endpoints[i]);
    }
  }
}

async function pollBatch(queue) {
  for (const msg of await queue.receive()) {
    try {
      await handle(msg);
    // ok: retry-without-backoff
    } catch (err) {
      await queue.deadLetter(msg, err);
    }
  }
}

// ok: retry-without-backoff
axiosRetry(payments, { retries: 3, retryDelay: axiosRetry.exponentialDelay });
// A delay computed from the retry count, written as a method: grows and is capped.
// ok: retry-without-backoff
axiosRetry(payments, {
  retries: 3,
  retryDelay(retryCount) {
    return Math.min(retryCount * 500, 5000);
  },
});

// ok: retry-without-backoff
axiosRetry(axios, retryOptions);

async function refundBackoff(chargeId) {
  // ok: retry-without-backoff
  return pRetry(() => payments.post(`/charges/${chargeId}/refund`), { retries: 4, minTimeout: 200, maxTimeout: 5000 });
}

// ok: retry-without-backoff
const exponentialPolicy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });

async function warmup() {
  // A plain pause outside any retry loop.
  // ok: retry-without-backoff
  await sleep(1000);
}

export { chargeWithFixedDelay, reserveWithPromiseTimer, captureImmediately, refund, constantPolicy };

// ---- retries by recursion ----

Loader.prototype.getNetwork = function (this: any, cb: any) {
  const self = this;
  transport.getFromRandomPeer({ api: '/list' }, function (err: any, data: any) {
    if (err) {
      logger.info('Could not connect to the network, retrying');
      // ruleid: retry-without-backoff
      return self.getNetwork(cb);
    }
    cb(null, data);
  });
};

class FeedClient {
  [key: string]: any;
  async fetchFeed(url: string): Promise<unknown> {
    try {
      return await http.get(url);
    } catch (err) {
      // ruleid: retry-without-backoff
      return this.fetchFeed(url);
    }
  }

  connect() {
    this.socket = net.connect(this.port, this.host);
    // ruleid: retry-without-backoff
    this.socket.on('close', () => this.connect());
  }

  async refreshOnExpiry(path: string): Promise<unknown> {
    try {
      return await this.api.get(path);
    } catch (err) {
      // One retry after fixing the cause: new credentials.
      await this.refreshToken();
      // ok: retry-without-backoff
      return this.refreshOnExpiry(path);
    }
  }

  reconnect() {
    this.socket = net.connect(this.port, this.host);
    this.socket.on('close', () => {
      // ok: retry-without-backoff
      setTimeout(() => this.reconnect(), this.nextDelay());
    });
  }

  async load(id: string) {
    try {
      return await this.store.read(id);
    } catch (err) {
      // A different function: a fallback, not a retry.
      // ok: retry-without-backoff
      return this.loadFromBackup(id);
    }
  }

  poll(cb: any) {
    queue.receive((err: any, msg: any) => {
      if (err) {
        // ok: retry-without-backoff
        return delay(1000).then(() => this.poll(cb));
      }
      cb(msg);
    });
  }
}

class StreamClient {
  [key: string]: any;
  subscribe(topic: string): Promise<unknown> {
    // ruleid: retry-without-backoff
    return this.bus.listen(topic).catch(() => this.subscribe(topic));
  }

  scheduleReconnect() {
    setTimeout(async () => {
      try {
        await this.connect();
      } catch (error) {
        // The attempt runs in a timer: each one waits for it.
        // ok: retry-without-backoff
        this.scheduleReconnect();
      }
    }, this.delay);
  }

  processNext(index: number): void {
    const stream = this.files[index].open();
    // The next item after this one ends: iteration, not a retry.
    // ok: retry-without-backoff
    stream.on('end', () => this.processNext(index));
  }

  parseRange(text: string): unknown {
    try {
      return parse(text);
    } catch (err) {
      // Other values: a fallback, not the same work again.
      // ok: retry-without-backoff
      return this.parseRange('week');
    }
  }
}
