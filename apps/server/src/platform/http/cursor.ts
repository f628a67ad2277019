import { AppError } from '../errors.js';

/** Opaque keyset cursors: base64url JSON of the last row's sort values. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes and checks shape; anything malformed is a 400, never a 500. */
export function decodeCursor(cursor: string, kinds: readonly ('string' | 'number' | 'uuid' | 'nullable-string' | 'scalar')[]): unknown[] {
  const bad = () => new AppError('invalid_cursor', { message: 'The cursor is malformed or belongs to another list' });
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(values) || values.length !== kinds.length) throw bad();
  kinds.forEach((kind, i) => {
    const v: unknown = values[i];
    const ok =
      kind === 'scalar'
        ? typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 1000)
        : kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'uuid'
          ? typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v)
          : kind === 'nullable-string'
            ? v === null || (typeof v === 'string' && v.length <= 1000)
            : typeof v === 'string' && v.length <= 1000;
    if (!ok) throw bad();
  });
  return values;
}

export function pageResult<T>(rows: T[], limit: number, cursorOf: (last: T) => unknown[]) {
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, next_cursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
