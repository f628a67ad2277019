/**
 * Shared pieces of the data-handling modules (views, bulk, trash, imports,
 * exports): record field maps, custom field checks, normalisers and batched
 * audit rows. It has no routes of its own.
 */
export { ENTITIES, entityMeta, fieldMapFor, type EntityMeta, type Singular } from './fields.js';
export { checkCustomValue, loadCustomFields, type CustomFieldDef } from './custom-fields.js';
export { normaliseDomain, normaliseEmail, normalisePhone, normaliseTags } from './normalise.js';
export { recordChanges, type ChangeItem } from './audit-batch.js';
