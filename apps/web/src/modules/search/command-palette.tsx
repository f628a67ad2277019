/** Command palette: type three letters to jump to any record, or pick a section. Arrow keys move, Enter opens. */
import { useDeferredValue, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { navItems } from '../../app/nav.js';
import { Dialog } from '../../ui/dialog.js';
import { useGlobalSearch, type SearchHit } from './search.api.js';

interface Item {
  key: string;
  label: string;
  hint: string;
  to: string;
}

function toItems(hits: SearchHit[] | undefined, query: string): Item[] {
  const q = query.trim().toLowerCase();
  const sections = navItems
    .filter((n) => !q || n.label.toLowerCase().includes(q))
    .map((n) => ({ key: `nav:${n.to}`, label: n.label, hint: 'Go to', to: n.to }));
  const records = (hits ?? []).map((h) => ({ key: `${h.type}:${h.id}`, label: h.title, hint: h.subtitle ? `${h.type} · ${h.subtitle}` : h.type, to: h.url }));
  return [...records, ...sections];
}

export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Search" onClose={onClose}>
      {open && <PaletteBody onClose={onClose} />}
    </Dialog>
  );
}

function PaletteBody({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const deferred = useDeferredValue(query);
  const search = useGlobalSearch(deferred);
  const items = useMemo(() => toItems(search.data, deferred), [search.data, deferred]);
  const navigate = useNavigate();
  const listId = useId();
  function go(item: Item | undefined) {
    if (!item) return;
    onClose();
    void navigate(item.to);
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, items.length - 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    else if (e.key === 'Enter') go(items[active]);
    else return;
    e.preventDefault();
  }
  const status = deferred.trim().length < 3 ? 'Type at least three letters to search records.' : search.isFetching ? 'Searching…' : search.error ? 'Search is unavailable right now.' : `${search.data?.length ?? 0} records found.`;
  return (
    <div className="palette">
      <input type="search" role="combobox" aria-label="Search records and sections" aria-expanded="true" aria-controls={listId}
        aria-activedescendant={items[active] ? `${listId}-${active}` : undefined} aria-autocomplete="list" placeholder="Search contacts, companies, deals…"
        value={query} onKeyDown={onKeyDown} onChange={(e) => { setQuery(e.target.value); setActive(0); }} />
      <p className="palette-status muted" role="status">{status}</p>
      <ul id={listId} role="listbox" aria-label="Results" className="palette-list">
        {items.map((item, i) => (
          <li key={item.key} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : undefined}
            onMouseEnter={() => setActive(i)} onClick={() => go(item)}>
            <span>{item.label}</span> <span className="muted">{item.hint}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
