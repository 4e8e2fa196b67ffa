import pLimit from 'p-limit';
import axios from 'axios';
import fs from 'fs';

const inventory = axios.create({ baseURL: process.env.INVENTORY_URL, timeout: 3000 });
const limit = pLimit(8);

interface Line { sku: string; qty: number }

async function reserveAll(order: { lines: Line[] }): Promise<string[]> {
  // ruleid: unbounded-promise-all-fan-out
  return Promise.all(order.lines.map(async (line: Line) => {
    const { data } = await inventory.post<{ id: string }>('/reservations', { sku: line.sku, qty: line.qty });
    return data.id;
  }));
}

async function pricesFor(skus: string[]) {
  // ruleid: unbounded-promise-all-fan-out
  const responses = await Promise.all(skus.map((sku) => fetch(`${process.env.PRICING_URL}/prices/${sku}`, { signal: AbortSignal.timeout(2000) })));
  return Promise.all(responses.map((r) => r.json()));
}

async function notifyAll(customers: { email: string }[], mailer: { send(to: string, s: string): Promise<void> }) {
  // ruleid: unbounded-promise-all-fan-out
  await Promise.allSettled(customers.map(async function (c) { await mailer.send(c.email, 'Your order shipped'); }));
}

async function storeAttachments(attachmentFiles: { name: string; body: Buffer }[], storage: { upload(name: string, body: Buffer): Promise<string> }) {
  // One upload per file, all at once.
  // ruleid: unbounded-promise-all-fan-out
  return Promise.all(attachmentFiles.map(async (file) => storage.upload(file.name, file.body)));
}

// ---- quiet ----

async function readTemplateFiles(templateFiles: string[]) {
  // Local files: the disk bounds this, not a remote dependency.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(templateFiles.map(async (file) => fs.promises.readFile(file, 'utf8')));
}

async function usersOfInteraction(userIds: string[]) {
  // One interaction yields a handful of user ids; switch to p-map if that ever grows.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(userIds.map(async (userId) => inventory.get(`/users/${userId}`)));
}

async function reserveAllLimited(order) {
  // ok: unbounded-promise-all-fan-out
  return Promise.all(order.lines.map((line) => limit(() => inventory.post('/reservations', line))));
}

async function loadDashboard(customerId) {
  // A fixed, small set of calls.
  // ok: unbounded-promise-all-fan-out
  const [orders, invoices] = await Promise.all([customerId, customerId].map(async (id) => inventory.get(`/summary/${id}`)));
  return { orders, invoices };
}

async function reindex(skus: string[]): Promise<void> {
  for (let i = 0; i < skus.length; i += 50) {
    const chunk = skus.slice(i, i + 50);
    // ok: unbounded-promise-all-fan-out
    await Promise.all(chunk.map(async (sku) => inventory.post(`/reindex/${sku}`)));
  }
}

async function enableEnvironments(envsToEnable, project) {
  // One call per configured environment: a handful, fixed by configuration.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(envsToEnable.map(async (env) => project.enable(env)));
}

async function parseAll(files) {
  // CPU-only mapping without async I/O.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(files.map((f) => Promise.resolve(JSON.parse(f))));
}


interface Db { query<T>(sql: string, params?: unknown[]): Promise<T[]> }
interface Mailer { send(to: string, subject: string): Promise<void>; render(r: { email: string }): Promise<string> }

async function resendInvites(invites: { email: string }[], mailer: Mailer) {
  // Dropping the first element does not bound the rest.
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(invites.slice(1).map(async (invite) => mailer.send(invite.email, 'Reminder')));
}

async function expireOrders(db: Db) {
  const rows = await db.query<{ id: string }>('SELECT id FROM orders WHERE expires_at < now()');
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(rows.map(async (row) => db.query('UPDATE orders SET state = $1 WHERE id = $2', ['expired', row.id])));
}

async function previewRecipients(recipients: { email: string }[], mailer: Mailer) {
  const preview = recipients.slice(0, 10);
  // ok: unbounded-promise-all-fan-out
  return Promise.all(preview.map(async (recipient) => mailer.render(recipient)));
}

async function notifyGroupMembers(GroupUser, notifier, groupId: string) {
  // The helper hands over 25 rows at a time.
  await GroupUser.findAllInBatches<{ userId: string }>({ where: { groupId }, batchLimit: 25 }, async (members) => {
    // ok: unbounded-promise-all-fan-out
    await Promise.all(members.map(async (member) => notifier.send(member.userId)));
  });
}

async function listDocuments(ctx, search, presentDocument) {
  const { results } = await search(ctx.user, { query: ctx.query, limit: 25 });
  // Renders one page of the response.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(results.map(async (result) => presentDocument(ctx, result.document)));
}

async function migrateClasses(unsynced: { className: string; fields: object }[], store) {
  // Class schemas come from the server's own definitions.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(unsynced.map(async (schema: { className: string; fields: object }) => store.updateSchema(schema.className, schema.fields)));
}

async function validateSignIns(UserAuthentication, userId: string) {
  const userAuthentications = await UserAuthentication.findAll({ where: { userId } });
  // One per configured sign-in provider.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(userAuthentications.map(async (auth) => auth.validateAccess()));
}

