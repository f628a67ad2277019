import { type FormEvent } from 'react';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { QueryView } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useCan } from '../auth/auth.api.js';
import { useTenant, useUpdateTenant, type Tenant } from './settings.api.js';

export function GeneralPage() {
  const tenant = useTenant();
  return (
    <section aria-labelledby="general-title">
      <h2 id="general-title">Workspace</h2>
      <QueryView query={tenant}>{(t) => <TenantForm tenant={t} />}</QueryView>
    </section>
  );
}

function TenantForm({ tenant }: { tenant: Tenant }) {
  const update = useUpdateTenant();
  const toast = useToast();
  const canEdit = useCan('settings:manage');
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    update.mutate({ tenant, patch: { name: v.name, base_currency: v.base_currency, timezone: v.timezone } }, { onSuccess: () => toast.success('Workspace settings saved') });
  }
  return (
    <form onSubmit={submit} className="form-narrow" key={tenant.version}>
      <fieldset disabled={!canEdit}>
        <TextField label="Firm name" name="name" defaultValue={tenant.name} required error={update.error} />
        <TextField label="Base currency" name="base_currency" defaultValue={tenant.base_currency} pattern="[A-Z]{3}" hint="ISO 4217 code, such as USD or EUR" error={update.error} />
        <TextField label="Time zone" name="timezone" defaultValue={tenant.timezone} hint="IANA time zone, such as Europe/Paris" error={update.error} />
        <FormError error={update.error} />
        {canEdit && <button type="submit" className="primary" disabled={update.isPending}>Save</button>}
      </fieldset>
      {!canEdit && <p className="muted">Only admins can change these settings.</p>}
    </form>
  );
}
