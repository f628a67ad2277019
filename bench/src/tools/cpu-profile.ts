/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and
 * by package, to see where a request's CPU goes.
 *   npx tsx bench/src/tools/cpu-profile.ts bench/out/prof-postgres/CPU….cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native/idle)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/dist/main.js')) return 'server (dist/main.js)';
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

export function summarise(file: string, top = 25): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${packageOf(f.url)}:${f.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const k = f.functionName === '(idle)' ? '(idle)' : f.functionName === '(garbage collector)' ? '(gc)' : packageOf(f.url);
    pkg.set(k, (pkg.get(k) ?? 0) + us);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  return `total ${(total / 1e6).toFixed(1)} s sampled\n\nby package:\n${fmt(pkg)}\n\nby function (self):\n${fmt(fn)}\n`;
}

const [file, top] = process.argv.slice(2);
if (file) console.log(summarise(file, Number(top ?? 25)));
