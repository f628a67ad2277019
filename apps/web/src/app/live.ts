/**
 * Live updates: one authenticated stream of domain events per tab; each event
 * invalidates the queries that show its entity, so boards, lists and record
 * pages refresh within a second. A missing or failing endpoint is retried
 * quietly with backoff.
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { accessToken, refreshSession } from '../ui/session.js';
import { readEventStream, type StreamEvent } from './sse.js';

/** Query-key roots to refresh for an event's entity (the first segment of its type when entity is absent). */
const affected: Record<string, string[]> = {
  contact: ['contacts', 'companies', 'search', 'timeline', 'trash'],
  company: ['companies', 'contacts', 'search', 'timeline', 'trash'],
  deal: ['deals', 'board', 'companies', 'timeline', 'reports', 'search', 'trash'],
  lead: ['leads', 'timeline', 'search', 'reports', 'trash'],
  activity: ['activities', 'timeline', 'reports'],
  pipeline: ['pipelines', 'board', 'deals'],
  stage: ['pipelines', 'board'],
  custom_field: ['custom-fields'],
  tag: ['tags'],
  import: ['imports', 'contacts', 'companies', 'deals', 'leads'],
  member: ['members', 'me'],
  membership: ['members', 'me'],
  invitation: ['invitations'],
  api_key: ['api-keys'],
  tenant: ['tenant', 'me'],
  view: ['views'],
  webhook: ['webhooks'],
};

function rootsFor(e: StreamEvent): string[] {
  try {
    const data = JSON.parse(e.data) as { entity?: string; type?: string };
    const entity = data.entity ?? (data.type ?? e.event).split('.')[0] ?? '';
    return affected[entity] ?? [];
  } catch {
    return [];
  }
}

function batcher(qc: QueryClient) {
  const pending = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (roots: string[]) => {
    roots.forEach((r) => pending.add(r));
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const root of pending) void qc.invalidateQueries({ queryKey: [root] });
      pending.clear();
    }, 150);
  };
}

async function connect(signal: AbortSignal, lastId: { value?: string }, onEvent: (e: StreamEvent) => void): Promise<number> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  const token = accessToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (lastId.value) headers['last-event-id'] = lastId.value;
  const res = await fetch('/api/v1/stream', { headers, signal, cache: 'no-store' });
  if (res.status === 401) {
    await refreshSession();
    return res.status;
  }
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) return res.status || 500;
  await readEventStream(res.body, (e) => {
    if (e.id) lastId.value = e.id;
    onEvent(e);
  });
  return 200;
}

export function LiveUpdates(): null {
  const qc = useQueryClient();
  useEffect(() => {
    const abort = new AbortController();
    const invalidate = batcher(qc);
    const lastId: { value?: string } = {};
    void (async () => {
      let delay = 1000;
      while (!abort.signal.aborted) {
        const started = Date.now();
        const status = await connect(abort.signal, lastId, (e) => invalidate(rootsFor(e))).catch(() => 0);
        if (abort.signal.aborted) return;
        // A stream that stayed up a while resets the backoff; 404 (not deployed yet) waits longest.
        delay = Date.now() - started > 30_000 ? 1000 : Math.min(delay * 2, status === 404 ? 60_000 : 30_000);
        await new Promise((r) => setTimeout(r, delay));
      }
    })();
    return () => abort.abort();
  }, [qc]);
  return null;
}
