const fs = require('fs');
const express = require('express');
const logger = require('./logger');

const app = express();

async function createOrder(body) {
  return { id: body.id, total: body.total };
}

async function sendConfirmation(order) {
  await fetch(`${process.env.MAILER_URL}/send`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(3000) });
}

const recordAudit = async (event) => {
  await fs.promises.appendFile('/var/log/orders/audit.log', JSON.stringify(event) + '\n');
};

// Best-effort: every failure is caught and logged here, so the promise never rejects.
const notifyWarehouse = async (order) => {
  try {
    await fetch(`${process.env.WAREHOUSE_URL}/orders`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(3000) });
  } catch (err) {
    logger.warn({ err }, 'warehouse notification failed');
  }
};

// One call whose failure is caught right there.
const warmOrderCache = async (id) => fs.promises.writeFile(`/var/cache/orders/${id}`, '').catch((err) => logger.warn({ err }, 'cache warm-up failed'));

// Awaits nothing, and its one write ends in `.catch`: it cannot reject either.
async function touchOrderMarker(id) {
  if (!id) {
    return;
  }
  fs.promises.utimes(`/var/cache/orders/${id}`, new Date(), new Date()).then(() => {}).catch(() => {});
}

app.post('/orders', async (req, res) => {
  const order = await createOrder(req.body);
  // ruleid: floating-promise
  sendConfirmation(order);
  // ruleid: floating-promise
  recordAudit({ type: 'order.created', id: order.id });
  res.status(201).json(order);
});

class OrderService {
  async save(order) {
    // ruleid: floating-promise
    fs.promises.writeFile(`/var/orders/${order.id}.json`, JSON.stringify(order));
    // ruleid: floating-promise
    this.publish(order);
  }

