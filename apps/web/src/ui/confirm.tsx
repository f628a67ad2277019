import { useCallback, useState, type ReactNode } from 'react';
import { Dialog } from './dialog.js';

interface Pending {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  resolve: (ok: boolean) => void;
}

/** An in-app confirmation (window.confirm cannot be styled or announced well). Render `element` once. */
export function useConfirm() {
  const [pending, setPending] = useState<Pending | null>(null);
  const confirm = useCallback((title: string, body: ReactNode, confirmLabel = 'Confirm') =>
    new Promise<boolean>((resolve) => setPending({ title, body, confirmLabel, resolve })), []);
  const close = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };
  const element = (
    <Dialog open={pending !== null} title={pending?.title ?? ''} onClose={() => close(false)}>
      <div>{pending?.body}</div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => close(false)}>Cancel</button>
        <button type="button" className="danger" onClick={() => close(true)}>{pending?.confirmLabel}</button>
      </div>
    </Dialog>
  );
  return { confirm, element };
}
