/** Pipelines module: pipelines and stages. Deals use the stage lookups below. */
import type { ModuleDefinition } from '../index.js';
import { pipelinesRoutes } from './pipelines.routes.js';

export { DEFAULT_STAGES, createPipelineInTx, ensureDefaultPipeline, ensureDefaultPipelineInTx, getPipelineInTx } from './pipelines.service.js';
export { findLiveStageInTx, findStageInTx, firstStageOfKindInTx, resolveStageInTx } from './stages.service.js';

export const pipelinesModule: ModuleDefinition = {
  name: 'pipelines',
  plugin: pipelinesRoutes,
};
