const fs = require('fs');
const logger = require('./logger');

async function recordPayment(ledger, payment) {
  try {
    await ledger.record(payment);
  } catch (e) {} // ruleid: swallowed-exception
}

async function releaseReservation(inventory, reservationId) {
  try {
    await inventory.release(reservationId);
    await inventory.audit(reservationId, 'released');
    // ruleid: swallowed-exception
  } catch {
  }
}

function notifyCustomer(mailer, order) {
  mailer
    .send(order.customerEmail, 'Your order has shipped')
    // ruleid: swallowed-exception
    .catch(() => {});
}

function publishEvent(bus, order) {
  // ruleid: swallowed-exception
  bus.publish('order.created', order).catch(function () {});
}

function warmCache(cache, noop) {
  // ruleid: swallowed-exception
  cache.refresh().catch(noop);
}

// ruleid: swallowed-exception
process.on('unhandledRejection', () => {});

// ---- quiet ----

function parseMetadata(raw) {
  let metadata = {};
  try {
    metadata = JSON.parse(raw);
  } catch {} // ok: swallowed-exception
  return metadata;
}

function cleanupExport(tmpFile) {
  try {
    fs.unlinkSync(tmpFile);
  } catch (e) {} // ok: swallowed-exception
}

async function recordPaymentLogged(ledger, payment) {
  try {
    await ledger.record(payment);
  } catch (err) { // ok: swallowed-exception
    logger.error({ err, paymentId: payment.id }, 'ledger write failed');
    throw err;
  }
}

async function optionalDiscount(pricing, code) {
  try {
    return await pricing.lookup(code);
  } catch { // ok: swallowed-exception
    // Discounts are best effort: an unknown or expired code simply means full price.
  }
}

async function loyaltyPoints(loyalty, customerId) {
  // A deliberate fallback value, not a silent drop.
  // ok: swallowed-exception
  const points = await loyalty.balance(customerId).catch(() => null);
  return points ?? 0;
}

function notifyLogged(mailer, order) {
  // ok: swallowed-exception
  mailer.send(order.customerEmail, 'Shipped').catch((err) => logger.warn({ err }, 'mail failed'));
}

// ok: swallowed-exception
process.on('unhandledRejection', (reason) => { logger.fatal({ reason }, 'unhandled rejection'); process.exit(1); });

module.exports = { recordPayment, releaseReservation, notifyCustomer, publishEvent, warmCache, parseMetadata };

async function importArchive(handle, importer) {
  try {
    return await importer.run(handle.path);
  } finally {
    // Best-effort cleanup of a temporary directory.
    // ok: swallowed-exception
    await handle.cleanup().catch(() => {});
  }
}

function isValidSchedule(text) {
  try {
    return Boolean(parseCron(text));
    // ok: swallowed-exception
  } catch (_err) {}
  return false;
}

async function refreshQuotas(quotas, accounts) {
  for (const account of accounts) {
    // ruleid: swallowed-exception
    await quotas.recompute(account.id).catch(() => undefined);
  }
}

async function readWebhookBody(request) {
  // A body that is not JSON is recorded as missing and checked below.
  // ok: swallowed-exception
  const body = await request.json().catch(() => undefined);
  return body === undefined ? { raw: await request.text() } : body;
}

async function resolveAvatars(avatars, userIds) {
  // Each lookup falls back to no avatar; the list is filtered afterwards.
  const found = await Promise.all(
    // ok: swallowed-exception
    userIds.map((id) => avatars.lookup(id).catch(() => undefined))
  );
  return found.filter(Boolean);
}

const versionOf = (filename) => {
  try {
    return new SemVer(filename.split('-')[0] ?? '');
    // ok: swallowed-exception
  } catch {}
};

async function loadPlugins(names, load) {
  const loaded = await Promise.all(
    names.map(async (name) => {
      try {
        return await load(name);
        // ruleid: swallowed-exception
      } catch {}
    })
  );
  return loaded.filter(Boolean);
}

