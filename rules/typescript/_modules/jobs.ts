// A module the floating-promise fixture imports: `module-has` reads what it declares async.
import axios from 'axios';

export async function rebuildPermissions(projectId: string): Promise<void> {
  await fetch(`${process.env.ACL_URL}/projects/${projectId}/rebuild`, { method: 'POST', signal: AbortSignal.timeout(5000) });
}

export const publishEvent = async (name: string): Promise<void> => {
  await fetch(`${process.env.BUS_URL}/events`, { method: 'POST', body: name, signal: AbortSignal.timeout(2000) });
};

export function formatOrder(order: { id: string }): string {
  return `order ${order.id}`;
}

// Best-effort: every failure is caught and logged here, so the promise never rejects.
export async function refreshCacheSafely(id: string): Promise<void> {
  try {
    await fetch(`${process.env.CACHE_URL}/refresh/${id}`, { method: 'POST', signal: AbortSignal.timeout(1000) });
  } catch (err) {
    console.warn('cache refresh failed', err);
  }
}

export default async function reindexAll(): Promise<void> {
  await fetch(`${process.env.SEARCH_URL}/reindex`, { method: 'POST', signal: AbortSignal.timeout(30000) });
}

// Fire-and-forget telemetry: awaits nothing, and its one request ends in `.catch`, so it cannot reject.
export const sendTelemetry = async (route: string): Promise<void> => {
  if (!process.env.TELEMETRY_URL || route === '/') {
    return;
  }
  axios.post(process.env.TELEMETRY_URL, { route }, { timeout: 2000 }).then(() => {}).catch(() => {});
};

// Awaits a lookup first: that can reject, whatever the `.catch` after it does.
export async function sendAudit(event: string): Promise<void> {
  const target = await lookupAuditTarget(event);
  axios.post(target, { event }, { timeout: 2000 }).catch(() => {});
}
