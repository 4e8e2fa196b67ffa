import axios from 'axios';
import { setTimeout as sleep } from 'node:timers/promises';

interface ExportJob { id: string; status: 'queued' | 'running' | 'done'; url?: string }

const api = axios.create({ baseURL: process.env.EXPORTS_URL, timeout: 5000 });

export async function waitForExport(id: string): Promise<ExportJob> {
  let job = (await api.get<ExportJob>(`/exports/${id}`)).data;
  // ruleid: polling-loop-without-delay
  while (job.status !== 'done') {
    job = (await api.get<ExportJob>(`/exports/${id}`)).data;
  }
  return job;
}

export async function waitForBuild(client: { getBuildStatus(id: string): Promise<string> }, id: string): Promise<void> {
  // ruleid: polling-loop-without-delay
  for (let i = 0; i < 600; i++) {
    if ((await client.getBuildStatus(id)) === 'succeeded') return;
  }
  throw new Error(`build ${id} did not finish`);
}

export async function waitUntilReady(isReady: () => Promise<boolean>): Promise<void> {
  // ruleid: polling-loop-without-delay
  while (!(await isReady())) {}
}

export async function waitForExportPolitely(id: string): Promise<ExportJob> {
  let job = (await api.get<ExportJob>(`/exports/${id}`)).data;
  // ok: polling-loop-without-delay
  while (job.status !== 'done') {
    await sleep(1000);
    job = (await api.get<ExportJob>(`/exports/${id}`)).data;
  }
  return job;
}

export async function allJobs(): Promise<ExportJob[]> {
  const jobs: ExportJob[] = [];
  let next: string | undefined = '/exports';
  // Pagination: each request fetches new data.
  // ok: polling-loop-without-delay
  while (next) {
    const page: { items: ExportJob[]; next?: string } = (await api.get(next)).data;
    jobs.push(...page.items);
    next = page.next;
  }
  return jobs;
}

export function countPending(jobs: ExportJob[]): number {
  let pending = 0;
  // ok: polling-loop-without-delay
  for (const job of jobs) {
    if (job.status !== 'done') pending++;
  }
  return pending;
}

export function skipWhitespace(stream: { eat(re: RegExp): boolean; pos: number }): number {
  // The condition does the work: a scanner idiom, not a wait.
  // ok: polling-loop-without-delay
  while (stream.eat(/\s/)) {}
  return stream.pos;
}

export async function allIssues(project: string): Promise<ExportJob[]> {
  // Pagination with a page counter; the status code check is not a status poll.
  const issues: ExportJob[] = [];
  let page = 1;
  // ok: polling-loop-without-delay
  while (page <= 100) {
    const res = await api.get<{ items: ExportJob[] }>(`/issues?project=${project}&p=${page}`);
    if (res.status !== 200) break;
    if (res.data.items.length === 0) break;
    issues.push(...res.data.items);
    page += 1;
  }
  return issues;
}

export function watchAgentQueues(log: Logger): NodeJS.Timeout {
  // The interval was forgotten: the check runs every millisecond.
  // ruleid: polling-loop-without-delay
  const timer = setInterval(function () {
    if (http.globalAgent.requests.length > 0) log.warn("agent queueing");
  });
  // ruleid: polling-loop-without-delay
  setInterval(() => reportDepth(log), 0);
  // ruleid: polling-loop-without-delay
  setInterval(reportDepth);
  // ok: polling-loop-without-delay
  setInterval(() => reportDepth(log), 1000);
  // ok: polling-loop-without-delay
  setInterval(reportDepth, config.pollIntervalMs, log);
  // ok: polling-loop-without-delay
  setTimeout(() => reportDepth(log));
  return timer;
}

interface Tx { didFinish: boolean; discontinued: boolean; confirmed: boolean; indexed: boolean; settled: boolean; poll(): Promise<boolean> }
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// The delay is called but not awaited: the loop spins and the event loop never runs the work it waits for.
export async function waitUntilMined(tx: Tx): Promise<Tx> {
  while (!tx.didFinish && !tx.discontinued) {
    // ruleid: polling-loop-without-delay
    delay(10_000);
  }
  do {
    // ruleid: polling-loop-without-delay
    sleep(500);
  } while (!tx.confirmed);
  for (let i = 0; i < 100 && !tx.indexed; i++) {
    // ruleid: polling-loop-without-delay
    delay(250);
  }
  while (!tx.didFinish) {
    // ok: polling-loop-without-delay
    await delay(10_000);
  }
  while (!tx.settled) {
    const seen = await tx.poll();
    // ok: polling-loop-without-delay
    delay(seen ? 0 : 100);
  }
  return tx;
}

export function pumpSync(queue: string[], wait: (item: string | undefined) => void): void {
  while (queue.length > 0) {
    // ok: polling-loop-without-delay
    wait(queue.shift());
  }
}

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
