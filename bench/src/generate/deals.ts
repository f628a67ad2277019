/**
 * Deals, their stage history and activities of the large tenant. A deal's
 * path through the pipeline is a pure function of its index, so the deal row
 * (current stage, stage_entered_at, closed_at) and its history rows agree.
 * Reusable at other sizes: set `spec.deals` (e.g. 1,000,000) and load only
 * these tables with `loadTables(..., ['deals', 'deal_stage_history'])`.
 */
import { uuidv7At } from './rng.js';
import { companyId, companyName, contactId, dealId, iso, line, pgArray, rowRng, Table, timeOf, type GenContext } from './rows.js';
import { END_MS } from './spec.js';
import * as W from './words.js';

const DAY = 86_400_000;

export interface DealPath {
  /** Stage indexes (into ids.stages) in the order the deal entered them; [0] is its first stage. */
  stages: number[];
  /** When it entered each (ms). */
  times: number[];
}

/**
 * Where deals end up: ~35% still in the first stage, the rest moved forward
 * (sometimes skipping a stage), won or lost — about one move per deal.
 */
export function dealPath(g: GenContext, i: number): DealPath {
  const rng = rowRng(g.spec.seed, Table.Deal, 0, i, 3);
  const created = timeOf(i, g.spec.deals);
  const outcome = rng.weighted([35, 22, 13, 10, 10, 10]);
  let stages: number[];
  if (outcome <= 3) {
    stages = [0];
    for (let s = 1; s <= outcome; s++) if (s === outcome || rng.chance(0.6)) stages.push(s);
  } else if (outcome === 4) {
    stages = [0, rng.chance(0.5) ? 2 : 3, 4];
  } else {
    stages = rng.chance(0.5) ? [0, 5] : [0, 1 + rng.int(3), 5];
  }
  const gaps = stages.slice(1).map(() => (1 + rng.int(30)) * DAY + rng.int(DAY));
  const total = gaps.reduce((s, x) => s + x, 0);
  const room = END_MS - created - 1000;
  const scale = total > room ? room / total : 1;
  const times = [created];
  for (const gap of gaps) times.push(times[times.length - 1]! + Math.max(1000, Math.floor(gap * scale)));
  return { stages, times };
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A board position as the server's fractional-indexing keys look: head 'd'
 * (four integer digits, base 62), so 14.7 M keys sort by deal index.
 */
export function positionKey(i: number): string {
  let s = '';
  for (let k = 0, n = i; k < 4; k++, n = Math.floor(n / 62)) s = BASE62[n % 62]! + s;
  return `d${s}`;
}

export const DEAL_COLUMNS = [
  'tenant_id', 'id', 'name', 'value', 'currency', 'pipeline_id', 'stage_id', 'position', 'status', 'lost_reason',
  'expected_close_date', 'closed_at', 'stage_entered_at', 'contact_id', 'company_id', 'source', 'owner_id', 'tags',
  'custom', 'created_by', 'created_at', 'updated_at',
];

export function dealLine(g: GenContext, i: number): string {
  const rng = rowRng(g.spec.seed, Table.Deal, 0, i);
  const path = dealPath(g, i);
  const stage = g.ids.stages[path.stages[path.stages.length - 1]!]!;
  const entered = path.times[path.times.length - 1]!;
  const created = path.times[0]!;
  const company = g.spec.companies ? rng.int(g.spec.companies) : null;
  const contact = g.spec.contacts ? rng.int(g.spec.contacts) : null;
  const value = `${1000 + rng.int(200_000)}.${String(rng.int(100)).padStart(2, '0')}`;
  const closed = stage.kind === 'open' ? null : iso(entered);
  return line([
    g.ids.tenantId, dealId(g, i), `${company === null ? 'Deal' : companyName(g, company).name} – ${rng.pick(W.DEAL_WORDS)}`,
    value, 'USD', g.ids.pipelineId, stage.id, positionKey(i), stage.kind,
    stage.kind === 'lost' ? rng.pick(['price', 'timing', 'competitor', 'no budget']) : null,
    iso(created + (30 + rng.int(120)) * DAY).slice(0, 10), closed, iso(entered),
    contact === null ? null : contactId(g, contact), company === null ? null : companyId(g, company),
    rng.pick(W.LEAD_SOURCES), rng.pick(g.ids.memberIds), pgArray(rng.chance(0.2) ? ['priority'] : []), '{}',
    g.ids.memberIds[0]!, iso(created), iso(entered),
  ]);
}

export const HISTORY_COLUMNS = [
  'tenant_id', 'id', 'deal_id', 'pipeline_id', 'from_stage_id', 'to_stage_id', 'moved_by', 'moved_at', 'seconds_in_from_stage',
];

/** The deal's first-stage row plus one row per move. */
export function historyLines(g: GenContext, i: number): string {
  const rng = rowRng(g.spec.seed, Table.History, 0, i);
  const { stages, times } = dealPath(g, i);
  const deal = dealId(g, i);
  const mover = rng.pick(g.ids.memberIds);
  let out = '';
  for (let k = 0; k < stages.length; k++) {
    const from = k === 0 ? null : g.ids.stages[stages[k - 1]!]!.id;
    const seconds = k === 0 ? null : Math.round((times[k]! - times[k - 1]!) / 1000);
    out += line([
      g.ids.tenantId, uuidv7At(times[k]!, rng), deal, g.ids.pipelineId, from, g.ids.stages[stages[k]!]!.id, mover,
      iso(times[k]!), seconds,
    ]);
  }
  return out;
}

export const ACTIVITY_COLUMNS = [
  'tenant_id', 'id', 'type', 'subject', 'body', 'due_at', 'completed_at', 'assignee_id', 'contact_id', 'company_id',
  'deal_id', 'created_by', 'created_at', 'updated_at',
];

export function activityLine(g: GenContext, i: number): string {
  const rng = rowRng(g.spec.seed, Table.Activity, 0, i);
  const at = timeOf(i, g.spec.activities);
  const type = rng.pick(W.ACTIVITY_TYPES);
  const scheduled = type === 'task' || type === 'meeting';
  const due = scheduled ? at + rng.int(14) * DAY : null;
  const done = due !== null && due < END_MS && rng.chance(0.7) ? iso(due) : type === 'task' || type === 'meeting' ? null : iso(at);
  const onDeal = g.spec.deals > 0 && rng.chance(0.3);
  const contact = g.spec.contacts ? rng.int(g.spec.contacts) : null;
  return line([
    g.ids.tenantId, uuidv7At(at, rng), type, rng.pick(W.ACTIVITY_SUBJECTS), rng.chance(0.5) ? 'Notes from the conversation.' : null,
    due === null ? null : iso(due), done, rng.pick(g.ids.memberIds), contact === null ? null : contactId(g, contact), null,
    onDeal ? dealId(g, rng.int(g.spec.deals)) : null, g.ids.memberIds[0]!, iso(at), iso(at),
  ]);
}

/** Counts of stage moves (history rows with a from-stage) for a report. */
export function countMoves(g: GenContext): number {
  let moves = 0;
  for (let i = 0; i < g.spec.deals; i++) moves += dealPath(g, i).stages.length - 1;
  return moves;
}
