// Ports: what commands/ and jobs/ need from the outside world, as plain TypeScript interfaces, one
// file per aggregate in src/ports/. Implementations live in src/repo (Prisma), src/charts (chart.js),
// src/platforms/* and src/outbox. Import from here.
export * from './ports/organisation.ts';
export * from './ports/people.ts';
export * from './ports/indicators.ts';
export * from './ports/actions.ts';
export * from './ports/risks.ts';
export * from './ports/commentary.ts';
export * from './ports/comparators.ts';
export * from './ports/api.ts';
export * from './ports/evaluation.ts';
export * from './ports/exceptions.ts';
export * from './ports/alerts.ts';
export * from './ports/repository.ts';
export * from './ports/outbox.ts';
export * from './ports/messaging.ts';
export * from './ports/transport-stores.ts';
export * from './ports/deps.ts';
export * from './ports/platform-kit.ts';
export * from './ports/dispatcher.ts';
export * from './ports/observer.ts';
