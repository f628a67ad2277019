/**
 * The uploaded CSV on disk: written from the request stream (never held in
 * memory), sniffed for delimiter and header, then read back as a stream of
 * records with their line numbers (RFC 4180 via csv-parse).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type Info } from 'csv-parse';
import { AppError } from '../../platform/errors.js';

export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
export const MAX_COLUMNS = 500;

export function importFile(dataDir: string, tenantId: string, importId: string): string {
  return path.join(dataDir, 'imports', tenantId, `${importId}.csv`);
}

export async function saveUpload(body: Readable, file: string, maxBytes = MAX_UPLOAD_BYTES): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) done(new AppError('payload_too_large', { message: `The file is larger than ${maxBytes} bytes` }));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return size;
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Comma or semicolon: whichever appears more often outside quotes on the header line. */
export function detectDelimiter(firstLine: string): ',' | ';' {
  let quoted = false;
  let commas = 0;
  let semis = 0;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

function invalidFile(message: string): AppError {
  return new AppError('validation_failed', { message, errors: [{ path: 'body', message }] });
}

export async function sniff(file: string): Promise<{ delimiter: ',' | ';'; headers: string[] }> {
  const handle = await open(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    head = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
  const delimiter = detectDelimiter(head.split(/\r?\n/, 1)[0] ?? '');
  let headers: string[] | undefined;
  try {
    for await (const row of createReadStream(file).pipe(parse({ delimiter, bom: true, to: 1, relax_column_count: true, skip_empty_lines: true }))) {
      headers = (row as string[]).map((h) => h.trim());
    }
  } catch (err) {
    throw invalidFile(`The header row is not valid CSV: ${(err as Error).message}`);
  }
  if (!headers?.length || headers.every((h) => !h)) throw invalidFile('The file is empty or has no header row');
  if (headers.length > MAX_COLUMNS) throw invalidFile(`The file has more than ${MAX_COLUMNS} columns`);
  return { delimiter, headers };
}

export interface SourceRecord {
  record: string[];
  /** CSV line on which the record ends (1 is the header). */
  line: number;
  /** Bytes of the file consumed so far. */
  bytes: number;
}

/** Data records after the header, skipping the first `skip` (already committed by an earlier run). */
export async function* readRecords(file: string, delimiter: string, skip = 0): AsyncGenerator<SourceRecord> {
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse({
    delimiter, bom: true, from: 2, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true, max_record_size: 1024 * 1024,
  }));
  let seen = 0;
  for await (const item of parser) {
    // Counted here rather than with csv-parse's `from`, so skipped empty records never shift a resume.
    if (seen++ < skip) continue;
    const { record, info } = item as { record: string[]; info: Info };
    yield { record, line: info.lines, bytes: info.bytes };
  }
}
