/**
 * The deterministic data generator, for reuse: pick or adapt a spec, then
 * `loadPostgres(url, spec)` (or `loadPglite(dir, spec)`). Row builders are
 * exported too, e.g. `dealLine`/`historyLines` to stream deals at other sizes.
 */
export { ACTIVITY_COLUMNS, activityLine, countMoves, DEAL_COLUMNS, dealLine, dealPath, HISTORY_COLUMNS, historyLines } from './deals.js';
export { ensureDatabase, GENERATOR_VERSION, loadPostgres, readMarker, type LoadOptions, type LoadReport } from './load-pg.js';
export { loadPglite } from './load-pglite.js';
export { ALL_TABLES, tablePlans, type TableName, type TablePlan } from './plan.js';
export { Rng, uuidv7At } from './rng.js';
export { companyId, companyName, contactFacts, contactId, contactIsLive, contactLine, dealId, recordId, type GenContext } from './rows.js';
export { EMBEDDED_SPEC, FULL_SPEC, identities, type DatasetSpec, type Identities } from './spec.js';
