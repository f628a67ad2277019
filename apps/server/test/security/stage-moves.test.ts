/**
 * Concurrent board moves through the API. Forty deals are created at the end
 * of one stage at once, moved into another stage at once, then re-ordered
 * within it at once (thirty moves after fixed anchor cards, ten more arriving
 * from a third stage before them). Afterwards each deal is in exactly one
 * stage, the board lists it once, positions in a stage are unique and
 * strictly ordered, every move landed between the cards it was aimed at, and
 * stage history, audit rows and events hold exactly one entry per successful
 * move. Twenty moves of one deal with one If-Match: one wins, one history row.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/system.js';
import { createHarness, createTenant, report, SETUP_TIMEOUT, type Harness, type Tenant } from './lib/harness.js';

interface Deal { id: string; stage_id: string; position: string; version: number }

let h: Harness;
let T: Tenant;
let stages: string[];
const counts = { requests: 0, moves: 0, reorders: 0, rejected: 0 };

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'moves', { everyRole: false });
  const res = await h.request({ method: 'GET', url: '/api/v1/pipelines', headers: T.owner.headers });
  expect(res.statusCode, res.body).toBe(200);
  const pipeline = res.json<{ data: Array<{ is_default: boolean; stages: Array<{ id: string; kind: string }> }> }>().data.find((p) => p.is_default)!;
  stages = pipeline.stages.filter((s) => s.kind === 'open').map((s) => s.id);
  expect(stages.length).toBeGreaterThanOrEqual(3);
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('stage-moves', counts);
  await h?.t.close();
});

function parallel<R>(n: number, fn: (i: number) => Promise<R>): Promise<R[]> {
  counts.requests += n;
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

const move = (id: string, body: Record<string, unknown>, version?: number) => h.request({
  method: 'POST', url: `/api/v1/deals/${id}/stage`, payload: body,
  headers: { ...T.owner.headers, ...(version !== undefined ? { 'if-match': `"${version}"` } : {}) },
});

function expectAll(results: LightMyRequestResponse[], status: number, what: string) {
  const bad = results.filter((r) => r.statusCode !== status).map((r) => `${r.statusCode} ${r.body.slice(0, 200)}`);
  expect(bad, what).toEqual([]);
}

async function createDeals(n: number, stageId: string, label: string): Promise<Deal[]> {
  const made = await parallel(n, (i) => h.request({ method: 'POST', url: '/api/v1/deals', headers: T.owner.headers, payload: { name: `${label} ${i}`, stage_id: stageId } }));
  expectAll(made, 201, `${n} parallel creates into one stage`);
  return made.map((r) => r.json<Deal>());
}

async function dbDeals(): Promise<Deal[]> {
  const r = await withSystem(h.t.db, (tx) => tx.query<Deal>(
    `SELECT id, stage_id, position, version FROM deals WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY stage_id, position COLLATE "C"`, [T.id]));
  return r.rows;
}

/** Every card of every stage, in board order, through GET /stages/:id/deals. */
async function boardCards(): Promise<Map<string, Deal[]>> {
  const out = new Map<string, Deal[]>();
  for (const stage of stages) {
    const cards: Deal[] = [];
    let cursor: string | null = null;
    do {
      const res = await h.request({ method: 'GET', url: `/api/v1/stages/${stage}/deals?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: T.owner.headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ data: Deal[]; next_cursor: string | null }>();
      cards.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    out.set(stage, cards);
  }
  return out;
}

/** One stage per deal, listed once, positions unique and strictly increasing in board order, same as the database. */
async function expectConsistentBoard(all: Deal[]) {
  const board = await boardCards();
  const listed = [...board.values()].flat();
  expect(listed.map((d) => d.id).sort()).toEqual(all.map((d) => d.id).sort());
  const db = new Map((await dbDeals()).map((d) => [d.id, d]));
  for (const [stage, cards] of board) {
    for (const c of cards) expect(db.get(c.id)).toMatchObject({ stage_id: stage, position: c.position });
    for (let i = 1; i < cards.length; i++) expect(cards[i - 1]!.position < cards[i]!.position, `stage ${stage}: ${cards[i - 1]!.position} < ${cards[i]!.position}`).toBe(true);
  }
  return db;
}

async function traces() {
  const r = await withSystem(h.t.db, (tx) => tx.query<{ deal_id: string; moves: number; created: number; chain_ok: boolean; last_to: string }>(
    `SELECT h.deal_id,
            count(*) FILTER (WHERE h.from_stage_id IS NOT NULL)::int AS moves,
            count(*) FILTER (WHERE h.from_stage_id IS NULL)::int AS created,
            bool_and(h.from_stage_id IS NOT DISTINCT FROM h.prev_to) AS chain_ok,
            (array_agg(h.to_stage_id::text ORDER BY h.n DESC))[1] AS last_to
       FROM (SELECT x.*, row_number() OVER w AS n, lag(x.to_stage_id) OVER w AS prev_to
               FROM deal_stage_history x WHERE x.tenant_id = $1 WINDOW w AS (PARTITION BY x.deal_id ORDER BY x.moved_at, x.id)) h
      GROUP BY h.deal_id`, [T.id]));
  const audit = await withSystem(h.t.db, (tx) => tx.query<{ action: string; n: number }>(
    `SELECT action, count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND action IN ('deal.move', 'deal.reorder') GROUP BY action`, [T.id]));
  const events = await withSystem(h.t.db, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'deal.stage_changed'`, [T.id]));
  return {
    history: new Map(r.rows.map((x) => [x.deal_id, x])),
    audit: Object.fromEntries(audit.rows.map((x) => [x.action, x.n])) as Record<string, number | undefined>,
    stageChanged: events.rows[0]!.n,
  };
}

describe('concurrent stage moves', () => {
  it('40 parallel creates, 40 parallel moves into one stage, 40 parallel re-orders: consistent board, one history row per move', { timeout: 300_000 }, async () => {
    const [s0, s1, s2] = stages as [string, string, string];
    const deals = await createDeals(40, s0, 'Board');
    const arriving = await createDeals(10, s2, 'Arriving');
    await expectConsistentBoard([...deals, ...arriving]);

    // All forty into s1 at once, each with its own If-Match: they all append at the end of the same stage.
    const moved = await parallel(40, (i) => move(deals[i]!.id, { stage_id: s1, note: `bulk ${i}` }, deals[i]!.version));
    expectAll(moved, 200, '40 parallel moves of different deals into one stage');
    counts.moves += 40;
    let db = await expectConsistentBoard([...deals, ...arriving]);
    for (const d of deals) expect(db.get(d.id)!.stage_id).toBe(s1);

    // Ten cards stay put as anchors; thirty others move after them and ten arrive from s2 before them, all at once.
    const anchors = deals.slice(30).map((d) => db.get(d.id)!).sort((a, b) => (a.position < b.position ? -1 : 1));
    const movers = deals.slice(0, 30);
    const burst = await Promise.all([
      parallel(30, (i) => move(movers[i]!.id, { stage_id: s1, after_id: anchors[i % 10]!.id })),
      parallel(10, (i) => move(arriving[i]!.id, { stage_id: s1, before_id: anchors[i]!.id })),
    ]);
    expectAll(burst[0], 200, '30 parallel re-orders within the stage');
    expectAll(burst[1], 200, '10 parallel moves into the stage before given cards');
    counts.reorders += 30;
    counts.moves += 10;

    db = await expectConsistentBoard([...deals, ...arriving]);
    const pos = (id: string) => db.get(id)!.position;
    for (const a of anchors) expect(pos(a.id), 'anchors did not move').toBe(a.position);
    // Each card landed in the gap it was aimed at, whatever else landed there at the same time.
    movers.forEach((m, i) => {
      const k = i % 10;
      expect(pos(m.id) > anchors[k]!.position && (k === 9 || pos(m.id) < anchors[k + 1]!.position), `mover ${i} after anchor ${k}`).toBe(true);
      expect(db.get(m.id)!.stage_id).toBe(s1);
    });
    arriving.forEach((m, i) => {
      expect(pos(m.id) < anchors[i]!.position && (i === 0 || pos(m.id) > anchors[i - 1]!.position), `arrival ${i} before anchor ${i}`).toBe(true);
      expect(db.get(m.id)!.stage_id).toBe(s1);
    });

    // History: a creation row and exactly one row per stage change, chained from → to, ending where the deal is.
    const t = await traces();
    for (const d of [...deals, ...arriving]) {
      expect(t.history.get(d.id)).toMatchObject({ created: 1, moves: 1, chain_ok: true, last_to: s1 });
    }
    expect(t.audit).toEqual({ 'deal.move': 50, 'deal.reorder': 30 });
    expect(t.stageChanged).toBe(50);
  });

  it('20 parallel moves of one deal with one If-Match: one 200, 19 × 412, one history row', { timeout: 120_000 }, async () => {
    const [s0, , s2] = stages as [string, string, string];
    const [deal] = await createDeals(1, s0, 'Contested');
    const before = await traces();
    const results = await parallel(20, (i) => move(deal!.id, { stage_id: i % 2 ? s2 : stages[1]!, note: `racer ${i}` }, deal!.version));
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 412), results.filter((r) => r.statusCode !== 412).map((r) => `${r.statusCode} ${r.body.slice(0, 160)}`).join('\n')).toHaveLength(19);
    counts.moves += 1;
    counts.rejected += 19;
    const winner = results.find((r) => r.statusCode === 200)!.json<Deal>();
    const after = await traces();
    expect(after.history.get(deal!.id)).toMatchObject({ created: 1, moves: 1, chain_ok: true, last_to: winner.stage_id });
    expect(after.stageChanged - before.stageChanged).toBe(1);
    expect((after.audit['deal.move'] ?? 0) - (before.audit['deal.move'] ?? 0)).toBe(1);
    const db = new Map((await dbDeals()).map((d) => [d.id, d]));
    expect(db.get(deal!.id)).toMatchObject({ stage_id: winner.stage_id, version: deal!.version + 1 });
    expect(winner.stage_id).not.toBe(s0);
  });
});
