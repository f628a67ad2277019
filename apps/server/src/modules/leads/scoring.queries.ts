/**
 * Lead scoring in SQL: every active rule becomes one term of a sum, so a
 * lead (or a batch of leads) is re-scored by one UPDATE. Field conditions
 * compile through the list filter compiler (whitelisted fields, bound values);
 * activity rules count the lead's live activities of a type.
 */
import type { ActivityType, FilterCondition } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { SqlParams, compileFilter, type FieldMap } from '../../platform/db/list-sql.js';

export interface ScoringRuleRow {
  id: string;
  name: string;
  points: number;
  condition: FilterCondition | null;
  activity_type: ActivityType | null;
  active: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLS = 'id, name, points, condition, activity_type, active, created_at, updated_at, version';

export async function listRules(tx: Tx, activeOnly = false): Promise<ScoringRuleRow[]> {
  return (await tx.query<ScoringRuleRow>(`SELECT ${COLS} FROM lead_scoring_rules ${activeOnly ? 'WHERE active' : ''} ORDER BY created_at, id`)).rows;
}

export async function findRule(tx: Tx, id: string, lock = false): Promise<ScoringRuleRow | null> {
  return (await tx.query<ScoringRuleRow>(`SELECT ${COLS} FROM lead_scoring_rules WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])).rows[0] ?? null;
}

export async function insertRule(tx: Tx, tenantId: string, r: Omit<ScoringRuleRow, 'created_at' | 'updated_at' | 'version'>): Promise<ScoringRuleRow> {
  return (await tx.query<ScoringRuleRow>(
    `INSERT INTO lead_scoring_rules (tenant_id, id, name, points, condition, activity_type, active) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
    [tenantId, r.id, r.name, r.points, r.condition ? JSON.stringify(r.condition) : null, r.activity_type, r.active])).rows[0]!;
}

export async function updateRule(tx: Tx, id: string, r: Pick<ScoringRuleRow, 'name' | 'points' | 'condition' | 'activity_type' | 'active'>): Promise<ScoringRuleRow> {
  return (await tx.query<ScoringRuleRow>(
    `UPDATE lead_scoring_rules SET name = $2, points = $3, condition = $4, activity_type = $5, active = $6, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`,
    [id, r.name, r.points, r.condition ? JSON.stringify(r.condition) : null, r.activity_type, r.active])).rows[0]!;
}

export async function deleteRule(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM lead_scoring_rules WHERE id = $1', [id]);
}

/** The score of lead `l` as one SQL expression; conditions that no longer compile (a removed custom field) count nothing. */
export function scoreExpression(rules: ScoringRuleRow[], fields: FieldMap, p: SqlParams): string {
  const terms = ['0'];
  const byType: string[] = [];
  for (const r of rules) {
    const points = Math.trunc(r.points);
    if (r.condition) {
      try {
        terms.push(`(CASE WHEN ${compileFilter(r.condition, fields, p)} THEN ${points} ELSE 0 END)`);
      } catch {
        continue;
      }
    } else if (r.activity_type) {
      byType.push(`WHEN ${p.add(r.activity_type)} THEN ${points}`);
    }
  }
  if (byType.length) {
    terms.push(`coalesce((SELECT sum(CASE a.type ${byType.join(' ')} ELSE 0 END) FROM activities a
                           WHERE a.lead_id = l.id AND a.deleted_at IS NULL), 0)`);
  }
  return terms.join(' + ');
}

/** Re-scores the given leads (or those after `afterId`, `limit` at a time); returns the last id seen. */
export async function rescore(tx: Tx, rules: ScoringRuleRow[], fields: FieldMap, target: { ids: string[] } | { afterId: string | null; limit: number }): Promise<string | null> {
  const p = new SqlParams();
  const expr = scoreExpression(rules, fields, p);
  let scope: string;
  if ('ids' in target) {
    scope = `l.id = ANY(${p.add(target.ids)}::uuid[])`;
  } else {
    scope = `l.id IN (SELECT id FROM leads WHERE deleted_at IS NULL ${target.afterId ? `AND id > ${p.add(target.afterId)}::uuid` : ''} ORDER BY id LIMIT ${p.add(target.limit)})`;
  }
  const r = await tx.query<{ id: string }>(
    `WITH scored AS (SELECT l.id, (${expr})::int AS score FROM leads l WHERE ${scope}),
          changed AS (UPDATE leads t SET score = s.score FROM scored s WHERE t.id = s.id AND t.score IS DISTINCT FROM s.score RETURNING t.id)
     SELECT max(id::text) AS id FROM scored`, p.values);
  return r.rows[0]?.id ?? null;
}
