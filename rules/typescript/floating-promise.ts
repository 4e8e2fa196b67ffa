import fs from 'fs';
import express from 'express';
import logger from './logger';
import type { Request, Response } from 'express';

const app = express();

interface Order { id: string; total: number }

async function createOrder(body: Order): Promise<Order> {
  return { id: body.id, total: body.total };
}

async function sendConfirmation(order: Pick<Order, 'id'>): Promise<void> {
  await fetch(`${process.env.MAILER_URL}/send`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(3000) });
}

const recordAudit = async (event: { type: string; id: string }): Promise<void> => {
  await fs.promises.appendFile('/var/log/orders/audit.log', JSON.stringify(event) + '\n');
};

// Best-effort: every failure is caught and logged here, so the promise never rejects.
const notifyWarehouse = async (order: Order): Promise<void> => {
  try {
    await fetch(`${process.env.WAREHOUSE_URL}/orders`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(3000) });
  } catch (err) {
    logger.warn({ err }, 'warehouse notification failed');
  }
};

// One call whose failure is caught right there.
const warmOrderCache = async (id: string): Promise<void> => fs.promises.writeFile(`/var/cache/orders/${id}`, '').catch((err) => logger.warn({ err }, 'cache warm-up failed'));

// Awaits nothing, and its one write ends in `.catch`: it cannot reject either.
async function touchOrderMarker(id: string): Promise<void> {
  if (!id) {
    return;
  }
  fs.promises.utimes(`/var/cache/orders/${id}`, new Date(), new Date()).then(() => {}).catch(() => {});
}

app.post('/orders', async (req: Request, res: Response) => {
  const order = await createOrder(req.body);
  // ruleid: floating-promise
  sendConfirmation(order);
  // ruleid: floating-promise
  recordAudit({ type: 'order.created', id: order.id });
  res.status(201).json(order);
});

class OrderService {
  public async save(order: Order): Promise<void> {
    // ruleid: floating-promise
    fs.promises.writeFile(`/var/orders/${order.id}.json`, JSON.stringify(order));
    // ruleid: floating-promise
    this.publish(order);
  }

  private async publish(order: Order): Promise<void> {
    await fetch(`${process.env.BUS_URL}/events`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(2000) });
  }

  public async archive(order: Order): Promise<void> {
    try {
      // The catch below never sees this rejection.
      // ruleid: floating-promise
      this.publish(order);
      await fs.promises.rename(`/var/orders/${order.id}.json`, `/var/archive/${order.id}.json`);
    } catch (err) {
      logger.error({ err }, 'archiving failed');
    }
  }

  public async saveSafe(order: Order): Promise<void> {
    // ok: floating-promise
    await fs.promises.writeFile(`/var/orders/${order.id}.json`, JSON.stringify(order));
    // ok: floating-promise
    void this.publish(order).catch((err) => logger.warn({ err }, 'publish failed'));
  }
}

app.post('/v2/orders', async (req, res) => {
  const order = await createOrder(req.body);
  // ok: floating-promise
  await sendConfirmation(order);
  // The callee catches everything itself.
  // ok: floating-promise
  notifyWarehouse(order);
  // ok: floating-promise
  warmOrderCache(order.id);
  // ok: floating-promise
  touchOrderMarker(order.id);
  // ok: floating-promise
  recordAudit({ type: 'order.created', id: order.id }).catch((err) => logger.warn({ err }, 'audit failed'));
  // A synchronous call, not a promise.
  // ok: floating-promise
  logger.info({ id: order.id }, 'order created');
  res.status(201).json(order);
});

function startBackgroundSync() {
  // Outside async code: start-up fire-and-forget is left to the no-floating-promises linter.
  // ok: floating-promise
  sendConfirmation({ id: 'warmup' });
}

export { app, OrderService, startBackgroundSync };


// A module's promise API, and transactions run with an async callback.
import DocumentManager from './DocumentManager';
import knex from './db';

