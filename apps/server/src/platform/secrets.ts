/**
 * Security-critical: server secrets. Taken from the environment when given,
 * otherwise generated once and kept in `<DATA_DIR>/secrets.json` (mode 0600).
 * Never logged.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Secrets {
  jwtSecret: string;
}

export function loadSecrets(dataDir: string, fromEnv: { jwtSecret?: string | undefined }): Secrets {
  if (fromEnv.jwtSecret) return { jwtSecret: fromEnv.jwtSecret };
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
    if (stored.jwtSecret && stored.jwtSecret.length >= 32) return { jwtSecret: stored.jwtSecret };
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = { jwtSecret: randomBytes(48).toString('base64url') };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
