/**
 * Writes (or, in a dry run, only plans) one batch of checked rows: resolves
 * company names and contact emails, applies the duplicate policy by key, and
 * inserts / updates with a few multi-row statements.
 */
import type { ImportRowError, RecordEntity } from '@pillar/shared';
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../platform/db/tenant.js';
import type { Candidate } from './rows.js';
import {
  findByKeys, findCompaniesByName, insertFirstStages, insertRows, lastPositions, snapshotRows, updateRows,
} from './writer.queries.js';

export interface BatchContext {
  entity: RecordEntity;
  tenantId: string;
  importId: string;
  userId: string | null;
  policy: 'skip' | 'update' | 'create';
  dryRun: boolean;
  /** Set when a batch goes again after a unique-key conflict with a concurrent writer: such rows are then skipped. */
  skipConflicts?: boolean;
  /** Company ids by lower-case name, kept across batches: only companies that are committed (or, in a dry run, planned). */
  companies: Map<string, string>;
}

/**
 * The batch before this one when it may still be in flight on another connection. Its writes are invisible
 * here until it commits, so a batch that shares a duplicate key or a new company name with it, or that
 * places deals in stages, waits for that commit first (and so plans exactly as if the two ran in turn).
 */
export interface PreviousBatch {
  /** Settles once the previous batch has committed and published its companies; rejects if it failed. */
  committed: Promise<void>;
  /** Its duplicate keys and lower-case company names. */
  keys: ReadonlySet<string>;
  companyNames: ReadonlySet<string>;
}

export interface BatchResult {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: ImportRowError[];
  /** Companies this batch created, by lower-case name: for `BatchContext.companies` once the batch has committed. */
  newCompanies: Map<string, string>;
}

/** Company ids by lower-case name for the rows: known ones, found ones and, unless in a dry run, new ones created now. */
async function resolveCompanies(tx: Tx, b: BatchContext, rows: Candidate[], previous: PreviousBatch | null): Promise<Map<string, string>> {
  const created = new Map<string, string>();
  const unknown = () => [...new Set(rows.map((r) => r.companyName?.toLowerCase()).filter((n): n is string => !!n && !b.companies.has(n)))];
  let wanted = unknown();
  if (!wanted.length) return created;
  if (previous && wanted.some((n) => previous.companyNames.has(n))) {
    await previous.committed;
    wanted = unknown();
    if (!wanted.length) return created;
  }
  for (const [k, id] of await findCompaniesByName(tx, wanted)) b.companies.set(k, id);
  const missing = new Map<string, string>();
  for (const r of rows) {
    const k = r.companyName?.toLowerCase();
    if (k && !b.companies.has(k) && !missing.has(k)) missing.set(k, r.companyName!);
  }
  if (!missing.size) return created;
  const fresh = [...missing].map(([k, name]) => ({ id: uuidv7(), name, k }));
  if (!b.dryRun) await insertRows(tx, 'companies', b, fresh.map(({ id, name }) => ({ id, name })), b.skipConflicts);
  for (const c of fresh) (b.dryRun ? b.companies : created).set(c.k, c.id);
  return created;
}

async function resolveContacts(tx: Tx, rows: Candidate[]): Promise<Map<string, string>> {
  const emails = [...new Set(rows.map((r) => r.contactEmail).filter((e): e is string => !!e))];
  return findByKeys(tx, 'contacts', emails);
}

/** A row to write. New contacts get their email and phone lists in SQL (insertRows); an update sends its phone list. */
function rowValues(entity: RecordEntity, c: Candidate, companies: (k: string) => string | undefined, contacts: Map<string, string>, update = false): Record<string, unknown> {
  const v: Record<string, unknown> = { ...c.values };
  if (c.companyName) v.company_id = companies(c.companyName.toLowerCase());
  if (c.contactEmail && contacts.has(c.contactEmail)) v.contact_id = contacts.get(c.contactEmail);
  if (entity === 'contacts' && update && typeof v.phone === 'string') {
    v.phones = [{ phone: v.phone, e164: v.phone.startsWith('+') ? v.phone : null, label: null, primary: true }];
  }
  return v;
}

