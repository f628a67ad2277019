/** Companies: create, read, change, trash/restore/purge, hierarchy. */
import type { CreateCompany, ListQuery, UpdateCompany } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import {
  assertMember, listRecords, normaliseAddress, normaliseDomain, normalisePhone, normaliseTags, normaliseWebsite,
} from '../crm-common/index.js';
import { customFieldMap, validateCustomFields } from '../custom-fields/index.js';
import * as q from './companies.queries.js';
import { companyRelated } from './related.queries.js';

export type { CompanyRow } from './companies.queries.js';

function invalid(path: string, message: string) {
  return new AppError('validation_failed', { message: `${path}: ${message}`, errors: [{ path: `body.${path}`, message }] });
}

async function assertParent(tx: Tx, selfId: string | null, parentId: string | null | undefined) {
  if (!parentId) return;
  if (!(await q.findCompany(tx, parentId))) throw referenceNotFound('parent_id');
  if (selfId && (parentId === selfId || (await q.wouldCycle(tx, selfId, parentId)))) {
    throw new AppError('unprocessable', {
      message: 'A company cannot be its own ancestor', errors: [{ path: 'body.parent_id', message: 'would create a cycle' }],
    });
  }
}

/** Normalises and checks the writable fields present in `input`. */
async function prepare(tx: Tx, input: CreateCompany | UpdateCompany, before: q.CompanyRow | null): Promise<q.CompanyValues> {
  const v: q.CompanyValues = {};
  if (input.name !== undefined) v.name = input.name;
  if (input.domain !== undefined) {
    const d = normaliseDomain(input.domain);
    if (d === undefined) throw invalid('domain', 'must be a domain name such as example.com');
    v.domain = d;
  }
  if (input.website !== undefined) {
    const w = normaliseWebsite(input.website);
    if (w === undefined) throw invalid('website', 'must be a web address');
    v.website = w;
  }
  if (input.phone !== undefined) v.phone = input.phone ? (normalisePhone(input.phone) ?? input.phone) : null;
  if (input.industry !== undefined) v.industry = input.industry || null;
  if (input.size !== undefined) v.size = input.size;
  if (input.description !== undefined) v.description = input.description || null;
  if (input.address !== undefined) v.address = normaliseAddress(input.address);
  if (input.tags !== undefined) v.tags = normaliseTags(input.tags);
  if (input.owner_id !== undefined) {
    await assertMember(tx, input.owner_id);
    v.owner_id = input.owner_id;
  }
  if (input.parent_id !== undefined) {
    await assertParent(tx, before?.id ?? null, input.parent_id);
    v.parent_id = input.parent_id;
  }
  if (input.custom !== undefined || !before) v.custom = await validateCustomFields(tx, 'company', input.custom, before?.custom ?? null);
  return v;
}

export async function createCompanyInTx(tx: Tx, ctx: TenantContext, input: CreateCompany): Promise<q.CompanyRow> {
  const values = await prepare(tx, input, null);
  const row = await q.insertCompany(tx, ctx.tenantId, uuidv7(), ctx.userId, { ...values, name: input.name });
  await recordChange(tx, ctx, {
    action: 'company.create', entity: 'company', entityId: row.id, after: { ...row },
    event: { type: 'company.created', payload: { id: row.id, name: row.name, domain: row.domain } },
  });
  return row;
}

export function createCompany(ctx: TenantContext, input: CreateCompany) {
  return withTenant(ctx, (tx) => createCompanyInTx(tx, ctx, input));
}

export async function getCompanyOrThrow(ctx: TenantContext, id: string) {
  const row = await withTenant(ctx, (tx) => q.findCompany(tx, id));
  if (!row) throw notFound('Company');
  return row;
}

