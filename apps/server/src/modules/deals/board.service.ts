/** Reads of many deals: the filtered list, the pipeline board and one stage's cards. */
import type { ListQuery } from '@pillar/shared';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { notFound } from '../../platform/errors.js';
import { encodeCursor } from '../../platform/http/cursor.js';
import { findStageInTx, getPipelineInTx } from '../pipelines/index.js';
import * as lists from './list.queries.js';

export function listDeals(ctx: TenantContext, query: ListQuery) {
  return withTenant(ctx, (tx) => lists.listDeals(tx, query));
}

export function getBoard(ctx: TenantContext, pipelineId: string, opts: { owner_id?: string | undefined; limit: number }) {
  return withTenant(ctx, async (tx) => {
    const pipeline = await getPipelineInTx(tx, pipelineId);
    const [totals, cards] = [await lists.boardTotals(tx, pipelineId, opts.owner_id), await lists.boardCards(tx, pipelineId, opts.owner_id, opts.limit)];
    const stages = pipeline.stages.map((stage) => {
      const all = cards.filter((c) => c.stage_id === stage.id);
      const deals = all.slice(0, opts.limit);
      const last = deals[deals.length - 1];
      const t = totals.find((x) => x.stage_id === stage.id);
      return {
        ...stage,
        count: t?.count ?? 0,
        total_value: t?.total_value ?? '0.00',
        weighted_value: t?.weighted_value ?? '0.00',
        deals,
        next_cursor: all.length > opts.limit && last ? encodeCursor([last.position, last.id]) : null,
      };
    });
    return { pipeline, stages };
  });
}

export function listStageDeals(ctx: TenantContext, stageId: string, opts: { owner_id?: string | undefined; limit: number; cursor?: string | undefined }) {
  return withTenant(ctx, async (tx) => {
    if (!(await findStageInTx(tx, stageId))) throw notFound('Stage');
    return lists.stageCards(tx, stageId, { ownerId: opts.owner_id, limit: opts.limit, cursor: opts.cursor });
  });
}
