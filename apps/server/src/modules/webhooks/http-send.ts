/**
 * One webhook POST: connects only to addresses the SSRF guard checked (lookup
 * hook, no redirects followed), bounded by a timeout, and keeps a short
 * excerpt of the answer with the signing secret and signature scrubbed out.
 */
import http from 'node:http';
import https from 'node:https';
import { checkUrlShape, safeLookup, UnsafeTargetError, type TargetPolicy } from './ssrf.js';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  excerpt: string | null;
}

const EXCERPT = 500;
const MAX_READ = 64 * 1024;

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').slice(0, EXCERPT);
}

export async function postJson(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: { policy: TargetPolicy; timeoutMs: number; secrets: string[] },
): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'latencyMs'>): SendResult => ({ ...r, latencyMs: Math.round(performance.now() - started) });
  let url: URL;
  try {
    // IP literals never reach the lookup hook, so the shape check judges them; names are judged in the hook.
    url = checkUrlShape(rawUrl, opts.policy);
  } catch (err) {
    const message = err instanceof UnsafeTargetError ? `refused: ${err.message}` : 'refused: invalid target';
    return done({ ok: false, statusCode: null, error: message, excerpt: null });
  }
  return new Promise<SendResult>((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Pillar-Webhooks/1', ...headers },
      lookup: safeLookup(opts.policy),
      agent: false,
      signal: AbortSignal.timeout(opts.timeoutMs),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_READ) chunks.push(c);
        size += c.length;
        if (size >= MAX_READ) res.destroy();
      });
      const finish = () => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        resolve(done({ ok, statusCode: status, error: ok ? null : `HTTP ${status}`, excerpt: scrub(Buffer.concat(chunks).toString('utf8'), opts.secrets) || null }));
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
      const message = err instanceof UnsafeTargetError ? `refused: ${err.message}` : timedOut ? `timed out after ${opts.timeoutMs} ms` : (err.code ?? err.message);
      resolve(done({ ok: false, statusCode: null, error: scrub(message, opts.secrets), excerpt: null }));
    });
    req.end(body);
  });
}
