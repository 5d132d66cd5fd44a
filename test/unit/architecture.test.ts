// The domain, the command handlers and the jobs know no platform: the lint rule that keeps them so
// really fires (and the tree passes it).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function problems(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.message);
}

describe('architecture lint rule', () => {
  it.each([
    ['commands/probe.ts', "import { App } from '@slack/bolt';"],
    ['jobs/probe.ts', "import cron from 'node-cron';"],
    ['commands/probe.ts', "import { PrismaClient } from '../src/generated/prisma/client.ts';"],
    ['src/domain/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/domain/probe.ts', "import { ChartJSNodeCanvas } from 'chartjs-node-canvas';"],
    ['src/platforms/slack/probe.ts', "import cron from 'node-cron';"],
    ['src/platforms/teams/probe.ts', "import type { PrismaClient } from '../../generated/prisma/client.ts';"],
    ['src/platforms/teams/probe.ts', "import { PrismaRepository } from '../../repo/prisma-repository.ts';"],
    ['src/platforms/teams/routes/probe.ts', "import { homeView } from '../../../../commands/home.ts';"],
    ['src/platforms/slack/probe.ts', "import { SLASH_COMMANDS } from '../../../commands/index.ts';"],
    ['src/domain/periods/probe.ts', "import { readFileSync } from 'node:fs';"],
    ['src/ports/probe.ts', "import type { App } from '@slack/bolt';"],
    ['src/ports.ts', "import type { PrismaClient } from './generated/prisma/client.ts';"],
  ])('refuses %s importing a platform: %s', async (file, code) => {
    expect((await problems(`${code}\nexport const x = 1;\n`, file)).join(' ')).toMatch(/restricted/);
  });

  it.each([
    ['test/unit/commands/probe.test.ts', "import { createTestDatabase } from '../../support/db.ts';"],
    ['test/unit/jobs/probe.test.ts', "import { startConsole } from '../../support/app.ts';"],
    ['test/unit/probe.test.ts', "import { PrismaRepository } from '../../src/repo/prisma-repository.ts';"],
  ])('keeps the database and the app out of unit tests: %s importing %s', async (file, code) => {
    expect((await problems(`${code}\nexport const x = 1;\n`, file)).join(' ')).toMatch(/Unit tests run without a database/);
  });

  it.each([
    ['src/cli/commands/probe.ts', "import { MemoryRepository } from '../../../test/support/memory/repository.ts';"],
    ['src/register/probe.ts', "import { MemoryStore } from '../../test/support/memory/store.ts';"],
    ['src/domain/probe.ts', "import { aBot } from '../../test/support/bot.ts';"],
    ['commands/probe.ts', "import { MemoryOutbox } from '../test/support/memory/outbox.ts';"],
    ['jobs/probe.ts', "import { MemoryRepository } from '../test/support/memory/repository.ts';"],
    ['src/platforms/console/probe.ts', "import { MemoryRepository } from '../../../test/support/memory/repository.ts';"],
  ])('keeps test doubles out of production: %s importing %s', async (file, code) => {
    expect((await problems(`${code}\nexport const x = 1;\n`, file)).join(' ')).toMatch(/Test doubles and fixtures live in test/);
  });

  it.each([
    ['src/services/probe.ts', "import { platformLabel } from '../platforms/catalogue.ts';"],
    ['src/repo/probe.ts', "import { slack } from '../platforms/slack/index.ts';"],
    ['src/import/probe.ts', "import { PLATFORMS } from '../platforms/index.ts';"],
    ['src/log.ts', "import { slackAbout } from './platforms/slack/about.ts';"],
    ['src/catalogue/probe.ts', "import { teams } from '../platforms/teams/index.ts';"],
    ['commands/probe.ts', "import { consoleKit } from '../src/platforms/index.ts';"],
  ])('keeps the platforms to the composition roots: %s importing %s', async (file, code) => {
    expect((await problems(`${code}\nexport const x = 1;\n`, file)).join(' ')).toMatch(/Only the composition roots/);
  });

  it.each([
    ['src/import/probe.ts', "import { readChannelRef } from '../catalogue/platforms.ts';"],
    ['src/app.ts', "import { PLATFORMS } from './platforms/index.ts';"],
    ['src/cli/commands/probe.ts', "import { PLATFORMS } from '../../platforms/index.ts';"],
  ])('lets %s import %s', async (file, code) => {
    expect(await problems(`${code}\nexport const x = PLATFORMS ?? readChannelRef;\n`.replace('PLATFORMS ?? readChannelRef', code.includes('PLATFORMS') ? 'PLATFORMS' : 'readChannelRef'), file)).toEqual([]);
  });

  it('allows ports and the domain in commands', async () => {
    expect(await problems("import type { CommandDeps } from '../src/ports.ts';\nexport type X = CommandDeps;\n", 'commands/probe.ts')).toEqual([]);
  });
});
