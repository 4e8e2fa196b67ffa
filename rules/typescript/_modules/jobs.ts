// A module the floating-promise fixture imports: `module-has` reads what it declares async.
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
