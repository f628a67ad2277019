/**
 * `npm run backup -- <file>` / `npm run restore -- <file>`: one command each,
 * on the engine the configuration names (DATABASE_URL, else DATA_DIR).
 */
import { backup, restore } from './platform/backup.js';
import { loadConfig } from './platform/config.js';
import { DataDirLockedError } from './platform/db/lock.js';

async function main() {
  const [command, file] = process.argv.slice(2);
  if ((command !== 'backup' && command !== 'restore') || !file) {
    process.stderr.write('usage: backup-cli (backup|restore) <file>\n');
    process.exit(2);
  }
  const config = loadConfig();
  const started = Date.now();
  const result = command === 'backup' ? await backup(config, file) : await restore(config, file);
  const verb = command === 'backup' ? 'Backed up' : 'Restored';
  process.stdout.write(`${verb} ${result.engine === 'pglite' ? `the embedded database in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'} ` +
    `${command === 'backup' ? 'to' : 'from'} ${result.file} (${result.bytes} bytes, ${Date.now() - started} ms)\n`);
  if (command === 'restore' && result.engine === 'pglite') process.stdout.write('The replaced database was kept next to it as pgdata.before-restore-*.\n');
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError) process.stderr.write(`\n${err.message}\nStop the server before a backup or restore of the embedded database.\n\n`);
  else process.stderr.write(`\n${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
