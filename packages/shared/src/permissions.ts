/**
 * The single permission map. Security-critical: the server authorizes every
 * route against it before any write; the web app only uses it to hide controls.
 */
export const Roles = ['owner', 'admin', 'manager', 'member', 'viewer'] as const;
export type Role = (typeof Roles)[number];

export const Permissions = [
  'records:read',
  'records:write',
  'records:delete',
  'records:bulk',
  'data:import',
  'data:export',
  'pipelines:manage',
  'fields:manage',
  'rules:manage',
  'views:share',
  'reports:read',
  'users:read',
  'users:manage',
  'apikeys:manage',
  'settings:manage',
  'audit:read',
  'webhooks:manage',
  'jobs:manage',
  'billing:manage',
  'tenant:delete',
] as const;
export type Permission = (typeof Permissions)[number];

const viewer: Permission[] = ['records:read', 'reports:read', 'users:read'];
const member: Permission[] = [...viewer, 'records:write', 'records:delete', 'data:export'];
const manager: Permission[] = [
  ...member,
  'records:bulk',
  'data:import',
  'pipelines:manage',
  'fields:manage',
  'rules:manage',
  'views:share',
];
const admin: Permission[] = [
  ...manager,
  'users:manage',
  'apikeys:manage',
  'settings:manage',
  'audit:read',
  'webhooks:manage',
  'jobs:manage',
];
const owner: Permission[] = [...admin, 'billing:manage', 'tenant:delete'];

export const RolePermissions: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  manager: new Set(manager),
  member: new Set(member),
  viewer: new Set(viewer),
};

export function can(role: Role, permission: Permission): boolean {
  return RolePermissions[role].has(permission);
}

/** Rank for "may this role grant that role": nobody grants above their own rank. */
export const RoleRank: Record<Role, number> = { owner: 5, admin: 4, manager: 3, member: 2, viewer: 1 };