interface Plan { inserts: Candidate[]; updates: Array<{ id: string; c: Candidate }>; skipped: number; errors: ImportRowError[] }

/** Duplicate policy by key: the first row of a key in the file wins; existing records are skipped, updated or (companies) created again. */
async function planKeys(tx: Tx, b: BatchContext, rows: Candidate[], previous: PreviousBatch | null): Promise<Plan> {
  const keyed = b.entity === 'contacts' || b.entity === 'companies';
  const keys = keyed ? [...new Set(rows.map((r) => r.key).filter((k): k is string => !!k))] : [];
  if (previous && keys.some((k) => previous.keys.has(k))) await previous.committed;
  const existing = keys.length ? await findByKeys(tx, b.entity as 'contacts' | 'companies', keys) : new Map<string, string>();
  const plan: Plan = { inserts: [], updates: [], skipped: 0, errors: [] };
  const seen = new Set<string>();
  for (const c of rows) {
    if (!keyed || !c.key) { plan.inserts.push(c); continue; }
    const dupInFile = seen.has(c.key);
    seen.add(c.key);
    const id = existing.get(c.key);
    const uniqueKey = b.entity === 'contacts';
    if (b.policy === 'create' && !(uniqueKey && (id || dupInFile))) plan.inserts.push(c);
    else if (b.policy === 'create') plan.errors.push({ line: c.line, field: 'email', message: `a contact with ${c.key} already exists` });
    else if (dupInFile) plan.skipped++;
    else if (!id) plan.inserts.push(c);
    else if (b.policy === 'update') plan.updates.push({ id, c });
    else plan.skipped++;
  }
  return plan;
}

async function dealPositions(tx: Tx, rows: Array<Record<string, unknown>>) {
  const byStage = new Map<string, Array<Record<string, unknown>>>();
  for (const r of rows) byStage.set(r.stage_id as string, [...(byStage.get(r.stage_id as string) ?? []), r]);
  const last = await lastPositions(tx, [...byStage.keys()]);
  for (const [stage, list] of byStage) {
    const keys = generateNKeysBetween(last.get(stage) ?? null, null, list.length);
    list.forEach((r, i) => { r.position = keys[i]; });
  }
}

export async function writeBatch(tx: Tx, b: BatchContext, rows: Candidate[], previous: PreviousBatch | null = null): Promise<BatchResult> {
  // Positions are appended after the last deal of each stage, which the previous batch may be moving.
  if (b.entity === 'deals' && previous && !b.dryRun) await previous.committed;
  const newCompanies = b.entity !== 'companies' ? await resolveCompanies(tx, b, rows, previous) : new Map<string, string>();
  const company = (k: string) => b.companies.get(k) ?? newCompanies.get(k);
  const contacts = b.entity === 'leads' || b.entity === 'deals' ? await resolveContacts(tx, rows) : new Map<string, string>();
  const plan = await planKeys(tx, b, rows, previous);
  const result: BatchResult = { created: plan.inserts.length, updated: plan.updates.length, skipped: plan.skipped, failed: plan.errors.length, errors: plan.errors, newCompanies };
  if (b.dryRun) return result;
  const inserts: Array<Record<string, unknown> & { id: string }> = plan.inserts.map((c) => ({ id: uuidv7(), ...rowValues(b.entity, c, company, contacts) }));
  if (b.entity === 'deals') await dealPositions(tx, inserts);
  const inserted = await insertRows(tx, b.entity, b, inserts, b.skipConflicts);
  result.created = inserted.size;
  result.skipped += inserts.length - inserted.size;
  if (b.entity === 'deals') {
    await insertFirstStages(tx, b.tenantId, b.userId, inserts.filter((d) => inserted.has(d.id)).map((d) => ({ id: uuidv7(), deal_id: d.id, pipeline_id: d.pipeline_id as string, stage_id: d.stage_id as string })));
  }
  if (plan.updates.length) {
    const entity = b.entity as 'contacts' | 'companies';
    await snapshotRows(tx, entity, b.importId, plan.updates.map((u) => u.id));
    await updateRows(tx, entity, plan.updates.map((u) => ({ ...rowValues(entity, u.c, company, contacts, true), id: u.id })));
  }
  return result;
}
