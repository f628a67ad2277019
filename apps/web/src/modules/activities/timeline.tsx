import { formatDateTime } from '../../ui/format.js';
import { RichText } from '../../ui/rich-text.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useTimeline, type TimelineItem } from './activities.api.js';

const icons: Record<string, string> = { activity: '●', stage_change: '→', change: '✎', conversion: '★' };

function ItemBody({ item }: { item: TimelineItem }) {
  const body = typeof item.data.body === 'string' ? item.data.body : null;
  const format = item.data.body_format === 'html' ? 'html' : 'text';
  return body ? <RichText value={body} format={format} /> : null;
}

export function Timeline({ entity, id }: { entity: string; id: string }) {
  const timeline = useTimeline(entity, id);
  return (
    <section aria-labelledby="timeline-title" className="timeline">
      <h2 id="timeline-title">Timeline</h2>
      <QueryView query={timeline} empty={(d) => (d.pages[0]?.data.length ? null : <Empty title="Nothing has happened yet" />)}>
        {(d) => (
          <>
            <ol className="timeline-list">
              {d.pages.flatMap((p) => p.data).map((item) => (
                <li key={item.id} className={`tl-item tl-${item.kind}`}>
                  <span className="tl-icon" aria-hidden="true">{icons[item.kind] ?? '•'}</span>
                  <div>
                    <p className="tl-summary">{item.summary}</p>
                    <ItemBody item={item} />
                    <p className="muted tl-when"><time dateTime={item.occurred_at}>{formatDateTime(item.occurred_at)}</time></p>
                  </div>
                </li>
              ))}
            </ol>
            {timeline.hasNextPage && <button type="button" className="secondary" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>Show older</button>}
          </>
        )}
      </QueryView>
    </section>
  );
}
