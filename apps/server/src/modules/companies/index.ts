/** Companies: CRUD, hierarchy, trash; service functions for the data and duplicates modules. */
import type { ModuleDefinition } from '../index.js';
import { companyRoutes } from './companies.routes.js';

export {
  companyListSpecInTx, createCompany, createCompanyInTx, deleteCompany, deleteCompanyInTx, getCompanyOrThrow, listCompanies,
  purgeCompany, purgeCompanyInTx, restoreCompany, restoreCompanyInTx, updateCompany, updateCompanyInTx, type CompanyRow,
} from './companies.service.js';
export { COMPANY_COLUMNS } from './companies.queries.js';

export const companiesModule: ModuleDefinition = { name: 'companies', plugin: companyRoutes };
/** Row-level helpers for merges (duplicates module): no validation, no audit — the caller does both. */
export {
  findCompany as findCompanyInTx, setCompanyDeleted as setCompanyDeletedInTx, updateCompanyRow as updateCompanyRowInTx,
  wouldCycle as isAncestorOrSelfInTx, type CompanyValues,
} from './companies.queries.js';
/** Normalisers for the data module's imports (same stored forms as the API). */
export { normaliseDomain, normalisePhone, normaliseTags, normaliseWebsite } from '../crm-common/index.js';
