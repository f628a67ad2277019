/** Sales analytics contracts: reports, exchange rates, dashboards. */
export * from './analytics-reports.js';
export * from './analytics-settings.js';
