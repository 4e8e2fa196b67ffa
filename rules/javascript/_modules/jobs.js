// A module the floating-promise fixture requires: `module-has` reads what it declares async.
const fetch = require('node-fetch');

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

module.exports = {
  rebuildPermissions,
  formatOrder,
  refreshCacheSafely,
  publishEvent: exports.publishEvent,
  async reindexAll() {
    await fetch(`${process.env.SEARCH_URL}/reindex`, { method: 'POST', timeout: 30000 });
  },
};
