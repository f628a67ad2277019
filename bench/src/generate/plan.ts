/** Which tables the generator fills, in load order (parents before children), with their row streams. */
import { ACTIVITY_COLUMNS, activityLine, DEAL_COLUMNS, dealLine, HISTORY_COLUMNS, historyLines } from './deals.js';
import {
  AUDIT_COLUMNS, auditLine, chunks, COMPANY_COLUMNS, companyLine, CONTACT_COLUMNS, contactChunks, type GenContext,
} from './rows.js';

export interface TablePlan {
  table: string;
  columns: string[];
  /** Rows the stream will produce (history: deals, one or more rows each). */
  rows: number;
  chunks: () => Iterable<string>;
}

export type TableName = 'companies' | 'contacts' | 'deals' | 'deal_stage_history' | 'activities' | 'audit_log';

export function tablePlans(g: GenContext): Record<TableName, TablePlan> {
  const s = g.spec;
  return {
    companies: { table: 'companies', columns: COMPANY_COLUMNS, rows: s.companies, chunks: () => chunks(s.companies, (i) => companyLine(g, i)) },
    contacts: {
      table: 'contacts', columns: CONTACT_COLUMNS, rows: s.contacts + s.smallTenants * s.smallTenantContacts,
      chunks: () => contactChunks(g),
    },
    deals: { table: 'deals', columns: DEAL_COLUMNS, rows: s.deals, chunks: () => chunks(s.deals, (i) => dealLine(g, i)) },
    deal_stage_history: {
      table: 'deal_stage_history', columns: HISTORY_COLUMNS, rows: s.deals, chunks: () => chunks(s.deals, (i) => historyLines(g, i)),
    },
    activities: { table: 'activities', columns: ACTIVITY_COLUMNS, rows: s.activities, chunks: () => chunks(s.activities, (i) => activityLine(g, i)) },
    audit_log: { table: 'audit_log', columns: AUDIT_COLUMNS, rows: s.auditEntries, chunks: () => chunks(s.auditEntries, (i) => auditLine(g, i)) },
  };
}

export const ALL_TABLES: TableName[] = ['companies', 'contacts', 'deals', 'deal_stage_history', 'activities', 'audit_log'];
