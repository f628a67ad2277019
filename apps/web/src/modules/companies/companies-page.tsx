import type { Company } from '@pillar/shared';
import { useMemo } from 'react';
import { useCan } from '../auth/auth.api.js';
import { columnsFrom } from '../records/columns.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { useMemberNames } from '../records/lookups.js';
import { RecordListPage, type RecordListConfig } from '../records/record-list-page.js';
import { useUpdateRecord } from '../records/records.api.js';
import { companyFields } from './companies.api.js';
import { NewCompanyButton } from './new-company.js';

export function CompaniesPage() {
  const update = useUpdateRecord<Company>('companies');
  const names = useMemberNames();
  const canEdit = useCan('records:write');
  const custom = useCustomFieldDefs('companies');
  const config = useMemo<RecordListConfig<Company>>(() => {
    const fields = [...companyFields, ...custom];
    return {
      entity: 'companies', title: 'Companies', singular: 'company', fields,
      columns: columnsFrom<Company>(fields, {
        hrefOf: (c) => `/companies/${c.id}`, titleOf: (c) => c.name, names, canEdit,
        save: (record, patch) => update.mutateAsync({ record, patch }),
      }),
      actions: canEdit ? <NewCompanyButton /> : undefined,
    };
  }, [custom, names, canEdit, update]);
  return <RecordListPage config={config} />;
}
