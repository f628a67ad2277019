/** Hands a tenant's committed outbox events to a consumer, inside that tenant's transaction. */
import type { Tx } from '../db/database.js';
import type { EventConsumer, JobRun, OutboxEvent } from './registry.js';

export async function runConsumer(tx: Tx, consumer: EventConsumer, job: JobRun<{ eventIds: string[] }>): Promise<void> {
  const ids = Array.isArray(job.data.eventIds) ? job.data.eventIds : [];
  if (!ids.length) return;
  // The job stays unfinished until this commits; losing it in a crash only runs the job again.
  await tx.query('SET LOCAL synchronous_commit = off');
  // Row-level security confines this to the job's tenant: ids of another tenant find nothing.
  const events = await tx.query<OutboxEvent>(
    `SELECT id, seq, type, version, entity, entity_id, payload, actor_type, actor_id, occurred_at
       FROM events WHERE id = ANY($1::uuid[]) ORDER BY seq`,
    [ids],
  );
  const wanted = consumer.accepts ? events.rows.filter((e) => consumer.accepts!(e.type)) : events.rows;
  if (wanted.length) await consumer.handle(tx, wanted, job);
}