async function warmCaches(config: { caches: Record<string, number> }, caches) {
  // ok: unbounded-promise-all-fan-out
  await Promise.all(Object.keys(config.caches).map(async (name) => caches.warm(name)));
}

// ---- collections fixed by code, configuration or the domain ----

const AUDITED_TABLES = ['users', 'roles', 'applications'];

async function enableAuditTriggers(db: Db) {
  // A list written in the code.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(AUDITED_TABLES.map(async (table) => db.query(`ALTER TABLE ${table} ENABLE TRIGGER audit`)));
}

async function loadTemplates(directory: string, readTemplate: (p: string) => Promise<string>) {
  const names = await fs.promises.readdir(directory);
  // Files of one local folder, not a remote dependency.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(names.map(async (name) => readTemplate(`${directory}/${name}`)));
}

async function describeConsent(scopes: Array<{ resourceId: string }>, findResourceById: (id: string) => Promise<object>) {
  const resourceIds = [...new Set(scopes.map(({ resourceId }) => resourceId))];
  // As small as the scopes of one consent.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(resourceIds.map(async (resourceId) => findResourceById(resourceId)));
}

async function exportPublicKeys(keys: SigningKey[], toJwk: (k: SigningKey) => Promise<object>) {
  // The service's own signing keys: two or three.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(keys.map(async (key) => toJwk(key)));
}

async function organizationSummaries(userId: string, orgs: { getOrganizationsByUserId(id: string): Promise<Array<{ id: string }>> }, count: (id: string) => Promise<number>) {
  const organizations = await orgs.getOrganizationsByUserId(userId);
  // The organizations of one user: a handful.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(organizations.map(async ({ id }) => count(id)));
}

async function listConnectors(findAllConnectors: () => Promise<Array<{ id: string }>>, load: (id: string) => Promise<object>) {
  const connectors = await findAllConnectors();
  // Installed connectors: sized by configuration.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(connectors.map(async (connector) => load(connector.id)));
}

// ---- sized by the caller or a dependency ----

async function assignRoles(ctx: { request: { body: { roleIds: string[] } } }, findRoleById: (id: string) => Promise<object>) {
  const { roleIds } = ctx.request.body;
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(roleIds.map(async (roleId) => findRoleById(roleId)));
}

async function closeStaleTickets(Ticket: { findAll(o: object): Promise<Array<{ close(): Promise<void> }>> }) {
  const stale = await Ticket.findAll({ where: { state: 'open' } });
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(stale.map(async (ticket) => ticket.close()));
}

interface SigningKey { kid: string }

export {
  enableEnvironments, reserveAll, pricesFor, notifyAll, reserveAllLimited, loadDashboard, reindex, parseAll,
  resendInvites, expireOrders, previewRecipients, notifyGroupMembers, listDocuments, migrateClasses, validateSignIns,
  warmCaches,
};

async function withTeamPlans(
  userId: string,
  getAllUserTeams: (id: string) => Promise<Array<{ id: string }>>,
  fetchTeamPlan: (id: string) => Promise<object>,
) {
  // The signed-in user's own teams: a handful.
  const teams = await getAllUserTeams(userId);
  // ok: unbounded-promise-all-fan-out
  return Promise.all(teams.map(async (team) => ({ ...team, plan: await fetchTeamPlan(team.id) })));
}

async function filterAsync<T>(arr: T[], callback: (item: T) => Promise<boolean>): Promise<T[]> {
  const fail = Symbol('filter failure');
  // A generic helper: its callers choose the collection and the work.
  // ok: unbounded-promise-all-fan-out
  const kept = await Promise.all(arr.map(async (item) => ((await callback(item)) ? item : fail)));
  return kept.filter((i): i is T => i !== fail);
}

async function trackInstances(instances: { id: string }[], registry: { track(id: string): void; warm(id: string): Promise<void> }) {
  // The callback awaits nothing and returns nothing: Promise.all holds nothing open.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(instances.map(async (instance) => {
    registry.track(instance.id);
  }));
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(instances.map(async (instance) => {
    await registry.warm(instance.id);
  }));
}

// Convex: a query or mutation runs its database reads in one transaction and cannot call out; an action can.
declare function query(def: object): unknown;
declare function mutation(def: object): unknown;
declare function action(def: object): unknown;

export const getMany = query({
  handler: async (ctx: any, { ids }: { ids: string[] }) => {
    // ok: unbounded-promise-all-fan-out
    return Promise.all(ids.map(async (id) => ctx.db.get(id)));
  },
});

export const touchAll = mutation({
  handler: async (ctx: any, { ids }: { ids: string[] }) => {
    // ok: unbounded-promise-all-fan-out
    await Promise.all(ids.map(async (id) => ctx.db.patch(id, { seen: true })));
  },
});

export const notifyAll = action({
  handler: async (ctx: any, { urls }: { urls: string[] }) => {
    // ruleid: unbounded-promise-all-fan-out
    await Promise.all(urls.map(async (url) => fetch(url, { method: 'POST' })));
  },
});
