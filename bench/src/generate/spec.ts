/**
 * What the generator makes: the sizes, the fixed identities (tenant, users,
 * pipeline, stages) and the time span. Everything derives from the seed.
 */
import { namedUuid } from './rng.js';

export interface DatasetSpec {
  seed: number;
  /** The large tenant. */
  contacts: number;
  companies: number;
  deals: number;
  activities: number;
  auditEntries: number;
  /** Users in the large tenant (the first is the owner the benchmark signs in as). */
  members: number;
  /** Small tenants that interleave with the large one on disk. */
  smallTenants: number;
  smallTenantContacts: number;
}

export const FULL_SPEC: DatasetSpec = {
  seed: 20_261_205,
  contacts: 1_000_000,
  companies: 200_000,
  deals: 300_000,
  activities: 1_000_000,
  auditEntries: 100_000,
  members: 20,
  smallTenants: 99,
  smallTenantContacts: 10_000,
};

/** The smaller data set for the embedded engine. */
export const EMBEDDED_SPEC: DatasetSpec = {
  ...FULL_SPEC,
  contacts: 100_000,
  companies: 20_000,
  deals: 30_000,
  activities: 100_000,
  auditEntries: 10_000,
  members: 10,
  smallTenants: 9,
  smallTenantContacts: 10_000,
};

/** Records are created over three years up to this instant (fixed, so runs are identical). */
export const END_MS = Date.UTC(2026, 10, 1);
export const SPAN_MS = 3 * 365 * 24 * 3600 * 1000;
export const START_MS = END_MS - SPAN_MS;

export const BENCH_PASSWORD = 'bench-password-2026';

export interface StageDef {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: 'open' | 'won' | 'lost';
}

export interface Identities {
  tenantId: string;
  tenantName: string;
  ownerEmail: string;
  password: string;
  /** User ids of the large tenant's members; [0] is the owner. */
  memberIds: string[];
  memberEmails: string[];
  pipelineId: string;
  stages: StageDef[];
  customFieldIds: { tier: string; score: string };
  smallTenantIds: string[];
  smallOwnerIds: string[];
}

const STAGES: Omit<StageDef, 'id'>[] = [
  { name: 'Lead in', position: 0, probability: 10, kind: 'open' },
  { name: 'Qualified', position: 1, probability: 25, kind: 'open' },
  { name: 'Proposal', position: 2, probability: 50, kind: 'open' },
  { name: 'Negotiation', position: 3, probability: 75, kind: 'open' },
  { name: 'Won', position: 4, probability: 100, kind: 'won' },
  { name: 'Lost', position: 5, probability: 0, kind: 'lost' },
];

export function identities(spec: DatasetSpec): Identities {
  const s = spec.seed;
  const memberIds: string[] = [];
  const memberEmails: string[] = [];
  for (let k = 0; k < spec.members; k++) {
    memberIds.push(namedUuid(s, `member-${k}`));
    memberEmails.push(k === 0 ? 'bench-owner@bench.pillar.test' : `bench-user-${k}@bench.pillar.test`);
  }
  const smallTenantIds: string[] = [];
  const smallOwnerIds: string[] = [];
  for (let t = 1; t <= spec.smallTenants; t++) {
    smallTenantIds.push(namedUuid(s, `tenant-${t}`));
    smallOwnerIds.push(namedUuid(s, `owner-${t}`));
  }
  return {
    tenantId: namedUuid(s, 'tenant-0'),
    tenantName: 'Bench Industries',
    ownerEmail: memberEmails[0]!,
    password: BENCH_PASSWORD,
    memberIds,
    memberEmails,
    pipelineId: namedUuid(s, 'pipeline'),
    stages: STAGES.map((st) => ({ ...st, id: namedUuid(s, `stage-${st.position}`) })),
    customFieldIds: { tier: namedUuid(s, 'cf-tier'), score: namedUuid(s, 'cf-score') },
    smallTenantIds,
    smallOwnerIds,
  };
}

/** The same shape with row counts multiplied by `f` (at least 1 of each). */
export function scaleSpec(spec: DatasetSpec, f: number): DatasetSpec {
  if (f === 1) return spec;
  const k = (n: number) => Math.max(1, Math.round(n * f));
  return {
    ...spec,
    contacts: k(spec.contacts),
    companies: k(spec.companies),
    deals: k(spec.deals),
    activities: k(spec.activities),
    auditEntries: k(spec.auditEntries),
    smallTenantContacts: k(spec.smallTenantContacts),
  };
}
