// The platforms as data: the registry and the catalogue agree, settings do not collide, and what
// people write about a platform (channel ids, user ids) is read from each platform's own form.
import { describe, expect, it } from 'vitest';
import { configuredPlatforms, PLATFORMS, platformEnv, withoutChatPlatforms } from '../../../src/platforms/index.ts';
import { ABOUT_PLATFORMS, channelIdOn, identityColumns, isChatPlatform, platformLabel, PLATFORM_NAMES, readChannelRef } from '../../../src/catalogue/platforms.ts';
import { loadConfig } from '../../../src/config.ts';

describe('the platform registry', () => {
  it('lists each platform once, in the same order as the catalogue, with its own settings', () => {
    expect(PLATFORMS.map((p) => p.name)).toEqual(ABOUT_PLATFORMS.map((p) => p.name));
    expect(new Set(PLATFORMS.map((p) => p.name)).size).toBe(PLATFORMS.length);
    const keys = PLATFORMS.flatMap((p) => Object.keys(p.settings.env));
    expect(new Set(keys).size).toBe(keys.length);
    expect(Object.keys(platformEnv()).sort()).toEqual([...keys].sort());
  });

  it('configures a platform from its own variables, and none without them', () => {
    const none = loadConfig({}, '/tmp');
    expect(configuredPlatforms(none)).toEqual([]);
    const slackOnly = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, '/tmp');
    expect(configuredPlatforms(slackOnly).map((c) => c.platform.name)).toEqual(['slack']);
    expect(configuredPlatforms(withoutChatPlatforms(slackOnly))).toEqual([]);
  });

  it('lists a platform’s cross-variable problems with the rest', () => {
    expect(() => loadConfig({ TEAMS_APP_ID: 'a' }, '/tmp')).toThrow(/TEAMS_APP_PASSWORD: TEAMS_APP_ID and TEAMS_APP_PASSWORD go together/);
  });
});

describe('the platform catalogue', () => {
  it('reads channel ids in each platform’s form, with or without its name', () => {
    expect(readChannelRef('C0123ABCD')).toEqual({ platform: 'slack', channelId: 'C0123ABCD' });
    expect(readChannelRef('slack: C0123ABCD')).toEqual({ platform: 'slack', channelId: 'C0123ABCD' });
    expect(readChannelRef('19:abc@thread.tacv2;messageid=1')).toEqual({ platform: 'teams', channelId: '19:abc@thread.tacv2' });
    expect(readChannelRef('console:performance')).toEqual({ platform: 'console', channelId: 'performance' });
    expect(readChannelRef('teams:C0123ABCD')).toBeNull();
    expect(readChannelRef('#performance')).toBeNull();
    expect(channelIdOn('slack', '19:abc@thread.tacv2')).toBeNull();
  });

  it('names platforms in sentences and knows the chat platforms from other sources', () => {
    expect(platformLabel('teams')).toBe('Teams');
    expect(platformLabel('console')).toBe('the console');
    expect(platformLabel('cli')).toBeNull();
    expect(isChatPlatform('slack')).toBe(true);
    expect(isChatPlatform('console')).toBe(false);
    expect(PLATFORM_NAMES).toContain('console');
  });

  it('gives each platform’s People-sheet column and normalises its ids', () => {
    const teams = identityColumns().find((c) => c.platform === 'teams')!;
    expect(teams.columns).toContain('entra object id');
    expect(teams.normalise('6E0A8F2C-3B1D-4C5E-9F7A-1B2C3D4E5F60')).toBe('6e0a8f2c-3b1d-4c5e-9f7a-1b2c3d4e5f60');
    expect(identityColumns().find((c) => c.platform === 'slack')!.pattern.test('U012AB3CD')).toBe(true);
  });
});
