import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const repoRoot = path.resolve(benchDir, '..');
export const outDir = path.join(benchDir, 'out');
export const resultsFile = path.join(benchDir, 'RESULTS.md');
export const serverMain = path.join(repoRoot, 'apps/server/dist/main.js');
export const webDist = path.join(repoRoot, 'apps/web/dist');
