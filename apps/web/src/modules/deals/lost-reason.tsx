import { createContext, useCallback, useContext, useState, type FormEvent, type ReactNode } from 'react';
import { Dialog } from '../../ui/dialog.js';
import { TextField, formValues } from '../../ui/form.js';

type Ask = (dealName: string) => Promise<string | null>;
const Ctx = createContext<Ask | null>(null);

export function useLostReason(): Ask {
  const ask = useContext(Ctx);
  if (!ask) throw new Error('useLostReason outside LostReasonProvider');
  return ask;
}

/** Asks why a deal was lost; resolves null when cancelled. */
export function LostReasonProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<{ name: string; resolve: (r: string | null) => void } | null>(null);
  const ask = useCallback<Ask>((name) => new Promise((resolve) => setPending({ name, resolve })), []);
  function close(value: string | null) {
    pending?.resolve(value);
    setPending(null);
  }
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    close(formValues(e.currentTarget).reason ?? '');
  }
  return (
    <Ctx.Provider value={ask}>
      {children}
      <Dialog open={pending !== null} title={`Why was “${pending?.name ?? ''}” lost?`} onClose={() => close(null)}>
        <form onSubmit={submit}>
          <TextField label="Reason" name="reason" placeholder="Price, timing, competitor…" />
          <div className="actions">
            <button type="button" className="secondary" onClick={() => close(null)}>Cancel</button>
            <button type="submit" className="primary">Mark lost</button>
          </div>
        </form>
      </Dialog>
    </Ctx.Provider>
  );
}
