// A module the floating-promise fixture requires: `module-has` reads what it declares async.
const fetch = require('node-fetch');
const axios = require('axios');

async function rebuildPermissions(projectId) {
  await fetch(`${process.env.ACL_URL}/projects/${projectId}/rebuild`, { method: 'POST', timeout: 5000 });
}

function formatOrder(order) {
  return `order ${order.id}`;
}

// Best-effort: every failure is caught and logged here, so the promise never rejects.
async function refreshCacheSafely(id) {
  try {
    await fetch(`${process.env.CACHE_URL}/refresh/${id}`, { method: 'POST', timeout: 1000 });
  } catch (err) {
    console.warn('cache refresh failed', err);
  }
}

exports.publishEvent = async (name) => {
  await fetch(`${process.env.BUS_URL}/events`, { method: 'POST', body: name, timeout: 2000 });
};

// Fire-and-forget telemetry: awaits nothing, and its one request ends in `.catch`, so it cannot reject.
async function sendTelemetry(route) {
  if (!process.env.TELEMETRY_URL || route === '/') {
    return;
  }
  axios.post(process.env.TELEMETRY_URL, { route }, { timeout: 2000 }).then(() => {}).catch(() => {});
}

// Awaits a lookup first: that can reject, whatever the `.catch` after it does.
async function sendAudit(event) {
  const target = await lookupAuditTarget(event);
  axios.post(target, { event }, { timeout: 2000 }).catch(() => {});
}

module.exports = {
  sendTelemetry,
  sendAudit,
  rebuildPermissions,
  formatOrder,
  refreshCacheSafely,
  publishEvent: exports.publishEvent,
  async reindexAll() {
    await fetch(`${process.env.SEARCH_URL}/reindex`, { method: 'POST', timeout: 30000 });
  },
};
