import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Mailer } from '../mailer.js';
import type { RateLimits } from './rate-limit.js';
import type { TokenSigner } from './tokens.js';

/** What platform auth services need; built once in buildApp. */
export interface AuthDeps {
  db: Database;
  config: Config;
  signer: TokenSigner;
  mailer: Mailer;
  limits: RateLimits;
}