  async publish(order) {
    await fetch(`${process.env.BUS_URL}/events`, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.timeout(2000) });
  }

  async archive(order) {
    try {
      // The catch below never sees this rejection.
      // ruleid: floating-promise
      this.publish(order);
      await fs.promises.rename(`/var/orders/${order.id}.json`, `/var/archive/${order.id}.json`);
    } catch (err) {
      logger.error({ err }, 'archiving failed');
    }
  }

  async saveSafe(order) {
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

// A module's promise API, and transactions run with an async callback.
const DocumentManager = require('./DocumentManager');
const knex = require('./db');

async function resyncProject(docs, promiseMapWithLimit) {
  await promiseMapWithLimit(4, docs, (doc) => {
    // ruleid: floating-promise
    DocumentManager.promises.resyncDoc(doc.id, doc.path);
  });
}

async function acceptInvite(invite, user) {
  // ruleid: floating-promise
  DocumentManager.promises.addMember(invite.projectId, user.id);
  // ok: floating-promise
  await DocumentManager.promises.removeInvite(invite.id);
  // ok: floating-promise
  void DocumentManager.promises.notify(invite.projectId).catch((err) => logger.warn({ err }, 'notify failed'));
}

async function deleteChunks(projectId) {
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

function queuedJobs(jobs) {
  // ok: floating-promise
  jobs.promises.push(Promise.resolve());
}

class ConnectionPool {
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

  async scaleUp(waiting) {
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
function deleteExperiment(ExperimentModel, VisualChangesetModel, knex, experiment) {
  try {
    // ruleid: floating-promise
    VisualChangesetModel.deleteMany({ experiment: experiment.id });
    // ruleid: floating-promise
    knex('experiments').where({ id: experiment.id }).update({ archived: true });
    // A Mongoose query run through its callback or exec(), and one awaited: they execute.
    // ok: floating-promise
    ExperimentModel.updateOne({ id: experiment.id }, { archived: true }, (err) => logger.warn(err));
    // ok: floating-promise
    ExperimentModel.deleteOne({ id: experiment.id }).exec();
  } catch (e) {
    logger.error(e);
  }
}

async function duplicateBoard(db, boards, sections, board) {
  await db.transaction(async (tx) => {
    // ruleid: floating-promise
    tx.insert(boards).values({ ...board, id: 'copy' });
    // ok: floating-promise
    await tx.insert(sections).values({ boardId: 'copy' });
    // A local Set, not a query builder.
    // ok: floating-promise
    board.tags.set('copied', true);
  });
}

module.exports = { app, OrderService, startBackgroundSync };

// Functions required from the project's own modules are followed there (`_modules/jobs.js`).
const { rebuildPermissions, publishEvent: publish, formatOrder, refreshCacheSafely, reindexAll, sendTelemetry, sendAudit } = require('./_modules/jobs');
const jobs = require('./_modules/jobs');
const { rebuildPermissions: rebuildFromPackage } = require('permissions-client');

async function onShareAccepted(projectId) {
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
  rebuildFromPackage(projectId);
  // ok: floating-promise
  await rebuildPermissions(projectId);
}

function onShareAcceptedSync(projectId) {
  // ok: floating-promise
  rebuildPermissions(projectId);
}

// A chain that ends in a one-handler `.then` or in `.finally` passes a rejection through, and is dropped.
function instrumentQuery(query, span, end) {
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
async function loadGroups(groupUrls, acl) {
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
async function loadInitializers(files, api) {
  // ruleid: floating-promise
  files.forEach(async (file) => {
    const Initializer = require(file);
    await new Initializer().initialize(api);
  });
  // ruleid: floating-promise
  Object.keys(api.rooms).map(async function (room) {
    await api.chatRoom.add(room);
  });
  // ok: floating-promise
  files.forEach(async (file) => {
    try {
      await api.cache.warm(file);
    } catch (err) {
      api.log(`warm-up of ${file} failed`, err);
    }
  });
  // ruleid: floating-promise
  Object.keys(api.rooms).forEach(async (room) => {
    try {
      await api.chatRoom.add(room);
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
  await Promise.all(files.map(async (file) => api.cache.warm(file)));
  // ok: floating-promise
  files.forEach((file) => api.log(file));
}

// A timer ignores the promise an async callback returns: a rejection on any tick is nobody's.
async function refreshTokens(store) {
  await store.rotate();
}

class TokenKeeper {
  async sync() {
    await this.store.rotate();
  }

  async syncQuietly() {
    try {
      await this.store.rotate();
    } catch (err) {
      logger.warn({ err }, 'token sync failed');
    }
  }

  start(store) {
    // ruleid: floating-promise
    setInterval(async () => {
      await store.rotate();
    }, 60000);
    // ruleid: floating-promise
    setInterval(refreshTokens, 60000, store);
    // ruleid: floating-promise
    setTimeout(() => this.sync(), 1000);
    // ok: floating-promise
    setInterval(async () => {
      try {
        await store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token rotation failed');
      }
    }, 60000);
    // ok: floating-promise
    const reset = setTimeout(async () => {
      this.pending = 0;
      try {
        await store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token reset failed');
      }
      this.lastReset = Date.now();
    }, 30_000);
    reset.unref();
    // ruleid: floating-promise
    setInterval(async () => {
      try {
        await store.rotate();
      } catch (err) {
        logger.warn({ err }, 'token rotation failed');
      }
      await store.markStale(null);
      try {
        store.lastStart = Date.now();
      } catch (err) {
        logger.warn({ err }, 'clock failed');
      }
    }, 60_000);
    // ruleid: floating-promise
    setTimeout(async () => {
      try {
        await store.rotate();
      } catch (err) {
        await store.markStale(err);
      }
    }, 30_000);
    // ok: floating-promise
    setInterval(() => this.syncQuietly(), 60000);
    // ok: floating-promise
    setInterval(() => refreshTokens(store).catch((err) => logger.warn({ err }, 'rotation failed')), 60000);
    // ok: floating-promise
    setTimeout(async () => {
      store.lastStart = Date.now();
    }, 0);
  }
}

// An EventEmitter ignores what a listener returns: a rejection of the async work it starts is nobody's.
class PeerPool {
  async handleOpen(peer) {
    await this.store.save(peer.id);
  }

  async handleCloseQuietly(peer) {
    try {
      await this.store.remove(peer.id);
    } catch (err) {
      logger.warn({ err }, 'close failed');
    }
  }

  watch(peer) {
    peer.once('open', () => {
      // ruleid: floating-promise
      this.handleOpen(peer);
    });
    // ruleid: floating-promise
    peer.on('ready', () => this.handleOpen(peer));
    peer.on('block', function () {
      // ruleid: floating-promise
      refreshTokens(peer);
    });
    // ok: floating-promise
    peer.on('close', () => this.handleCloseQuietly(peer));
    // ok: floating-promise
    peer.on('error', (err) => this.handleOpen(peer).catch((e) => logger.warn({ e, err }, 'reopen failed')));
    peer.on('ack', () => {
      // ok: floating-promise
      this.count += 1;
    });
    process.on('SIGTERM', () => {
      // ok: floating-promise
      this.handleOpen(peer);
    });
    // ok: floating-promise
    peer.on('data', (chunk) => this.buffer.push(chunk));
  }
}

// A program's top-level start: a rejection ends a process that is starting.
async function main() {
  await refreshTokens({ rotate: async () => undefined });
}
// ok: floating-promise
main().then(() => logger.info('started'));

// The keys are collected by a promise nobody awaits: the update below runs on an empty list.
async function updateBids(stream, update) {
  let keys = [];
  // ruleid: floating-promise
  new Promise((resolve) => {
    stream.on('data', (batch) => { keys = keys.concat(batch); });
    stream.on('end', () => resolve());
  });
  // ruleid: floating-promise
  new Promise((resolve) => setTimeout(resolve, 100));
  // ruleid: floating-promise
  new Promise((resolve, reject) => stream.on('error', reject));
  // ok: floating-promise
  await new Promise((resolve) => stream.on('end', () => resolve()));
  // ok: floating-promise
  const done = new Promise((resolve) => stream.on('end', () => resolve()));
  await done;
  await update(keys);
}

function whenEnded(stream) {
  // ok: floating-promise
  return new Promise((resolve) => stream.on('end', () => resolve()));
}

module.exports.updateBids = updateBids;
module.exports.whenEnded = whenEnded;



async function transferCredits(from, to) {
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

async function importRows(rows) {
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

async function transferCreditsAwaited(from, to) {
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

async function saveDraft(repo) {
  // A receiver not named for a transaction (a git-like store's synchronous commit).
  // ok: floating-promise
  repo.commit();
}

module.exports = { transferCredits, importRows, transferCreditsAwaited, saveDraft, renameTeam };

async function renameTeam(id, name) {
  // A managed transaction: Knex commits or rolls back when the callback returns.
  return require('knex')().transaction(async (trx) => {
    const rows = await trx('teams').where({ id }).update({ name }).returning('*');
    if (!rows[0]) {
      // ok: floating-promise
      trx.rollback();
      return null;
    }
    return rows[0];
  });
}
