import type { Contact, CreateContact } from '@pillar/shared';
import type { FieldDef } from '../../ui/fields.js';
import { useCreateRecord, useRecord, useUpdateRecord } from '../records/records.api.js';

export type { Contact };

export const contactFields: FieldDef[] = [
  { id: 'last_name', label: 'Name', kind: 'text', sortable: true },
  { id: 'first_name', label: 'First name', kind: 'text', sortable: true, editable: true },
  { id: 'email', label: 'Email', kind: 'email', sortable: true, editable: true },
  { id: 'phone', label: 'Phone', kind: 'text', editable: true },
  { id: 'title', label: 'Title', kind: 'text', sortable: true, editable: true },
  { id: 'owner_id', label: 'Owner', kind: 'user', editable: true },
  { id: 'tags', label: 'Tags', kind: 'tags', editable: true },
  { id: 'lead_source', label: 'Source', kind: 'text', editable: true },
  { id: 'created_at', label: 'Created', kind: 'datetime', sortable: true },
];

/** Fields shown on the contact page (beyond the name). */
export const contactDetailFields: FieldDef[] = [
  { id: 'first_name', label: 'First name', kind: 'text', editable: true },
  { id: 'last_name', label: 'Last name', kind: 'text', editable: true },
  ...contactFields.slice(2, 8),
  { id: 'department', label: 'Department', kind: 'text', editable: true },
  { id: 'notes', label: 'Notes', kind: 'long_text', editable: true },
];

/** Fields compared side by side when merging two contacts (the server takes the picked ones with prefer_other). */
export const contactMergeFields: FieldDef[] = [
  { id: 'first_name', label: 'First name', kind: 'text' },
  { id: 'last_name', label: 'Last name', kind: 'text' },
  { id: 'email', label: 'Primary email', kind: 'email' },
  { id: 'phone', label: 'Primary phone', kind: 'text' },
  { id: 'title', label: 'Title', kind: 'text' },
  { id: 'department', label: 'Department', kind: 'text' },
  { id: 'company_id', label: 'Company', kind: 'ref' },
  { id: 'owner_id', label: 'Owner', kind: 'user' },
  { id: 'lead_source', label: 'Source', kind: 'text' },
  { id: 'notes', label: 'Notes', kind: 'long_text' },
];

export const useContact = (id: string | undefined) => useRecord<Contact>('contacts', id);
export const useUpdateContact = () => useUpdateRecord<Contact>('contacts');
export const useCreateContact = () => useCreateRecord<Contact, CreateContact>('contacts');
