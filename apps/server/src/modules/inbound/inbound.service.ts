/** Inbound web forms: endpoints with a secret token, and submissions routed into leads. */
import { LeadFormInputSchema, type LeadFormInput } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { systemContext, withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound } from '../../platform/errors.js';
import { createOrUpdateLeadFromFormInTx } from '../leads/index.js';
import { hashFormToken, newFormToken, parseFormToken, tokenMatches } from './inbound-token.js';
import * as q from './inbound.queries.js';

export async function createEndpoint(ctx: TenantContext, input: { name: string; lead_source?: string | undefined }, publicUrl: string) {
  const id = uuidv7();
  const token = newFormToken(ctx.tenantId, id);
  const row = await withTenant(ctx, async (tx) => {
    const created = await q.insertEndpoint(tx, { tenantId: ctx.tenantId, id, name: input.name, leadSource: input.lead_source ?? null, tokenHash: hashFormToken(token), createdBy: ctx.userId });
    await recordChange(tx, ctx, { action: 'inbound_endpoint.create', entity: 'inbound_endpoint', entityId: id, after: { name: created.name, lead_source: created.lead_source } });
    return created;
  });
  return { ...row, token, url: `${publicUrl}/api/v1/inbound/forms/${token}` };
}

export function listEndpoints(ctx: TenantContext) {
  return withTenant(ctx, (tx) => q.listEndpoints(tx));
}

export async function deleteEndpoint(ctx: TenantContext, id: string) {
  await withTenant(ctx, async (tx) => {
    if (!(await q.deleteEndpoint(tx, id))) throw notFound('Inbound endpoint');
    await recordChange(tx, ctx, { action: 'inbound_endpoint.delete', entity: 'inbound_endpoint', entityId: id });
  });
}

export function listSubmissions(ctx: TenantContext, query: { limit: number; before?: string | undefined; endpoint_id?: string | undefined }) {
  return withTenant(ctx, (tx) => q.listSubmissions(tx, { limit: query.limit, before: query.before, endpointId: query.endpoint_id }));
}

/** Known form fields become the lead input; every field is kept on the submission. */
function toLeadInput(fields: Record<string, unknown>, leadSource: string | null): LeadFormInput {
  const pick = (k: string) => {
    const v = fields[k];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const candidate = Object.fromEntries(Object.entries({
    email: pick('email'), first_name: pick('first_name'), last_name: pick('last_name'), name: pick('name'), phone: pick('phone'),
    company: pick('company'), title: pick('title'), message: pick('message'), source: leadSource ?? pick('source') ?? 'web form', territory: pick('territory'),
  }).filter(([, v]) => v !== undefined));
  const parsed = LeadFormInputSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new AppError('validation_failed', { errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
  }
  return parsed.data;
}

async function routeToLead(tx: Tx, ctx: TenantContext, submissionId: string, input: LeadFormInput) {
  // A failure in lead routing must not lose the submission: it is kept, marked failed, for an admin to look at.
  await tx.query('SAVEPOINT inbound_lead');
  try {
    const { lead, created } = await createOrUpdateLeadFromFormInTx(tx, ctx, input);
    await tx.query('RELEASE SAVEPOINT inbound_lead');
    return q.finishSubmission(tx, submissionId, { status: created ? 'lead_created' : 'lead_updated', leadId: lead.id, error: null });
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT inbound_lead');
    const message = err instanceof AppError ? err.message : 'lead routing failed';
    return q.finishSubmission(tx, submissionId, { status: 'failed', leadId: null, error: message });
  }
}

/** Public intake. An unknown, malformed or revoked token is "not found", whatever the reason. */
export async function submitForm(db: TenantContext['db'], token: string, fields: Record<string, unknown>, meta: { ip: string | null; requestId: string }) {
  const ids = parseFormToken(token);
  if (!ids) throw notFound('Form');
  const ctx: TenantContext = { ...systemContext(db, ids.tenantId, meta.requestId), ip: meta.ip };
  return withTenant(ctx, async (tx) => {
    const endpoint = await q.findEndpointWithHash(tx, ids.endpointId);
    if (!endpoint?.active || !tokenMatches(token, endpoint.token_hash)) throw notFound('Form');
    const input = toLeadInput(fields, endpoint.lead_source);
    const id = uuidv7();
    await q.insertSubmission(tx, { tenantId: ctx.tenantId, id, endpointId: endpoint.id, email: input.email, fields, ip: meta.ip });
    const done = await routeToLead(tx, ctx, id, input);
    await recordChange(tx, ctx, {
      action: 'inbound_submission.create', entity: 'inbound_submission', entityId: id, after: { endpoint_id: endpoint.id, status: done.status, lead_id: done.lead_id },
      event: { type: 'form.submitted', payload: { id, endpoint_id: endpoint.id, email: input.email, lead_id: done.lead_id, status: done.status } },
    });
    return done;
  });
}
