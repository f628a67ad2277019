/**
 * Import targets of each record type and header auto-mapping. Headers are
 * compared normalised (lower case, letters and digits only), so "First Name",
 * "FirstName", "first_name" and "Person - First name" all meet. The alias lists
 * cover the column names of HubSpot, Salesforce and Pipedrive exports.
 */
import type { RecordEntity } from '@pillar/shared';
import type { CustomFieldDef } from '../records/index.js';

export interface Target {
  field: string;
  label: string;
  required?: boolean;
  aliases: string[];
}

const address: Target[] = [
  { field: 'street', label: 'Street', aliases: ['street', 'streetaddress', 'address', 'mailingstreet', 'billingstreet', 'address1', 'addressline1'] },
  { field: 'city', label: 'City', aliases: ['city', 'mailingcity', 'billingcity', 'town'] },
  { field: 'region', label: 'State / region', aliases: ['state', 'region', 'stateregion', 'province', 'mailingstate', 'billingstate', 'county'] },
  { field: 'postal_code', label: 'Postal code', aliases: ['postalcode', 'zip', 'zipcode', 'postcode', 'mailingpostalcode', 'billingpostalcode'] },
  { field: 'country', label: 'Country', aliases: ['country', 'countryregion', 'mailingcountry', 'billingcountry'] },
];
const common = (prefix: string[]): Target[] => [
  { field: 'tags', label: 'Tags', aliases: ['tags', 'tag', 'labels', 'label', ...prefix.map((p) => `${p}labels`)] },
  { field: 'owner_email', label: 'Owner (email or name)', aliases: ['owner', 'owneremail', 'ownername', 'contactowner', 'companyowner', 'dealowner', 'leadowner', 'recordowner', 'ownerid', 'assignedto', ...prefix.map((p) => `${p}owner`)] },
];

export const TARGETS: Record<RecordEntity, Target[]> = {
  contacts: [
    { field: 'first_name', label: 'First name', aliases: ['firstname', 'givenname', 'fname', 'personfirstname', 'contactfirstname'] },
    { field: 'last_name', label: 'Last name', aliases: ['lastname', 'surname', 'familyname', 'lname', 'personlastname', 'contactlastname'] },
    { field: 'full_name', label: 'Full name', aliases: ['name', 'fullname', 'contactname', 'personname', 'displayname'] },
    { field: 'email', label: 'Email', aliases: ['email', 'emailaddress', 'email1', 'primaryemail', 'workemail', 'personemail', 'personemailwork', 'contactemail', 'emailwork'] },
    { field: 'phone', label: 'Phone', aliases: ['phone', 'phonenumber', 'mobilephone', 'mobilephonenumber', 'mobile', 'workphone', 'personphone', 'personphonework', 'personphonemobile', 'telephone', 'tel', 'phonework'] },
    { field: 'title', label: 'Job title', aliases: ['title', 'jobtitle', 'position', 'role', 'personjobtitle'] },
    { field: 'department', label: 'Department', aliases: ['department', 'dept'] },
    { field: 'company_name', label: 'Company name', aliases: ['company', 'companyname', 'accountname', 'account', 'organization', 'organisation', 'organizationname', 'organisationname', 'personorganization', 'associatedcompany'] },
    { field: 'lead_source', label: 'Lead source', aliases: ['leadsource', 'source', 'originalsource', 'personsource'] },
    { field: 'notes', label: 'Notes', aliases: ['notes', 'note', 'description', 'comments'] },
    { field: 'website', label: 'Website', aliases: ['website', 'websiteurl', 'url', 'personalwebsite'] },
    { field: 'linkedin', label: 'LinkedIn', aliases: ['linkedin', 'linkedinurl', 'linkedinprofile'] },
    ...address, ...common(['person', 'contact']),
  ],
  companies: [
    { field: 'name', label: 'Name', required: true, aliases: ['name', 'companyname', 'accountname', 'organizationname', 'organisationname', 'organization', 'company', 'account'] },
    { field: 'domain', label: 'Domain', aliases: ['domain', 'companydomainname', 'domainname', 'emaildomain'] },
    { field: 'website', label: 'Website', aliases: ['website', 'websiteurl', 'url', 'organizationwebsite'] },
    { field: 'industry', label: 'Industry', aliases: ['industry', 'organizationindustry', 'sector'] },
    { field: 'size', label: 'Size', aliases: ['size', 'numberofemployees', 'employees', 'companysize', 'organizationnumberofemployees'] },
    { field: 'phone', label: 'Phone', aliases: ['phone', 'phonenumber', 'organizationphone', 'mainphone', 'telephone'] },
    { field: 'description', label: 'Description', aliases: ['description', 'about', 'aboutus', 'notes'] },
    ...address.map((t) => ({ ...t, aliases: [...t.aliases, `organization${t.aliases[0]}`] })),
    ...common(['organization', 'company', 'account']),
  ],
  leads: [
    { field: 'title', label: 'Title', required: true, aliases: ['title', 'leadtitle', 'name', 'leadname', 'subject'] },
    { field: 'status', label: 'Status', aliases: ['status', 'leadstatus'] },
    { field: 'source', label: 'Source', aliases: ['source', 'leadsource', 'leadsourcechannel', 'originalsource'] },
    { field: 'territory', label: 'Territory', aliases: ['territory', 'region'] },
    { field: 'score', label: 'Score', aliases: ['score', 'leadscore', 'rating'] },
    { field: 'value', label: 'Value', aliases: ['value', 'leadvalue', 'amount', 'annualrevenue'] },
    { field: 'currency', label: 'Currency', aliases: ['currency', 'leadcurrency', 'valuecurrency', 'currencyisocode'] },
    { field: 'expected_close_date', label: 'Expected close date', aliases: ['expectedclosedate', 'closedate', 'leadexpectedclosedate'] },
    { field: 'contact_email', label: 'Contact email', aliases: ['email', 'contactemail', 'personemail', 'emailaddress'] },
    { field: 'company_name', label: 'Company name', aliases: ['company', 'companyname', 'organization', 'organizationname', 'accountname'] },
    ...common(['lead']),
  ],
  deals: [
    { field: 'name', label: 'Name', required: true, aliases: ['name', 'dealname', 'title', 'dealtitle', 'opportunityname'] },
    { field: 'value', label: 'Value', aliases: ['value', 'amount', 'dealvalue', 'dealamount', 'opportunityamount'] },
    { field: 'currency', label: 'Currency', aliases: ['currency', 'dealcurrency', 'currencyisocode', 'currencycode'] },
    { field: 'pipeline', label: 'Pipeline', aliases: ['pipeline', 'dealpipeline'] },
    { field: 'stage', label: 'Stage', aliases: ['stage', 'dealstage', 'stagename', 'opportunitystage'] },
    { field: 'status', label: 'Status (open/won/lost)', aliases: ['status', 'dealstatus'] },
    { field: 'probability', label: 'Probability (%)', aliases: ['probability', 'dealprobability', 'probabilitypercent'] },
    { field: 'expected_close_date', label: 'Expected close date', aliases: ['expectedclosedate', 'closedate', 'dealexpectedclosedate'] },
    { field: 'source', label: 'Source', aliases: ['source', 'dealsource', 'leadsource'] },
    { field: 'contact_email', label: 'Contact email', aliases: ['contactemail', 'personemail', 'email', 'primarycontactemail'] },
    { field: 'company_name', label: 'Company name', aliases: ['company', 'companyname', 'organization', 'organizationname', 'accountname', 'dealorganization'] },
    ...common(['deal']),
  ],
};

