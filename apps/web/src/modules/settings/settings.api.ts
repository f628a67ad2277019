import type {
  ApiKeySchema, AuditEntrySchema, CreatedApiKeySchema, CreatedInvitationSchema, InvitationSchema, MemberSchema, Role, TenantSchema,
} from '@pillar/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api, newIdempotencyKey } from '../../ui/api.js';

export type Member = z.infer<typeof MemberSchema>;
export type Invitation = z.infer<typeof InvitationSchema>;
export type CreatedInvitation = z.infer<typeof CreatedInvitationSchema>;
export type ApiKey = z.infer<typeof ApiKeySchema>;
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;
export type Tenant = z.infer<typeof TenantSchema>;
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export function useMembers() {
  return useQuery({ queryKey: ['members'], queryFn: () => api<{ data: Member[] }>('/members').then((r) => r.data) });
}

export function useUpdateMemberRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: { member: Member; role: Role }) => api<Member>(`/members/${m.member.user_id}`, { method: 'PATCH', body: { role: m.role }, version: m.member.version }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useRemoveMember() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: Member) => api(`/members/${m.user_id}`, { method: 'DELETE', version: m.version }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['members'] }),
  });
}

export function useInvitations(enabled: boolean) {
  return useQuery({ queryKey: ['invitations'], enabled, queryFn: () => api<{ data: Invitation[] }>('/invitations').then((r) => r.data) });
}

export function useCreateInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => api<CreatedInvitation>('/invitations', { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['invitations'] }),
  });
}

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/invitations/${id}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['invitations'] }),
  });
}

export function useApiKeys() {
  return useQuery({ queryKey: ['api-keys'], queryFn: () => api<{ data: ApiKey[] }>('/api-keys').then((r) => r.data) });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: Role }) => api<CreatedApiKey>('/api-keys', { method: 'POST', body, idempotencyKey: newIdempotencyKey() }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`/api-keys/${id}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
}

export function useTenant() {
  return useQuery({ queryKey: ['tenant'], queryFn: () => api<Tenant>('/tenant') });
}

export function useUpdateTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: { tenant: Tenant; patch: { name?: string; base_currency?: string; timezone?: string } }) =>
      api<Tenant>('/tenant', { method: 'PATCH', body: m.patch, version: m.tenant.version }),
    onSuccess: (t) => qc.setQueryData(['tenant'], t),
    onSettled: () => qc.invalidateQueries({ queryKey: ['me'] }),
  });
}

export function useAudit(entity?: string) {
  return useInfiniteQuery({
    queryKey: ['audit', entity ?? ''],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => api<{ data: AuditEntry[]; next_cursor: string | null }>('/audit', { query: { limit: 50, cursor: pageParam, entity }, signal }),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}
