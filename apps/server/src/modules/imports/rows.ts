/**
 * One CSV record → the values to write, checked in JS (no database round trip
 * per row). Empty cells are left out, so an update never blanks a field.
 */
import type { ImportRowError, RecordEntity } from '@pillar/shared';
import { checkCustomValue, normaliseDomain, normaliseEmail, normalisePhone, type CustomFieldDef } from '../records/index.js';
import { cleanText, parseDate, parseInteger, parseMoney, parseTags } from './values.js';

export interface Prep {
  entity: RecordEntity;
  mapping: Array<string | null>;
  defs: Map<string, CustomFieldDef>;
  /** Member lookup by lower-case email or name. */
  members: Map<string, string>;
  /** Deals: pipelines by lower-case name, with their stages; `null` key is the default pipeline. */
  pipelines: Map<string | null, { id: string; stages: Map<string, { id: string; kind: string }>; first: { id: string; kind: string } }>;
}

export interface Candidate {
  line: number;
  /** Duplicate key: normalised email (contacts) or domain (companies). */
  key: string | null;
  values: Record<string, unknown>;
  companyName: string | null;
  contactEmail: string | null;
}

type Fields = Record<string, string>;

const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified'];

function fieldsOf(record: string[], mapping: Array<string | null>): Fields {
  const f: Fields = {};
  mapping.forEach((target, i) => {
    const v = record[i];
    if (target && v !== undefined && v.trim() !== '' && f[target] === undefined) f[target] = v;
  });
  return f;
}

function addressOf(f: Fields): Record<string, string> | undefined {
  const a: Record<string, string> = {};
  for (const k of ['street', 'city', 'region', 'postal_code', 'country']) if (f[k]) a[k] = cleanText(f[k], 200);
  return Object.keys(a).length ? a : undefined;
}

function text(v: Record<string, unknown>, f: Fields, keys: string[], max = 1000) {
  for (const k of keys) if (f[k] !== undefined) v[k] = cleanText(f[k], max);
}

class RowErrors {
  list: ImportRowError[] = [];
  constructor(readonly line: number) {}
  add(field: string | null, message: string) {
    this.list.push({ line: this.line, field, message });
  }
}

function common(f: Fields, prep: Prep, v: Record<string, unknown>, errs: RowErrors) {
  if (f.tags) v.tags = parseTags(f.tags);
  if (f.owner_email) {
    const owner = prep.members.get(f.owner_email.trim().toLowerCase());
    if (owner) v.owner_id = owner;
  }
  const custom: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(f)) {
    if (!field.startsWith('custom.')) continue;
    const def = prep.defs.get(field.slice(7));
    if (!def) continue;
    const checked = checkCustomValue(def, raw, true);
    if (!checked.ok) errs.add(field, checked.message);
    else if (checked.value !== null) custom[def.key] = checked.value;
  }
  if (Object.keys(custom).length) v.custom = custom;
}

function contact(f: Fields, v: Record<string, unknown>, errs: RowErrors): string | null {
  text(v, f, ['first_name', 'last_name'], 200);
  if (f.full_name && v.first_name === undefined && v.last_name === undefined) {
    const parts = cleanText(f.full_name, 400).split(/\s+/);
    v.first_name = parts.length > 1 ? parts.slice(0, -1).join(' ') : parts[0];
    if (parts.length > 1) v.last_name = parts[parts.length - 1];
  }
  text(v, f, ['title', 'department', 'lead_source']);
  text(v, f, ['notes'], 20_000);
  let email: string | null = null;
  if (f.email) {
    email = normaliseEmail(f.email);
    if (!email) errs.add('email', `"${f.email.slice(0, 100)}" is not an email address`);
    else v.email = email;
  }
  if (f.phone) {
    const e164 = normalisePhone(f.phone);
    v.phone = e164 ?? cleanText(f.phone, 50);
  }
  const address = addressOf(f);
  if (address) v.address = address;
  const social: Record<string, string> = {};
  if (f.website) social.website = cleanText(f.website, 500);
  if (f.linkedin) social.linkedin = cleanText(f.linkedin, 500);
  if (Object.keys(social).length) v.social = social;
  if (!v.first_name && !v.last_name && !email) errs.add(null, 'a contact needs a name or an email');
  return email;
}

