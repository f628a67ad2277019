import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { withSystem } from '../../platform/db/system.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose JSON records
type Rec = Record<string, any>;
let t: TestApp;
let owner: Principal;
let other: Principal;
let member: Principal;

const api = (p: Principal, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));
const sql = async <T = Rec>(text: string, params: unknown[] = []) => (await withSystem(t.db, (tx) => tx.query<T>(text, params))).rows;
const newPipeline = async (name: string, stages?: Rec[]) => {
  const res = await api(owner, 'POST', '/pipelines', { name, ...(stages ? { stages } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Rec>();
};

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
});
afterAll(() => t.close());

describe('pipelines', () => {
  it('gives a new firm one default Sales pipeline, even under concurrent first reads', async () => {
    const fresh = await signUp(t.server);
    const results = await Promise.all([1, 2, 3].map(() => api(fresh, 'GET', '/pipelines')));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const [p] = results[0]!.json().data as Rec[];
    expect(p).toMatchObject({ name: 'Sales', is_default: true });
    expect(p!.stages.map((s: Rec) => [s.name, s.probability, s.kind])).toEqual([
      ['Lead in', 10, 'open'], ['Qualified', 25, 'open'], ['Proposal', 50, 'open'], ['Negotiation', 75, 'open'], ['Won', 100, 'won'], ['Lost', 0, 'lost'],
    ]);
    expect(await sql('SELECT 1 FROM pipelines WHERE tenant_id = $1', [fresh.tenantId])).toHaveLength(1);
  });

  it('needs pipelines:manage to change, and validates', async () => {
    expect((await api(member, 'POST', '/pipelines', { name: 'Member pipeline' })).statusCode).toBe(403);
    expect(await sql('SELECT 1 FROM pipelines WHERE name = $1', ['Member pipeline'])).toHaveLength(0);
    expect((await api(member, 'GET', '/pipelines')).statusCode).toBe(200);
    expect((await api(owner, 'POST', '/pipelines', { name: 'Closed only', stages: [{ name: 'Won', kind: 'won' }] })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/pipelines', { name: 'x', stages: [{ name: 'a', probability: 101 }] })).statusCode).toBe(400);
  });

  it('renames, switches the default, reorders stages with If-Match', async () => {
    const p = await newPipeline('Renewals', [{ name: 'A' }, { name: 'B' }, { name: 'C', kind: 'won' }]);
    const renamed = await api(owner, 'PATCH', `/pipelines/${p.id}`, { name: 'Renewals 2027', is_default: true }, { 'if-match': `"${p.version}"` });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Renewals 2027', is_default: true });
    expect((await sql('SELECT count(*)::int AS n FROM pipelines WHERE tenant_id = $1 AND is_default', [owner.tenantId]))[0]!.n).toBe(1);
    const ids = (p.stages as Rec[]).map((s) => s.id);
    const reordered = await api(owner, 'PUT', `/pipelines/${p.id}/stage-order`, { stage_ids: [ids[2], ids[0], ids[1]] }, { 'if-match': `"${renamed.json().version}"` });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json().stages.map((s: Rec) => s.name)).toEqual(['C', 'A', 'B']);
    expect((await api(owner, 'PUT', `/pipelines/${p.id}/stage-order`, { stage_ids: [ids[0]] })).statusCode).toBe(400);
    expect((await api(owner, 'PUT', `/pipelines/${p.id}/stage-order`, { stage_ids: ids }, { 'if-match': `"${p.version}"` })).statusCode).toBe(412);
    expect((await api(other, 'PATCH', `/pipelines/${p.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await sql('SELECT name FROM pipelines WHERE id = $1', [p.id]))[0]!.name).toBe('Renewals 2027');
  });

  it('archives a stage only when its deals move, never orphaning them', async () => {
    const p = await newPipeline('Archive test', [{ name: 'S1' }, { name: 'S2' }, { name: 'S3' }]);
    const [s1, s2, s3] = p.stages as Rec[];
    const d1 = (await api(owner, 'POST', '/deals', { name: 'd1', stage_id: s1!.id })).json<Rec>();
    await api(owner, 'POST', '/deals', { name: 'd2', stage_id: s1!.id });
    await api(owner, 'POST', '/deals', { name: 'd3', stage_id: s2!.id });
    const refused = await api(owner, 'POST', `/stages/${s1!.id}/archive`, {});
    expect(refused.statusCode).toBe(409);
    expect((await api(owner, 'POST', `/stages/${s1!.id}/archive`, { move_to_stage_id: s1!.id })).statusCode).toBe(422);
    const foreignStage = (await api(other, 'GET', '/pipelines')).json().data[0].stages[0].id;
    expect((await api(owner, 'POST', `/stages/${s1!.id}/archive`, { move_to_stage_id: foreignStage })).statusCode).toBe(422);
    const ok = await api(owner, 'POST', `/stages/${s1!.id}/archive`, { move_to_stage_id: s2!.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().archived_at).toBeTruthy();
    const inS2 = (await api(owner, 'GET', `/stages/${s2!.id}/deals`)).json().data.map((d: Rec) => d.name);
    expect(inS2).toEqual(['d3', 'd1', 'd2']);
    expect(await sql('SELECT 1 FROM deals WHERE stage_id = $1 AND deleted_at IS NULL', [s1!.id])).toHaveLength(0);
    const history = await sql<Rec>('SELECT from_stage_id, to_stage_id FROM deal_stage_history WHERE deal_id = $1 ORDER BY moved_at, id', [d1.id]);
    expect(history.at(-1)).toEqual({ from_stage_id: s1!.id, to_stage_id: s2!.id });
    expect((await api(owner, 'POST', '/deals', { name: 'x', stage_id: s1!.id })).statusCode).toBe(422);
    expect((await api(owner, 'PATCH', `/stages/${s3!.id}`, { name: 'Third', probability: 60 })).json()).toMatchObject({ name: 'Third', probability: 60 });
    await api(owner, 'POST', `/stages/${s3!.id}/archive`, {});
    // S2 is now the pipeline's last open stage.
    expect((await api(owner, 'POST', `/stages/${s2!.id}/archive`, { move_to_stage_id: s3!.id })).statusCode).toBe(409);
    expect((await api(owner, 'POST', `/stages/${s2!.id}/archive`, {})).statusCode).toBe(409);
    expect(await sql('SELECT 1 FROM deals WHERE stage_id = $1 AND deleted_at IS NULL', [s2!.id])).toHaveLength(3);
  });

  it('archives a pipeline by moving its deals to another pipeline; the default cannot be archived', async () => {
    const from = await newPipeline('Old');
    const to = await newPipeline('New');
    await api(owner, 'POST', '/deals', { name: 'moving', pipeline_id: from.id });
    expect((await api(owner, 'POST', `/pipelines/${from.id}/archive`, {})).statusCode).toBe(409);
    const ok = await api(owner, 'POST', `/pipelines/${from.id}/archive`, { move_to_stage_id: to.stages[0].id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await sql('SELECT pipeline_id FROM deals WHERE name = $1 AND tenant_id = $2', ['moving', owner.tenantId]))[0]!.pipeline_id).toBe(to.id);
    const list = (await api(owner, 'GET', '/pipelines')).json().data.map((p: Rec) => p.id);
    expect(list).not.toContain(from.id);
    const def = (await api(owner, 'GET', '/pipelines')).json().data.find((p: Rec) => p.is_default);
    expect((await api(owner, 'POST', `/pipelines/${def.id}/archive`, { move_to_stage_id: to.stages[0].id })).statusCode).toBe(409);
  });
});
