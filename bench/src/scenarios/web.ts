/** First load of the web app: gzip size of the JS that index.html references, following static imports. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { webDist } from '../harness/paths.js';
import type { Measured } from './types.js';

const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+\.js)["']/g;

export function firstLoadJs(dist = webDist): { files: { file: string; bytes: number; gzip: number }[]; gzip: number } {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const queue: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)) {
    queue.push(path.join(dist, (m[1] ?? m[2])!.replace(/^\//, '')));
  }
  const seen = new Set<string>();
  const files: { file: string; bytes: number; gzip: number }[] = [];
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const src = readFileSync(file);
    files.push({ file: path.relative(dist, file), bytes: src.length, gzip: gzipSync(src, { level: 9 }).length });
    for (const m of src.toString('utf8').matchAll(STATIC_IMPORT)) {
      const spec = m[1]!;
      if (spec.startsWith('.') || spec.startsWith('/')) queue.push(spec.startsWith('/') ? path.join(dist, spec) : path.resolve(path.dirname(file), spec));
    }
  }
  return { files, gzip: files.reduce((s, f) => s + f.gzip, 0) };
}

export function measureWeb(): Measured {
  if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('apps/web/dist/index.html is missing (npm run build)');
  const { files, gzip } = firstLoadJs();
  const kb = gzip / 1024;
  const figures: Record<string, string> = {};
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) figures[f.file] = `${(f.bytes / 1024).toFixed(1)} KB raw, ${(f.gzip / 1024).toFixed(1)} KB gzip`;
  return {
    figures,
    notes: [`First-load JS: ${files.length} files, ${kb.toFixed(1)} KB gzip (level 9); lazy chunks (dynamic import) excluded.`],
    targets: [{ label: `first-load JS ≤ 250 KB gzip (${kb.toFixed(1)} KB)`, ok: kb <= 250 }],
  };
}
