/** Duplicates: suggestions and merges of contacts and companies. */
import type { ModuleDefinition } from '../index.js';
import { duplicateRoutes } from './duplicates.routes.js';

export { mergeCompanies, mergeContacts } from './merge.service.js';
export { companyDuplicates, contactDuplicates } from './suggestions.service.js';

export const duplicatesModule: ModuleDefinition = { name: 'duplicates', plugin: duplicateRoutes };
