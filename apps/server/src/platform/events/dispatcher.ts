/**
 * The outbox dispatcher. Reads committed, unpublished `events` rows in `seq`
 * order and, in ONE transaction: queues a job per (consumer, tenant) with the
 * event ids, marks the rows published, and NOTIFYs the live-update channel.
 * A crash before COMMIT leaves the rows unpublished and they are dispatched
 * again (at-least-once); rolled-back changes never reach the table at all.
 * `FOR UPDATE SKIP LOCKED` lets several processes dispatch side by side.
 *
 * Wake-ups: a statement trigger on `events` NOTIFYs `pillar_outbox` on commit
 * (migration 0400); a timer polls as a fallback.
 */
import type { Tx } from '../db/database.js';
import { withSystem } from '../db/system.js';
import { consumerQueue, registeredConsumers } from '../jobs/registry.js';
import type { Listener } from '../realtime/listener.js';
import type { PlatformServices } from '../services.js';

export const OUTBOX_CHANNEL = 'pillar_outbox';
export const LIVE_CHANNEL = 'pillar_live';
const BATCH = 500;
/** NOTIFY payloads must stay under 8000 bytes. */
const NOTIFY_BUDGET = 7000;

interface Row {
  tenant_id: string;
  id: string;
  seq: number;
  type: string;
}

/** `{"<tenant>":[seq,…]}` messages for the live hub, each under the NOTIFY size limit. */
export function livePayloads(rows: Row[]): string[] {
  const messages: string[] = [];
  let current: Record<string, number[]> = {};
  let size = 2;
  for (const r of rows) {
    const add = (current[r.tenant_id] ? 0 : r.tenant_id.length + 6) + String(r.seq).length + 1;
    if (size + add > NOTIFY_BUDGET) {
      messages.push(JSON.stringify(current));
      current = {};
      size = 2;
    }
    (current[r.tenant_id] ??= []).push(r.seq);
    size += add;
  }
  if (size > 2) messages.push(JSON.stringify(current));
  return messages;
}

async function fanOut(tx: Tx, services: PlatformServices, rows: Row[]) {
  for (const consumer of registeredConsumers()) {
    const byTenant = new Map<string, string[]>();
    for (const r of rows) {
      if (consumer.accepts && !consumer.accepts(r.type)) continue;
      const ids = byTenant.get(r.tenant_id) ?? [];
      ids.push(r.id);
      byTenant.set(r.tenant_id, ids);
    }
    const jobs = [...byTenant].map(([tenantId, eventIds]) => ({ tenantId, data: { eventIds } }));
    await services.jobs.enqueueInTx(tx, consumerQueue(consumer.name), jobs);
  }
}

/** Dispatches one batch; returns how many events it published. */
export async function dispatchBatch(services: PlatformServices, limit = BATCH): Promise<number> {
  await services.jobs.boss();
  return withSystem(services.db, async (tx) => {
    // Losing this transaction in a crash only means dispatching its events again (at-least-once).
    // A plain index scan of events_unpublished_idx: a bitmap scan (what the planner picks from stale
    // statistics) visits every published row whose index entry vacuum has not removed yet, on every
    // dispatch, while an index scan marks those entries dead as it passes and skips them afterwards.
    await tx.exec('SET LOCAL synchronous_commit = off; SET LOCAL enable_bitmapscan = off');
    const { rows } = await tx.query<Row>(
      `SELECT tenant_id, id, seq, type FROM events WHERE published_at IS NULL
        ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (!rows.length) return 0;
    await fanOut(tx, services, rows);
    await tx.query(`UPDATE events SET published_at = now() WHERE published_at IS NULL AND seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
    for (const message of livePayloads(rows)) await tx.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, message]);
    return rows.length;
  });
}

export class OutboxDispatcher {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #unlisten: (() => void) | null = null;

  constructor(private readonly services: PlatformServices, private readonly listener: Listener) {}

  async start(): Promise<void> {
    this.#stopped = false;
    this.#unlisten = await this.listener.listen(OUTBOX_CHANNEL, () => this.wake());
    this.#schedule();
    this.wake();
  }

  #schedule() {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.wake();
      this.#schedule();
    }, this.services.config.jobs.outboxPollMs);
    this.#timer.unref();
  }

  /** Runs a drain now, or right after the one in progress. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  async #drain() {
    try {
      while (!this.#stopped && (await dispatchBatch(this.services)) === BATCH) {
        // a full batch: more are waiting
      }
    } catch (err) {
      this.services.log.error({ err }, 'outbox dispatch failed; will retry');
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#unlisten?.();
    await this.#running;
  }
}
