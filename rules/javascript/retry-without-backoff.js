const axios = require('axios');
const axiosRetry = require('axios-retry');
const pRetry = require('p-retry');
const { retry, handleAll, ConstantBackoff, ExponentialBackoff } = require('cockatiel');
const { setTimeout: sleep } = require('timers/promises');

const RETRY_DELAY_MS = 500;
const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 5000 });

async function chargeWithFixedDelay(order) {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const { data } = await payments.post('/charges', order);
      return data;
    } catch (err) {
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

async function captureImmediately(chargeId) {
  for (let i = 0; i < 3; i++) {
    try {
      const res = await payments.post(`/charges/${chargeId}/capture`);
      if (res.status === 200) return res.data;
    // ruleid: retry-without-backoff
    } catch (err) {
      console.warn('capture failed, retrying', err.message);
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
const constantPolicy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(200) });

// ---- quiet ----

const BATCH_SIZE = 500;
const INTER_BATCH_DELAY_MS = 250;
const { archiveNextBatch } = require('./archive');

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

async function createWithUniqueSlug(create, attempts = 3) {
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

// ---- retries by recursion ----

Loader.prototype.getNetwork = function (cb) {
  const self = this;
  transport.getFromRandomPeer({ api: '/list' }, function (err, data) {
    if (err) {
      logger.info('Could not connect to the network, retrying');
      // ruleid: retry-without-backoff
      return self.getNetwork(cb);
    }
    cb(null, data);
  });
};

class FeedClient {
  async fetchFeed(url) {
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

  async refreshOnExpiry(path) {
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

  async load(id) {
    try {
      return await this.store.read(id);
    } catch (err) {
      // A different function: a fallback, not a retry.
      // ok: retry-without-backoff
      return this.loadFromBackup(id);
    }
  }

  poll(cb) {
    queue.receive((err, msg) => {
      if (err) {
        // ok: retry-without-backoff
        return delay(1000).then(() => this.poll(cb));
      }
      cb(msg);
    });
  }
}

class StreamClient {
  subscribe(topic) {
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

  processNext(index) {
    const stream = this.files[index].open();
    // The next item after this one ends: iteration, not a retry.
    // ok: retry-without-backoff
    stream.on('end', () => this.processNext(index));
  }

  parseRange(text) {
    try {
      return parse(text);
    } catch (err) {
      // Other values: a fallback, not the same work again.
      // ok: retry-without-backoff
      return this.parseRange('week');
    }
  }
}

module.exports = { chargeWithFixedDelay, reserveWithPromiseTimer, captureImmediately, refund, constantPolicy };
