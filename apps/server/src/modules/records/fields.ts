/**
 * The standard fields of the four record tables (0002_crm_core.sql) as list
 * filter/sort field maps, plus the custom fields of each tenant. Views, bulk
 * changes and exports compile filters against these maps.
 */
import type { RecordEntity } from '@pillar/shared';
import { customFieldSpecs, type FieldMap } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';
import { loadCustomFields } from './custom-fields.js';

export type Singular = 'contact' | 'company' | 'lead' | 'deal';

export interface EntityMeta {
  entity: RecordEntity;
  table: 'contacts' | 'companies' | 'leads' | 'deals';
  singular: Singular;
  /** SQL for a display name of a row. */
  nameSql: string;
  fields: FieldMap;
  /** Standard export columns, in order: header → SQL over the row. */
  columns: ReadonlyArray<readonly [string, string]>;
}

const common: FieldMap = {
  id: { sql: 'id', type: 'uuid' },
  owner_id: { sql: 'owner_id', type: 'uuid', nullable: true },
  tags: { sql: 'tags', type: 'tags' },
  created_at: { sql: 'created_at', type: 'timestamp' },
  updated_at: { sql: 'updated_at', type: 'timestamp' },
};
const text = (sql: string) => ({ sql, type: 'text' as const, nullable: true });
const uuid = (sql: string) => ({ sql, type: 'uuid' as const, nullable: true });
const ts = (sql: string) => ({ sql, type: 'timestamp' as const, nullable: true });
const tail = [['owner_id', 'owner_id'], ['tags', `array_to_string(tags, '; ')`], ['created_at', 'created_at'], ['updated_at', 'updated_at']] as const;

export const ENTITIES: Record<RecordEntity, EntityMeta> = {
  contacts: {
    entity: 'contacts', table: 'contacts', singular: 'contact',
    nameSql: `trim(first_name || ' ' || last_name)`,
    fields: {
      ...common,
      first_name: { sql: 'first_name', type: 'text' },
      last_name: { sql: 'last_name', type: 'text' },
      email: { sql: 'email', type: 'text', exact: true, nullable: true },
      phone: { sql: 'phone', type: 'text', exact: true, nullable: true },
      title: text('title'), department: text('department'), lead_source: text('lead_source'),
      company_id: uuid('company_id'),
    },
    columns: [['id', 'id'], ['first_name', 'first_name'], ['last_name', 'last_name'], ['email', 'email'], ['phone', 'phone'],
      ['title', 'title'], ['department', 'department'], ['lead_source', 'lead_source'], ['company_id', 'company_id'],
      ['notes', 'notes'], ...tail],
  },
  companies: {
    entity: 'companies', table: 'companies', singular: 'company',
    nameSql: 'name',
    fields: {
      ...common,
      name: { sql: 'name', type: 'text' },
      domain: { sql: 'domain', type: 'text', exact: true, nullable: true },
      industry: text('industry'), size: text('size'), website: text('website'), phone: text('phone'),
      parent_id: uuid('parent_id'),
    },
    columns: [['id', 'id'], ['name', 'name'], ['domain', 'domain'], ['industry', 'industry'], ['size', 'size'],
      ['website', 'website'], ['phone', 'phone'], ['description', 'description'], ['parent_id', 'parent_id'], ...tail],
  },
  leads: {
    entity: 'leads', table: 'leads', singular: 'lead',
    nameSql: 'title',
    fields: {
      ...common,
      title: { sql: 'title', type: 'text' },
      status: { sql: 'status', type: 'enum', values: ['new', 'contacted', 'qualified', 'unqualified', 'converted'] },
      source: text('source'), territory: text('territory'),
      score: { sql: 'score', type: 'number' },
      value: { sql: 'value', type: 'number', nullable: true },
      currency: text('currency'),
      expected_close_date: { sql: 'expected_close_date', type: 'date', nullable: true },
      contact_id: uuid('contact_id'), company_id: uuid('company_id'), converted_at: ts('converted_at'),
    },
    columns: [['id', 'id'], ['title', 'title'], ['status', 'status'], ['source', 'source'], ['territory', 'territory'],
      ['score', 'score'], ['value', 'value'], ['currency', 'currency'], ['expected_close_date', 'expected_close_date'],
      ['contact_id', 'contact_id'], ['company_id', 'company_id'], ...tail],
  },
  deals: {
    entity: 'deals', table: 'deals', singular: 'deal',
    nameSql: 'name',
    fields: {
      ...common,
      name: { sql: 'name', type: 'text' },
      value: { sql: 'value', type: 'number' },
      currency: { sql: 'currency', type: 'text', exact: true },
      probability: { sql: 'probability', type: 'number', nullable: true },
      pipeline_id: { sql: 'pipeline_id', type: 'uuid' },
      stage_id: { sql: 'stage_id', type: 'uuid' },
      status: { sql: 'status', type: 'enum', values: ['open', 'won', 'lost'] },
      expected_close_date: { sql: 'expected_close_date', type: 'date', nullable: true },
      closed_at: ts('closed_at'), source: text('source'),
      contact_id: uuid('contact_id'), company_id: uuid('company_id'), lead_id: uuid('lead_id'),
    },
    columns: [['id', 'id'], ['name', 'name'], ['value', 'value'], ['currency', 'currency'], ['probability', 'probability'],
      ['pipeline_id', 'pipeline_id'], ['stage_id', 'stage_id'], ['status', 'status'], ['expected_close_date', 'expected_close_date'],
      ['closed_at', 'closed_at'], ['source', 'source'], ['contact_id', 'contact_id'], ['company_id', 'company_id'], ...tail],
  },
};

export function entityMeta(entity: RecordEntity): EntityMeta {
  return ENTITIES[entity];
}

/** Standard fields plus the tenant's custom fields (`custom.<key>`) of one entity. */
export async function fieldMapFor(tx: Tx, entity: RecordEntity): Promise<FieldMap> {
  const defs = await loadCustomFields(tx, entity);
  return { ...ENTITIES[entity].fields, ...customFieldSpecs(defs, 'custom') };
}
