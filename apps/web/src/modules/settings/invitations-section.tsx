import { RoleRank, Roles, type Role } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../ui/api.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { formatDate } from '../../ui/format.js';
import { QueryView, Empty } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useSession } from '../auth/auth.api.js';
import { useCreateInvitation, useInvitations, useRevokeInvitation, type CreatedInvitation } from './settings.api.js';

export function InvitationsSection() {
  const invitations = useInvitations(true);
  const revoke = useRevokeInvitation();
  const toast = useToast();
  return (
    <section aria-labelledby="invitations-title" className="subsection">
      <h3 id="invitations-title">Invitations</h3>
      <InviteForm />
      <QueryView query={invitations} empty={(d) => (d.length === 0 ? <Empty title="No invitations yet" /> : null)}>
        {(list) => (
          <ul className="plain-list">
            {list.map((inv) => (
              <li key={inv.id} className="row-between">
                <span>{inv.email} · {inv.role} · {inv.accepted_at ? `accepted ${formatDate(inv.accepted_at)}` : `expires ${formatDate(inv.expires_at)}`}</span>
                {!inv.accepted_at && (
                  <button type="button" className="link danger-text" onClick={() => revoke.mutate(inv.id, { onSuccess: () => toast.success('Invitation revoked'), onError: (e) => toast.error(errorMessage(e)) })}>
                    Revoke<span className="sr-only"> invitation for {inv.email}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </QueryView>
    </section>
  );
}

function InviteForm() {
  const session = useSession();
  const create = useCreateInvitation();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const roles = Roles.filter((r) => r !== 'owner' && RoleRank[r] <= RoleRank[session.tenant.role]).map((r) => ({ value: r, label: r }));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    create.mutate({ email: v.email ?? '', role: (v.role ?? 'member') as Role }, { onSuccess: (inv) => { setCreated(inv); form.reset(); } });
  }
  const link = created ? `${window.location.origin}/accept-invitation?token=${encodeURIComponent(created.token)}` : '';
  return (
    <form onSubmit={submit} className="inline-form">
      <TextField label="Email" name="email" type="email" required error={create.error} />
      <SelectField label="Role" name="role" options={roles} defaultValue="member" error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>Send invitation</button>
      <FormError error={create.error} />
      {created && (
        <div className="notice" role="status">
          <p>Invitation sent to {created.email}. You can also share this link (shown once):</p>
          <input readOnly aria-label="Invitation link" value={link} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
    </form>
  );
}
