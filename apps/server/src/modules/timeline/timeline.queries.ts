/**
 * The timeline of a record: its activities, stage moves, field changes (from
 * the audit log) and conversions, merged newest first. Each source is one
 * index-backed branch that applies the keyset and the limit itself; the union
 * then orders and cuts once. The cursor carries microseconds, so items that
 * share a millisecond are neither skipped nor repeated.
 */
import type { Tx } from '../../platform/db/tenant.js';
import { SqlParams } from '../../platform/db/list-sql.js';

export type TimelineEntity = 'contact' | 'company' | 'lead' | 'deal';

export interface TimelineRow {
  id: string;
  kind: 'activity' | 'stage_change' | 'change' | 'conversion';
  occurred_at: string;
  occurred_us: number;
  actor_id: string | null;
  entity: string;
  entity_id: string | null;
  summary: string;
  data: Record<string, unknown>;
}

const LINK: Record<TimelineEntity, string> = { contact: 'contact_id', company: 'company_id', lead: 'lead_id', deal: 'deal_id' };

/** Deals whose stage moves appear on the record's timeline. */
function dealScope(entity: TimelineEntity, id: string): string {
  return entity === 'deal' ? id : `ANY(ARRAY(SELECT d.id FROM deals d WHERE d.${LINK[entity]} = ${id} AND d.deleted_at IS NULL))`;
}

/** audit_log (entity, entity_id) pairs whose entries appear on the record's timeline. */
function auditScope(entity: TimelineEntity, id: string): string {
  const own = `(al.entity = '${entity}' AND al.entity_id = ${id}::text)`;
  if (entity === 'deal') return `(${own} OR (al.entity = 'lead' AND al.entity_id = (SELECT d.lead_id::text FROM deals d WHERE d.id = ${id})))`;
  if (entity === 'lead') return own;
  const leads = `ARRAY(SELECT l.id::text FROM leads l WHERE l.${LINK[entity]} = ${id} AND l.status = 'converted')`;
  return `(${own} OR (al.entity = 'lead' AND al.action = 'lead.convert' AND al.entity_id = ANY(${leads})))`;
}

export async function timeline(tx: Tx, entity: TimelineEntity, recordId: string, page: { limit: number; after: [number, string] | null }): Promise<TimelineRow[]> {
  const p = new SqlParams();
  const id = `${p.add(recordId)}::uuid`;
  const n = p.add(page.limit + 1);
  const before = (ts: string, idCol: string) =>
    page.after ? `AND (${ts}, ${idCol}) < ('epoch'::timestamptz + ${p.add(page.after[0])}::bigint * interval '1 microsecond', ${p.add(page.after[1])}::uuid)` : '';
  const us = (ts: string) => `(extract(epoch FROM ${ts}) * 1000000)::bigint`;
  const sql = `
    (SELECT a.id, 'activity' AS kind, a.created_at AS occurred_at, ${us('a.created_at')} AS occurred_us, a.created_by AS actor_id,
            'activity' AS entity, a.id::text AS entity_id, initcap(a.type) || ': ' || a.subject AS summary,
            jsonb_build_object('type', a.type, 'subject', a.subject, 'due_at', a.due_at, 'completed_at', a.completed_at,
                               'deal_id', a.deal_id, 'lead_id', a.lead_id) AS data
       FROM activities a WHERE a.${LINK[entity]} = ${id} AND a.deleted_at IS NULL ${before('a.created_at', 'a.id')}
      ORDER BY a.created_at DESC, a.id DESC LIMIT ${n})
    UNION ALL
    (SELECT h.id, 'stage_change', h.moved_at, ${us('h.moved_at')}, h.moved_by, 'deal', h.deal_id::text,
            CASE WHEN fs.id IS NULL THEN 'Entered ' || ts.name ELSE 'Moved from ' || fs.name || ' to ' || ts.name END,
            jsonb_build_object('from_stage_id', h.from_stage_id, 'to_stage_id', h.to_stage_id, 'from_stage', fs.name, 'to_stage', ts.name,
                               'seconds_in_from_stage', h.seconds_in_from_stage, 'note', h.note)
       FROM deal_stage_history h JOIN stages ts ON ts.id = h.to_stage_id LEFT JOIN stages fs ON fs.id = h.from_stage_id
      WHERE h.deal_id = ${dealScope(entity, id)} ${before('h.moved_at', 'h.id')}
      ORDER BY h.moved_at DESC, h.id DESC LIMIT ${n})
    UNION ALL
    (SELECT al.id, CASE WHEN al.action = 'lead.convert' THEN 'conversion' ELSE 'change' END, al.created_at, ${us('al.created_at')},
            al.actor_id, al.entity, al.entity_id, al.action,
            jsonb_build_object('action', al.action, 'changes', al.changes)
       FROM audit_log al
      WHERE ${auditScope(entity, id)} AND al.action NOT IN ('deal.move', 'deal.reorder', 'deal.create') ${before('al.created_at', 'al.id')}
      ORDER BY al.created_at DESC, al.id DESC LIMIT ${n})
    ORDER BY occurred_at DESC, id DESC LIMIT ${n}`;
  return (await tx.query<TimelineRow>(sql, p.values)).rows;
}

const TABLE: Record<TimelineEntity, string> = { contact: 'contacts', company: 'companies', lead: 'leads', deal: 'deals' };

export async function recordExists(tx: Tx, entity: TimelineEntity, id: string): Promise<boolean> {
  return (await tx.query(`SELECT 1 FROM ${TABLE[entity]} WHERE id = $1 AND deleted_at IS NULL`, [id])).rows.length > 0;
}
