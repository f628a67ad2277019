/** Security-critical: password reset by single-use, expiring token. */
import { uuidv7 } from 'uuidv7';
import { withSystem } from '../db/system.js';
import { AppError } from '../errors.js';
import * as q from './auth.queries.js';
import type { AuthDeps } from './deps.js';
import { hashPassword } from './passwords.js';
import { consume } from './rate-limit.js';
import { randomToken, sha256 } from './tokens.js';
import type { ClientInfo } from './session.service.js';

const RESET_TTL_SECONDS = 3600;

/** Always succeeds from the caller's point of view, so it does not reveal which emails exist. */
export async function requestPasswordReset(deps: AuthDeps, email: string, client: ClientInfo): Promise<void> {
  await consume(deps.limits.perIp, `reset:${client.ip}`);
  await consume(deps.limits.perAccount, `reset:${email}`);
  const token = randomToken();
  const user = await withSystem(deps.db, async (tx) => {
    const found = await q.findUserByEmail(tx, email);
    if (found) await q.insertPasswordReset(tx, { id: uuidv7(), userId: found.id, hash: sha256(token), ttlSeconds: RESET_TTL_SECONDS });
    return found;
  });
  if (!user) return;
  const link = `${deps.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: user.email,
    subject: 'Reset your Pillar password',
    text: `Someone asked to reset the password of your Pillar account.\n\nOpen this link within an hour to choose a new one:\n${link}\n\nIf it was not you, ignore this email.`,
  });
}

export async function resetPassword(deps: AuthDeps, token: string, password: string, client: ClientInfo) {
  await consume(deps.limits.perIp, `reset:${client.ip}`);
  const passwordHash = await hashPassword(password);
  await withSystem(deps.db, async (tx) => {
    const userId = await q.consumePasswordReset(tx, sha256(token));
    if (!userId) throw new AppError('unprocessable', { message: 'This reset link is invalid, used or expired' });
    await q.updatePassword(tx, userId, passwordHash);
    // A reset ends every existing sign-in of that user.
    await q.revokeUserTokens(tx, userId);
  });
}
