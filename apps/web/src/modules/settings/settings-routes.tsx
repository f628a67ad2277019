import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useMe } from '../auth/auth.api.js';
import { ApiKeysPage } from './api-keys-page.js';
import { AuditPage } from './audit-page.js';
import { GeneralPage } from './general-page.js';
import { MembersPage } from './members-page.js';
import { settingsSections } from './sections.js';

export function SettingsRoutes() {
  const me = useMe();
  const perms = new Set(me.data?.permissions ?? []);
  const sections = settingsSections.filter((s) => !s.permission || perms.has(s.permission));
  return (
    <div className="page settings">
      <h1>Settings</h1>
      <div className="settings-layout">
        <nav aria-label="Settings" className="subnav">
          <ul>{sections.map((s) => <li key={s.path}><NavLink to={`/settings/${s.path}`}>{s.label}</NavLink></li>)}</ul>
        </nav>
        <div className="settings-body">
          <Routes>
            <Route index element={<Navigate to="general" replace />} />
            <Route path="general" element={<GeneralPage />} />
            <Route path="members" element={<MembersPage />} />
            <Route path="api-keys" element={<ApiKeysPage />} />
            <Route path="audit" element={<AuditPage />} />
            {settingsSections.filter((s) => s.element !== undefined).map((s) => <Route key={s.path} path={`${s.path}/*`} element={s.element} />)}
          </Routes>
        </div>
      </div>
    </div>
  );
}
