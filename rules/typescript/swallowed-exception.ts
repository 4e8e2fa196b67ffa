import fs from 'fs';
import logger from './logger';

interface Payment { id: string; amount: number }
interface Ledger { record(p: Payment): Promise<void> }

async function recordPayment(ledger: Ledger, payment: Payment): Promise<void> {
  try {
    await ledger.record(payment);
    // ruleid: swallowed-exception
  } catch (e: unknown) {}
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

function parseMetadata(raw: string): Record<string, unknown> {
  let metadata: Record<string, unknown> = {};
  try {
    metadata = JSON.parse(raw);
    // ok: swallowed-exception
  } catch {}
  return metadata;
}

function cleanupExport(tmpFile) {
  try {
    fs.unlinkSync(tmpFile);
    // ok: swallowed-exception
  } catch (e) {}
}

async function recordPaymentLogged(ledger: Ledger, payment: Payment) {
  try {
    await ledger.record(payment);
    // ok: swallowed-exception
  } catch (err) {
    logger.error({ err, paymentId: payment.id }, 'ledger write failed');
    throw err;
  }
}

async function optionalDiscount(pricing, code) {
  try {
    return await pricing.lookup(code);
    // ok: swallowed-exception
  } catch {
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

export { recordPayment, releaseReservation, notifyCustomer, publishEvent, warmCache, parseMetadata };

export async function importArchive(handle: { path: string; cleanup(): Promise<void> }, run: (p: string) => Promise<void>) {
  try {
    await run(handle.path);
  } finally {
    // Best-effort cleanup of a temporary directory.
    // ok: swallowed-exception
    await handle.cleanup().catch(() => {});
  }
}

export function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
    // ok: swallowed-exception
  } catch (_err) {}
  return false;
}

export async function refreshQuotas(quotas: { recompute(id: string): Promise<void> }, accounts: { id: string }[]) {
  for (const account of accounts) {
    // ruleid: swallowed-exception
    await quotas.recompute(account.id).catch(() => undefined);
  }
}

export async function readWebhookBody(request: Request): Promise<unknown> {
  // A body that is not JSON is recorded as missing and checked below.
  // ok: swallowed-exception
  const body = await request.json().catch(() => undefined);
  return body === undefined ? { raw: await request.text() } : body;
}

export async function resolveAvatars(avatars: { lookup(id: string): Promise<string> }, userIds: string[]) {
  // Each lookup falls back to no avatar; the list is filtered afterwards.
  const found = await Promise.all(
    // ok: swallowed-exception
    userIds.map((id) => avatars.lookup(id).catch(() => undefined))
  );
  return found.filter(Boolean);
}

export const versionOf = (filename: string) => {
  try {
    return new SemVer(filename.split('-')[0] ?? '');
    // ok: swallowed-exception
  } catch {}
};

export const phoneParts = (value: string) => {
  try {
    const phone = PhoneNumberParser.parse(value);
    return { country: phone.countryCallingCode, national: phone.nationalNumber };
    // ok: swallowed-exception
  } catch {}
};

export async function loadPlugins(names: string[], load: (name: string) => Promise<Plugin>) {
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

export async function removeSession(store: SessionStore, id: string) {
  try {
    await store.delete(id);
  }
  // The session expires on its own within the hour; a failed delete only delays that.
  catch {} // ok: swallowed-exception
}

export const validKeys = async (rows: unknown[]) =>
  Promise.all(
    rows.map(async (row) => {
      try {
        const { key } = await rowGuard.parseAsync(row);
        return key;
        // ok: swallowed-exception
      } catch {}
    })
  );

export function buildPattern(raw: string): RegExp | undefined {
  try {
    const parts = raw.match(/^\/(.*)\/([a-z]*)$/);
    if (parts) {
      return new RegExp(parts[1], parts[2]);
    }
    // ok: swallowed-exception
  } catch (e) {}
  return undefined;
}

export function listMigrations(dir: string): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".js"));
    // ok: swallowed-exception
  } catch (e) {}
  return files;
}

export function loadLocalEnv(envDir: string) {
  try {
    dotenv.config({ path: join(envDir, ".env.local") });
    // ok: swallowed-exception
  } catch {}
}

export async function clearBuildDir(dir: string) {
  // ok: swallowed-exception
  await rm(dir, { recursive: true }).catch(() => {});
}

export function loadModelFiles(dir: string) {
  return readdirSync(dir).flatMap((file) => {
    try {
      const mod = require(join(dir, file));
      return Object.values(mod);
      // ruleid: swallowed-exception
    } catch (e) {}
    return [];
  });
}

/**
 * Drops the cached thumbnails of a product; ignores errors, the cache is rebuilt on demand.
 */
export async function dropThumbnails(cache: ThumbnailCache, productId: string) {
  try {
    await cache.evict(productId);
    // ok: swallowed-exception
  } catch {}
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

export async function touchLastLogin(prisma: { user: { update(a: object): Promise<unknown> } }, userId: string) {
  // ruleid: swallowed-exception
  await prisma.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } }).catch(() => null);
}

export function markRead(inbox: { mark(id: string): Promise<void> }, ids: string[]) {
  // ruleid: swallowed-exception
  ids.forEach((id) => { inbox.mark(id).catch(() => null); });
}

export async function refreshStatus(api: { fetch(id: string): Promise<string> }, id: string) {
  let status = 'unknown';
  try {
    status = await api.fetch(id);
  } finally {
    // ruleid: swallowed-exception
    return status;
  }
}

export async function drain(jobs: Array<{ run(): Promise<void>; release(): void }>) {
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

export function closeAll(conns: Array<{ closed: boolean; close(): void } | null>) {
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
