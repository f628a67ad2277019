/**
 * An import racing user edits. An import with duplicate policy `update` runs
 * over 1,000 existing contacts (it sets first_name and adds a tag) while four
 * users keep editing those contacts through the API with If-Match (title and
 * a tag of their own), re-reading and retrying on 412. No edit is lost either
 * way: every committed title is the one the contact ends with, every tag
 * anyone added is there, each contact's version counts exactly its writes.
 * Undo then restores only contacts nobody changed after the import wrote
 * them, from a snapshot that holds the edits made before: a user's edit never
 * disappears, not even through undo.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withSystem } from '../../src/platform/db/system.js';
import { insertContacts } from '../data-fixtures.js';
import { createHarness, createTenant, report, SETUP_TIMEOUT, type Harness, type Tenant } from './lib/harness.js';

vi.hoisted(() => { process.env.IMPORT_BATCH_SIZE = '100'; });

const N = 1000;
const USERS = 4;

let h: Harness;
let T: Tenant;
const counts = { contacts: N, edits: 0, stale412: 0, editsAfterImport: 0, restored: 0, kept: 0 };

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'impedit', { everyRole: false });
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('import-edits', counts);
  await h?.t.close();
});

interface Contact { id: string; first_name: string; title: string | null; tags: string[]; version: number }
interface Edit { id: string; title: string; tag: string; version: number }

const get = async (id: string) => {
  const res = await h.request({ method: 'GET', url: `/api/v1/contacts/${id}`, headers: T.owner.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Contact>();
};

/** Read, change title and add a tag with If-Match; on 412 read again and retry. Returns the committed edit. */
async function edit(id: string, label: string): Promise<Edit> {
  for (;;) {
    const c = await get(id);
    const res = await h.request({
      method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: { ...T.owner.headers, 'if-match': `"${c.version}"` },
      payload: { title: label, tags: [...c.tags, label] },
    });
    if (res.statusCode === 412) {
      counts.stale412++;
      continue;
    }
    expect(res.statusCode, res.body).toBe(200);
    counts.edits++;
    const after = res.json<Contact>();
    expect(after.version).toBe(c.version + 1);
    return { id, title: label, tag: label, version: after.version };
  }
}

async function importStatus(id: string) {
  return (await h.request({ method: 'GET', url: `/api/v1/imports/${id}`, headers: T.owner.headers })).json<{ status: string; updated: number; failed: number; skipped: number }>();
}

async function rows(ids: string[]) {
  const r = await withSystem(h.t.db, (tx) => tx.query<Contact & { snap_version: number | null; snap_title: string | null; snap_first: string | null; snap_tags: string[] | null }>(
    `SELECT c.id, c.first_name, c.title, c.tags, c.version, (s.before->>'version')::int AS snap_version, s.before->>'title' AS snap_title,
            s.before->>'first_name' AS snap_first, ARRAY(SELECT jsonb_array_elements_text(s.before->'tags')) AS snap_tags
       FROM contacts c LEFT JOIN import_snapshots s ON s.record_id = c.id
      WHERE c.id = ANY($1::uuid[])`, [ids]));
  return new Map(r.rows.map((x) => [x.id, x]));
}

