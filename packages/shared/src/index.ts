export * from './errors.js';
export * from './permissions.js';
export * from './common.js';
export * from './auth.js';
export * from './filters.js';
export * from './data.js';
export * from './events.js';
export * from './sales.js';
