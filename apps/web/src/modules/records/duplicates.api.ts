import type { DuplicatesSchema } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../ui/api.js';
import { putRecord, type Versioned } from './records.api.js';

export type DuplicateSuggestion = z.infer<typeof DuplicatesSchema>['data'][number];
export type MergeEntity = 'contacts' | 'companies';

export function useDuplicates(entity: MergeEntity, id: string) {
  return useQuery({
    queryKey: [entity, 'duplicates', id],
    queryFn: ({ signal }) => api<z.infer<typeof DuplicatesSchema>>(`/${entity}/${id}/duplicates`, { signal }).then((r) => r.data),
  });
}

/** Merges `other` into `survivor` (If-Match on the survivor); `preferOther` names the fields whose value comes from the other record. */
export function useMerge<T extends Versioned>(entity: MergeEntity) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ survivor, other, preferOther }: { survivor: T; other: T; preferOther: string[] }) =>
      api<T>(`/${entity}/${survivor.id}/merge`, { method: 'POST', body: { other_id: other.id, prefer_other: preferOther.length ? preferOther : undefined }, version: survivor.version }),
    onSuccess: (rec, { other }) => {
      putRecord(qc, entity, rec);
      qc.removeQueries({ queryKey: [entity, 'detail', other.id] });
    },
    onSettled: () => {
      for (const k of [entity, 'trash', 'timeline', 'search', 'companies', 'deals', 'leads']) void qc.invalidateQueries({ queryKey: [k] });
    },
  });
}
