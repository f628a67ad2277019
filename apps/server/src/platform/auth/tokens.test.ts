import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.js';
import { TokenSigner } from './tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const claims = {
  userId: '01a192ff-0160-7aba-adf9-77f64c3916ba',
  tenantId: '01a192ff-0160-7aba-adf9-77f64c3916bb',
  role: 'member' as const,
  sessionId: '01a192ff-0160-7aba-adf9-77f64c3916bc',
};

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : 'other';
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('access token verification with the per-process cache of verified tokens', () => {
  it('answers the same claims on repeated use of one token', async () => {
    const signer = new TokenSigner(SECRET, 900);
    const token = await signer.sign(claims);
    expect(await signer.verify(token)).toEqual(claims);
    expect(await signer.verify(token)).toEqual(claims);
  });

  it('still rejects a token whose signature was changed after the original was verified', async () => {
    const signer = new TokenSigner(SECRET, 900);
    const token = await signer.sign(claims);
    await signer.verify(token);
    const [h, p, sig] = token.split('.') as [string, string, string];
    const flipped = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await codeOf(signer.verify(flipped))).toBe('unauthenticated');
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'owner' })).toString('base64url');
    expect(await codeOf(signer.verify(`${h}.${otherPayload}.${sig}`))).toBe('unauthenticated');
  });

  it('rejects a token signed with another secret even when the same claims were verified', async () => {
    const signer = new TokenSigner(SECRET, 900);
    await signer.verify(await signer.sign(claims));
    const forged = await new TokenSigner(`${SECRET}-other`, 900).sign(claims);
    expect(await codeOf(signer.verify(forged))).toBe('unauthenticated');
  });

  it('expires a cached token at its exp, as an uncached one would', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const signer = new TokenSigner(SECRET, 60);
    const token = await signer.sign(claims);
    expect(await codeOf(signer.verify(token))).toBe('ok');
    vi.setSystemTime(new Date('2026-12-01T10:00:59Z'));
    expect(await codeOf(signer.verify(token))).toBe('ok');
    vi.setSystemTime(new Date('2026-12-01T10:01:00Z'));
    expect(await codeOf(signer.verify(token))).toBe('token_expired');
    expect(await codeOf(signer.verify(token))).toBe('token_expired');
    expect(await codeOf(new TokenSigner(SECRET, 60).verify(token))).toBe('token_expired');
  });
});
