import { Link, useParams } from 'react-router';
import { QueryView } from '../../ui/states.js';
import { Composer } from '../activities/composer.js';
import { Timeline } from '../activities/timeline.js';
import { useCan } from '../auth/auth.api.js';
import { useCompany } from '../companies/companies.api.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { DuplicatesCard } from '../records/duplicates.js';
import { FieldList } from '../records/field-list.js';
import { useMemberNames } from '../records/lookups.js';
import { DeleteButton, RecordLayout } from '../records/record-layout.js';
import { contactDetailFields, contactMergeFields, useContact, useUpdateContact, type Contact } from './contacts.api.js';

export function ContactPage() {
  const { id } = useParams();
  const contact = useContact(id);
  return <QueryView query={contact}>{(c) => <ContactView contact={c} />}</QueryView>;
}

function ContactView({ contact }: { contact: Contact }) {
  const update = useUpdateContact();
  const names = useMemberNames();
  const custom = useCustomFieldDefs('contacts');
  const canEdit = useCan('records:write');
  return (
    <RecordLayout back={{ to: '/contacts', label: 'Contacts' }} title={contact.name}
      subtitle={[contact.title, contact.email].filter(Boolean).join(' · ')}
      actions={<DeleteButton entity="contacts" record={contact} label={contact.name} afterTo="/contacts" />}
      main={
        <>
          <section aria-labelledby="fields-title" className="card">
            <h2 id="fields-title">Details</h2>
            <FieldList record={contact} fields={[...contactDetailFields, ...custom]} names={names} canEdit={canEdit} save={(record, patch) => update.mutateAsync({ record, patch })} />
          </section>
          <CompanyCard id={contact.company_id} />
          <DuplicatesCard entity="contacts" record={contact} fields={[...contactMergeFields, ...custom]} />
        </>
      }
      side={<>{canEdit && <Composer link={{ contact_id: contact.id, company_id: contact.company_id ?? undefined }} />}<Timeline entity="contacts" id={contact.id} /></>}
    />
  );
}

function CompanyCard({ id }: { id: string | null }) {
  const company = useCompany(id ?? undefined);
  if (!id) return null;
  return (
    <section aria-labelledby="company-title" className="card">
      <h2 id="company-title">Company</h2>
      <QueryView query={company}>{(c) => <p><Link to={`/companies/${c.id}`}>{c.name}</Link>{c.domain ? <span className="muted"> · {c.domain}</span> : null}</p>}</QueryView>
    </section>
  );
}
