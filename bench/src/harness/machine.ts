import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.js';

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

export function machineInfo(database: string): Record<string, string> {
  const cpus = os.cpus();
  return {
    machine: `${cpus.length} cores (${cpus[0]?.model.trim() ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`,
    versions: `Node ${process.version}, fastify ${pkgVersion('fastify')}, pg ${pkgVersion('pg')}, PGlite ${pkgVersion('@electric-sql/pglite')}, autocannon ${pkgVersion('autocannon')}; database: ${database}`,
    'load average at start': os.loadavg().map((l) => l.toFixed(1)).join(' / ') + ' (the machine is shared; figures are noisier when it is busy)',
  };
}
