/**
 * Checks a bulk change against the entity and computes each row's new values
 * in memory, so only rows that really change are written (and audited).
 */
import type { BulkChanges, RecordEntity } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { AppError, referenceNotFound } from '../../platform/errors.js';
import { checkCustomValue, loadCustomFields, normaliseTags } from '../records/index.js';
import { findStage, memberExists, type BulkRow, type RowUpdate } from './bulk.queries.js';

const STATUSES: Partial<Record<RecordEntity, readonly string[]>> = {
  leads: ['new', 'contacted', 'qualified', 'unqualified'],
  deals: ['open', 'won', 'lost'],
};

export interface CheckedChanges {
  owner?: string | null;
  addTags: string[];
  removeTags: Set<string>;
  status?: string;
  stage?: { id: string; pipeline_id: string; kind: 'open' | 'won' | 'lost' };
  custom: Record<string, unknown>;
}

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', { message, errors: [{ path, message }] });
}

async function checkCustom(tx: Tx, entity: RecordEntity, custom: Record<string, unknown>): Promise<Record<string, unknown>> {
  const defs = new Map((await loadCustomFields(tx, entity)).map((d) => [d.key, d]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) {
    const def = defs.get(key);
    if (!def) throw invalid(`body.changes.custom.${key}`, `no custom field "${key}" on ${entity}`);
    const checked = checkCustomValue(def, value);
    if (!checked.ok) throw invalid(`body.changes.custom.${key}`, checked.message);
    out[key] = checked.value;
  }
  return out;
}

export async function checkChanges(tx: Tx, entity: RecordEntity, c: BulkChanges): Promise<CheckedChanges> {
  if (c.stage_id !== undefined && entity !== 'deals') throw invalid('body.changes.stage_id', 'only deals have stages');
  if (c.status !== undefined && !STATUSES[entity]?.includes(c.status)) {
    throw invalid('body.changes.status', STATUSES[entity] ? `must be one of ${STATUSES[entity].join(', ')}` : `${entity} have no status`);
  }
  if (c.owner_id && !(await memberExists(tx, c.owner_id))) throw referenceNotFound('changes.owner_id');
  const stage = c.stage_id ? await findStage(tx, c.stage_id) : undefined;
  if (c.stage_id && !stage) throw referenceNotFound('changes.stage_id');
  return {
    ...(c.owner_id !== undefined ? { owner: c.owner_id } : {}),
    addTags: normaliseTags(c.add_tags ?? []),
    removeTags: new Set(normaliseTags(c.remove_tags ?? [])),
    ...(c.status !== undefined ? { status: c.status } : {}),
    ...(stage ? { stage } : {}),
    custom: c.custom ? await checkCustom(tx, entity, c.custom) : {},
  };
}

const FIELDS = ['owner_id', 'tags', 'custom', 'status', 'stage_id', 'pipeline_id'] as const;

/** The fields of `before` and `after` that differ (for the audit diff), or null when nothing changes. */
export function changedFields(before: BulkRow, after: RowUpdate): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const f of FIELDS) {
    if (JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null)) {
      b[f] = before[f] ?? null;
      a[f] = after[f] ?? null;
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

export function applyChanges(row: BulkRow, c: CheckedChanges): RowUpdate {
  const tags = [...row.tags.filter((t) => !c.removeTags.has(t))];
  for (const t of c.addTags) if (!tags.includes(t)) tags.push(t);
  const custom = { ...row.custom };
  for (const [k, v] of Object.entries(c.custom)) {
    if (v === null) delete custom[k];
    else custom[k] = v;
  }
  const next: RowUpdate = { ...row, tags, custom, owner_id: c.owner !== undefined ? c.owner : row.owner_id };
  if (c.stage) {
    next.moved = c.stage.id !== row.stage_id;
    next.stage_id = c.stage.id;
    next.pipeline_id = c.stage.pipeline_id;
    if (c.status === undefined && next.moved) next.status = c.stage.kind;
  }
  if (c.status !== undefined) next.status = c.status;
  if (row.stage_id !== undefined) {
    next.moved ??= false;
    next.status_changed = next.status !== row.status;
  }
  return next;
}
