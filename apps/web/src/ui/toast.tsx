/** Toasts: short, polite announcements; errors are assertive and stay until dismissed. */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'info' | 'success' | 'error';
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: { label: string; run: () => void };
}
interface ToastApi {
  show(message: string, kind?: ToastKind, action?: Toast['action']): void;
  error(message: string): void;
  success(message: string, action?: Toast['action']): void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error('useToast outside ToastProvider');
  return ctx;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const show = useCallback((message: string, kind: ToastKind = 'info', action?: Toast['action']) => {
    const id = next.current++;
    setToasts((t) => [...t.slice(-4), { id, kind, message, action }]);
    if (kind !== 'error') setTimeout(() => dismiss(id), action ? 8000 : 4000);
  }, [dismiss]);
  const api = useMemo<ToastApi>(() => ({
    show,
    error: (m) => show(m, 'error'),
    success: (m, action) => show(m, 'success', action),
  }), [show]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <ToastRegion toasts={toasts} dismiss={dismiss} />
    </ToastContext.Provider>
  );
}

function ToastRegion({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  return (
    <div className="toasts">
      <div role="status" aria-live="polite" className="toast-stack">
        {toasts.filter((t) => t.kind !== 'error').map((t) => <ToastItem key={t.id} toast={t} dismiss={dismiss} />)}
      </div>
      <div role="alert" aria-live="assertive" className="toast-stack">
        {toasts.filter((t) => t.kind === 'error').map((t) => <ToastItem key={t.id} toast={t} dismiss={dismiss} />)}
      </div>
    </div>
  );
}

function ToastItem({ toast, dismiss }: { toast: Toast; dismiss: (id: number) => void }) {
  return (
    <div className={`toast toast-${toast.kind}`} data-testid="toast">
      <span>{toast.message}</span>
      {toast.action && (
        <button type="button" className="link" onClick={() => { toast.action!.run(); dismiss(toast.id); }}>
          {toast.action.label}
        </button>
      )}
      <button type="button" className="icon" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>×</button>
    </div>
  );
}
