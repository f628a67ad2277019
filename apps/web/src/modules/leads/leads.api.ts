import { LeadStatuses, type ConvertLead, type CreateLead, type Lead, type LeadConversionSchema } from '@pillar/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, newIdempotencyKey } from '../../ui/api.js';
import type { FieldDef } from '../../ui/fields.js';
import { putRecord, useCreateRecord, useRecord } from '../records/records.api.js';

export type { Lead };
export type LeadConversion = z.infer<typeof LeadConversionSchema>;

const statusOptions = LeadStatuses.map((s) => ({ value: s, label: s[0]!.toUpperCase() + s.slice(1) }));

export const leadFields: FieldDef[] = [
  { id: 'title', label: 'Lead', kind: 'text', sortable: true },
  { id: 'status', label: 'Status', kind: 'select', options: statusOptions.filter((o) => o.value !== 'converted'), sortable: true, editable: true },
  { id: 'score', label: 'Score', kind: 'number', sortable: true },
  { id: 'email', label: 'Email', kind: 'email', sortable: true, editable: true },
  { id: 'company_name', label: 'Company', kind: 'text', sortable: true, editable: true },
  { id: 'source', label: 'Source', kind: 'text', sortable: true, editable: true },
  { id: 'value', label: 'Value', kind: 'money', sortable: true, editable: true },
  { id: 'owner_id', label: 'Owner', kind: 'user', editable: true },
  { id: 'tags', label: 'Tags', kind: 'tags', editable: true },
  { id: 'created_at', label: 'Created', kind: 'datetime', sortable: true },
];

/** Fields on the lead page; status is not editable once the lead is converted. */
export function leadDetailFields(lead: Lead): FieldDef[] {
  const converted = lead.status === 'converted';
  return [
    { id: 'title', label: 'Title', kind: 'text', editable: true },
    { id: 'status', label: 'Status', kind: 'select', options: converted ? statusOptions : statusOptions.filter((o) => o.value !== 'converted'), editable: !converted },
    { id: 'score', label: 'Score', kind: 'number' },
    { id: 'first_name', label: 'First name', kind: 'text', editable: true },
    { id: 'last_name', label: 'Last name', kind: 'text', editable: true },
    { id: 'email', label: 'Email', kind: 'email', editable: true },
    { id: 'phone', label: 'Phone', kind: 'text', editable: true },
    { id: 'company_name', label: 'Company', kind: 'text', editable: true },
    { id: 'source', label: 'Source', kind: 'text', editable: true },
    { id: 'territory', label: 'Territory', kind: 'text', editable: true },
    { id: 'value', label: 'Value', kind: 'money', editable: true },
    { id: 'currency', label: 'Currency', kind: 'text', editable: true },
    { id: 'expected_close_date', label: 'Expected close', kind: 'date', editable: true },
    { id: 'owner_id', label: 'Owner', kind: 'user', editable: true },
    { id: 'tags', label: 'Tags', kind: 'tags', editable: true },
    { id: 'created_at', label: 'Created', kind: 'datetime' },
  ];
}

export const useLead = (id: string | undefined) => useRecord<Lead>('leads', id);
export const useCreateLead = () => useCreateRecord<Lead, CreateLead>('leads');

export function useConvertLead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ lead, body }: { lead: Lead; body: ConvertLead }) =>
      api<LeadConversion>(`/leads/${lead.id}/convert`, { method: 'POST', body, version: lead.version, idempotencyKey: newIdempotencyKey() }),
    onSuccess: (r) => {
      putRecord(qc, 'leads', r.lead);
      for (const k of ['contacts', 'companies', 'deals', 'board', 'timeline']) void qc.invalidateQueries({ queryKey: [k] });
    },
  });
}
