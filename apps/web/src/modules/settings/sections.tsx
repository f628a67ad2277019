import type { ReactNode } from 'react';
import { FieldsPage } from './fields-page.js';
import { ImportsRoutes } from './imports-routes.js';
import { PipelinesPage } from './pipelines-page.js';
import { TagsPage } from './tags-page.js';
import { WebhooksPage } from './webhooks-page.js';

export interface SettingsSection {
  path: string;
  label: string;
  permission?: string;
  element?: ReactNode;
}

/** Settings sections in menu order; sections whose API has not shipped stay out of the list. */
export const settingsSections: SettingsSection[] = [
  { path: 'general', label: 'Workspace' },
  { path: 'pipelines', label: 'Pipelines and stages', permission: 'pipelines:manage', element: <PipelinesPage /> },
  { path: 'fields', label: 'Custom fields', permission: 'fields:manage', element: <FieldsPage /> },
  { path: 'tags', label: 'Tags', permission: 'records:read', element: <TagsPage /> },
  { path: 'imports', label: 'Imports', permission: 'data:import', element: <ImportsRoutes /> },
  { path: 'members', label: 'Members', permission: 'users:read' },
  { path: 'api-keys', label: 'API keys', permission: 'apikeys:manage' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks:manage', element: <WebhooksPage /> },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
];
