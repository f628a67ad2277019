import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { Dialog } from '../ui/dialog.js';
import { navItems } from './nav.js';

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** `/` or Ctrl/Cmd-K: search; `?`: shortcut list; `g` then a letter: go to a section. */
export function useGlobalShortcuts({ openPalette, openHelp }: { openPalette: () => void; openHelp: () => void }) {
  const navigate = useNavigate();
  const pendingG = useRef(0);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        openPalette();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === '/') {
        e.preventDefault();
        openPalette();
      } else if (e.key === '?') {
        e.preventDefault();
        openHelp();
      } else if (e.key === 'g') {
        pendingG.current = Date.now();
      } else if (Date.now() - pendingG.current < 1200) {
        const item = navItems.find((n) => n.key === e.key);
        pendingG.current = 0;
        if (item) void navigate(item.to);
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, openPalette, openHelp]);
}

const shortcuts: [string, string][] = [
  ['/ or Ctrl K', 'Search and jump to any record'],
  ['?', 'Show this list'],
  ...navItems.map((n): [string, string] => [`g then ${n.key}`, `Go to ${n.label}`]),
  ['Space, then arrows', 'Pick up and move a deal card on the board; Space drops it, Escape cancels'],
  ['Enter on a cell', 'Edit the value in a table (Escape cancels)'],
];

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table className="shortcut-table">
        <thead><tr><th scope="col">Keys</th><th scope="col">Action</th></tr></thead>
        <tbody>
          {shortcuts.map(([keys, action]) => <tr key={keys}><td><kbd>{keys}</kbd></td><td>{action}</td></tr>)}
        </tbody>
      </table>
    </Dialog>
  );
}
