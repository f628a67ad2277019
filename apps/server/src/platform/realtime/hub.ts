/**
 * Live-update hub of one process. The outbox dispatcher (in any process on the
 * same database) NOTIFYs `pillar_live` with the tenants and sequence numbers it
 * published; every process loads those events for the tenants it has streams
 * open for — through `withTenant`, so row-level security decides what is read —
 * and hands each to the streams whose role may see that event type.
 */
import { can, findEventDefinition, type DomainEvent, type Role } from '@pillar/shared';
import type { Database } from '../db/database.js';
import { systemContext, withTenant, type TenantContext } from '../db/tenant.js';
import { LIVE_CHANNEL } from '../events/dispatcher.js';
import type { Listener } from './listener.js';

export interface LiveEvent extends DomainEvent {
  seq: number;
}

export interface Subscriber {
  role: Role;
  send(event: LiveEvent): void;
}

const COLUMNS = 'id, seq, type, version, entity, entity_id, payload, occurred_at';
const REPLAY_LIMIT = 1000;

export function mayReceive(role: Role, type: string): boolean {
  const def = findEventDefinition(type);
  return can(role, def?.permission ?? 'audit:read');
}

export class LiveHub {
  #subscribers = new Map<string, Set<Subscriber>>();
  #listening: Promise<unknown> | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database, private readonly listener: Listener, private readonly onError: (err: unknown) => void) {}

  /** Starts listening (once per process). */
  ready(): Promise<unknown> {
    this.#listening ??= this.listener.listen(LIVE_CHANNEL, (payload) => {
      if (payload) this.#queue = this.#queue.then(() => this.#deliver(payload)).catch(this.onError);
    });
    return this.#listening;
  }

  subscribe(tenantId: string, sub: Subscriber): () => void {
    let set = this.#subscribers.get(tenantId);
    if (!set) this.#subscribers.set(tenantId, (set = new Set()));
    set.add(sub);
    return () => {
      set.delete(sub);
      if (!set.size) this.#subscribers.delete(tenantId);
    };
  }

  get size(): number {
    let n = 0;
    for (const set of this.#subscribers.values()) n += set.size;
    return n;
  }

  async #deliver(payload: string) {
    let parsed: Record<string, number[]>;
    try {
      parsed = JSON.parse(payload) as Record<string, number[]>;
    } catch {
      return;
    }
    for (const [tenantId, seqs] of Object.entries(parsed)) {
      const subs = this.#subscribers.get(tenantId);
      if (!subs?.size || !Array.isArray(seqs)) continue;
      const events = await withTenant(systemContext(this.db, tenantId), async (tx) =>
        (await tx.query<LiveEvent>(`SELECT ${COLUMNS} FROM events WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [seqs])).rows);
      for (const event of events) {
        for (const sub of subs) if (mayReceive(sub.role, event.type)) sub.send(event);
      }
    }
  }

  /** Published events after `lastEventId` (for Last-Event-ID resume); null when that id is unknown. */
  async replay(ctx: TenantContext, lastEventId: string): Promise<LiveEvent[] | null> {
    return withTenant(ctx, async (tx) => {
      const from = await tx.query<{ seq: number }>('SELECT seq FROM events WHERE id = $1', [lastEventId]);
      if (!from.rows[0]) return null;
      const rows = await tx.query<LiveEvent>(
        `SELECT ${COLUMNS} FROM events WHERE seq > $1 AND published_at IS NOT NULL ORDER BY seq LIMIT ${REPLAY_LIMIT}`,
        [from.rows[0].seq],
      );
      return rows.rows.filter((e) => mayReceive(ctx.role, e.type));
    });
  }

  /** Waits for deliveries in flight (tests and shutdown). */
  async settle(): Promise<void> {
    await this.#queue;
  }
}