async function resyncProject(docs: Array<{ id: string; path: string }>, promiseMapWithLimit: (n: number, items: Array<{ id: string; path: string }>, fn: (doc: { id: string; path: string }) => void) => Promise<void>) {
  await promiseMapWithLimit(4, docs, (doc) => {
    // ruleid: floating-promise
    DocumentManager.promises.resyncDoc(doc.id, doc.path);
  });
}

async function acceptInvite(invite: { id: string; projectId: string }, user: { id: string }) {
  // ruleid: floating-promise
  DocumentManager.promises.addMember(invite.projectId, user.id);
  // ok: floating-promise
  await DocumentManager.promises.removeInvite(invite.id);
  // ok: floating-promise
  void DocumentManager.promises.notify(invite.projectId).catch((err) => logger.warn({ err }, 'notify failed'));
}

async function deleteChunks(projectId: number) {
  // ruleid: floating-promise
  knex.transaction(async (tx) => {
    await tx('chunks').where({ project_id: projectId }).del();
  });
  // ok: floating-promise
  await knex.transaction(async (tx) => {
    await tx('history').where({ project_id: projectId }).del();
  });
  // ok: floating-promise
  return knex.transaction(async (tx) => tx('docs').where({ project_id: projectId }).del());
}

function queuedJobs(jobs: { promises: Promise<void>[] }) {
  // ok: floating-promise
  jobs.promises.push(Promise.resolve());
}

class ConnectionPool {
  private idle: unknown[] = [];
  constructor(private factory: () => Promise<unknown>) {}

  async #create() {
    const client = await this.factory();
    this.idle.push(client);
  }

  async #warm() {
    try {
      await this.#create();
    } catch (err) {
      logger.warn({ err }, 'warm-up failed');
    }
  }

  async scaleUp(waiting: number) {
    // ruleid: floating-promise
    this.#create();
    // ok: floating-promise
    this.#warm();
    // ok: floating-promise
    await this.#create();
    return waiting;
  }
}

// Lazy query builders written as bare statements: nothing is sent.
export function deleteExperiment(ExperimentModel: any, VisualChangesetModel: any, knex: any, experiment: { id: string }) {
  try {
    // ruleid: floating-promise
    VisualChangesetModel.deleteMany({ experiment: experiment.id });
    // ruleid: floating-promise
    knex('experiments').where({ id: experiment.id }).update({ archived: true });
    // A Mongoose query run through its callback or exec(), and one awaited: they execute.
    // ok: floating-promise
    ExperimentModel.updateOne({ id: experiment.id }, { archived: true }, (err: Error) => logger.warn(err));
    // ok: floating-promise
    ExperimentModel.deleteOne({ id: experiment.id }).exec();
  } catch (e) {
    logger.error(e);
  }
}

export async function duplicateBoard(db: any, boards: unknown, sections: unknown, board: { tags: Map<string, boolean> }) {
  await db.transaction(async (tx: any) => {
    // ruleid: floating-promise
    tx.insert(boards).values({ ...board, id: 'copy' });
    // ok: floating-promise
    await tx.insert(sections).values({ boardId: 'copy' });
    // A local Set, not a query builder.
    // ok: floating-promise
    board.tags.set('copied', true);
  });
}

// Functions imported from the project's own modules are followed there (`_modules/jobs.ts`).
import reindexAll, { rebuildPermissions, publishEvent as publish, formatOrder, refreshCacheSafely, sendTelemetry, sendAudit } from './_modules/jobs';
import * as jobs from './_modules/jobs';
import { rebuildPermissions as rebuildFromPackage } from 'permissions-client';

