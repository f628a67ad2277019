import type { ReactNode } from 'react';

export interface SettingsSection {
  path: string;
  label: string;
  permission?: string;
  element?: ReactNode;
}

/** Settings sections in menu order; sections whose API has not shipped stay out of the list. */
export const settingsSections: SettingsSection[] = [
  { path: 'general', label: 'Workspace' },
  { path: 'members', label: 'Members', permission: 'users:read' },
  { path: 'api-keys', label: 'API keys', permission: 'apikeys:manage' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
];
