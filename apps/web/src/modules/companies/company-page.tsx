import { Link, useParams } from 'react-router';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { Empty, QueryView } from '../../ui/states.js';
import { Composer } from '../activities/composer.js';
import { Timeline } from '../activities/timeline.js';
import { useCan } from '../auth/auth.api.js';
import { NewContactButton } from '../contacts/new-contact.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { DuplicatesCard } from '../records/duplicates.js';
import { FieldList } from '../records/field-list.js';
import { useMemberNames } from '../records/lookups.js';
import { DeleteButton, RecordLayout } from '../records/record-layout.js';
import { useUpdateRecord } from '../records/records.api.js';
import { companyDetailFields, companyMergeFields, useCompany, useCompanyRelated, type Company } from './companies.api.js';

export function CompanyPage() {
  const { id } = useParams();
  const company = useCompany(id);
  return <QueryView query={company}>{(c) => <CompanyView company={c} />}</QueryView>;
}

function CompanyView({ company }: { company: Company }) {
  const update = useUpdateRecord<Company>('companies');
  const names = useMemberNames();
  const custom = useCustomFieldDefs('companies');
  const canEdit = useCan('records:write');
  return (
    <RecordLayout back={{ to: '/companies', label: 'Companies' }} title={company.name} subtitle={[company.domain, company.industry].filter(Boolean).join(' · ')}
      actions={<DeleteButton entity="companies" record={company} label={company.name} afterTo="/companies" />}
      main={
        <>
          <section aria-labelledby="fields-title" className="card">
            <h2 id="fields-title">Details</h2>
            <FieldList record={company} fields={[...companyDetailFields, ...custom]} names={names} canEdit={canEdit} save={(record, patch) => update.mutateAsync({ record, patch })} />
          </section>
          <Related company={company} canEdit={canEdit} />
          <DuplicatesCard entity="companies" record={company} fields={[...companyMergeFields, ...custom]} />
        </>
      }
      side={<>{canEdit && <Composer link={{ company_id: company.id }} />}<Timeline entity="companies" id={company.id} /></>}
    />
  );
}

function Related({ company, canEdit }: { company: Company; canEdit: boolean }) {
  const related = useCompanyRelated(company.id);
  return (
    <QueryView query={related}>
      {(r) => (
        <>
          <section aria-labelledby="people-title" className="card">
            <div className="row-between"><h2 id="people-title">People ({r.counts.contacts})</h2>{canEdit && <NewContactButton companyId={{ id: company.id, name: company.name }} />}</div>
            {r.contacts.length === 0 ? <Empty title="No contacts yet" /> : (
              <ul className="plain-list">{r.contacts.map((c) => <li key={c.id}><Link to={`/contacts/${c.id}`}>{c.name}</Link>{c.title && <span className="muted"> · {c.title}</span>}</li>)}</ul>
            )}
          </section>
          <section aria-labelledby="deals-title" className="card">
            <h2 id="deals-title">Deals ({r.counts.deals})</h2>
            {r.deals.length === 0 ? <Empty title="No deals yet" /> : (
              <ul className="plain-list">{r.deals.map((d) => <li key={d.id} className="row-between"><Link to={`/deals/${d.id}`}>{d.name}</Link><span>{formatMoney(d.value, d.currency)} · {d.status}</span></li>)}</ul>
            )}
          </section>
          {r.children.length > 0 && (
            <section aria-labelledby="subs-title" className="card">
              <h2 id="subs-title">Subsidiaries</h2>
              <ul className="plain-list">{r.children.map((c) => <li key={c.id}><Link to={`/companies/${c.id}`}>{c.name}</Link></li>)}</ul>
            </section>
          )}
          {r.activities.length > 0 && (
            <section aria-labelledby="acts-title" className="card">
              <h2 id="acts-title">Recent activities</h2>
              <ul className="plain-list">{r.activities.map((a) => <li key={a.id}>{a.subject} <span className="muted">· {a.type} · {formatDateTime(a.completed_at ?? a.due_at ?? a.created_at)}</span></li>)}</ul>
            </section>
          )}
        </>
      )}
    </QueryView>
  );
}