async function onShareAccepted(projectId: string): Promise<void> {
  // ruleid: floating-promise
  rebuildPermissions(projectId);
  // ruleid: floating-promise
  publish('share.accepted');
  // ruleid: floating-promise
  jobs.rebuildPermissions(projectId);
  // ruleid: floating-promise
  reindexAll();
  // ok: floating-promise
  formatOrder({ id: projectId });
  // ok: floating-promise
  refreshCacheSafely(projectId);
  // ok: floating-promise
  sendTelemetry('/share/accepted');
  // ruleid: floating-promise
  sendAudit('share.accepted');
  // ok: floating-promise
  jobs.refreshCacheSafely(projectId);
  // ok: floating-promise
  jobs.formatOrder({ id: projectId });
  // ok: floating-promise
  rebuildFromPackage(projectId);
  // ok: floating-promise
  await rebuildPermissions(projectId);
  // ok: floating-promise
  void publish('share.accepted').catch((err) => logger.warn({ err }, 'publish failed'));
}

function onShareAcceptedSync(projectId: string): void {
  // ok: floating-promise
  rebuildPermissions(projectId);
}

// A chain that ends in a one-handler `.then` or in `.finally` passes a rejection through, and is dropped.
function instrumentQuery(query: Promise<unknown>, span: { end(): void }, end: () => void): void {
  // ruleid: floating-promise
  query.then(end);
  // ruleid: floating-promise
  query.finally(() => span.end());
  // ruleid: floating-promise
  query.then(() => span.end()).finally(end);
  // ok: floating-promise
  query.then(end, end);
  // ok: floating-promise
  query.then(end).catch(end);
  // ok: floating-promise
  query.catch(end).finally(end);
  // ok: floating-promise
  void query.finally(end);
  // Cypress commands chain, they are not promises.
  // ok: floating-promise
  cy.get('#orders').then(end);
}

// `await` of the array `map` returns waits for none of the promises in it.
async function loadGroups(groupUrls: string[], acl) {
  // ruleid: floating-promise
  await groupUrls.map((groupUrl) => acl.fetch(groupUrl));
  // ruleid: floating-promise
  await groupUrls.map(async (groupUrl) => {
    await acl.fetch(groupUrl);
  });
  // ruleid: floating-promise
  await groupUrls.flatMap(async function (groupUrl) { return acl.fetch(groupUrl); });
  // ok: floating-promise
  await Promise.all(groupUrls.map((groupUrl) => acl.fetch(groupUrl)));
  // ok: floating-promise
  const names = await groupUrls.map((groupUrl) => groupUrl.split('#')[0]).join(',');
  // ok: floating-promise
  await acl.load(groupUrls.map((groupUrl) => acl.fetch(groupUrl)));
  // A mapper that builds values makes no promise: the await is only redundant.
  // ok: floating-promise
  const rows = await groupUrls.map((groupUrl) => toRow(groupUrl, 'Group'));
  return [names, rows];
}

// forEach with an async callback drops every promise it makes.
async function loadInitializers(files: string[], api: { rooms: Record<string, unknown>; add(room: string): Promise<void>; warm(file: string): Promise<void> }): Promise<void> {
  // ruleid: floating-promise
  files.forEach(async (file) => {
    await api.warm(file);
  });
  // ruleid: floating-promise
  Object.keys(api.rooms).map(async function (room: string) {
    await api.add(room);
  });
  // ok: floating-promise
  files.forEach(async (file) => {
    try {
      await api.warm(file);
    } catch (err) {
      logger.warn({ err }, `warm-up of ${file} failed`);
    }
  });
  // ruleid: floating-promise
  Object.keys(api.rooms).forEach(async (room) => {
    try {
      await api.add(room);
    } catch (err) {
      if (!/exists/.test(String(err))) { throw err; }
    }
  });
  // An async callback that awaits nothing has done its work when forEach returns.
  // ok: floating-promise
  files.forEach(async (file) => {
    api.registered = (api.registered || 0) + file.length;
  });
  // ok: floating-promise
  await Promise.all(files.map(async (file) => api.warm(file)));
  // ok: floating-promise
  files.forEach((file) => logger.info(file));
}

