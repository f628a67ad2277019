/** Custom fields: definitions per tenant and validation of record values. */
import type { ModuleDefinition } from '../index.js';
import { customFieldRoutes } from './custom-fields.routes.js';

export {
  createCustomField, createCustomFieldInTx, customFieldMap, customSortExpression, listCustomFields, validateCustomFields, validateCustomFieldsInTx,
  type DefinitionRow,
} from './custom-fields.service.js';

export const customFieldsModule: ModuleDefinition = { name: 'custom-fields', plugin: customFieldRoutes };