async function lockOrThrow(tx: Tx, id: string, expected: number | undefined, withDeleted = false) {
  const before = await q.findCompany(tx, id, { forUpdate: true, withDeleted });
  if (!before) throw notFound('Company');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export async function updateCompanyInTx(tx: Tx, ctx: TenantContext, id: string, input: UpdateCompany, expected?: number) {
  const before = await lockOrThrow(tx, id, expected);
  const values = await prepare(tx, input, before);
  if (!Object.keys(values).length) return before;
  const after = await q.updateCompanyRow(tx, id, values);
  await recordChange(tx, ctx, {
    action: 'company.update', entity: 'company', entityId: id, before: { ...before }, after: { ...after },
    event: { type: 'company.updated', payload: { id, name: after.name, fields: Object.keys(values) } },
  });
  return after;
}

export function updateCompany(ctx: TenantContext, id: string, input: UpdateCompany, expected?: number) {
  return withTenant(ctx, (tx) => updateCompanyInTx(tx, ctx, id, input, expected));
}

/** Moves the company to the trash; its contacts, deals and children keep their links. */
export async function deleteCompanyInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number) {
  const before = await lockOrThrow(tx, id, expected);
  const after = await q.setCompanyDeleted(tx, id, true);
  await recordChange(tx, ctx, {
    action: 'company.delete', entity: 'company', entityId: id, before: { deleted_at: null }, after: { deleted_at: after.deleted_at },
    event: { type: 'company.deleted', payload: { id, name: before.name } },
  });
  return after;
}

export function deleteCompany(ctx: TenantContext, id: string, expected?: number) {
  return withTenant(ctx, (tx) => deleteCompanyInTx(tx, ctx, id, expected));
}

/** Brings a trashed company back; 404 when it is not in the trash. */
export async function restoreCompanyInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number) {
  const before = await lockOrThrow(tx, id, expected, true);
  if (!before.deleted_at) throw notFound('Company in the trash');
  const after = await q.setCompanyDeleted(tx, id, false);
  await recordChange(tx, ctx, {
    action: 'company.restore', entity: 'company', entityId: id, before: { deleted_at: before.deleted_at }, after: { deleted_at: null },
    event: { type: 'company.restored', payload: { id, name: after.name } },
  });
  return after;
}

export function restoreCompany(ctx: TenantContext, id: string, expected?: number) {
  return withTenant(ctx, (tx) => restoreCompanyInTx(tx, ctx, id, expected));
}

/** Deletes a trashed company for good (its activities go with it; other links are cleared). */
export async function purgeCompanyInTx(tx: Tx, ctx: TenantContext, id: string) {
  const before = await lockOrThrow(tx, id, undefined, true);
  if (!before.deleted_at) throw new AppError('conflict', { message: 'Only a company in the trash can be purged' });
  await q.deleteCompanyRow(tx, id);
  await recordChange(tx, ctx, { action: 'company.purge', entity: 'company', entityId: id, before: { ...before } });
}

export function purgeCompany(ctx: TenantContext, id: string) {
  return withTenant(ctx, (tx) => purgeCompanyInTx(tx, ctx, id));
}

export async function companyListSpecInTx(tx: Tx, tenantId: string, query: ListQuery) {
  return {
    table: 'companies' as const, tenantId, columns: q.COMPANY_COLUMNS, defaultSort: '-created_at',
    searchFunction: 'crm_search_companies' as const,
    fields: { ...q.COMPANY_FIELDS, ...(await customFieldMap(tx, 'company', query)) },
  };
}

export function listCompanies(ctx: TenantContext, query: ListQuery) {
  return withTenant(ctx, async (tx) => listRecords<q.CompanyRow>(tx, await companyListSpecInTx(tx, ctx.tenantId, query), query));
}

export function listChildCompanies(ctx: TenantContext, id: string, query: ListQuery) {
  return withTenant(ctx, async (tx) => {
    if (!(await q.findCompany(tx, id))) throw notFound('Company');
    return listRecords<q.CompanyRow>(tx, await companyListSpecInTx(tx, ctx.tenantId, query), query, (p) => `parent_id = ${p.add(id)}::uuid`);
  });
}

export function getCompanyRelated(ctx: TenantContext, id: string) {
  return withTenant(ctx, async (tx) => {
    if (!(await q.findCompany(tx, id))) throw notFound('Company');
    return companyRelated(tx, id);
  });
}