// A timer ignores the promise an async callback returns: a rejection on any tick is nobody's.
async function refreshTokens(store: { rotate(): Promise<void> }): Promise<void> {
  await store.rotate();
}

class TokenKeeper {
  private pending = 0;
  private lastReset = 0;

  constructor(private readonly store: { rotate(): Promise<void>; markStale(err: unknown): Promise<void>; lastStart?: number }) {}

  private async sync(): Promise<void> {
    await this.store.rotate();
  }

  private async syncQuietly(): Promise<void> {
    try {
      await this.store.rotate();
    } catch (err) {
      logger.warn({ err }, 'token sync failed');
    }
  }

  start(): void {
    // ruleid: floating-promise
    setInterval(async () => {
      await this.store.rotate();
    }, 60_000);
    // ruleid: floating-promise
    setInterval(refreshTokens, 60_000, this.store);
    // ruleid: floating-promise
    setTimeout(() => this.sync(), 1_000);
    // ok: floating-promise
    setInterval(async () => {
      try {
        await this.store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token rotation failed');
      }
    }, 60_000);
    // ok: floating-promise
    const reset = setTimeout(async () => {
      this.pending = 0;
      try {
        await this.store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token reset failed');
      }
      this.lastReset = Date.now();
    }, 30_000);
    reset.unref();
    // ruleid: floating-promise
    setInterval(async () => {
      try {
        await this.store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token rotation failed');
      }
      await this.store.markStale(null);
      try {
        this.store.lastStart = Date.now();
      } catch (err) {
        logger.warn({ err }, 'clock failed');
      }
    }, 60_000);
    // ruleid: floating-promise
    setTimeout(async () => {
      try {
        await this.store.rotate();
      } catch (err) {
        await this.store.markStale(err);
      }
    }, 30_000);
    // ok: floating-promise
    setInterval(() => this.syncQuietly(), 60_000);
    // ok: floating-promise
    setInterval(() => refreshTokens(this.store).catch((err) => logger.warn({ err }, 'rotation failed')), 60_000);
    // ok: floating-promise
    setTimeout(async () => {
      this.store.lastStart = Date.now();
    }, 0);
  }
}

// A function or method declared to return a Promise returns one, async or not.
class EventProcessor {
  constructor(private readonly errorHandler: (err: Error) => Promise<void>) {}

  public handleError(error: Error): Promise<void> {
    return this.errorHandler(error);
  }

  public describe(error: Error): string {
    return error.message;
  }

  public async processEvent(authorize: () => Promise<unknown>): Promise<void> {
    try {
      await authorize();
    } catch (error) {
      // ruleid: floating-promise
      this.handleError(error as Error);
      // ok: floating-promise
      this.describe(error as Error);
      return;
    }
    // ruleid: floating-promise
    flushOutbox('processed');
    // ok: floating-promise
    await flushOutbox('processed');
    // ok: floating-promise
    formatOutbox('processed');
  }
}

function flushOutbox(reason: string): Promise<void> {
  return outbox.flush(reason);
}

const formatOutbox = (reason: string): string => `outbox: ${reason}`;

// An EventEmitter ignores what a listener returns: a rejection of the async work it starts is nobody's.
class PeerPool {
  private count = 0;
  private buffer: Buffer[] = [];
  constructor(private readonly store: PeerStore) {}

  async handleOpen(peer: Peer): Promise<void> {
    await this.store.save(peer.id);
  }

  async handleCloseQuietly(peer: Peer): Promise<void> {
    try {
      await this.store.remove(peer.id);
    } catch (err) {
      logger.warn({ err }, 'close failed');
    }
  }

