import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState } from 'react';
import { api } from '../../ui/api.js';
import type { Page } from './records.api.js';

interface Option {
  id: string;
  name: string;
}

/** Pick one record of `entity` by typing part of its name. The chosen id is posted as a hidden input named `name`. */
export function RecordPicker({ entity, label, name, initial, onChange }: {
  entity: 'companies' | 'contacts' | 'deals' | 'leads';
  label: string;
  name: string;
  initial?: Option | null;
  onChange?: (id: string | null) => void;
}) {
  const [picked, setPicked] = useState<Option | null>(initial ?? null);
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q.trim());
  const id = useId();
  const results = useQuery({
    queryKey: [entity, 'picker', deferred],
    enabled: deferred.length >= 1 && !picked,
    queryFn: ({ signal }) => api<Page<Option>>(`/${entity}`, { query: { q: deferred, limit: 8 }, signal }).then((r) => r.data),
  });
  function choose(o: Option | null) {
    setPicked(o);
    setQ('');
    onChange?.(o?.id ?? null);
  }
  return (
    <div className="field picker">
      <label htmlFor={id}>{label}</label>
      <input type="hidden" name={name} value={picked?.id ?? ''} />
      {picked ? (
        <div className="picked">
          <span>{picked.name}</span>
          <button type="button" className="link" onClick={() => choose(null)}>Change<span className="sr-only"> {label}</span></button>
        </div>
      ) : (
        <>
          <input id={id} type="search" autoComplete="off" placeholder="Type to search" value={q} onChange={(e) => setQ(e.target.value)} />
          {results.data && results.data.length > 0 && (
            <ul className="picker-results" aria-label={`${label} matches`}>
              {results.data.map((o) => <li key={o.id}><button type="button" className="menu-item" onClick={() => choose(o)}>{o.name}</button></li>)}
            </ul>
          )}
          {results.data?.length === 0 && <p className="hint">No match.</p>}
        </>
      )}
    </div>
  );
}