async function removeSession(store, id) {
  try {
    await store.delete(id);
  }
  // The session expires on its own within the hour; a failed delete only delays that.
  catch {} // ok: swallowed-exception
}

try {
  require('ts-node').register({ transpileOnly: true });
  require('tsconfig-paths').register();
  // ok: swallowed-exception
} catch {}

function hasConfigFile(dir) {
  let found = false;
  try {
    fs.accessSync(`${dir}/service.config.js`);
    found = true;
    // ok: swallowed-exception
  } catch (e) {}
  return found;
}

function compileFilter(source) {
  try {
    return { ok: true, re: new RegExp(source, 'i') };
    // ok: swallowed-exception
  } catch (e) {}
  return { ok: false };
}

async function syncAll(accounts, client) {
  for (const account of accounts) {
    try {
      fs.statSync(account.exportPath);
      await client.push(account);
      // ruleid: swallowed-exception
    } catch (e) {}
  }
}

/**
 * Best-effort: warms the template cache before the first request; a cold cache only costs latency.
 */
async function warmTemplates(cache, names) {
  try {
    await cache.preload(names);
    // ok: swallowed-exception
  } catch {}
}

async function publishOrderEvent(bus, event) {
  try {
    await bus.publish(event);
    // ok: swallowed-exception
  } catch {} // the outbox sweeper re-sends unacknowledged events
  return event.id;
}

async function statOrNothing(file) {
  // ok: swallowed-exception
  const stats = await fsp.stat(file).catch(() => {});
  return stats ? stats.size : 0;
}

async function rollbackMoves(moves) {
  return Promise.all(moves.map((m) => fsp.rename(m.to, m.from)))
    // a failed rollback step leaves the original error to report; later failures are noise
    // ok: swallowed-exception
    .catch(() => {});
}

function markChecked(stampFile) {
  // Best effort, not awaited: the stamp only throttles the update check.
  fsp.writeFile(stampFile, '').catch(() => {}); // ok: swallowed-exception
}

function currentUserLabel() {
  let label = '';
  try {
    // userInfo() can fail in some containers; the label is optional
    label = ` (${os.userInfo().username})`;
    // ok: swallowed-exception
  } catch (e) {}
  return label;
}

async function chargeAll(orders, gateway) {
  for (const order of orders) {
    // ruleid: swallowed-exception
    await gateway.charge(order).catch(() => {});
  }
}

async function exportRows(db, rows) {
  try {
    await db.insert(rows);
  } finally {
    try {
      await db.query('DROP TABLE IF EXISTS export_tmp');
      // ok: swallowed-exception
    } catch (e) {}
  }
}

async function uploadParts(client, parts) {
  try {
    await client.upload(parts);
  } catch (err) {
    try {
      await client.abortUpload(parts.id);
      // ok: swallowed-exception
    } catch (e) {}
    throw err;
  }
}

async function touchLastLogin(prisma, userId) {
  // ruleid: swallowed-exception
  await prisma.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } }).catch(() => null);
}

async function currentPlan(billing, accountId) {
  // ok: swallowed-exception
  const plan = await billing.plan(accountId).catch(() => null);
  return plan ?? 'free';
}

async function refreshStatus(api, id) {
  let status = 'unknown';
  try {
    status = await api.fetch(id);
  } finally {
    // ruleid: swallowed-exception
    return status;
  }
}

async function drain(jobs) {
  for (const job of jobs) {
    try {
      await job.run();
    } catch (err) {
      console.error('job failed', err);
    } finally {
      job.release();
      // ruleid: swallowed-exception
      continue;
    }
  }
}

function closeAll(conns) {
  try {
    console.log('closing');
  } finally {
    for (const c of conns) {
      if (!c || c.closed) {
        // ok: swallowed-exception
        continue;
      }
      c.close();
    }
    const count = () => {
      // ok: swallowed-exception
      return conns.length;
    };
    console.log(count());
  }
}
