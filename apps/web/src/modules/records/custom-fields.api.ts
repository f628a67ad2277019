import type { CustomField, CustomFieldEntity, CustomFieldTypeName } from '@pillar/shared';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, ApiError } from '../../ui/api.js';
import type { FieldDef, FieldKind } from '../../ui/fields.js';

const singular: Record<string, CustomFieldEntity> = { contacts: 'contact', companies: 'company', leads: 'lead', deals: 'deal' };

const kindOf: Record<CustomFieldTypeName, FieldKind> = {
  text: 'text', long_text: 'long_text', number: 'number', currency: 'money', date: 'date', boolean: 'boolean',
  select: 'select', multi_select: 'multi_select', url: 'url', email: 'email', user: 'user',
};

export function useCustomFields(entity: string) {
  return useQuery({
    queryKey: ['custom-fields', singular[entity] ?? entity],
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return (await api<{ data: CustomField[] }>('/custom-fields', { query: { entity: singular[entity] ?? entity } })).data;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
  });
}

export function toFieldDef(f: CustomField): FieldDef {
  return {
    id: `custom.${f.key}`,
    label: f.label,
    kind: kindOf[f.type],
    options: f.options.length ? f.options.map((o) => ({ value: o.value, label: o.label ?? o.value })) : undefined,
    sortable: f.type !== 'multi_select' && f.type !== 'long_text',
    editable: true,
    custom: true,
  };
}

/** Active custom fields of a record type as field definitions (tables, filters, record pages). */
export function useCustomFieldDefs(entity: string): FieldDef[] {
  const q = useCustomFields(entity);
  return useMemo(() => (q.data ?? []).filter((f) => !f.archived_at).sort((a, b) => a.position - b.position).map(toFieldDef), [q.data]);
}
