import type { MeSchema } from '@pillar/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { z } from 'zod';
import { api } from '../../ui/api.js';
import { getSessionState, startSession, subscribeSession, type Session, type SessionState } from '../../ui/session.js';

export type Me = z.infer<typeof MeSchema>;

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState);
}

/** The signed-in session; only call below the signed-in guard. */
export function useSession(): Session {
  const s = useSessionState();
  if (s.status !== 'signed-in') throw new Error('useSession outside a signed-in route');
  return s.session;
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<Me>('/auth/me'), staleTime: 60_000 });
}

/** Whether the current role may do something (hides controls; the server still decides). */
export function useCan(permission: string): boolean {
  const me = useMe();
  return me.data?.permissions.includes(permission) ?? false;
}

function sessionMutation<V>(path: string) {
  return (body: V) => api<Session>(path, { method: 'POST', body, auth: true });
}

export function useSignIn() {
  return useMutation({ mutationFn: sessionMutation<{ email: string; password: string }>('/auth/sign-in'), onSuccess: startSession });
}

export function useSignUp() {
  return useMutation({ mutationFn: sessionMutation<{ email: string; password: string; name: string; firm_name: string }>('/auth/sign-up'), onSuccess: startSession });
}

export function useAcceptInvitation() {
  return useMutation({ mutationFn: sessionMutation<{ token: string; name?: string; password?: string }>('/auth/accept-invitation'), onSuccess: startSession });
}

export function useForgotPassword() {
  return useMutation({ mutationFn: (body: { email: string }) => api('/auth/forgot-password', { method: 'POST', body, auth: true }) });
}

export function useResetPassword() {
  return useMutation({ mutationFn: (body: { token: string; password: string }) => api('/auth/reset-password', { method: 'POST', body, auth: true }) });
}

/** Switching firm replaces the session and drops every cached query of the previous firm. */
export function useSwitchTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tenant_id: string) => api<Session>('/auth/switch-tenant', { method: 'POST', body: { tenant_id }, auth: true }),
    onSuccess: (session) => {
      qc.clear();
      startSession(session);
    },
  });
}
