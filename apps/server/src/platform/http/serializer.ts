/**
 * Response serialization. Each route's Zod response schema is turned into a
 * JSON Schema once, at start, and compiled by fast-json-stringify: it writes
 * only the declared properties (a column added to a query never leaks) and
 * costs a fraction of validating with Zod and then calling JSON.stringify
 * (a page of 50 contacts: see bench/src/harness/findings.md).
 *
 * fast-json-stringify coerces where Zod would refuse (a null in a
 * non-nullable string becomes ""), so with `check` on — the test suites —
 * every response is also encoded by Zod and the two outputs must agree; a
 * drift between a query and its contract fails the test that sent it.
 */
import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

type JsonSchema = { [key: string]: unknown };

/** Zod writes `T | null` as anyOf [T, {type: null}]; fast-json-stringify tries anyOf branches with a validator, so say `nullable`. */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    out[key] = key === 'properties' || key === '$defs' || key === 'definitions'
      ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, simplify(v)]))
      : simplify(value);
  }
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nonNull = anyOf.filter((s) => s.type !== 'null');
    if (nonNull.length === 1 && typeof nonNull[0]!.type === 'string' && nonNull[0]!.type !== 'null') {
      const { anyOf: _drop, ...rest } = out;
      return { ...rest, ...nonNull[0], nullable: true };
    }
  }
  return out;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return simplify(z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' })) as JsonSchema;
}

export class ResponseContractError extends Error {
  constructor(method: string, url: string, detail: string) {
    super(`Response of ${method} ${url} does not match its schema: ${detail}`);
    this.name = 'ResponseContractError';
  }
}

export function responseSerializer(opts: { check: boolean }): FastifySerializerCompiler<unknown> {
  return ({ schema: given, method, url }) => {
    // A response given as { description, properties: schema } carries its schema in `properties`.
    const schema = given instanceof z.ZodType ? given : (given as { properties?: unknown } | null)?.properties;
    if (!(schema instanceof z.ZodType)) throw new Error(`${method} ${url}: response schemas must be Zod schemas`);
    // Compiled on a route's first response, so that a start does not pay for every route; the checked
    // (test) mode compiles at once, so that a schema fast-json-stringify cannot take fails every suite.
    const compile = () => fastJson(jsonSchemaOf(schema)) as (data: unknown) => string;
    if (!opts.check) {
      let compiled: ((data: unknown) => string) | undefined;
      return (data: unknown) => (compiled ??= compile())(data);
    }
    const stringify = compile();
    return (data: unknown) => {
      const text = stringify(data);
      const encoded = z.safeEncode(schema, data);
      if (!encoded.success) throw new ResponseContractError(method, url, z.prettifyError(encoded.error));
      const expected = JSON.stringify(encoded.data);
      if (!isDeepStrictEqual(JSON.parse(text), expected === undefined ? undefined : JSON.parse(expected))) {
        throw new ResponseContractError(method, url, `fast serializer wrote ${text.slice(0, 300)}, the contract ${expected?.slice(0, 300)}`);
      }
      return text;
    };
  };
}
