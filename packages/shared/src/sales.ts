/** Sales contracts: pipelines and stages, deals, leads, activities, timelines. (sales-common.ts stays internal.) */
export * from './sales-pipelines.js';
export * from './sales-deals.js';
export * from './sales-leads.js';
export * from './sales-activities.js';
