/** CSV import of contacts, companies, leads and deals: mapping, dry run, background run, resume, undo. */
import type { ModuleDefinition } from '../index.js';
import { importsRoutes } from './imports.routes.js';

export const importsModule: ModuleDefinition = { name: 'imports', plugin: importsRoutes };
export { getImportOrThrow, listImports } from './imports.service.js';
export { autoMap, normaliseHeader } from './headers.js';
