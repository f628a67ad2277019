import { useMemo } from 'react';
import { useMembers } from '../settings/settings.api.js';

/** user id → name, for owner columns and pickers. */
export function useMemberNames(): Map<string, string> {
  const members = useMembers();
  return useMemo(() => new Map((members.data ?? []).map((m) => [m.user_id, m.name])), [members.data]);
}
