/**
 * fast-check arbitraries for hostile input: strings with control characters,
 * lone surrogates and SQL metacharacters, numbers at and past their limits,
 * prototype-polluting keys, deep nesting, huge arrays, broken JSON text and
 * wrong content types — mixed into otherwise valid requests built from each
 * route's schema.
 */
import fc from 'fast-check';
import type { Schemas, JsonSchema } from './openapi.js';

export const SQL_PAYLOADS = [
  "'", "''", '"', '`', ';', '--', '/*', '*/', '\\', '%', '_', '$1', '$$',
  "' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE contacts; --", "1; SELECT pg_sleep(5)--",
  "' UNION SELECT id, email, password_hash FROM users --", "') OR ('a'='a", "\\'; SET ROLE postgres; --",
  "'||(SELECT current_setting('app.tenant_id'))||'", "E'\\x27'", '$$; DROP TABLE tenants; $$',
  "name' = 'x", 'tenant_id', "1' AND (SELECT count(*) FROM tenants) > 0 --",
];

export const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\u0007\u0008\u001b[31m', '\r\n\r\n', '\t', '\u2028\u2029', '\uFEFF',
  '\uD800', '\uDFFF', 'a\uD83Db', '\uDE00x', '😀', '👩‍👩‍👧‍👦', 'Z̴̡̢̛̗̘̙̜̝̞̟̠̀́̂̃̄̅̆̇̉̊̋̌̍̎̏̐̑̒̓̔̕̚', '\u202Egnp.exe', 'ＡＢＣ',
  '__proto__', 'constructor', 'prototype', 'toString', 'null', 'undefined', 'NaN', 'Infinity', '-0', 'true',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', '${7*7}', '../../../etc/passwd', '%00', '%E0%A4%A',
  '=cmd|\' /C calc\'!A0', '0000-00-00', '2026-02-30', '2026-13-01T25:61:61Z', '99999-01-01', '1970-01-01T00:00:00Z',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '01234567-89ab-cdef-0123-456789abcdef', 'not-a-uuid',
  '1e308', '-1e308', '1e309', '9007199254740993', '-9007199254740993', '0x10', '1_000', '١٢٣',
  ...SQL_PAYLOADS,
];

export const NASTY_NUMBERS: unknown[] = [
  0, -0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 53 + 1), Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 2 ** 31, -(2 ** 31) - 1,
  'NaN', 'Infinity', '-Infinity', '1e309', '', ' 1', '1 ', '0x1F', '1e2', '-0', '00001',
];

/** encodeURIComponent that also takes lone surrogates, sending their raw (invalid UTF-8) bytes. */
export function encodeAny(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return Array.from(value, (ch) => {
      const c = ch.charCodeAt(0);
      if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) {
        return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(ch);
    }).join('');
  }
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'];

export function deep(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...SQL_PAYLOADS), fc.string({ maxLength: 8 })).map(([a, b]) => `${b}${a}`) },
);

export const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(...NASTY_NUMBERS),
  fc.constantFrom(null, true, false),
  fc.double(),
  fc.integer(),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: hostileScalar },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('v'), { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.integer({ min: 50, max: 400 }).map((n) => deep(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
  ),
})).v;

/** A body as raw JSON text, so keys like __proto__ and duplicated keys survive. */
export type RawBody = { text: string; contentType: string | undefined };

function objectText(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
}

/** Mutations of a valid body: one field made hostile, a field dropped, keys duplicated or polluting, or the JSON broken. */
export function mutatedBody(schemas: Schemas, schema: JsonSchema | null, valid: unknown): fc.Arbitrary<RawBody> {
  const s = schema ? (schemas.variants(schema)[0] ?? {}) : {};
  const keys = Object.keys(s.properties ?? {});
  const base = valid && typeof valid === 'object' && !Array.isArray(valid) ? Object.entries(valid as Record<string, unknown>) : [];
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant('field');
  const json = (text: string): RawBody => ({ text, contentType: 'application/json' });
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(key, hostileValue).map(([k, v]) => json(objectText([...base.filter(([x]) => x !== k), [k, v]]))) },
    { weight: 1, arbitrary: key.map((k) => json(objectText(base.filter(([x]) => x !== k)))) },
    { weight: 1, arbitrary: fc.tuple(key, hostileValue).map(([k, v]) => json(objectText([...base, [k, v]]))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROTO_KEYS), hostileValue).map(([k, v]) => json(objectText([...base, [k, { isAdmin: true, role: 'owner', polluted: v }]]))) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => json(JSON.stringify(valid ?? {}).slice(0, n))) },
    { weight: 1, arbitrary: hostileValue.map((v) => json(JSON.stringify(v) ?? 'null')) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '[', '{"a":', 'nul', '{"a":1}}', '{"a":1,}', "{'a':1}", '\uFEFF{}', '{"a":"\\ud800"}', '{"a":1e999}').map(json) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json; charset=utf-16', 'application/json;;', 'application/JSON', '*/*', ''),
        fc.constantFrom(JSON.stringify(valid ?? {}), 'a=1&b=2', '<a/>'),
      ).map(([contentType, text]): RawBody => ({ text, contentType: contentType || undefined })),
    },
  );
}

/** A path-parameter value: real, hostile, or malformed percent-encoding. */
export function pathValue(real: string): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(encodeURIComponent(real)) },
    { weight: 4, arbitrary: hostileString.map((x) => encodeAny(x.slice(0, 300))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..', '.', '%2e%2e%2f', '%2F', 'a%20b', '%C0%AE') },
  );
}

/** A query string: known names with hostile values, unknown names, repeated names, a hostile filter. */
export function queryString(names: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...(names.length ? names : ['q'])), fc.constantFrom('unknown', '__proto__', 'constructor[prototype]', 'a[b]', 'filter', 'sort'));
  const value = fc.oneof(
    hostileString,
    fc.constantFrom(...NASTY_NUMBERS).map(String),
    hostileValue.map((v) => JSON.stringify(v) ?? ''),
    fc.constantFrom('{"field":"name","op":"eq","value":"\' OR 1=1 --"}', '{"and":[]}', '{"field":"x;drop","op":"eq"}', '-', '--name', '-name;drop'),
  );
  return fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v.slice(0, 2000))}`).join('&'));
}

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record({
  'if-match': fc.constantFrom('"1"', '"0"', '"-1"', '"9007199254740993"', 'W/"1"', '*', '"', 'nonsense', '"1", "2"', '""'),
  'idempotency-key': fc.oneof(fc.constantFrom('k', 'x'.repeat(256), 'a b', 'ключ', '\t'), fc.string({ unit: 'grapheme-ascii', maxLength: 20 })),
  accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
  'x-request-id': fc.constantFrom('abc', '../../x', 'x'.repeat(100), '<script>', 'a\u0000b'.replace('\u0000', '')),
}, { requiredKeys: [] });
