const pLimit = require('p-limit');
const axios = require('axios');
const fs = require('fs');

const inventory = axios.create({ baseURL: process.env.INVENTORY_URL, timeout: 3000 });
const limit = pLimit(8);

async function reserveAll(order) {
  // ruleid: unbounded-promise-all-fan-out
  return Promise.all(order.lines.map(async (line) => {
    const { data } = await inventory.post('/reservations', { sku: line.sku, qty: line.qty });
    return data.id;
  }));
}

async function pricesFor(skus) {
  // ruleid: unbounded-promise-all-fan-out
  const responses = await Promise.all(skus.map((sku) => fetch(`${process.env.PRICING_URL}/prices/${sku}`, { signal: AbortSignal.timeout(2000) })));
  return Promise.all(responses.map((r) => r.json()));
}

async function notifyAll(customers, mailer) {
  // ruleid: unbounded-promise-all-fan-out
  await Promise.allSettled(customers.map(async function (c) { await mailer.send(c.email, 'Your order shipped'); }));
}

async function storeAttachments(attachmentFiles, storage) {
  // One upload per file, all at once.
  // ruleid: unbounded-promise-all-fan-out
  return Promise.all(attachmentFiles.map(async (file) => storage.upload(file.name, file.body)));
}

// ---- quiet ----

async function readTemplateFiles(templateFiles) {
  // Local files: the disk bounds this, not a remote dependency.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(templateFiles.map(async (file) => fs.promises.readFile(file, 'utf8')));
}

async function usersOfInteraction(userIds) {
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

async function reindex(skus) {
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

module.exports = { enableEnvironments, reserveAll, pricesFor, notifyAll, reserveAllLimited, loadDashboard, reindex, parseAll };

async function resendInvites(invites, mailer) {
  // Dropping the first element does not bound the rest.
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(invites.slice(1).map(async (invite) => mailer.send(invite.email, 'Reminder')));
}

async function expireOrders(db) {
  const rows = await db.query('SELECT id FROM orders WHERE expires_at < now()');
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(rows.map(async (row) => db.query('UPDATE orders SET state = $1 WHERE id = $2', ['expired', row.id])));
}

async function previewRecipients(recipients, mailer) {
  const preview = recipients.slice(0, 10);
  // ok: unbounded-promise-all-fan-out
  return Promise.all(preview.map(async (recipient) => mailer.render(recipient)));
}

async function notifyGroupMembers(GroupUser, notifier, groupId) {
  // The helper hands over 25 rows at a time.
  await GroupUser.findAllInBatches({ where: { groupId }, batchLimit: 25 }, async (members) => {
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

async function migrateClasses(unsynced, store) {
  // Class schemas come from the server's own definitions.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(unsynced.map(async (schema) => store.updateSchema(schema.className, schema.fields)));
}

async function validateSignIns(UserAuthentication, userId) {
  const userAuthentications = await UserAuthentication.findAll({ where: { userId } });
  // One per configured sign-in provider.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(userAuthentications.map(async (auth) => auth.validateAccess()));
}

async function warmCaches(config, caches) {
  // ok: unbounded-promise-all-fan-out
  await Promise.all(Object.keys(config.caches).map(async (name) => caches.warm(name)));
}

module.exports.more = { resendInvites, expireOrders, previewRecipients, notifyGroupMembers, listDocuments, migrateClasses, validateSignIns, warmCaches };

const AUDITED_TABLES = ['users', 'roles', 'applications'];

async function enableAuditTriggers(db) {
  // A list written in the code.
  // ok: unbounded-promise-all-fan-out
  await Promise.all(AUDITED_TABLES.map(async (table) => db.query(`ALTER TABLE ${table} ENABLE TRIGGER audit`)));
}

async function describeConsent(scopes, findResourceById) {
  const resourceIds = [...new Set(scopes.map(({ resourceId }) => resourceId))];
  // As small as the scopes of one consent.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(resourceIds.map(async (resourceId) => findResourceById(resourceId)));
}

async function loadTemplates(directory, readTemplate) {
  const names = await fs.promises.readdir(directory);
  // Files of one local folder, not a remote dependency.
  // ok: unbounded-promise-all-fan-out
  return Promise.all(names.map(async (name) => readTemplate(`${directory}/${name}`)));
}

async function assignRoles(req, findRoleById) {
  const { roleIds } = req.body;
  // ruleid: unbounded-promise-all-fan-out
  await Promise.all(roleIds.map(async (roleId) => findRoleById(roleId)));
}

module.exports.more = { enableAuditTriggers, describeConsent, loadTemplates, assignRoles };

async function withTeamPlans(userId, getAllUserTeams, fetchTeamPlan) {
  // The signed-in user's own teams: a handful.
  const teams = await getAllUserTeams(userId);
  // ok: unbounded-promise-all-fan-out
  return Promise.all(teams.map(async (team) => ({ ...team, plan: await fetchTeamPlan(team.id) })));
}

module.exports.withTeamPlans = withTeamPlans;

async function filterAsync(arr, callback) {
  const fail = Symbol('filter failure');
  // A generic helper: its callers choose the collection and the work.
  // ok: unbounded-promise-all-fan-out
  const kept = await Promise.all(arr.map(async (item) => ((await callback(item)) ? item : fail)));
  return kept.filter((i) => i !== fail);
}

module.exports.filterAsync = filterAsync;

async function trackInstances(instances, registry) {
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
const { query, mutation, action } = require('./_generated/server');

exports.getMany = query({
  handler: async (ctx, { ids }) => {
    // ok: unbounded-promise-all-fan-out
    return Promise.all(ids.map(async (id) => ctx.db.get(id)));
  },
});

exports.touchAll = mutation({
  handler: async (ctx, { ids }) => {
    // ok: unbounded-promise-all-fan-out
    await Promise.all(ids.map(async (id) => ctx.db.patch(id, { seen: true })));
  },
});

exports.notifyAll = action({
  handler: async (ctx, { urls }) => {
    // ruleid: unbounded-promise-all-fan-out
    await Promise.all(urls.map(async (url) => fetch(url, { method: 'POST' })));
  },
});
