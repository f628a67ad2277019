/** Domain events: the catalogue and the contracts of its consumers (webhooks, inbound forms, jobs). */
export * from './event-catalogue.js';
export * from './events-api.js';
