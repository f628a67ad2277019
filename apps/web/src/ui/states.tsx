/** Loading, empty and error states: every data view shows exactly one of them or its content. */
import type { ReactNode } from 'react';
import { ApiError, errorMessage } from './api.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{notFound ? 'Not found' : 'This could not be loaded'}</p>
      <p>{notFound ? 'It may have been deleted, or it belongs to another workspace.' : errorMessage(error)}</p>
      {retry && !notFound && <button type="button" className="secondary" onClick={retry}>Try again</button>}
    </div>
  );
}

/** Renders the right state for a TanStack query result, or the children with its data. */
export function QueryView<T>({ query, empty, children }: {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  empty?: (data: T) => ReactNode | null;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error || query.data === undefined) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const emptyView = empty?.(query.data);
  if (emptyView) return <>{emptyView}</>;
  return <>{children(query.data)}</>;
}
