import type { Deal } from '@pillar/shared';
import { useMemo, type ReactNode } from 'react';
import { useCan } from '../auth/auth.api.js';
import { columnsFrom } from '../records/columns.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { useMemberNames } from '../records/lookups.js';
import { RecordListPage, type RecordListConfig } from '../records/record-list-page.js';
import { useUpdateRecord } from '../records/records.api.js';
import { dealFields } from './deals.api.js';

export function DealsList({ headerExtra }: { headerExtra: ReactNode }) {
  const update = useUpdateRecord<Deal>('deals');
  const names = useMemberNames();
  const canEdit = useCan('records:write');
  const custom = useCustomFieldDefs('deals');
  const config = useMemo<RecordListConfig<Deal>>(() => {
    const fields = [...dealFields, ...custom];
    return {
      entity: 'deals', title: 'Deals', singular: 'deal', fields, headerExtra,
      columns: columnsFrom<Deal>(fields, {
        hrefOf: (d) => `/deals/${d.id}`, titleOf: (d) => d.name, names, canEdit,
        save: (record, patch) => update.mutateAsync({ record, patch }),
      }),
    };
  }, [custom, names, canEdit, update, headerExtra]);
  return <RecordListPage config={config} />;
}
