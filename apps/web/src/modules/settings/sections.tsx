import type { ReactNode } from 'react';
import { AssignmentRulesPage } from './assignment-rules-page.js';
import { FieldsPage } from './fields-page.js';
import { ImportsRoutes } from './imports-routes.js';
import { PipelinesPage } from './pipelines-page.js';
import { ScoringRulesPage } from './scoring-rules-page.js';
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
  { path: 'lead-scoring', label: 'Lead scoring', permission: 'records:read', element: <ScoringRulesPage /> },
  { path: 'lead-assignment', label: 'Lead assignment', permission: 'records:read', element: <AssignmentRulesPage /> },
  { path: 'imports', label: 'Imports', permission: 'data:import', element: <ImportsRoutes /> },
  { path: 'members', label: 'Members', permission: 'users:read' },
  { path: 'api-keys', label: 'API keys', permission: 'apikeys:manage' },
  { path: 'webhooks', label: 'Webhooks', permission: 'webhooks:manage', element: <WebhooksPage /> },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
];
