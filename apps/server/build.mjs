// Bundles the server (and the shared contracts) into dist/; npm dependencies stay external.
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => name !== '@pillar/shared');
const entryPoints = ['src/main.ts', 'src/worker.ts', 'src/backup-cli.ts'].filter((f) => existsSync(new URL(f, import.meta.url)));

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external,
  logLevel: 'warning',
});
