// `npm start`: builds the web app and the server when their sources are newer
// than the last build, then runs the server in this process.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => path.join(root, ...p);

function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSync(p)) walk(path.join(p, f));
    else latest = Math.max(latest, s.mtimeMs);
  };
  paths.forEach(walk);
  return latest;
}

function stale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < newest(sources);
}

const shared = at('packages/shared/src');
if (stale(at('apps/web/dist/index.html'), [at('apps/web/src'), at('apps/web/index.html'), shared])) {
  console.log('Building the web app…');
  execSync('npm run build -w apps/web', { cwd: root, stdio: 'inherit' });
}
if (stale(at('apps/server/dist/main.js'), [at('apps/server/src'), shared])) {
  console.log('Building the server…');
  execSync('npm run build -w apps/server', { cwd: root, stdio: 'inherit' });
}
await import(at('apps/server/dist/main.js'));
