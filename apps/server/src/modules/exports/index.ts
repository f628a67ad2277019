/** Streamed CSV export of contacts, companies, leads and deals; vCard 4.0 export of contacts. */
import type { ModuleDefinition } from '../index.js';
import { exportsRoutes } from './exports.routes.js';

export const exportsModule: ModuleDefinition = { name: 'exports', plugin: exportsRoutes };
export { csvCell, csvLine } from './csv.js';
export { exportCsv, exportVCards } from './exports.service.js';
