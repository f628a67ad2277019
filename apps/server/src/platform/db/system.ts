/**
 * Security-critical: unrestricted transactions that bypass row-level security.
 * For platform code that must work before a tenant is known (sign-in, token
 * refresh, invitations by token, migrations, job dispatch). Lint forbids
 * importing it from modules.
 */
import type { Database, Tx } from './database.js';

export function withSystem<T>(db: Database, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn);
}
