import { RoleRank, Roles, type Role } from '@pillar/shared';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../ui/api.js';
import { useConfirm } from '../../ui/confirm.js';
import { FormError, SelectField, TextField, formValues } from '../../ui/form.js';
import { formatDate } from '../../ui/format.js';
import { Empty, QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useSession } from '../auth/auth.api.js';
import { useApiKeys, useCreateApiKey, useRevokeApiKey, type ApiKey, type CreatedApiKey } from './settings.api.js';

export function ApiKeysPage() {
  const keys = useApiKeys();
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">Keys act with the role you give them, never above your own. Send them as <code>Authorization: Bearer pk_…</code>.</p>
      <CreateKeyForm />
      <QueryView query={keys} empty={(d) => (d.length === 0 ? <Empty title="No API keys yet" /> : null)}>
        {(list) => <KeysTable keys={list} />}
      </QueryView>
    </section>
  );
}

function KeysTable({ keys }: { keys: ApiKey[] }) {
  const revoke = useRevokeApiKey();
  const toast = useToast();
  const { confirm, element } = useConfirm();
  async function onRevoke(k: ApiKey) {
    if (!(await confirm('Revoke API key', <p>Programs using “{k.name}” will stop working at once.</p>, 'Revoke'))) return;
    revoke.mutate(k.id, { onSuccess: () => toast.success('Key revoked'), onError: (e) => toast.error(errorMessage(e)) });
  }
  return (
    <div className="table-wrap">
      {element}
      <div className="table-wrap"><table className="simple-table">
        <thead><tr><th scope="col">Name</th><th scope="col">Prefix</th><th scope="col">Role</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td><td><code>{k.prefix}</code></td><td>{k.role}</td>
              <td>{k.last_used_at ? formatDate(k.last_used_at) : 'never'}</td>
              <td>{k.revoked_at ? `revoked ${formatDate(k.revoked_at)}` : <button type="button" className="link danger-text" onClick={() => void onRevoke(k)}>Revoke<span className="sr-only"> {k.name}</span></button>}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
    </div>
  );
}

function CreateKeyForm() {
  const session = useSession();
  const create = useCreateApiKey();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const roles = Roles.filter((r) => r !== 'owner' && RoleRank[r] <= RoleRank[session.tenant.role]).map((r) => ({ value: r, label: r }));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = formValues(form);
    create.mutate({ name: v.name ?? '', role: (v.role ?? 'viewer') as Role }, { onSuccess: (k) => { setCreated(k); form.reset(); } });
  }
  return (
    <form onSubmit={submit} className="inline-form">
      <TextField label="Key name" name="name" required error={create.error} />
      <SelectField label="Role" name="role" options={roles} defaultValue="viewer" error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>Create key</button>
      <FormError error={create.error} />
      {created && (
        <div className="notice" role="status">
          <p>Copy this key now; it will not be shown again.</p>
          <input readOnly aria-label="New API key" value={created.key} onFocus={(e) => e.currentTarget.select()} />
        </div>
      )}
    </form>
  );
}