describe('an import with duplicate policy "update" racing user edits', () => {
  it('loses no edit: committed titles and tags survive the import, versions count every write, undo keeps later edits', { timeout: 300_000 }, async () => {
    const ids = await insertContacts(h.t.db, T.id, N, (i) => ({ first_name: 'Orig', title: `t${i}`, email: `e${i}-${T.marker.toLowerCase()}@example.test` }));
    const emails = Array.from({ length: N }, (_, i) => `e${i}-${T.marker.toLowerCase()}@example.test`);
    const csv = `Email,First Name,Tags\r\n${emails.map((e) => `${e},Imported,imported`).join('\r\n')}\r\n`;
    const up = await h.request({ method: 'POST', url: '/api/v1/imports?entity=contacts&file_name=update.csv&duplicate_policy=update', headers: { ...T.owner.headers, 'content-type': 'text/csv' }, payload: csv });
    expect(up.statusCode, up.body).toBe(201);
    const importId = up.json<{ id: string }>().id;
    expect((await h.request({ method: 'POST', url: `/api/v1/imports/${importId}/start`, headers: T.owner.headers })).statusCode).toBe(202);

    // Users edit contacts all over the file (ahead of the import, behind it, where it is) until it finishes.
    const edits: Edit[] = [];
    let running = true;
    let seq = 0;
    await Promise.all([
      ...Array.from({ length: USERS }, async (_, u) => {
        while (running) edits.push(await edit(ids[Math.floor(Math.random() * N)]!, `u${u}-${seq++}`));
      }),
      (async () => {
        for (;;) {
          const s = await importStatus(importId);
          if (!['queued', 'running'].includes(s.status)) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        running = false;
      })(),
    ]);
    expect(await importStatus(importId)).toMatchObject({ status: 'completed', updated: N, failed: 0, skipped: 0 });
    // And a few edits once it is done, so undo has later edits to respect whatever the timing above.
    for (let i = 0; i < 10; i++) edits.push(await edit(ids[i * 97]!, `after-${i}`));
    expect(edits.length).toBeGreaterThan(10);

    const last = new Map<string, Edit>();
    const tagsAdded = new Map<string, string[]>();
    const writes = new Map<string, number>();
    for (const e of edits) {
      if ((last.get(e.id)?.version ?? 0) < e.version) last.set(e.id, e);
      tagsAdded.set(e.id, [...(tagsAdded.get(e.id) ?? []), e.tag]);
      writes.set(e.id, (writes.get(e.id) ?? 0) + 1);
    }
    const imported = await rows(ids);
    for (const [i, id] of ids.entries()) {
      const c = imported.get(id)!;
      // The import's write is there, and was not lost to a user's write made from an older read.
      expect(c.first_name).toBe('Imported');
      expect(c.tags).toContain('imported');
      // Every committed edit is there: the latest title (the import does not map it), every tag anyone added.
      expect(c.title, `contact ${i}`).toBe(last.get(id)?.title ?? `t${i}`);
      for (const tag of tagsAdded.get(id) ?? []) expect(c.tags).toContain(tag);
      // One version per write: the import's update and each committed edit, nothing written silently.
      expect(c.version).toBe(1 + 1 + (writes.get(id) ?? 0));
      // The snapshot is the row the import overwrote: it holds every edit committed before that, none after.
      const before = edits.filter((e) => e.id === id && e.version <= c.snap_version!).sort((a, b) => b.version - a.version)[0];
      expect(c.snap_version).toBe(1 + edits.filter((e) => e.id === id && e.version <= c.snap_version!).length);
      expect(edits.some((e) => e.id === id && e.version === c.snap_version! + 1), `an edit slipped between the snapshot of contact ${i} and its update`).toBe(false);
      expect(c.snap_title).toBe(before?.title ?? `t${i}`);
    }
    const audits = await withSystem(h.t.db, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action = 'contact.update'`, [T.id]));
    expect(audits.rows[0]!.n).toBe(edits.length);

    const undo = await h.request({ method: 'POST', url: `/api/v1/imports/${importId}/undo`, headers: T.owner.headers });
    expect(undo.statusCode, undo.body).toBe(202);
    for (let i = 0; i < 600 && (await importStatus(importId)).status !== 'undone'; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await importStatus(importId)).status).toBe('undone');

    const after = await rows(ids);
    for (const [i, id] of ids.entries()) {
      const was = imported.get(id)!;
      const c = after.get(id)!;
      const changedSince = was.version !== was.snap_version! + 1;
      if (changedSince) {
        // Someone changed it after the import wrote it: undo leaves it exactly as it was.
        counts.kept++;
        expect({ first_name: c.first_name, title: c.title, tags: c.tags, version: c.version }, `contact ${i}`).toEqual({ first_name: was.first_name, title: was.title, tags: was.tags, version: was.version });
      } else {
        // Nobody did: the import's changes are gone, the edits made before it stay.
        counts.restored++;
        expect({ first_name: c.first_name, title: c.title, tags: c.tags }, `contact ${i}`).toEqual({ first_name: 'Orig', title: was.snap_title, tags: was.snap_tags });
        expect(c.version).toBe(was.version + 1);
      }
      // Whatever happened, the last committed edit is still what the contact shows.
      if (last.has(id)) expect(c.title).toBe(last.get(id)!.title);
    }
    counts.editsAfterImport = counts.kept;
    expect(counts.kept).toBeGreaterThanOrEqual(10);
    expect(counts.restored).toBeGreaterThan(0);
    const undoAudit = await withSystem(h.t.db, (tx) => tx.query<{ changes: Record<string, { after: unknown }> }>(
      `SELECT changes FROM audit_log WHERE tenant_id = $1 AND action = 'import.undo' AND entity_id = $2`, [T.id, importId]));
    expect(undoAudit.rows[0]!.changes).toMatchObject({ restored: { after: counts.restored }, kept: { after: counts.kept } });
  });
});
