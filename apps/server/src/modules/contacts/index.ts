/** Contacts: CRUD, trash, vCard; service functions for the data, sales and duplicates modules. */
import type { ModuleDefinition } from '../index.js';
import { contactRoutes } from './contacts.routes.js';
import { seedCrmDemo } from './demo-seed.js';

export {
  contactListSpecInTx, createContact, createContactInTx, deleteContact, deleteContactInTx, getContactOrThrow, listContacts,
  purgeContact, purgeContactInTx, restoreContact, restoreContactInTx, updateContact, updateContactInTx, type ContactRow,
} from './contacts.service.js';
export { CONTACT_COLUMNS } from './contacts.queries.js';
export { toVCard } from './vcard.js';

export const contactsModule: ModuleDefinition = { name: 'contacts', plugin: contactRoutes, seedDemo: seedCrmDemo };
/** Row-level helpers for merges (duplicates module): no validation, no audit — the caller does both. */
export {
  findContact as findContactInTx, setContactDeleted as setContactDeletedInTx, updateContactRow as updateContactRowInTx,
  type ContactValues,
} from './contacts.queries.js';
/** Normalisers and validators for the data module's imports (same stored forms as the API). */
export { normaliseEmail, normalisePhone, normaliseTags } from '../crm-common/index.js';
export { validateCustomFields, validateCustomFieldsInTx } from '../custom-fields/index.js';
