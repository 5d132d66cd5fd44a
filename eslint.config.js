// Lint: TypeScript rules, plus the architecture rule — the domain, the command handlers and the
// jobs know no platform: no Slack, Teams, Prisma, node-cron or chart-drawing imports there; the
// transports (src/platforms) know no database, and reach the commands only through the Dispatcher port.
import tseslint from 'typescript-eslint';

// Test doubles (the memory repository and outbox) and fixtures live in test/: nothing that runs in production imports them.
const NO_TEST_CODE = { group: ['**/test/**'], message: 'Test doubles and fixtures live in test/; production code runs on the real stores.' };

// The platforms are loaded by the composition roots only (src/app.ts, src/main.ts, src/config.ts, the CLI); what
// the other layers may know of one (its name, its channel and user ids) is data in src/catalogue/, imported downwards.
const NO_PLATFORM_CODE = {
  group: ['**/platforms/**'],
  message: 'Only the composition roots (src/app.ts, src/main.ts, src/config.ts, src/cli) load the platforms; what other layers may know of one is in src/catalogue/.',
};

const PLATFORM_IMPORTS = {
  patterns: [
    NO_TEST_CODE,
    NO_PLATFORM_CODE,
    { group: ['@slack/*'], message: 'Platform code belongs in src/platforms/slack; use a port.' },
    { group: ['@microsoft/*', 'botbuilder', 'botbuilder-*', 'botframework-*'], message: 'Platform code belongs in src/platforms/teams; use a port.' },
    { group: ['@prisma/*', '**/generated/prisma/**', '**/repo/prisma-*'], message: 'Use the Repository port (src/ports.ts), not Prisma.' },
    { group: ['node-cron'], message: 'Only src/scheduler.ts imports node-cron.' },
    { group: ['chartjs-node-canvas', 'chart.js', 'canvas', '**/charts/render*'], message: 'Describe charts as a ChartSpec; the ChartRenderer port draws them.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'coverage/', 'out/', 'data/', '.tmp/', '.cache/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Later blocks override this one for the directories they name.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/scheduler.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TEST_CODE, NO_PLATFORM_CODE, { group: ['node-cron'], message: 'Only src/scheduler.ts imports node-cron.' }] }] },
  },
  // The composition roots build the platforms.
  {
    files: ['src/app.ts', 'src/main.ts', 'src/config.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [NO_TEST_CODE, { group: ['node-cron'], message: 'Only src/scheduler.ts imports node-cron.' }] }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { ...PLATFORM_IMPORTS, paths: [{ name: 'node:fs', message: 'The domain does no I/O.' }, { name: 'fs', message: 'The domain does no I/O.' }] },
      ],
    },
  },
  { files: ['commands/**/*.ts', 'jobs/**/*.ts', 'src/alerting/**/*.ts'], rules: { 'no-restricted-imports': ['error', PLATFORM_IMPORTS] } },
  // The platform catalogue is data the lower layers import: no SDK, no database, no platform code.
  { files: ['src/catalogue/**/*.ts'], rules: { 'no-restricted-imports': ['error', PLATFORM_IMPORTS] } },
  // The ports (src/ports.ts, one file per aggregate in src/ports/) are plain TypeScript: no platform, no database.
  { files: ['src/ports.ts', 'src/ports/**/*.ts'], rules: { 'no-restricted-imports': ['error', PLATFORM_IMPORTS] } },
  // The unit tier runs without a database or the app: handlers and jobs on the memory repository.
  {
    files: ['test/unit/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/support/db*', '**/support/app*', '**/support/repositories*', '**/setup/*', '@electric-sql/*', 'pg', '@prisma/*', '**/generated/prisma/**', '**/repo/prisma-*', '**/src/app*'],
              message: 'Unit tests run without a database or the app: use test/support/bot.ts (the memory repository). A test that needs either is a contract or an integration test.',
            },
          ],
        },
      ],
    },
  },
  // Transports only translate: what they keep goes through the TransportStores port.
  {
    files: ['src/platforms/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_TEST_CODE,
            { group: ['node-cron'], message: 'Only src/scheduler.ts imports node-cron.' },
            { group: ['@prisma/*', '**/generated/prisma/**', '**/repo/*'], message: 'A transport keeps its rows through the TransportStores port (src/ports.ts), not the database.' },
            { group: ['**/commands/**'], message: 'A platform reaches the commands only through the Dispatcher port (src/ports/dispatcher.ts), by the inbound core (src/platforms/core/inbound.ts).' },
          ],
        },
      ],
    },
  },
);
