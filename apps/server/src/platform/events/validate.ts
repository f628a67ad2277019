/**
 * Checks outbox events against the shared catalogue. In development and tests
 * a payload that does not match its schema throws; in tests an unknown event
 * type throws too, so every emitted type is catalogued (webhook subscribers
 * and the live stream rely on it). Production skips the check.
 */
import { findEventDefinition } from '@pillar/shared';

type Mode = 'strict' | 'check' | 'off';

function currentMode(): Mode {
  if (process.env.VITEST || process.env.NODE_ENV === 'test') return 'strict';
  return process.env.NODE_ENV === 'production' ? 'off' : 'check';
}

const warned = new Set<string>();

/** Returns the catalogue version of `type` (1 when unknown). */
export function checkEvent(type: string, payload: Record<string, unknown>, mode: Mode = currentMode()): number {
  const definition = findEventDefinition(type);
  if (!definition) {
    if (mode === 'strict') throw new Error(`Unknown event type "${type}": add it to packages/shared/src/event-catalogue.ts`);
    if (mode === 'check' && !warned.has(type)) {
      warned.add(type);
      process.emitWarning(`Unknown event type "${type}" (not in the event catalogue)`);
    }
    return 1;
  }
  if (mode !== 'off') {
    const result = definition.payload.safeParse(payload);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
      throw new Error(`Invalid payload for event "${type}": ${issues}`);
    }
  }
  return definition.version;
}
