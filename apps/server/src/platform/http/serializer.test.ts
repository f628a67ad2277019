/** The response serializer: declared keys only, nullable fields, and the contract check of the test suites. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerProblemHandlers } from './problem.js';
import { responseSerializer } from './serializer.js';

const Row = z.object({
  id: z.string(),
  name: z.string().nullable(),
  tags: z.array(z.string()),
  address: z.record(z.string(), z.unknown()),
  kind: z.union([z.literal('a'), z.object({ code: z.number() })]),
});

async function serve(check: boolean, data: unknown) {
  const app = Fastify({ logger: false });
  app.setSerializerCompiler(responseSerializer({ check }));
  registerProblemHandlers(app);
  app.get('/x', { schema: { response: { 200: z.object({ data: z.array(Row) }) } } }, async () => data);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/x`);
    return { status: res.status, body: await res.text() };
  } finally {
    await app.close();
  }
}

const row = { id: '1', name: null, tags: ['x'], address: { city: 'Oslo', n: 2 }, kind: { code: 7 } };

describe('response serializer', () => {
  for (const check of [false, true]) {
    it(`writes declared keys only, nulls and free-form objects as given (check ${check})`, async () => {
      const res = await serve(check, { data: [{ ...row, password_hash: 'secret' }, { ...row, name: 'Ann', kind: 'a' }], extra: 1 });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ data: [row, { ...row, name: 'Ann', kind: 'a' }] });
      expect(res.body).not.toContain('secret');
    });
  }

  it('coerces a broken row when unchecked, and fails the response when checked', async () => {
    const broken = { data: [{ ...row, id: null }] };
    const loose = await serve(false, broken);
    expect(loose.status).toBe(200);
    expect(JSON.parse(loose.body).data[0].id).toBe('');
    const checked = await serve(true, broken);
    expect(checked.status).toBe(500);
    expect(checked.body).not.toContain('"id":""');
  });
});
