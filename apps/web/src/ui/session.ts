/**
 * Security-critical: the browser session. The access token lives only in this
 * module's memory; the refresh token is an httpOnly cookie the script never
 * sees. Refreshes are serialised across tabs (Web Locks) because the server
 * treats a reused refresh token as theft and ends the whole sign-in.
 */
import type { SessionSchema } from '@pillar/shared';
import type { z } from 'zod';

export type Session = z.infer<typeof SessionSchema>;
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason?: string }
  | { status: 'signed-in'; session: Session };

const AUTH_HEADERS = { 'content-type': 'application/json', 'x-pillar-client': 'web' };
let state: SessionState = { status: 'loading' };
let inflight: Promise<boolean> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setState(next: SessionState) {
  state = next;
  for (const fn of listeners) fn();
}

export function accessToken(): string | null {
  return state.status === 'signed-in' ? state.session.access_token : null;
}

/** Accept a session from sign-in, sign-up, refresh, invitation or tenant switch. */
export function startSession(session: Session) {
  clearTimeout(refreshTimer);
  // Refresh a minute before the access token expires so requests rarely see a 401.
  const inMs = Math.max(30, session.expires_in - 60) * 1000;
  refreshTimer = setTimeout(() => void refreshSession(), inMs);
  setState({ status: 'signed-in', session });
}

export function endSession(reason?: string) {
  clearTimeout(refreshTimer);
  setState({ status: 'signed-out', reason });
}

type RefreshOutcome = 'ok' | 'rejected' | 'unreachable';

async function callRefresh(): Promise<RefreshOutcome> {
  try {
    const res = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: AUTH_HEADERS, body: '{}', credentials: 'same-origin' });
    if (res.status >= 500) return 'unreachable';
    if (!res.ok) return 'rejected';
    startSession((await res.json()) as Session);
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

/** One refresh at a time, in this tab and across tabs. Resolves true when a fresh access token is in place. */
export function refreshSession(): Promise<boolean> {
  if (inflight) return inflight;
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  const run = locks ? locks.request('pillar-refresh', callRefresh) : callRefresh();
  inflight = run.then((outcome) => {
    // A refused refresh ends the sign-in; an unreachable server keeps it and we try again later.
    if (outcome === 'rejected') endSession(state.status === 'signed-in' ? 'Your session has ended. Please sign in again.' : undefined);
    if (outcome === 'unreachable' && state.status === 'signed-in') refreshTimer = setTimeout(() => void refreshSession(), 15_000);
    if (outcome === 'unreachable' && state.status === 'loading') endSession('The server cannot be reached. Check your connection and try again.');
    return outcome === 'ok';
  }).finally(() => {
    inflight = null;
  });
  return inflight;
}

/** On page load: a refresh cookie, if any, turns into a session. */
export async function restoreSession(): Promise<void> {
  await refreshSession();
}

export async function signOut(): Promise<void> {
  const token = accessToken();
  try {
    await fetch('/api/v1/auth/sign-out', {
      method: 'POST',
      headers: { ...AUTH_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: '{}',
    });
  } finally {
    endSession();
  }
}

export const authHeaders = AUTH_HEADERS;
