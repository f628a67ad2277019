/** SQL of lead assignment rules. */
import type { Tx } from '../../platform/db/tenant.js';

export interface AssignmentRuleRow {
  id: string;
  name: string;
  position: number;
  active: boolean;
  sources: string[];
  territories: string[];
  user_ids: string[];
  created_at: string;
  updated_at: string;
  version: number;
}

const COLS = 'id, name, position, active, sources, territories, user_ids, created_at, updated_at, version';

export async function listRules(tx: Tx, activeOnly = false): Promise<AssignmentRuleRow[]> {
  return (await tx.query<AssignmentRuleRow>(`SELECT ${COLS} FROM lead_assignment_rules ${activeOnly ? 'WHERE active' : ''} ORDER BY position, id`)).rows;
}

export async function findRule(tx: Tx, id: string, lock = false): Promise<AssignmentRuleRow | null> {
  return (await tx.query<AssignmentRuleRow>(`SELECT ${COLS} FROM lead_assignment_rules WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])).rows[0] ?? null;
}

export async function insertRule(tx: Tx, tenantId: string, r: Pick<AssignmentRuleRow, 'id' | 'name' | 'active' | 'sources' | 'territories' | 'user_ids'>): Promise<AssignmentRuleRow> {
  return (await tx.query<AssignmentRuleRow>(
    `INSERT INTO lead_assignment_rules (tenant_id, id, name, position, active, sources, territories, user_ids)
     VALUES ($1, $2, $3, (SELECT coalesce(max(position) + 1, 0) FROM lead_assignment_rules), $4, $5, $6, $7) RETURNING ${COLS}`,
    [tenantId, r.id, r.name, r.active, r.sources, r.territories, r.user_ids])).rows[0]!;
}

export async function updateRule(tx: Tx, id: string, r: Pick<AssignmentRuleRow, 'name' | 'active' | 'sources' | 'territories' | 'user_ids'>): Promise<AssignmentRuleRow> {
  return (await tx.query<AssignmentRuleRow>(
    `UPDATE lead_assignment_rules SET name = $2, active = $3, sources = $4, territories = $5, user_ids = $6, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`, [id, r.name, r.active, r.sources, r.territories, r.user_ids])).rows[0]!;
}

export async function deleteRule(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM lead_assignment_rules WHERE id = $1', [id]);
}

export async function reorderRules(tx: Tx, ids: string[]): Promise<void> {
  await tx.query(
    `UPDATE lead_assignment_rules r SET position = o.ord - 1, updated_at = now(), version = version + 1
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o (id, ord) WHERE r.id = o.id`, [ids]);
}

/** Takes the rule's next turn; the row lock makes concurrent creations take distinct turns. */
export async function takeTurn(tx: Tx, id: string): Promise<number> {
  return (await tx.query<{ turns: number }>('UPDATE lead_assignment_rules SET turns = turns + 1 WHERE id = $1 RETURNING turns', [id])).rows[0]!.turns;
}

export async function memberIds(tx: Tx, ids: string[]): Promise<Set<string>> {
  return new Set((await tx.query<{ user_id: string }>('SELECT user_id FROM memberships WHERE user_id = ANY($1::uuid[])', [ids])).rows.map((r) => r.user_id));
}
