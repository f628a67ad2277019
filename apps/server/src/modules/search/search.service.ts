/** Global search across contacts, companies, leads and deals, ranked by relevance. */
import { SearchTypes, type SearchHit, type SearchType } from '@pillar/shared';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import * as q from './search.queries.js';

export function search(ctx: TenantContext, input: { q: string; types?: string | undefined; limit: number }): Promise<SearchHit[]> {
  const types = input.types ? [...new Set(input.types.split(','))] as SearchType[] : [...SearchTypes];
  return withTenant(ctx, (tx) => q.searchAll(tx, input.q, types, input.limit));
}

/** For other modules inside their own transaction. */
export function searchIdsInTx(tx: Tx, type: 'contact' | 'company', text: string, limit: number) {
  return q.searchIds(tx, type, text, limit);
}
