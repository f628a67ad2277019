import { dataScenarios } from './bulk.js';
import { contactScenarios } from './contacts.js';
import { salesScenarios } from './deals.js';
import { platformScenarios } from './platform.js';
import type { Scenario } from './types.js';

/** In report order. `web` (bundle size) and `restart` (embedded second start) are run by run.ts itself. */
export const scenarios: Scenario[] = [...platformScenarios, ...contactScenarios, ...salesScenarios, ...dataScenarios];

export const SPECIAL = ['restart', 'web'];
export const ORDER = ['restart', ...scenarios.map((s) => s.name), 'web'];
