/**
 * The dashboard every person starts with: the team's pipeline and forecast,
 * results of the last twelve months, and their own activities.
 */
import type { Widget } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import type { NewDashboard } from './dashboards.queries.js';

type WidgetSeed = Omit<Widget, 'id' | 'layout'>;

function seeds(userId: string): WidgetSeed[] {
  return [
    { report: 'pipeline', title: 'Pipeline by stage', filters: {} },
    { report: 'forecast', title: 'Forecast, next six months', filters: { interval: 'month' } },
    { report: 'income', title: 'Won revenue', filters: { interval: 'month' } },
    { report: 'win-loss', title: 'Wins and losses', filters: {} },
    { report: 'lead-sources', title: 'Lead sources', filters: {} },
    { report: 'activities', title: 'My activities', filters: { owner_id: userId, interval: 'week' } },
  ];
}

/** Two columns of half-width tiles, in order. */
export function autoLayout(index: number): Widget['layout'] {
  return { x: (index % 2) * 6, y: Math.floor(index / 2) * 4, w: 6, h: 4 };
}

export function defaultDashboard(userId: string): NewDashboard {
  return {
    id: uuidv7(),
    name: 'Overview',
    is_default: true,
    widgets: seeds(userId).map((w, i) => ({ ...w, id: uuidv7(), layout: autoLayout(i) })),
  };
}