/** "Person - First name" → "personfirstname"; "E-mail" → "email". */
export function normaliseHeader(h: string): string {
  return h.normalize('NFKD').toLowerCase().replace(/e-mail/g, 'email').replace(/[^a-z0-9]/g, '');
}

/** Pipedrive prefixes its columns with the record type ("Deal - Value"); a prefix naming the imported type is dropped. */
const OWN_PREFIX: Record<RecordEntity, string[]> = {
  contacts: ['person', 'contact'], companies: ['organization', 'organisation', 'company', 'account'], leads: ['lead'], deals: ['deal', 'opportunity'],
};

export function autoMap(entity: RecordEntity, headers: readonly string[], defs: readonly CustomFieldDef[]): Array<string | null> {
  const index = new Map<string, string>();
  for (const t of TARGETS[entity]) for (const a of [normaliseHeader(t.field), ...t.aliases]) if (!index.has(a)) index.set(a, t.field);
  for (const d of defs) {
    for (const a of [normaliseHeader(d.key), normaliseHeader(d.label), `custom${normaliseHeader(d.key)}`]) if (!index.has(a)) index.set(a, `custom.${d.key}`);
  }
  const used = new Set<string>();
  return headers.map((h) => {
    const n = normaliseHeader(h);
    const dashed = /^\s*(\w+)\s+-\s+/.exec(h.toLowerCase());
    const own = dashed && OWN_PREFIX[entity].includes(dashed[1]!) ? normaliseHeader(h.slice(dashed[0].length)) : null;
    const field = (own !== null ? index.get(own) : undefined) ?? index.get(n) ?? null;
    if (!field || used.has(field)) return null;
    used.add(field);
    return field;
  });
}

export function targetFields(entity: RecordEntity, defs: readonly CustomFieldDef[]): Array<{ field: string; label: string; required: boolean }> {
  return [
    ...TARGETS[entity].map((t) => ({ field: t.field, label: t.label, required: t.required ?? false })),
    ...defs.map((d) => ({ field: `custom.${d.key}`, label: d.label, required: false })),
  ];
}