function company(f: Fields, v: Record<string, unknown>, errs: RowErrors): string | null {
  text(v, f, ['industry', 'size', 'phone'], 200);
  text(v, f, ['description'], 20_000);
  const domain = f.domain ? normaliseDomain(f.domain) : f.website ? normaliseDomain(f.website) : null;
  if (f.domain && !domain) errs.add('domain', `"${f.domain.slice(0, 100)}" is not a domain`);
  if (domain) v.domain = domain;
  if (f.website) v.website = cleanText(f.website, 500);
  v.name = f.name ? cleanText(f.name, 200) : domain;
  if (!v.name) errs.add('name', 'a company needs a name');
  const address = addressOf(f);
  if (address) v.address = address;
  return domain;
}

function money(f: Fields, v: Record<string, unknown>, errs: RowErrors, allowNegative: boolean) {
  if (f.value !== undefined) {
    const m = parseMoney(f.value);
    if (m === null || (!allowNegative && m.startsWith('-'))) errs.add('value', `"${f.value.slice(0, 50)}" is not an amount`);
    else v.value = m;
  }
  if (f.currency !== undefined) {
    const c = f.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(c)) errs.add('currency', 'must be a 3-letter currency code');
    else v.currency = c;
  }
  if (f.expected_close_date !== undefined) {
    const d = parseDate(f.expected_close_date);
    if (!d) errs.add('expected_close_date', `"${f.expected_close_date.slice(0, 50)}" is not a date`);
    else v.expected_close_date = d;
  }
}

function lead(f: Fields, v: Record<string, unknown>, errs: RowErrors) {
  text(v, f, ['title', 'source', 'territory'], 500);
  if (!v.title) errs.add('title', 'a lead needs a title');
  if (f.status !== undefined) {
    const s = f.status.trim().toLowerCase();
    if (!LEAD_STATUSES.includes(s)) errs.add('status', `must be one of ${LEAD_STATUSES.join(', ')}`);
    else v.status = s;
  }
  if (f.score !== undefined) {
    const n = parseInteger(f.score, -1_000_000, 1_000_000);
    if (n === null) errs.add('score', 'must be a whole number');
    else v.score = n;
  }
  money(f, v, errs, true);
}

function deal(f: Fields, prep: Prep, v: Record<string, unknown>, errs: RowErrors) {
  text(v, f, ['name', 'source'], 500);
  if (!v.name) errs.add('name', 'a deal needs a name');
  money(f, v, errs, false);
  const pipeline = prep.pipelines.get(f.pipeline ? f.pipeline.trim().toLowerCase() : null) ?? (f.pipeline ? undefined : prep.pipelines.get(null));
  if (!pipeline) {
    errs.add(f.pipeline ? 'pipeline' : null, f.pipeline ? `no pipeline named "${f.pipeline.slice(0, 100)}"` : 'create a pipeline before importing deals');
    return;
  }
  const stage = f.stage ? pipeline.stages.get(f.stage.trim().toLowerCase()) : pipeline.first;
  if (!stage) errs.add('stage', `no stage named "${f.stage!.slice(0, 100)}" in that pipeline`);
  let status = stage?.kind ?? 'open';
  if (f.status !== undefined) {
    const s = f.status.trim().toLowerCase();
    if (!['open', 'won', 'lost'].includes(s)) errs.add('status', 'must be open, won or lost');
    else status = s;
  }
  if (f.probability !== undefined) {
    const p = parseInteger(f.probability, 0, 100);
    if (p === null) errs.add('probability', 'must be a whole number from 0 to 100');
    else v.probability = p;
  }
  Object.assign(v, { pipeline_id: pipeline.id, stage_id: stage?.id, status });
}

export function toCandidate(record: string[], line: number, prep: Prep): { ok: true; candidate: Candidate } | { ok: false; errors: ImportRowError[] } {
  const f = fieldsOf(record, prep.mapping);
  const errs = new RowErrors(line);
  const v: Record<string, unknown> = {};
  let key: string | null = null;
  if (prep.entity === 'contacts') key = contact(f, v, errs);
  else if (prep.entity === 'companies') key = company(f, v, errs);
  else if (prep.entity === 'leads') lead(f, v, errs);
  else deal(f, prep, v, errs);
  common(f, prep, v, errs);
  if (errs.list.length) return { ok: false, errors: errs.list };
  const companyName = prep.entity !== 'companies' && f.company_name ? cleanText(f.company_name, 200) : null;
  const contactEmail = f.contact_email ? normaliseEmail(f.contact_email) : null;
  return { ok: true, candidate: { line, key, values: v, companyName, contactEmail } };
}
