import { CompanySizes, type Company, type CompanyRelated, type CreateCompany } from '@pillar/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../ui/api.js';
import type { FieldDef } from '../../ui/fields.js';
import { useCreateRecord, useRecord } from '../records/records.api.js';

export type { Company };

export const companyFields: FieldDef[] = [
  { id: 'name', label: 'Name', kind: 'text', sortable: true },
  { id: 'domain', label: 'Domain', kind: 'text', sortable: true, editable: true },
  { id: 'industry', label: 'Industry', kind: 'text', sortable: true, editable: true },
  { id: 'size', label: 'Size', kind: 'select', options: CompanySizes.map((s) => ({ value: s, label: s })), editable: true },
  { id: 'phone', label: 'Phone', kind: 'text', editable: true },
  { id: 'owner_id', label: 'Owner', kind: 'user', editable: true },
  { id: 'tags', label: 'Tags', kind: 'tags', editable: true },
  { id: 'created_at', label: 'Created', kind: 'datetime', sortable: true },
];

export const companyDetailFields: FieldDef[] = [
  { id: 'name', label: 'Name', kind: 'text', editable: true },
  ...companyFields.slice(1, 7),
  { id: 'website', label: 'Website', kind: 'url', editable: true },
  { id: 'description', label: 'Description', kind: 'long_text', editable: true },
];

/** Fields compared side by side when merging two companies. */
export const companyMergeFields: FieldDef[] = [
  { id: 'name', label: 'Name', kind: 'text' },
  ...companyDetailFields.slice(1, 6),
  { id: 'website', label: 'Website', kind: 'url' },
  { id: 'description', label: 'Description', kind: 'long_text' },
];

export const useCompany = (id: string | undefined) => useRecord<Company>('companies', id);
export const useCreateCompany = () => useCreateRecord<Company, CreateCompany>('companies');

export function useCompanyRelated(id: string | undefined) {
  return useQuery({ queryKey: ['companies', 'related', id], enabled: Boolean(id), queryFn: ({ signal }) => api<CompanyRelated>(`/companies/${id}/related`, { signal }) });
}