  watch(peer: Peer): void {
    peer.once('open', () => {
      // ruleid: floating-promise
      this.handleOpen(peer);
    });
    // ruleid: floating-promise
    peer.on('ready', () => this.handleOpen(peer));
    peer.on('block', function () {
      // ruleid: floating-promise
      flushOutbox(peer.id);
    });
    // ok: floating-promise
    peer.on('close', () => this.handleCloseQuietly(peer));
    // ok: floating-promise
    peer.on('error', (err: Error) => this.handleOpen(peer).catch((e: unknown) => logger.warn({ e, err }, 'reopen failed')));
    peer.on('ack', () => {
      // ok: floating-promise
      this.count += 1;
    });
    process.on('SIGTERM', () => {
      // ok: floating-promise
      this.handleOpen(peer);
    });
    // ok: floating-promise
    peer.on('data', (chunk: Buffer) => this.buffer.push(chunk));
  }
}

// A program's top-level start: a rejection ends a process that is starting.
async function main(): Promise<void> {
  await flushOutbox('start');
}
// ok: floating-promise
main().then(() => logger.info('started'));

interface KeyStream { on(event: string, cb: (keys: string[]) => void): void }

// The keys are collected by a promise nobody awaits: the update below runs on an empty list.
export async function updateBids(stream: KeyStream, update: (keys: string[]) => Promise<void>): Promise<void> {
  let keys: string[] = [];
  // ruleid: floating-promise
  new Promise<void>((resolve) => {
    stream.on('data', (batch) => { keys = keys.concat(batch); });
    stream.on('end', () => resolve());
  });
  // ruleid: floating-promise
  new Promise((resolve) => setTimeout(resolve, 100));
  // ruleid: floating-promise
  new Promise<void>((resolve, reject) => stream.on('error', reject));
  // ok: floating-promise
  await new Promise<void>((resolve) => stream.on('end', () => resolve()));
  // ok: floating-promise
  const done = new Promise<void>((resolve) => stream.on('end', () => resolve()));
  await done;
  await update(keys);
}

export function whenEnded(stream: KeyStream): Promise<void> {
  // ok: floating-promise
  return new Promise<void>((resolve) => stream.on('end', () => resolve()));
}


declare const knex: { transaction(): Promise<{ rollback(): Promise<void>; commit(): Promise<void> }> };
declare function debit(account: string): Promise<void>;
declare function credit(account: string): Promise<void>;
declare function insertAll(rows: string[]): Promise<void>;
declare const dataSource: { createQueryRunner(): { startTransaction(): Promise<void>; rollbackTransaction(): Promise<void>; release(): Promise<void> } };

export async function transferCredits(from: string, to: string): Promise<void> {
  const trx = await knex.transaction();
  try {
    await debit(from);
    await credit(to);
    // ruleid: floating-promise
    trx.commit();
  } catch (err) {
    // ruleid: floating-promise
    trx.rollback();
    throw err;
  }
}

export async function importRows(rows: string[]): Promise<void> {
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.startTransaction();
  try {
    await insertAll(rows);
  } catch (err) {
    // ruleid: floating-promise
    queryRunner.rollbackTransaction();
    throw err;
  } finally {
    await queryRunner.release();
  }
}

export async function transferCreditsAwaited(from: string, to: string): Promise<void> {
  const trx = await knex.transaction();
  try {
    await debit(from);
    // ok: floating-promise
    await trx.commit();
  } catch (err) {
    // ok: floating-promise
    await trx.rollback();
    throw err;
  }
}

export async function saveDraft(repo: { commit(): void }): Promise<void> {
  // A receiver not named for a transaction (a git-like store's synchronous commit).
  // ok: floating-promise
  repo.commit();
}

export async function renameTeam(id: string, name: string): Promise<unknown> {
  // A managed transaction: Knex commits or rolls back when the callback returns.
  return (knex as any).transaction(async (trx: any) => {
    const rows = await trx('teams').where({ id }).update({ name }).returning('*');
    if (!rows[0]) {
      // ok: floating-promise
      trx.rollback();
      return null;
    }
    return rows[0];
  });
}
