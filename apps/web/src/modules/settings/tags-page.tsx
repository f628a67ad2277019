import type { TagListSchema } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, errorMessage } from '../../ui/api.js';
import { EditableCell } from '../../ui/editable-cell.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';

type TagCount = z.infer<typeof TagListSchema>['data'][number];

export function TagsPage() {
  const tags = useQuery({ queryKey: ['tags'], queryFn: () => api<z.infer<typeof TagListSchema>>('/tags').then((r) => r.data) });
  const qc = useQueryClient();
  const toast = useToast();
  const done = { onError: (e: Error) => toast.error(errorMessage(e)), onSettled: () => { for (const k of ['tags', 'contacts', 'companies', 'deals', 'leads']) void qc.invalidateQueries({ queryKey: [k] }); } };
  const rename = useMutation({ mutationFn: (b: { from: string; to: string }) => api('/tags/rename', { method: 'POST', body: b }), ...done });
  const remove = useMutation({ mutationFn: (tag: string) => api(`/tags/${encodeURIComponent(tag)}`, { method: 'DELETE' }), ...done });
  return (
    <section aria-labelledby="tags-title">
      <h2 id="tags-title">Tags</h2>
      <QueryView query={tags} empty={(d) => (d.length ? null : <Empty title="No tags yet">Add tags to records from their pages or in bulk from a list.</Empty>)}>
        {(list) => (
          <div className="table-wrap"><table className="simple-table">
            <thead><tr><th scope="col">Tag</th><th scope="col">Records</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>{list.map((t: TagCount) => (
              <tr key={t.tag}>
                <td><EditableCell row={t} label={`Rename ${t.tag}`} editor={{ kind: 'text', value: (x) => x.tag, save: (x, to) => rename.mutateAsync({ from: x.tag, to }) }}>{t.tag}</EditableCell></td>
                <td>{t.total}</td>
                <td><button type="button" className="link danger-text" onClick={() => remove.mutate(t.tag)}>Remove<span className="sr-only"> tag {t.tag}</span></button></td>
              </tr>
            ))}</tbody>
          </table></div>
        )}
      </QueryView>
    </section>
  );
}
