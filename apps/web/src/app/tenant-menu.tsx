import { useRef } from 'react';
import { useNavigate } from 'react-router';
import { useSwitchTenant } from '../modules/auth/auth.api.js';
import { errorMessage } from '../ui/api.js';
import { signOut, type Session } from '../ui/session.js';
import { useToast } from '../ui/toast.js';

/** Who is signed in, in which firm; switch firm; sign out. A <details> menu works without script focus tricks. */
export function TenantMenu({ session }: { session: Session }) {
  const switchTenant = useSwitchTenant();
  const toast = useToast();
  const navigate = useNavigate();
  const ref = useRef<HTMLDetailsElement>(null);
  const others = session.memberships.filter((m) => m.tenant_id !== session.tenant.tenant_id);
  function choose(tenantId: string, name: string) {
    ref.current?.removeAttribute('open');
    switchTenant.mutate(tenantId, {
      onSuccess: () => {
        toast.success(`Switched to ${name}`);
        void navigate('/');
      },
      onError: (e) => toast.error(errorMessage(e)),
    });
  }
  return (
    <details className="menu user-menu" ref={ref}>
      <summary>
        <span className="avatar" aria-hidden="true">{session.user.name.slice(0, 1).toUpperCase()}</span>
        <span className="sr-only">Account menu: {session.user.name}, </span>
        <span className="menu-firm">{session.tenant.tenant_name}</span>
      </summary>
      <div className="menu-panel">
        <p className="menu-who">{session.user.name}<br /><span className="muted">{session.user.email} · {session.tenant.role}</span></p>
        {others.length > 0 && <p className="menu-heading">Switch workspace</p>}
        {others.map((m) => (
          <button key={m.tenant_id} type="button" className="menu-item" onClick={() => choose(m.tenant_id, m.tenant_name)}>
            {m.tenant_name} <span className="muted">({m.role})</span>
          </button>
        ))}
        <button type="button" className="menu-item" onClick={() => void signOut()}>Sign out</button>
      </div>
    </details>
  );
}
