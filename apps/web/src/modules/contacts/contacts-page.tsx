import type { Contact } from '@pillar/shared';
import { useMemo } from 'react';
import { useCan } from '../auth/auth.api.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { columnsFrom } from '../records/columns.js';
import { useMemberNames } from '../records/lookups.js';
import { RecordListPage, type RecordListConfig } from '../records/record-list-page.js';
import { useUpdateRecord } from '../records/records.api.js';
import { contactFields } from './contacts.api.js';
import { NewContactButton } from './new-contact.js';

export function ContactsPage() {
  const update = useUpdateRecord<Contact>('contacts');
  const names = useMemberNames();
  const canEdit = useCan('records:write');
  const custom = useCustomFieldDefs('contacts');
  const config = useMemo<RecordListConfig<Contact>>(() => {
    const fields = [...contactFields, ...custom];
    return {
      entity: 'contacts', title: 'Contacts', singular: 'contact', fields,
      columns: columnsFrom<Contact>(fields, {
        hrefOf: (c) => `/contacts/${c.id}`, titleOf: (c) => c.name, names, canEdit,
        save: (record, patch) => update.mutateAsync({ record, patch }),
      }),
      actions: canEdit ? <NewContactButton /> : undefined,
    };
  }, [custom, names, canEdit, update]);
  return <RecordListPage config={config} />;
}
