/** Tags across contacts, companies, leads and deals: counts, rename, delete. */
import { TagEntities } from '@pillar/shared';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { normaliseTags } from '../crm-common/index.js';
import * as q from './tags.queries.js';

export async function listTags(ctx: TenantContext, entity?: q.TagEntity) {
  const rows = await withTenant(ctx, (tx) => q.tagCounts(tx, entity ? [entity] : TagEntities));
  const byTag = new Map<string, { tag: string; total: number; counts: Record<q.TagEntity, number> }>();
  for (const r of rows) {
    const t = byTag.get(r.tag) ?? { tag: r.tag, total: 0, counts: { contact: 0, company: 0, lead: 0, deal: 0 } };
    t.counts[r.entity] += r.n;
    t.total += r.n;
    byTag.set(r.tag, t);
  }
  return [...byTag.values()].sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag));
}

function one(tag: string, path: string): string {
  const [t] = normaliseTags([tag]);
  if (!t) throw new AppError('validation_failed', { message: `${path} must not be empty`, errors: [{ path, message: 'must not be empty' }] });
  return t;
}

export async function renameTag(ctx: TenantContext, input: { from: string; to: string; entity?: q.TagEntity | undefined }) {
  const from = one(input.from, 'body.from');
  const to = one(input.to, 'body.to');
  if (from === to) throw new AppError('validation_failed', { message: 'from and to are the same tag', errors: [{ path: 'body.to', message: 'must differ from "from"' }] });
  return withTenant(ctx, async (tx) => {
    let updated = 0;
    for (const entity of input.entity ? [input.entity] : TagEntities) {
      const n = await q.renameTag(tx, entity, from, to);
      updated += n;
      if (n) await recordChange(tx, ctx, { action: 'tag.rename', entity: 'tag', entityId: from, before: { tag: from, entity }, after: { tag: to, entity, records: n } });
    }
    return { updated };
  });
}

export async function deleteTag(ctx: TenantContext, tag: string, entity?: q.TagEntity) {
  const t = one(tag, 'params.tag');
  return withTenant(ctx, async (tx) => {
    let updated = 0;
    for (const e of entity ? [entity] : TagEntities) {
      const n = await q.removeTag(tx, e, t);
      updated += n;
      if (n) await recordChange(tx, ctx, { action: 'tag.delete', entity: 'tag', entityId: t, before: { tag: t, entity: e, records: n } });
    }
    return { updated };
  });
}
