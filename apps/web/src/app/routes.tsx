import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSessionState } from '../modules/auth/auth.api.js';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage } from '../modules/auth/recovery-pages.js';
import { SignInPage } from '../modules/auth/sign-in-page.js';
import { SignUpPage } from '../modules/auth/sign-up-page.js';
import { Loading } from '../ui/states.js';
import { Shell } from './shell.js';

// Every signed-in screen is its own chunk: the first load carries only the shell and auth.
const page = <T extends Record<string, unknown>>(load: () => Promise<T>, name: keyof T) =>
  lazy(async () => ({ default: (await load())[name] as React.ComponentType }));

const ContactsPage = page(() => import('../modules/contacts/contacts-page.js'), 'ContactsPage');
const ContactPage = page(() => import('../modules/contacts/contact-page.js'), 'ContactPage');
const CompaniesPage = page(() => import('../modules/companies/companies-page.js'), 'CompaniesPage');
const CompanyPage = page(() => import('../modules/companies/company-page.js'), 'CompanyPage');
const LeadsPage = page(() => import('../modules/leads/leads-page.js'), 'LeadsPage');
const LeadPage = page(() => import('../modules/leads/lead-page.js'), 'LeadPage');
const TrashPage = page(() => import('../modules/trash/trash-page.js'), 'TrashPage');
const DealsPage = page(() => import('../modules/deals/deals-page.js'), 'DealsPage');
const DealPage = page(() => import('../modules/deals/deal-page.js'), 'DealPage');
const ActivitiesPage = page(() => import('../modules/activities/activities-page.js'), 'ActivitiesPage');
const DashboardPage = page(() => import('../modules/dashboard/dashboard-page.js'), 'DashboardPage');
const SettingsRoutes = page(() => import('../modules/settings/settings-routes.js'), 'SettingsRoutes');

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function RequireSignedIn({ children }: { children: ReactNode }) {
  const state = useSessionState();
  const location = useLocation();
  if (state.status === 'loading') return <main className="auth-page"><Loading label="Opening Pillar…" /></main>;
  if (state.status === 'signed-out') return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function RequireSignedOut({ children }: { children: ReactNode }) {
  const state = useSessionState();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  if (state.status === 'loading') return <main className="auth-page"><Loading label="Opening Pillar…" /></main>;
  if (state.status === 'signed-in') return <Navigate to={from && from !== '/sign-in' ? from : '/'} replace />;
  return <>{children}</>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<RequireSignedOut><SignInPage /></RequireSignedOut>} />
      <Route path="/sign-up" element={<RequireSignedOut><SignUpPage /></RequireSignedOut>} />
      <Route path="/forgot-password" element={<RequireSignedOut><ForgotPasswordPage /></RequireSignedOut>} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
      <Route element={<RequireSignedIn><Shell /></RequireSignedIn>}>
        <Route index element={<Navigate to="/deals" replace />} />
        <Route path="contacts" element={<Lazy><ContactsPage /></Lazy>} />
        <Route path="contacts/:id" element={<Lazy><ContactPage /></Lazy>} />
        <Route path="companies" element={<Lazy><CompaniesPage /></Lazy>} />
        <Route path="companies/:id" element={<Lazy><CompanyPage /></Lazy>} />
        <Route path="leads" element={<Lazy><LeadsPage /></Lazy>} />
        <Route path="leads/:id" element={<Lazy><LeadPage /></Lazy>} />
        <Route path="trash" element={<Lazy><TrashPage /></Lazy>} />
        <Route path="deals" element={<Lazy><DealsPage /></Lazy>} />
        <Route path="deals/:id" element={<Lazy><DealPage /></Lazy>} />
        <Route path="activities" element={<Lazy><ActivitiesPage /></Lazy>} />
        <Route path="dashboard" element={<Lazy><DashboardPage /></Lazy>} />
        <Route path="settings/*" element={<Lazy><SettingsRoutes /></Lazy>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return <section className="page"><h1>Page not found</h1><p>There is nothing at this address.</p></section>;
}
