import { Link, useParams } from 'react-router';
import { formatDate } from '../../ui/format.js';
import { QueryView } from '../../ui/states.js';
import { Composer } from '../activities/composer.js';
import { Timeline } from '../activities/timeline.js';
import { useCan } from '../auth/auth.api.js';
import { useCustomFieldDefs } from '../records/custom-fields.api.js';
import { FieldList } from '../records/field-list.js';
import { useMemberNames } from '../records/lookups.js';
import { DeleteButton, RecordLayout } from '../records/record-layout.js';
import { useUpdateRecord } from '../records/records.api.js';
import { ConvertLeadButton } from './convert-lead.js';
import { leadDetailFields, useLead, type Lead } from './leads.api.js';

export function LeadPage() {
  const { id } = useParams();
  const lead = useLead(id);
  return <QueryView query={lead}>{(l) => <LeadView lead={l} />}</QueryView>;
}

function personOf(lead: Lead): string {
  return [lead.first_name, lead.last_name].filter(Boolean).join(' ');
}

function LeadView({ lead }: { lead: Lead }) {
  const update = useUpdateRecord<Lead>('leads');
  const names = useMemberNames();
  const custom = useCustomFieldDefs('leads');
  const canEdit = useCan('records:write');
  const converted = lead.status === 'converted';
  return (
    <RecordLayout back={{ to: '/leads', label: 'Leads' }} title={lead.title}
      subtitle={[personOf(lead), lead.company_name, `${lead.status}`, `score ${lead.score}`].filter(Boolean).join(' · ')}
      actions={<>{canEdit && !converted && <ConvertLeadButton lead={lead} />}<DeleteButton entity="leads" record={lead} label={lead.title} afterTo="/leads" /></>}
      main={
        <>
          {converted && <Conversion lead={lead} />}
          <section aria-labelledby="fields-title" className="card">
            <h2 id="fields-title">Details</h2>
            <FieldList record={lead} fields={[...leadDetailFields(lead), ...custom]} names={names} canEdit={canEdit} save={(record, patch) => update.mutateAsync({ record, patch })} />
          </section>
        </>
      }
      side={<>{canEdit && <Composer link={{ lead_id: lead.id }} />}<Timeline entity="leads" id={lead.id} /></>}
    />
  );
}

function Conversion({ lead }: { lead: Lead }) {
  const links = [
    lead.converted_deal_id && { to: `/deals/${lead.converted_deal_id}`, label: 'Deal' },
    lead.contact_id && { to: `/contacts/${lead.contact_id}`, label: 'Contact' },
    lead.company_id && { to: `/companies/${lead.company_id}`, label: 'Company' },
  ].filter((l): l is { to: string; label: string } => Boolean(l));
  return (
    <section aria-labelledby="converted-title" className="card notice-card">
      <h2 id="converted-title">Converted</h2>
      <p className="muted">This lead was converted{lead.converted_at ? ` on ${formatDate(lead.converted_at)}` : ''}; its activities moved to the records below.</p>
      {links.length > 0 ? <ul className="plain-list">{links.map((l) => <li key={l.to}><Link to={l.to}>{l.label}</Link></li>)}</ul> : <p className="muted">Nothing was created from it.</p>}
    </section>
  );
}
