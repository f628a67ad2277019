/**
 * Helpers shared by the CRM record modules (companies, contacts, duplicates)
 * and exported for the data module: normalisers, reference checks and the
 * record list query. Not a mounted module: it has no routes.
 */
export {
  DEFAULT_PHONE_REGION, normaliseAddress, normaliseDomain, normaliseEmail, normalisePhone, normaliseTags, normaliseWebsite,
} from './normalise.js';
export { assertCompany, assertMember } from './record-rules.js';
export { listRecords, SEARCH_LIST_LIMIT, type ListSpec } from './record-list.js';
