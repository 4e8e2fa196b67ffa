const axios = require('axios');

const api = axios.create({ baseURL: process.env.EXPORTS_URL, timeout: 5000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForExport(id) {
  let job = await api.get(`/exports/${id}`);
  // ruleid: polling-loop-without-delay
  while (job.data.status !== 'done') {
    job = await api.get(`/exports/${id}`);
  }
  return job.data;
}

async function waitForPayment(paymentId) {
  let state;
  // ruleid: polling-loop-without-delay
  do {
    const res = await fetch(`${process.env.PAYMENTS_URL}/payments/${paymentId}`, { signal: AbortSignal.timeout(3000) });
    state = (await res.json()).state;
  } while (state === 'pending');
  return state;
}

function pauseFor(ms) {
  const until = Date.now() + ms;
  // ruleid: polling-loop-without-delay
  while (Date.now() < until);
}

async function waitForExportPolitely(id) {
  let job = await api.get(`/exports/${id}`);
  // ok: polling-loop-without-delay
  while (job.data.status !== 'done') {
    await sleep(1000);
    job = await api.get(`/exports/${id}`);
  }
  return job.data;
}

async function allOrders() {
  const orders = [];
  let next = '/orders';
  // Pagination: each request fetches new data.
  // ok: polling-loop-without-delay
  while (next) {
    const page = await api.get(next);
    orders.push(...page.data.items);
    next = page.data.next;
  }
  return orders;
}

async function submitWithRetry(order) {
  // ok: polling-loop-without-delay
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const res = await api.post('/orders', order);
      if (res.data.status === 'accepted') return res.data;
    } catch (err) {
      if (attempt === 2) throw err;
    }
  }
  return null;
}

function skipWhitespace(stream) {
  // The condition does the work: a scanner idiom, not a wait.
  // ok: polling-loop-without-delay
  while (stream.eat(/\s/)) {}
  return stream.pos;
}

async function latestVersion(currentVersion) {
  let nextUrl = `${process.env.REGISTRY_URL}/tags?page_size=100`;
  // Pagination until the current version is found: every request reads a new page.
  // ok: polling-loop-without-delay
  while (nextUrl) {
    const response = await fetch(nextUrl, { signal: AbortSignal.timeout(5000) });
    const data = await response.json();
    if (data.results.some((tag) => tag.name === currentVersion)) return data.results[0].name;
    nextUrl = data.next;
  }
  return currentVersion;
}

module.exports = { skipWhitespace, latestVersion,  waitForExport, waitForPayment, pauseFor, waitForExportPolitely, allOrders, submitWithRetry };

async function allIssues(project) {
  // Pagination with a page counter; the status code check is not a status poll.
  const issues = [];
  let page = 1;
  // ok: polling-loop-without-delay
  while (page <= 100) {
    const res = await api.get(`/issues?project=${project}&p=${page}`);
    if (res.status !== 200) break;
    if (res.data.items.length === 0) break;
    issues.push(...res.data.items);
    page += 1;
  }
  return issues;
}

module.exports.allIssues = allIssues;

function watchAgentQueues(log) {
  // The interval was forgotten: the check runs every millisecond.
  // ruleid: polling-loop-without-delay
  const timer = setInterval(function () {
    if (http.globalAgent.requests.length > 0) log.warn('agent queueing');
  });
  // ruleid: polling-loop-without-delay
  setInterval(() => reportDepth(log), 0);
  // ruleid: polling-loop-without-delay
  setInterval(reportDepth);
  // ok: polling-loop-without-delay
  setInterval(() => reportDepth(log), 1000);
  // ok: polling-loop-without-delay
  setInterval(reportDepth, POLL_INTERVAL_MS, log);
  // ok: polling-loop-without-delay
  setTimeout(() => reportDepth(log));
  return timer;
}

module.exports.watchAgentQueues = watchAgentQueues;

// The sleep is called but not awaited: the loop spins and the event loop never runs the work it waits for.
async function waitUntilMined(tx) {
  while (!tx.didFinish && !tx.discontinued) {
    // ruleid: polling-loop-without-delay
    sleep(10000);
  }
  do {
    // ruleid: polling-loop-without-delay
    timers.delay(500);
  } while (!tx.confirmed);
  for (let i = 0; i < 100 && !tx.indexed; i++) {
    // ruleid: polling-loop-without-delay
    sleep(250);
  }
  while (!tx.didFinish) {
    // ok: polling-loop-without-delay
    await sleep(10000);
  }
  while (!tx.settled) {
    const seen = await tx.poll();
    // ok: polling-loop-without-delay
    sleep(seen ? 0 : 100);
  }
  return tx;
}

function pumpSync(queue) {
  while (queue.length > 0) {
    // ok: polling-loop-without-delay
    wait(queue.shift());
  }
}

module.exports.waitUntilMined = waitUntilMined;
module.exports.pumpSync = pumpSync;

class QueueManager {
  close(cb) {
    this._toClose = true;
    // ruleid: polling-loop-without-delay
    if (this.isBusy) setTimeout(this.close(cb), 250);
    else if (cb) cb();
  }

  drain() {
    // ok: polling-loop-without-delay
    if (this.isBusy) setTimeout(() => this.drain(), 250);
  }

  flush() {
    // ok: polling-loop-without-delay
    setTimeout(this.makeFlusher(), 250);
  }
}

function waitForIdle(pool, done) {
  // ruleid: polling-loop-without-delay
  if (pool.busy) return setImmediate(waitForIdle(pool, done));
  done();
}

function tick(state) {
  // ruleid: polling-loop-without-delay
  if (!state.ready) setInterval(tick(state), 100);
  // ok: polling-loop-without-delay
  setTimeout(tick.bind(null, state), 100);
}
