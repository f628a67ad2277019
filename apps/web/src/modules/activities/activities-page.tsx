import type { Activity } from '@pillar/shared';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage } from '../../ui/api.js';
import { formatDateTime } from '../../ui/format.js';
import { RichText } from '../../ui/rich-text.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import type { Page } from '../records/records.api.js';
import { useCompleteActivity } from './activities.api.js';

const tabs = [
  { id: 'my-tasks', label: 'My tasks', path: '/activities/my-tasks', query: {} },
  { id: 'overdue', label: 'Overdue', path: '/activities/overdue', query: {} },
  { id: 'all', label: 'All activities', path: '/activities', query: { sort: '-created_at' } },
] as const;

export function ActivitiesPage() {
  const [params, setParams] = useSearchParams();
  const tab = tabs.find((t) => t.id === params.get('tab')) ?? tabs[0];
  const list = useInfiniteQuery({
    queryKey: ['activities', tab.id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api<Page<Activity>>(tab.path, { query: { limit: 100, cursor: pageParam, ...tab.query }, signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <section className="page" aria-labelledby="act-title">
      <div className="page-head"><h1 id="act-title">Activities</h1></div>
      <div className="segmented" role="group" aria-label="Show">
        {tabs.map((t) => <button key={t.id} type="button" aria-pressed={t.id === tab.id} className={t.id === tab.id ? 'on' : undefined} onClick={() => setParams({ tab: t.id })}>{t.label}</button>)}
      </div>
      <QueryView query={list} empty={(d) => (d.pages[0]?.data.length ? null : <Empty title={tab.id === 'overdue' ? 'Nothing overdue' : 'No activities here'}>Log calls, notes and tasks from a contact, company or deal.</Empty>)}>
        {(d) => (
          <>
            <ul className="activity-list">{d.pages.flatMap((p) => p.data).map((a) => <ActivityRow key={a.id} activity={a} />)}</ul>
            {list.hasNextPage && <button type="button" className="secondary" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>Load more</button>}
          </>
        )}
      </QueryView>
    </section>
  );
}

function recordLink(a: Activity): { to: string; label: string } | null {
  if (a.deal_id) return { to: `/deals/${a.deal_id}`, label: 'deal' };
  if (a.contact_id) return { to: `/contacts/${a.contact_id}`, label: 'contact' };
  if (a.company_id) return { to: `/companies/${a.company_id}`, label: 'company' };
  return null;
}

function ActivityRow({ activity: a }: { activity: Activity }) {
  const complete = useCompleteActivity();
  const toast = useToast();
  const link = recordLink(a);
  return (
    <li className={a.is_overdue ? 'activity overdue' : 'activity'}>
      <input type="checkbox" aria-label={`Done: ${a.subject}`} checked={Boolean(a.completed_at)} disabled={Boolean(a.completed_at) || complete.isPending}
        onChange={() => complete.mutate(a, { onSuccess: () => toast.success('Marked done'), onError: (e) => toast.error(errorMessage(e)) })} />
      <div>
        <p className="tl-summary">{a.subject} <span className="badge">{a.type}</span>{a.is_overdue && <span className="badge badge-lost">overdue</span>}</p>
        <RichText value={a.body} format={a.body_format} />
        <p className="muted tl-when">
          {a.due_at ? `Due ${formatDateTime(a.due_at)}` : `Logged ${formatDateTime(a.created_at)}`}
          {link && <> · <Link to={link.to}>Open {link.label}</Link></>}
        </p>
      </div>
    </li>
  );
}
