/** Tags: counts, rename and removal across contacts, companies, leads and deals. */
import type { ModuleDefinition } from '../index.js';
import { tagRoutes } from './tags.routes.js';

export { deleteTag, listTags, renameTag } from './tags.service.js';

export const tagsModule: ModuleDefinition = { name: 'tags', plugin: tagRoutes };
